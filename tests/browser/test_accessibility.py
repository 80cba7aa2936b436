"""Every kind of page passes an automated accessibility audit (axe-core, run inside the page) with
no serious or critical violation, and every control on a phone is at least 44 px high at 390x844."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.audit import expect_no_axe_violations, small_targets
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import TEAM, end_meeting, join, log_in, past_since_last_time, step_title

TASK = "Sticker pages"
UNIT_SORT = "Pencil packs"  # a closed sort of the demo unit


def expect_thumb_sized(page: Page, what: str) -> None:
    small = small_targets(page)
    assert not small, f"{what}: controls under 44 px: {small}"


def test_pages_around_meetings_pass_the_audit(new_context, live_server):
    visitor = new_context(**PHONE).new_page()
    for url, what in [("/", "landing"), ("/join", "join"), ("/login", "log in"), ("/signup", "sign up")]:
        visitor.goto(url)
        expect_no_axe_violations(visitor, what)
        expect_thumb_sized(visitor, what)

    page = new_context(**DESKTOP).new_page()
    log_in(page, live_server.email, live_server.password)
    expect_no_axe_violations(page, "teams")
    page.get_by_role("link", name=TEAM).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TEAM)
    team_url = page.url
    expect_no_axe_violations(page, "team")
    page.get_by_role("link", name=TASK, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TASK)
    expect_no_axe_violations(page, "task")
    page.get_by_role("link", name="Student work").click()
    expect(page.locator("#samples .sample").first).to_be_visible()
    expect_no_axe_violations(page, "student work")

    page.goto(team_url)
    page.get_by_role("link", name=re.compile("^Review the unit")).first.click()
    expect(page.locator(".mix-chart")).to_be_visible()
    unit_url = page.url
    expect_no_axe_violations(page, "unit review")
    page.get_by_role("link", name=UNIT_SORT).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Sort: {UNIT_SORT}")
    expect_no_axe_violations(page, "closed sort")
    for url, what in [(page.url, "sort summary (export)"), (unit_url, "unit summary (export)")]:
        page.goto(url)
        page.get_by_role("link", name="Printable summary").click()
        expect(page).to_have_url(re.compile(r"/summary$"))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect_no_axe_violations(page, what)
    page.goto(team_url)
    page.get_by_role("link", name=re.compile(f"Start a meeting on {TASK}")).click()
    expect_no_axe_violations(page, "start a meeting")


def test_every_step_of_a_meeting_passes_the_audit_on_every_screen(new_context, live_server):
    """One meeting whose agenda holds every activity (Since last time, Doing Math Together with
    the Problem Introduction Protocol, Work Sort): the projector, the control page and a phone at
    each step, and at the end."""
    projector = new_context(**DESKTOP).new_page()
    log_in(projector, live_server.email, live_server.password)
    projector.get_by_role("link", name=TEAM).click()
    projector.get_by_role("link", name=re.compile(f"Start a meeting on {TASK}")).click()
    for protocol in ["Doing Math Together", "Work Sort"]:
        projector.get_by_role("checkbox", name=re.compile(protocol)).check()
    projector.get_by_role("button", name="Start the meeting").click()
    expect(step_title(projector)).to_have_text("Since last time")
    code = projector.locator('[data-bind="code"]').inner_text().strip()
    with projector.context.expect_page() as opened:
        projector.get_by_role("link", name="Controls and script on another screen").click()
    control = opened.value
    phone = new_context(**PHONE).new_page()
    join(phone, code, "Jo Teacher")

    progress = projector.locator('[data-bind="progress"]')
    expect(progress).to_have_text(re.compile(r"^Step 1 of \d+$"))
    total = int(progress.inner_text().rsplit(" ", 1)[1])
    activities = set()
    for pos in range(total):
        title = step_title(projector).inner_text()
        for page in (control, phone):
            expect(step_title(page)).to_have_text(title)
        expect(phone.locator('[data-bind="progress"]')).to_have_text(f"Step {pos + 1} of {total}")
        activities.add(projector.evaluate("() => document.querySelector('[data-bind=\"board\"]').dataset.mode || ''") or title)
        for page, screen in [(projector, "projector"), (control, "control page"), (phone, "phone")]:
            expect_no_axe_violations(page, f"{screen} at step {pos + 1}, {title}")
        expect_thumb_sized(phone, f"phone at step {pos + 1}, {title}")
        if title == "Look before sorting":  # a sample's picture, opened on the phone
            phone.locator(".sort-card").first.get_by_role("button", name="Open").tap()
            expect(phone.locator("dialog.viewer")).to_be_visible()
            expect_no_axe_violations(phone, "the phone's picture viewer")
            expect_thumb_sized(phone, "the phone's picture viewer")
            phone.locator("dialog.viewer").get_by_role("button", name="Close").tap()
        if pos == 0:
            past_since_last_time(projector)
        elif pos < total - 1:
            projector.get_by_role("button", name="Next ▶").click()
            expect(step_title(projector)).not_to_have_text(title)
    assert {"look", "sort", "describe", "patterns", "plan", "sequence", "close"} <= activities, activities

    end_meeting(control)  # the meeting ends on the control page only
    expect(phone.get_by_role("heading", level=1, name="This meeting has ended")).to_be_visible()
    for page, screen in [(projector, "projector"), (control, "control page"), (phone, "phone")]:
        expect_no_axe_violations(page, f"{screen} after the end")
    expect_thumb_sized(phone, "phone after the end")
