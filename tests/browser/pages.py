"""What every browser test does on the way to what it tests: log in, start a meeting on a demo
task, join it from a phone, read the step on screen."""
from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, expect

TEAM = "Grade 3 - Lincoln Elementary"


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("form").get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def step_title(page: Page):
    return page.locator('[data-bind="step-title"]')


def start_meeting(page: Page, task: str, protocol: str) -> str:
    """From the teams list (where logging in lands) to the projector of a new meeting on the
    task with one protocol, past "Since last time"; returns the join code."""
    expect(page.get_by_role("heading", name="Your teams")).to_be_visible()
    page.get_by_role("link", name=TEAM).click()
    expect(page).to_have_url(re.compile(r"/teams/\d+$"))
    page.get_by_role("link", name=re.compile(f"Start a meeting on {task}")).click()
    expect(page).to_have_url(re.compile(r"/teams/\d+/meetings/new\?task_id=\d+"))
    task_id = re.search(r"task_id=(\d+)", page.url).group(1)
    chosen = page.get_by_label("Task")
    expect(chosen).to_have_value(task_id)  # the task whose link was followed is chosen already
    expect(chosen.locator("option:checked")).to_have_text(re.compile(task))
    page.get_by_role("checkbox", name=re.compile(protocol)).check()
    page.get_by_role("button", name="Start the meeting").click()
    expect(page).to_have_url(re.compile(r"/meetings/\d+/projector$"))
    past_since_last_time(page)
    expect(page.locator('[data-bind="protocol"]')).to_have_text(protocol)
    code = page.locator('[data-bind="code"]').inner_text().strip()
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", code), code
    return code


def past_since_last_time(page: Page) -> None:
    """The demo team has open next steps, so each of its meetings opens with "Since last time"
    (listing them by who does them); the tests of other steps move past it."""
    title = step_title(page)
    expect(title).to_have_text("Since last time")
    expect(page.locator(".followup-owner h2").first).to_be_visible()
    page.get_by_role("button", name="Next ▶").click()
    expect(title).not_to_have_text("Since last time")


def end_meeting(control: Page) -> None:
    """End the meeting from its control page, once the page has the room's state (before it, a
    click on a control does nothing: the page does not know the room yet)."""
    expect(step_title(control)).not_to_have_text("Connecting…")
    control.once("dialog", lambda dialog: dialog.accept())
    control.get_by_role("button", name="End meeting").click()


def join(page: Page, code: str, name: str, role: str = "Classroom teacher") -> None:
    """A phone joins with the code, a name and a role, and lands in the live room."""
    page.goto("/join")
    page.get_by_label("Meeting code").fill(code)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your role").select_option(label=role)
    page.get_by_role("button", name="Join").tap()
    expect(page).to_have_url(re.compile(r"/live/\d+$"))


def join_by_request(context: BrowserContext, code: str, name: str, role: str = "classroom_teacher") -> None:
    """A phone joins by posting the join form itself, as fast as a crowd scanning the QR code;
    its seat is in the context's cookies (open /live/<id> in it to be in the room)."""
    form = context.request.get("/join")
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', form.text()).group(1)
    joined = context.request.post("/join", form={"csrf_token": token, "code": code, "name": name, "role": role})
    assert joined.ok and re.search(r"/live/\d+$", joined.url), (name, joined.status, joined.url)
