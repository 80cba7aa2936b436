"""The phone around each step: a new step starts at the top with focus on its title and no old
error; the end of the meeting replaces the page, with no broken picture anywhere; a spotlighted
answer never says "null"; and typed text in any script keeps its own direction and wraps."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import join, log_in, start_meeting, step_title
from tests.browser.test_work_sort import meeting_and_phones

TASK = "Apple boxes"
PROTOCOL = "Doing Math Together"
ANSWERS_STEP = "Shared understanding of the context"

# Every picture on the page that is on screen and did not load.
BROKEN_IMAGES = """() => [...document.images].filter((i) => i.getClientRects().length
  && (!i.complete || i.naturalWidth === 0)).map((i) => i.src)"""


def status(page: Page):
    return page.locator('[data-bind="status"]')


def to_answers_step(projector: Page, *phones: Page) -> None:
    """From "Norms" to the first step that takes answers, on every screen."""
    for title in ["First read", ANSWERS_STEP]:
        projector.get_by_role("button", name="Next ▶").click()
        expect(step_title(projector)).to_have_text(title)
    for phone in phones:
        expect(step_title(phone)).to_have_text(ANSWERS_STEP)


def room_with_phone(new_context, live_server, name: str) -> tuple[Page, Page]:
    projector = new_context(**DESKTOP).new_page()
    log_in(projector, live_server.email, live_server.password)
    code = start_meeting(projector, TASK, PROTOCOL)
    phone = new_context(**PHONE).new_page()
    join(phone, code, name)
    expect(step_title(phone)).to_have_text("Norms")
    return projector, phone


def test_a_new_step_starts_at_the_top_with_its_title_focused_and_no_old_error(new_context, live_server):
    projector, phone = room_with_phone(new_context, live_server, "Gus Teacher")
    to_answers_step(projector, phone)

    # An error on this step, and the phone scrolled down the page.
    phone.get_by_label("Your answer").fill("   ")
    phone.get_by_role("button", name="Send").tap()
    expect(status(phone)).to_have_text("Write something first.")
    phone.evaluate("document.querySelector('main').style.paddingBottom = '3000px'")  # a long page
    phone.evaluate("window.scrollTo(0, 2000)")
    assert phone.evaluate("window.scrollY") > 1000

    projector.get_by_role("button", name="Next ▶").click()
    expect(step_title(phone)).to_have_text("Second read: what do we know?")
    expect(step_title(phone)).to_be_focused()
    phone.wait_for_function("() => window.scrollY === 0")
    expect(status(phone)).to_have_text("")
    expect(status(phone)).to_be_hidden()


def test_the_end_of_a_meeting_replaces_the_phones_page(new_context, live_server):
    projector, (phone,) = meeting_and_phones(new_context, live_server, ["Hal Teacher"])
    expect(phone.locator(".sort-card img").first).to_be_visible()
    phone.wait_for_function("() => [...document.querySelectorAll('.sort-card img')].every((i) => i.complete)")
    phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    refused = []
    phone.on("response", lambda r: "/work/" in r.url and r.status >= 400 and refused.append(r.url))

    control = projector.context.new_page()  # the meeting ends on the control page only
    control.goto(projector.url.replace("/projector", "/control"))
    expect(step_title(control)).not_to_have_text("Connecting…")  # the controls act once the room's state is in
    control.once("dialog", lambda dialog: dialog.accept())
    control.get_by_role("button", name="End meeting").click()

    ended = phone.get_by_role("heading", level=1, name="This meeting has ended")
    expect(ended).to_be_visible()
    expect(ended).to_be_focused()
    phone.wait_for_function("() => window.scrollY === 0")
    view = phone.locator('[data-bind="ended-view"]')
    expect(view).to_contain_text("Your facilitator will share the next steps")
    expect(view.get_by_role("link", name="Go to the start page")).to_have_attribute("href", "/")
    expect(step_title(phone)).to_be_hidden()
    expect(phone.locator("[data-card], .sample, .composer")).to_have_count(0)  # the work is gone, not hidden
    assert phone.evaluate(BROKEN_IMAGES) == []

    # Reloaded, the phone gets the same view from the server, and asks for no picture.
    phone.reload()
    expect(phone.get_by_role("heading", level=1, name="This meeting has ended")).to_be_visible()
    expect(step_title(phone)).to_be_hidden()
    assert phone.evaluate(BROKEN_IMAGES) == []
    assert phone.evaluate("document.images.length") == 0
    assert refused == []


def test_a_spotlighted_answer_never_says_null(new_context, live_server):
    projector, phone = room_with_phone(new_context, live_server, "Ida Teacher")
    with projector.context.expect_page() as opened:
        projector.get_by_role("link", name="Controls and script on another screen").click()
    control = opened.value
    to_answers_step(projector, phone)
    answer = "They pack apples six to a box."
    phone.get_by_label("Your answer").fill(answer)
    phone.get_by_role("button", name="Send").tap()

    control.get_by_role("button", name="Spotlight").click()
    spotlight = projector.locator('[data-bind="spotlight"]')
    expect(spotlight.locator(".spotlight-text")).to_have_text(answer)
    expect(spotlight.locator(".response-author")).to_have_text("Ida Teacher")
    expect(spotlight).to_have_text(re.compile(f"^{re.escape(answer)}Ida Teacher$"))  # nothing else under it

    projector.get_by_role("button", name="Hide names").click()
    expect(spotlight.locator(".response-author")).to_have_count(0)
    expect(spotlight).to_have_text(answer)
    for page in (projector, control, phone):
        expect(page.locator("body")).not_to_contain_text("null")


def test_typed_text_in_any_script_keeps_its_direction_and_wraps(new_context, live_server):
    projector, phone = room_with_phone(new_context, live_server, "ليلى المعلمة")
    to_answers_step(projector, phone)
    arabic = "يعبئ الفصل التفاح في صناديق، ستة في كل صندوق."
    url = "https://example.org/" + "a-very-long-path-segment-without-any-space" * 4
    for text in (arabic, url):
        phone.get_by_label("Your answer").fill(text)
        phone.get_by_role("button", name="Send").tap()
        expect(phone.get_by_label("Your answer")).to_have_value("")

    responses = projector.locator("article.response .response-text")
    expect(responses).to_have_count(2)
    projector.keyboard.press("j")  # who joined: past the opening steps, behind the join badge
    for page, selector in [(projector, "article.response .response-text"), (projector, ".response-author"),
                           (projector, ".person-name"), (phone, ".mine-item p"), (phone, ".phone-head [dir]")]:
        nodes = page.locator(selector)
        expect(nodes.first).to_be_visible()
        for i in range(nodes.count()):
            expect(nodes.nth(i)).to_have_attribute("dir", "auto")
    rtl = projector.locator("article.response .response-text", has_text=arabic)
    assert rtl.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert projector.locator(".person-name").evaluate("el => getComputedStyle(el).direction") == "rtl"
    # The long address wraps inside its card, on the projector and on the phone.
    for page, selector in [(projector, "article.response"), (phone, ".mine-item")]:
        card = page.locator(selector, has_text=url[:40])
        assert card.evaluate("el => el.scrollWidth <= el.clientWidth"), selector
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_2000_character_paste_into_an_answer_is_kept_whole_and_says_how_much_too_long_it_is(
        new_context, live_server):
    projector, phone = room_with_phone(new_context, live_server, "Ida Teacher")
    to_answers_step(projector, phone)
    answer = phone.get_by_label("Your answer")
    text = ("They pack apples six to a box, so 4 boxes hold 24. " * 40)[:2000]

    answer.focus()
    phone.keyboard.insert_text(text)  # as a paste lands in the field

    expect(answer).to_have_value(text)  # nothing cut
    note = phone.locator(".composer .char-limit")
    too_long = "Too long by 1,500 characters: the limit is 500. Shorten it before sending."
    expect(note.locator('[aria-hidden="true"]')).to_have_text(f"2,000 / 500. {too_long}")
    expect(note.locator('[aria-live="polite"]')).to_have_text(too_long)  # read out, politely
    expect(answer).to_have_attribute("aria-invalid", "true")
    expect(phone.get_by_role("button", name="Send")).to_have_attribute("title", too_long)

    phone.get_by_role("button", name="Send").tap()  # refused in the phone: the text stays to shorten
    expect(answer).to_have_value(text)
    expect(projector.locator("article.response")).to_have_count(0)

    answer.fill(text[:495])  # near the limit: the counter shows
    expect(note.locator('[aria-hidden="true"]')).to_have_text("495 / 500")
    expect(answer).not_to_have_attribute("aria-invalid", "true")
    phone.get_by_role("button", name="Send").tap()
    expect(answer).to_have_value("")
    expect(projector.locator("article.response .response-text")).to_have_text(text[:495].strip())
