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
from tests.browser.pages import join, join_by_request, log_in, step_title

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
        assert report["scrolled"] == [0, 0], (where, report["scrolled"])
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
        new_context, live_server, live_app, big_meeting, browser, artifacts_dir):
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
            for image in projector.locator(".room-main img").all():
                assert image.evaluate("i => getComputedStyle(i).objectFit") == "contain", where
        if pos < total - 1:
            projector.get_by_role("button", name="Next ▶").click()
    for phone in phones:
        expect(step_title(phone)).to_have_text(title)
