"""The projector at the size of a real meeting: 40 people on phones, 30 pieces of student work,
12 groups, 10 answers to each anticipation question (and 60 on one step). At 1920x1080 and
1366x768, on every step, everything the room should read is on screen, or on a page the pager
counts ("2 of 3", turned with ]), or counted on a "+N more" chip or the join badge; no heading
breaks inside a word; the text the room reads is 20px or more. A screenshot of every step at
both sizes goes to test-artifacts/projector/.

The meetings are written straight into the server's database (seed.py); the phones join
through the join form.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser import seed
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import end_meeting, join, join_by_request, log_in, step_title
from tests.browser.test_unit_review import open_unit

SIZES = [(1920, 1080), (1366, 768)]
OPEN_PHONES = 3
IN_VIEW = (Path(__file__).parent / "in_view.js").read_text()
# Everything of these kinds must be in view on some page of its step.
PAGED_KINDS = ["answer", "question", "sample", "group", "card", "note", "nextStep", "followUp"]


def settle(page: Page) -> None:
    """Two animation frames: the pager measures the page in the frame after any change."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def pages_of(report: dict) -> int:
    return int(report["pager"].split(" of ")[1]) if report["pager"] else 1


def look_through_pages(page: Page, where: str) -> list[dict]:
    """What is in view on each page of the step, turning the pages with ]; back to page 1 after."""
    first = page.evaluate(IN_VIEW)
    assert first["pager"] in (None, f"1 of {pages_of(first)}"), (where, first["pager"])  # a step starts on page 1
    reports = [first]
    for number in range(2, pages_of(first) + 1):
        page.keyboard.press("]")
        expect(page.locator('[data-bind="page-label"]')).to_have_text(f"{number} of {pages_of(first)}")
        settle(page)
        reports.append(page.evaluate(IN_VIEW))
    for _ in reports[1:]:
        page.keyboard.press("[")
    if len(reports) > 1:
        expect(page.locator('[data-bind="page-label"]')).to_have_text(f"1 of {len(reports)}")
    for report in reports:
        assert report["scrolled"] == [0, 0] and report["overflow"] == [0, 0], (where, report["scrolled"], report["overflow"])
        assert not report["broken"], (where, report["broken"])
        assert not report["small"], (where, report["small"])
    return reports


def check_everything_is_seen(reports: list[dict], people: list[str], where: str) -> None:
    first = reports[0]
    for kind in PAGED_KINDS:
        seen = set().union(*(r["shown"][kind] for r in reports))
        missing = sorted(set(range(first["total"][kind])) - seen)
        assert not missing, (where, kind, f"{len(missing)} of {first['total'][kind]} never in view", missing[:10])
    # Who joined: on the opening steps as chips, the ones that do not fit counted by "+N more";
    # after them, the join badge counts everyone.
    if first["qr"]:
        hidden = int(re.fullmatch(r"\+(\d+) more", first["more"]).group(1)) if first["more"] else 0
        assert set(first["names"]) <= set(people) and len(first["names"]) + hidden == len(people), (where, first)
    else:
        assert first["badge"] and f"{len(people)} joined" in first["badge"], (where, first["badge"])


@pytest.fixture(scope="module")
def big_meeting(live_app, live_server):
    with live_app.app_context():
        return seed.seed_meeting(live_server.email)


def test_a_full_size_meeting_fits_the_projector_at_every_step(
        new_context, live_server, live_app, big_meeting, artifacts_dir):
    folder = artifacts_dir / "projector"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()

    # 40 phones join, each its own context (all in one browser); a few keep the room open and
    # follow along (forty open pages would load every thumbnail forty times over and triple the test's time).
    phones = []
    for number, name in enumerate(seed.PEOPLE):
        context = new_context(**PHONE)
        join_by_request(context, big_meeting.code, name)
        if number < OPEN_PHONES:
            phones.append(context.new_page())
            phones[-1].goto(f"/live/{big_meeting.meeting_id}")
    for phone in phones:
        expect(step_title(phone)).not_to_have_text("Connecting…")
    with live_app.app_context():
        seed.add_answers(big_meeting.meeting_id)

    projector = new_context(**DESKTOP).new_page()
    log_in(projector, live_server.email, live_server.password)
    projector.goto(f"/meetings/{big_meeting.meeting_id}/projector")
    expect(step_title(projector)).not_to_have_text("Connecting…")
    expect(projector.locator(".people-heading")).to_have_text(f"{len(seed.PEOPLE)} joined")
    progress = projector.locator('[data-bind="progress"]')
    total = int(re.search(r"of (\d+)", progress.inner_text()).group(1))
    # Nothing on the shared screen ends the meeting: that is on the control page.
    expect(projector.get_by_role("button", name=re.compile("End meeting"))).to_have_count(0)

    for pos in range(total):
        expect(progress).to_have_text(f"Step {pos + 1} of {total}")
        title = step_title(projector).inner_text()
        for width, height in SIZES:
            projector.set_viewport_size({"width": width, "height": height})
            settle(projector)
            projector.wait_for_function("""() => [...document.querySelectorAll('.room-main img')]
                .filter(i => i.getBoundingClientRect().right <= innerWidth && i.getClientRects().length)
                .every(i => i.complete)""")
            where = f"step {pos + 1} “{title}” at {width}x{height}"
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
            projector.screenshot(path=str(folder / f"{pos + 1:02d}-{slug}-{width}x{height}.png"))
            check_everything_is_seen(look_through_pages(projector, where), seed.PEOPLE, where)
            fits = projector.locator(".room-main img").evaluate_all("imgs => imgs.map(i => getComputedStyle(i).objectFit)")
            assert set(fits) <= {"contain"}, (where, fits)
        if pos < total - 1:
            projector.get_by_role("button", name="Next ▶").click()
    for phone in phones:
        expect(step_title(phone)).to_have_text(title)


# --- the smaller things ----------------------------------------------------------------------

def small_meeting(live_app, live_server, team: str, **options) -> seed.SeededMeeting:
    with live_app.app_context():
        return seed.seed_meeting(live_server.email, team, samples=4, groups=seed.GROUPS[:2], unsorted=1, **options)


def open_projector(new_context, live_server, meeting: seed.SeededMeeting) -> Page:
    projector = new_context(**DESKTOP).new_page()
    log_in(projector, live_server.email, live_server.password)
    projector.goto(f"/meetings/{meeting.meeting_id}/projector")
    expect(step_title(projector)).not_to_have_text("Connecting…")
    return projector


def group_column(page: Page, name: str):
    return page.locator("section.column", has=page.locator(f'h3:text-is("{name}")'))


def test_the_join_code_shrinks_to_a_badge_after_the_opening_steps(new_context, live_server, live_app):
    meeting = small_meeting(live_app, live_server, "Badge team")
    projector = open_projector(new_context, live_server, meeting)
    phone = new_context(**PHONE).new_page()
    join(phone, meeting.code, "Ana Teacher")
    qr, badge = projector.locator(".qr svg"), projector.locator(".join-badge")
    for _ in range(2):  # the opening steps: the code, the QR code and who joined
        expect(qr).to_be_visible()
        expect(projector.locator('[data-bind="code"]')).to_have_text(meeting.code)
        expect(projector.locator('[data-bind="people"]')).to_contain_text("Ana Teacher")
        expect(badge).to_be_hidden()
        projector.get_by_role("button", name="Next ▶").click()
    expect(qr).to_be_hidden()
    expect(badge).to_be_visible()
    expect(badge).to_contain_text(meeting.code)
    expect(badge).to_contain_text("1 joined")
    expect(badge).to_have_attribute("aria-expanded", "false")
    # A latecomer: J brings the QR code back and puts it away again; so does a click on the badge.
    projector.keyboard.press("j")
    expect(qr).to_be_visible()
    expect(badge).to_have_attribute("aria-expanded", "true")
    projector.keyboard.press("j")
    expect(qr).to_be_hidden()
    badge.click()
    expect(qr).to_be_visible()
    projector.get_by_role("button", name="Next ▶").click()  # the next step starts without it
    expect(qr).to_be_hidden()


def test_presentation_mode_hides_the_controls_and_nothing_ends_the_meeting_there(new_context, live_server, live_app):
    meeting = small_meeting(live_app, live_server, "Presenting team")
    projector = open_projector(new_context, live_server, meeting)
    controls = projector.get_by_role("navigation", name="Facilitator controls")
    show = projector.get_by_role("button", name="Controls (C)", exact=True)
    expect(controls).to_be_visible()
    expect(show).to_be_hidden()
    expect(projector.get_by_role("button", name=re.compile("End meeting"))).to_have_count(0)

    projector.keyboard.press("c")
    expect(controls).to_be_hidden()
    expect(projector.get_by_role("link", name="Controls and script on another screen")).to_be_hidden()
    expect(show).to_be_visible()
    projector.reload()  # the projector stays in presentation mode
    expect(step_title(projector)).not_to_have_text("Connecting…")
    expect(controls).to_be_hidden()
    show.click()
    expect(controls).to_be_visible()
    controls.get_by_role("button", name="Hide controls (C)").click()
    expect(controls).to_be_hidden()
    projector.keyboard.press("C")
    expect(controls).to_be_visible()

    # Ending the meeting is on the control page, behind a confirmation.
    control = new_context(**DESKTOP).new_page()
    log_in(control, live_server.email, live_server.password)
    control.goto(f"/meetings/{meeting.meeting_id}/control")
    expect(control.get_by_role("button", name="End meeting")).to_be_visible()


def test_the_ended_projector_shows_no_code_and_no_qr_code(new_context, live_server, live_app):
    meeting = small_meeting(live_app, live_server, "Ending team")
    projector = open_projector(new_context, live_server, meeting)
    expect(projector.locator(".qr svg")).to_be_visible()
    control = projector.context.new_page()
    control.goto(f"/meetings/{meeting.meeting_id}/control")
    end_meeting(control)

    for page in (projector, "reloaded"):
        if page == "reloaded":
            projector.reload()
        banner = projector.locator('[data-bind="ended"]')
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("This meeting has ended")
        expect(projector.locator(".qr, .join-badge, .join-code")).to_have_count(0)
        expect(projector.locator("body")).not_to_contain_text(meeting.code)
        expect(projector.get_by_role("navigation", name="Facilitator controls")).to_be_hidden()


def test_notes_typed_on_a_phone_or_the_control_page_reach_the_projector_as_text(new_context, live_server, live_app):
    meeting = small_meeting(live_app, live_server, "Describing team", notes=False, at="Name and describe each group")
    first, second = seed.GROUPS[:2]
    projector = open_projector(new_context, live_server, meeting)
    expect(step_title(projector)).to_have_text("Name and describe each group")
    expect(group_column(projector, first).locator(".group-notes")).to_have_text("No notes yet.")
    phone = new_context(**PHONE).new_page()
    join(phone, meeting.code, "Ana Teacher")
    control = projector.context.new_page()
    control.goto(f"/meetings/{meeting.meeting_id}/control")

    # Typed, not yet left: the projector shows it already, as text.
    box = group_column(phone, first).get_by_label("What are they showing us?")
    box.tap()
    phone.keyboard.type("They count on in eights")
    notes = group_column(projector, first).locator(".group-notes")
    expect(notes).to_contain_text("What are they showing us? They count on in eights", timeout=5000)
    expect(box).to_be_focused()
    phone.keyboard.type(" from 8 to 96.")
    expect(notes).to_contain_text("They count on in eights from 8 to 96.", timeout=5000)
    expect(box).to_have_value("They count on in eights from 8 to 96.")

    control.bring_to_front()
    group_column(control, second).get_by_label("Issues we see").click()
    control.keyboard.type("Loses track of the count")
    expect(group_column(projector, second).locator(".group-notes")).to_contain_text(
        "Issues we see Loses track of the count", timeout=5000)
    # The projector is for reading: no editing boxes, big enough to read from the back.
    expect(projector.locator(".board textarea, .board input")).to_have_count(0)
    size = notes.locator("p").first.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    assert size >= 20, size


def test_thumbnails_show_the_whole_page_everywhere(new_context, live_server, live_app):
    meeting = small_meeting(live_app, live_server, "Thumbnail team", at="Bring in the student work")
    projector = open_projector(new_context, live_server, meeting)
    phone = new_context(**PHONE).new_page()
    join(phone, meeting.code, "Ana Teacher")
    work_page = projector.context.new_page()
    work_page.goto(f"/tasks/{meeting.task_id}/work")
    pages = {"projector": projector, "phone": phone, "task's work page": work_page}
    for where, page in pages.items():
        images = page.locator("[data-sample-id] img")
        expect(images).to_have_count(4)
        fits = images.evaluate_all("imgs => imgs.map(i => getComputedStyle(i).objectFit)")
        assert fits == ["contain"] * 4, (where, fits)
    # The projector's cards read the work, not the name line above it.
    texts = projector.locator("[data-sample-id] .sample-text").all_inner_texts()
    assert texts and not any("Name" in t for t in texts), texts

    projector.get_by_role("button", name="Next ▶").click()  # the board: cards everywhere
    expect(step_title(projector)).to_have_text("Look before sorting")
    control = projector.context.new_page()
    control.goto(f"/meetings/{meeting.meeting_id}/control")
    for where, page in {"projector": projector, "phone": phone, "control page": control}.items():
        images = page.locator("[data-card] img")
        expect(images).to_have_count(4)
        fits = images.evaluate_all("imgs => imgs.map(i => getComputedStyle(i).objectFit)")
        assert fits == ["contain"] * 4, (where, fits)
        assert not any("Name" in t for t in page.locator(".card-text").all_inner_texts()), where

    # A closed sort of the demo unit, as the coach reviews it.
    review = projector.context.new_page()
    review.goto("/")
    open_unit(review)
    review.get_by_role("link", name="Pencil packs").last.click()
    images = review.locator(".review-card img")
    expect(images.first).to_be_visible()
    assert set(images.evaluate_all("imgs => imgs.map(i => getComputedStyle(i).objectFit)")) == {"contain"}
