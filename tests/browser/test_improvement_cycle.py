"""A next step as an improvement cycle, walked through two meetings in real browsers: a team
anticipates, sorts and plans a next step with a prediction and its evidence; at its next meeting
it says what happened and decides to adapt, and sees the new step to plan again; the coach's
review shows the cycle from plan to decision, and where the students' work landed later.

The team, its unit and two tasks with the same students' work are written straight into the
server's database (seed.py), a team of its own, so the demo team stays as other tests expect."""
from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.browser import seed
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import join, log_in, step_title

TEAM = "Maple Grove grade 3 PLC"
TASKS = ["Muffin trays", "Cookie boxes"]
STRATEGY = "Skip counts by 8"
MOVE = "Number talk: skip count by 8 on a number line"
PREDICTION = "S01 and S02 will skip count instead of counting all."
EVIDENCE = "the exit ticket on Thursday"


def next_until(page: Page, title: str, most: int = 12) -> None:
    """Press "Next ▶" until the step titled `title` is on screen."""
    for _ in range(most):
        if step_title(page).inner_text().strip() == title:
            return
        before = step_title(page).inner_text()
        page.get_by_role("button", name="Next ▶").click()
        expect(step_title(page)).not_to_have_text(before)
    expect(step_title(page)).to_have_text(title)


def start(page: Page, team_id: int, task: str, protocols: list[str]) -> str:
    """From the team page, a meeting on the task with these protocols; returns its join code."""
    page.goto(f"/teams/{team_id}")
    page.get_by_role("link", name=f"Start a meeting on {task}").click()
    for protocol in protocols:
        page.get_by_role("checkbox", name=re.compile(protocol)).check()
    page.get_by_role("button", name="Start the meeting").click()
    expect(page).to_have_url(re.compile(r"/meetings/\d+/projector$"))
    return page.locator('[data-bind="code"]').inner_text().strip()


def end(projector: Page) -> None:
    control = projector.context.new_page()  # the meeting ends on the control page only
    control.goto(projector.url.replace("/projector", "/control"))
    expect(step_title(control)).to_have_text(step_title(projector).inner_text())  # connected
    control.once("dialog", lambda dialog: dialog.accept())
    control.get_by_role("button", name="End meeting").click()
    expect(projector.locator('[data-bind="ended"]')).to_be_visible()
    control.close()


def close_sort(projector: Page) -> None:
    next_until(projector, "Close")
    projector.once("dialog", lambda dialog: dialog.accept())
    projector.get_by_role("button", name="Close and save the sort").click()
    expect(projector.get_by_role("button", name="Reopen as a new version")).to_be_visible()


def move_card(page: Page, code: str, group: str) -> None:
    page.get_by_label(f"Move {code} to…").select_option(label=group)
    expect(page.locator("section.column", has=page.locator(f'h3:text-is("{group}")'))
           .locator(f'[data-card][aria-label="{code}"]')).to_have_count(1)


def test_a_team_plans_a_next_step_adapts_it_next_meeting_and_the_coach_sees_the_cycle(
        new_context, live_server, live_app, artifacts_dir):
    with live_app.app_context():
        unit = seed.seed_unit(live_server.email, TEAM, TASKS)
    projector = new_context(**DESKTOP).new_page()
    log_in(projector, live_server.email, live_server.password)

    # --- Meeting 1: anticipate, sort, plan a next step with a prediction ---------------------
    code = start(projector, unit.team_id, TASKS[0], ["Doing Math Together", "Work Sort"])
    ana = new_context(**PHONE).new_page()
    join(ana, code, "Ana Teacher", "Classroom teacher")
    next_until(projector, "Anticipate student thinking")
    strategies = ana.locator("form.composer", has=ana.get_by_label("What models and strategies could they use?"))
    strategies.get_by_label("What models and strategies could they use?").fill(STRATEGY)
    strategies.get_by_role("button", name="Send").tap()
    expect(projector.get_by_text(STRATEGY)).to_be_visible()

    next_until(projector, "Sort")
    expect(step_title(ana)).to_have_text("Sort")
    for student in ("S01", "S02"):
        move_card(ana, student, STRATEGY)

    next_until(projector, "Next steps")
    expect(step_title(ana)).to_have_text("Next steps")
    group = ana.locator("section.column", has=ana.locator(f'h3:text-is("{STRATEGY}")'))
    group.get_by_text(f"Add a next step for “{STRATEGY}”").tap()
    group.get_by_label("Instructional move", exact=True).fill(MOVE)
    owner = group.get_by_label("Who does it")
    expect(owner.locator("option")).to_have_text(["Ana Teacher (Classroom teacher)", re.compile(r"\(Facilitator\)$")])
    owner.select_option(label="Ana Teacher (Classroom teacher)")
    by_when = group.get_by_label("By when")
    expect(by_when).to_have_attribute("min", re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    by_when.fill((date.today() + timedelta(days=3)).isoformat())
    group.get_by_label("We predict").fill(PREDICTION)
    evidence = group.get_by_label("Evidence that will show it")
    expect(evidence).to_have_attribute("data-max-chars", "200")
    evidence.fill("e" * 195)  # near its limit the field says how much is left, before it is reached
    expect(group.locator(".char-limit").filter(has_text="195 / 200")).to_be_visible()
    evidence.fill(EVIDENCE)
    ana.screenshot(path=str(artifacts_dir / "next-step-form-phone.png"), full_page=True)
    group.get_by_role("button", name="Add next step").tap()

    planned = projector.locator(".next-steps li", has_text=MOVE)
    expect(planned).to_contain_text("Ana Teacher (Classroom teacher)")
    expect(planned.locator(".cycle-plan")).to_contain_text(PREDICTION)
    expect(planned.locator(".cycle-plan")).to_contain_text(EVIDENCE)
    close_sort(projector)
    end(projector)

    # --- Meeting 2: what happened? adapt, and plan the new step ------------------------------
    code = start(projector, unit.team_id, TASKS[1], ["Work Sort"])
    expect(step_title(projector)).to_have_text("Since last time")
    ana = new_context(**PHONE).new_page()
    join(ana, code, "Ana Teacher", "Classroom teacher")
    step = ana.locator(".followup-item", has_text=MOVE)
    expect(step.locator(".cycle-plan")).to_contain_text(PREDICTION)
    step.get_by_label(f"What happened: {MOVE}").fill("S01 skip counted by 8; S02 still counted all.")
    step.get_by_text("Adapt", exact=True).tap()
    step.get_by_role("button", name="Save").tap()

    adapted = ana.locator(".followup-item.status-adapted", has_text=MOVE)
    expect(adapted.locator(".badge")).to_have_text("Adapted")
    new_step = ana.locator(".followup-item.status-planned", has_text=MOVE)
    expect(new_step).to_contain_text(f"Adapts: {MOVE}")
    expect(new_step.locator(".cycle-missing")).to_have_text("Prediction and evidence: to fill in for this cycle.")
    expect(projector.locator(".followup-item.status-planned", has_text=MOVE)).to_contain_text("Adapts:")
    ana.screenshot(path=str(artifacts_dir / "since-last-time-adapt-phone.png"), full_page=True)
    new_step.get_by_label("We predict").fill("S02 will skip count by 8 with a number line.")
    new_step.get_by_label("Evidence").fill("S02's work on Monday")
    new_step.get_by_role("button", name="Save the plan").tap()
    expect(projector.locator(".followup-item.status-planned", has_text=MOVE).locator(".cycle-plan")).to_contain_text(
        "S02 will skip count by 8 with a number line.")

    # The next task's sort: where the same students' work lands now.
    next_until(projector, "Sort")
    projector.get_by_label("Name of a new group").fill("Uses a multiplication fact")
    projector.get_by_role("button", name="Add group").click()
    move_card(ana, "S01", "Uses a multiplication fact")
    close_sort(projector)
    end(projector)

    # --- The coach's review: the cycle from plan to decision --------------------------------
    coach = new_context(**PHONE).new_page()
    log_in(coach, live_server.email, live_server.password)
    coach.goto(f"/units/{unit.unit_id}")
    cycles = coach.locator("#cycles")
    expect(cycles.get_by_role("heading", name="Improvement cycles")).to_be_visible()
    first = cycles.locator(".review-cycle").first
    expect(first).to_contain_text(PREDICTION)
    expect(first).to_contain_text(EVIDENCE)
    expect(first).to_contain_text("S01 skip counted by 8; S02 still counted all.")
    expect(first.locator(".badge").first).to_have_text("Adapted")
    expect(first.locator(":scope > .cycle-later")).to_have_text(re.compile(
        r"Later, in Cookie boxes:\s+S01 in Uses a multiplication fact;\s+S02 in Unsorted"))
    follow_on = first.locator(".review-cycle")
    expect(follow_on).to_contain_text("Cycle 2")
    expect(follow_on).to_contain_text("S02 will skip count by 8 with a number line.")
    expect(follow_on).to_contain_text("Not decided yet")
    # Cookie boxes was sorted in the meeting that adapted the step: it tells of cycle 1, shown there only.
    expect(follow_on.locator(".cycle-later")).to_have_count(0)
    cycles.scroll_into_view_if_needed()
    coach.screenshot(path=str(artifacts_dir / "review-cycles-phone.png"), full_page=True)
    assert coach.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
