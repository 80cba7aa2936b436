"""A live meeting in real browsers: the facilitator's projector and two phones."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import join, log_in, start_meeting, step_title

TASK = "Apple boxes"
PROTOCOL = "Doing Math Together"
STEP = "Shared understanding of the context"
PROMPT = "What is happening in this story? Which words or things might be new to someone?"


def test_live_room_projector_and_two_phones(new_context, live_server, artifacts_dir):
    projector = new_context(**DESKTOP).new_page()
    log_in(projector, live_server.email, live_server.password)
    code = start_meeting(projector, TASK, PROTOCOL)
    expect(step_title(projector)).to_have_text("Norms")
    people_count = projector.locator(".people-heading")
    expect(people_count).to_have_text("0 joined")

    ana = new_context(**PHONE).new_page()
    ben = new_context(**PHONE).new_page()
    join(ana, code.lower(), "Ana Teacher", "Classroom teacher")  # case does not matter
    join(ben, code, "Ben Coach", "Coach")
    for phone in (ana, ben):
        expect(step_title(phone)).to_have_text("Norms")

    people = projector.locator('[data-bind="people"]')
    expect(people).to_contain_text("Ana Teacher")
    expect(people).to_contain_text("Ben Coach")
    expect(people_count).to_have_text("2 joined")

    # Next ▶ once, then the presentation clicker's key once.
    projector.get_by_role("button", name="Next ▶").click()
    expect(step_title(projector)).to_have_text("First read")
    projector.keyboard.press("ArrowRight")
    expect(step_title(projector)).to_have_text(STEP)
    # Since last time, Norms, First read, then this step.
    expect(projector.locator('[data-bind="progress"]')).to_have_text(re.compile(r"Step 4 of \d+"))
    for phone in (ana, ben):
        expect(step_title(phone)).to_have_text(STEP)
        expect(phone.locator('[data-bind="prompt"]')).to_have_text(PROMPT)
        expect(phone.get_by_label("Your answer")).to_be_visible()

    # Ana answers; the projector shows it with her name.
    answer = "A class picks apples at an orchard and packs them in boxes. Orchard may be a new word."
    ana.get_by_label("Your answer").fill(answer)
    ana.get_by_role("button", name="Send").tap()
    expect(ana.get_by_label("Your answer")).to_have_value("")
    card = projector.locator("article.response")
    expect(card).to_have_count(1)
    expect(card.locator(".response-text")).to_have_text(answer)
    expect(card.locator(".response-author")).to_have_text("Ana Teacher")
    expect(ana.locator(".mine-item")).to_contain_text(answer)
    expect(ben.locator('[data-bind="response-count"]')).to_have_text(re.compile(r"^1 response"))
    expect(ben.locator(".mine-item")).to_have_count(0)

    # Ana edits it; the projector follows.
    edited = answer + " Also: a box holds 6."
    ana.locator(".mine-item").get_by_role("button", name="Edit").tap()
    ana.get_by_label("Edit your answer").fill(edited)
    ana.get_by_role("button", name="Save").tap()
    expect(card.locator(".response-text")).to_have_text(edited)
    expect(ana.locator(".mine-item p")).to_have_text(edited)

    # Screenshots at the response step, before names are hidden.
    projector.screenshot(path=str(artifacts_dir / "projector-1280x800.png"))
    projector.set_viewport_size({"width": 1920, "height": 1080})
    expect(card.locator(".response-text")).to_be_visible()
    projector.screenshot(path=str(artifacts_dir / "projector-1920x1080.png"))
    projector.set_viewport_size(DESKTOP["viewport"])
    ana.screenshot(path=str(artifacts_dir / "phone-390x844.png"))
    ana.screenshot(path=str(artifacts_dir / "phone-390x844-full.png"), full_page=True)

    # Hide names: the author's name leaves the projector, the answer stays.
    hide = projector.get_by_role("button", name="Hide names")
    expect(hide).to_have_attribute("aria-pressed", "false")
    hide.click()
    expect(projector.get_by_role("button", name="Show names")).to_have_attribute("aria-pressed", "true")
    expect(card.locator(".response-author")).to_have_count(0)
    expect(projector.locator(".room-main")).not_to_contain_text("Ana Teacher")
    expect(card.locator(".response-text")).to_have_text(edited)

    # A reloaded phone comes back as the same participant, its answer still its own.
    ana.reload()
    expect(step_title(ana)).to_have_text(STEP)
    expect(ana.locator(".phone-head")).to_contain_text("Ana Teacher")
    mine = ana.locator(".mine-item")
    expect(mine).to_have_count(1)
    expect(mine.locator("p")).to_have_text(edited)
    expect(mine.get_by_role("button", name="Edit")).to_be_visible()
    expect(mine.get_by_role("button", name="Withdraw")).to_be_visible()
    expect(people_count).to_have_text("2 joined")
    expect(people.locator("li")).to_have_count(2)

    # Away from the step and back: the phone still lists its answer as its own, Ben's phone none.
    projector.get_by_role("button", name="Next ▶").click()
    expect(step_title(ana)).not_to_have_text(STEP)
    projector.get_by_role("button", name="◀ Previous").click()
    expect(step_title(ana)).to_have_text(STEP)
    expect(ana.locator(".mine-item p")).to_have_text(edited)
    expect(ben.locator('[data-bind="response-count"]')).to_have_text(re.compile(r"^1 response"))
    expect(ben.locator(".mine-item")).to_have_count(0)


def test_wrong_code_shows_an_error_on_the_join_form(new_context):
    phone = new_context(**PHONE).new_page()
    phone.goto("/join")
    phone.get_by_label("Meeting code").fill("ZZ99ZZ")
    phone.get_by_label("Your name").fill("Cam")
    phone.get_by_label("Your role").select_option(label="Interventionist")
    phone.get_by_role("button", name="Join").tap()

    expect(phone.locator(".field.has-error .errors")).to_have_text(
        "No meeting has that code. Check the code on the screen."
    )
    expect(phone).to_have_url(re.compile(r"/join$"))
    code = phone.get_by_label("Meeting code")
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(code).to_have_value("ZZ99ZZ")
    expect(phone.get_by_label("Your name")).to_have_value("Cam")
    expect(phone.get_by_role("heading", name="Join a meeting")).to_be_visible()


def test_answers_sent_at_once_come_as_one_batch_and_every_screen_shows_them_all(new_context, live_server):
    projector = new_context(**DESKTOP).new_page()
    batches = []
    projector.on("websocket", lambda ws: ws.on(
        "framereceived", lambda frame: batches.append(frame) if '["batch"' in str(frame) else None))
    log_in(projector, live_server.email, live_server.password)
    code = start_meeting(projector, TASK, PROTOCOL)
    phones = [new_context(**PHONE).new_page() for _ in range(3)]
    for n, phone in enumerate(phones):
        join(phone, code, f"Teacher {n + 1}", "Classroom teacher")
    for _ in range(2):
        projector.get_by_role("button", name="Next ▶").click()
    for phone in phones:
        expect(step_title(phone)).to_have_text(STEP)
        phone.get_by_label("Your answer").fill(f"Answer from phone {phones.index(phone) + 1}")

    for phone in phones:  # one after another, as fast as people tapping together
        phone.evaluate("document.querySelector('form.composer').requestSubmit()")
    texts = projector.locator("article.response .response-text")
    expect(texts).to_have_count(3)
    assert sorted(texts.all_text_contents()) == [f"Answer from phone {n + 1}" for n in range(3)]
    for phone in phones:  # a phone counts the room's answers and lists its own
        expect(phone.locator('[data-bind="response-count"]')).to_have_text(re.compile(r"^3 responses"))
        expect(phone.locator(".mine-item")).to_have_count(1)
    assert batches, "the answers came one by one"


def test_logging_out_in_another_tab_stops_the_projector_and_says_why(new_context, live_server, artifacts_dir):
    browser = new_context(**DESKTOP)
    projector = browser.new_page()
    log_in(projector, live_server.email, live_server.password)
    code = start_meeting(projector, TASK, PROTOCOL)
    phone = new_context(**PHONE).new_page()
    join(phone, code, "Ana Teacher")
    expect(step_title(phone)).to_have_text("Norms")
    expect(projector.locator(".people-heading")).to_have_text("1 joined")

    tab = browser.new_page()
    tab.goto("/")
    tab.get_by_role("button", name="Log out").click()
    expect(tab.get_by_text("You are logged out.")).to_be_visible()

    # The projector stops at once (it no longer hears the room) and says why, instead of "Reconnecting…".
    status = projector.locator('[data-bind="status"]')
    expect(status).to_have_text("You have logged out, so this page no longer updates. Log in again to carry on.")
    expect(status).to_have_attribute("data-kind", "error")
    projector.screenshot(path=str(artifacts_dir / "projector-logged-out.png"))
    # Ana's phone is not Pat's: it stays in the meeting.
    expect(phone.locator('[data-bind="status"]')).to_have_text("")
    expect(step_title(phone)).to_have_text("Norms")
