"""The coach's review of the demo unit in a real browser: the chart, the table beside it,
students over time, a closed sort, two side by side, and a next step followed up."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import log_in

UNIT = "Grade 3, Unit 4: Multiplication and division"
SORTS = ["Chairs in rows", "Pencil packs"]


def open_unit(page):
    page.get_by_role("link", name="Grade 3 - Lincoln Elementary").click()
    page.get_by_role("link", name=re.compile(f"^Review the unit.*{re.escape(UNIT)}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(UNIT)


def test_the_unit_page_of_the_demo_shows_the_chart_and_its_table(new_context, live_server, artifacts_dir):
    page = new_context(**DESKTOP).new_page()
    log_in(page, live_server.email, live_server.password)
    open_unit(page)

    chart = page.get_by_role("img", name=re.compile("Samples per strategy in each sort"))
    expect(chart).to_be_visible()
    expect(chart.locator(".mix-label")).to_have_text(SORTS)  # one bar per closed sort, oldest first
    segments = chart.locator("rect title")
    expect(segments.filter(has_text="Chairs in rows: Counts all, 3")).to_have_count(1)
    expect(segments.filter(has_text="Pencil packs: Doubles, 1")).to_have_count(1)

    table = page.get_by_role("table", name="Samples per strategy, sort by sort")
    expect(table.get_by_role("columnheader")).to_have_text(["Strategy or group", *SORTS])
    row = table.get_by_role("row", name=re.compile("^Skip counts"))
    expect(row.get_by_role("cell")).to_have_text(["2", "3"])
    expect(table.get_by_role("row", name=re.compile("^All samples")).get_by_role("cell")).to_have_text(["8", "8"])

    students = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Student"))
    expect(students.get_by_role("row", name=re.compile("^AB")).get_by_role("cell")).to_have_text(
        ["Counts all", "Skip counts"])
    page.screenshot(path=str(artifacts_dir / "unit-review.png"), full_page=True)

    # A closed sort opens read-only; two sorts side by side.
    page.get_by_role("link", name="Pencil packs").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sort: Pencil packs")
    expect(page.get_by_role("heading", name=re.compile("^Doubles"))).to_be_visible()
    expect(page.locator("form")).to_have_count(1)  # only "Log out": nothing to change here
    page.go_back()
    for title in SORTS:
        page.get_by_label(f"Compare {title}").check()
    page.get_by_role("button", name="Side by side").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(SORTS)


def test_a_coach_follows_up_a_next_step_from_a_phone(new_context, live_server):
    page = new_context(**PHONE).new_page()
    log_in(page, live_server.email, live_server.password)
    open_unit(page)
    # The demo adapted this step: its next cycle is open, its prediction to fill in at a meeting.
    step = page.locator(".open-step").filter(has_text="Number talk: connect 6 + 6 + 6 + 6 to 4 x 6")
    expect(step.locator(".cycle-missing")).to_be_visible()
    step.get_by_label(re.compile("^What happened")).fill("Did it with 3 x 8 too; most saw the link.")
    step.get_by_role("button", name="Save").tap()
    expect(page.get_by_text("Next step updated.")).to_be_visible()
    step = page.locator(".open-step").filter(has_text="Number talk: connect 6 + 6 + 6 + 6 to 4 x 6")
    expect(step.get_by_label(re.compile("^What happened"))).to_have_value("Did it with 3 x 8 too; most saw the link.")
    expect(step.get_by_label(re.compile("^Decision on"))).to_have_value("")
    # The demo's cycles: the step adapted, followed by its next cycle.
    cycle = page.locator("#cycles .review-cycle").filter(has_text="Number talk: connect 6 + 6 + 6 + 6 to 4 x 6").first
    expect(cycle.locator(".badge").first).to_have_text("Adapted")
    expect(cycle).to_contain_text("Most will write 4 x 6 beside the repeated addition.")
    expect(cycle.locator(".review-cycle")).to_contain_text("Cycle 2")
