"""The team's own agreements in a meeting, as people use them: the team writes its norms and a key
word on its page; the meeting shows those norms, and the word's meaning by tap, click or keyboard;
Problem Introduction keeps the task's question off every screen until its step."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.audit import expect_no_axe_violations, small_targets
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import TEAM, join, log_in, start_meeting, step_title

NORMS = "We assume good intent.\nProductive struggle is the point, for us and for our students."
WORD, MEANING = "productive struggle", "Students keep working on a problem they cannot solve yet, and say what they tried."
QUESTION = "How many boxes does the class need to pack all the apples?"


def team_page(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name=TEAM).click()
    expect(page).to_have_url(re.compile(r"/teams/\d+$"))


def write_agreements(page: Page, artifacts_dir) -> None:
    team_page(page)
    page.get_by_role("link", name="Write our agreements").click()
    page.get_by_label("Our norms, one a line").fill(NORMS)
    page.get_by_role("button", name="Save our norms").click()
    expect(page.locator(".flash").first).to_contain_text("Our norms are saved")
    page.get_by_label("Word").last.fill(WORD)
    page.get_by_label("What it looks like in student work").last.fill(MEANING)
    page.get_by_role("button", name="Add the key word").click()
    expect(page.get_by_role("form", name=f"Key word {WORD}")).to_be_visible()


def clear_agreements(page: Page) -> None:
    """Leave the demo team as the other browser tests expect it: no norms, no key words."""
    team_page(page)
    page.get_by_role("link", name="Write our agreements").click()
    page.get_by_label("Our norms, one a line").fill("")
    page.get_by_role("button", name="Save our norms").click()
    page.get_by_role("button", name=f"Remove the key word {WORD}").click()
    expect(page.get_by_role("form", name=f"Key word {WORD}")).to_have_count(0)


def next_step(projector: Page, title: str, *phones: Page) -> None:
    projector.get_by_role("button", name="Next ▶").click()
    for page in (projector, *phones):
        expect(step_title(page)).to_have_text(title)


def test_a_team_writes_its_agreements_and_the_meeting_shows_them(new_context, live_server, artifacts_dir):
    projector = new_context(**DESKTOP).new_page()
    log_in(projector, live_server.email, live_server.password)
    try:
        write_agreements(projector, artifacts_dir)
        phone_page = new_context(**PHONE).new_page()
        log_in(phone_page, live_server.email, live_server.password)
        team_page(phone_page)
        phone_page.screenshot(path=str(artifacts_dir / "agreements-team-page-phone.png"), full_page=True)
        phone_page.get_by_role("link", name="Write our agreements").click()
        phone_page.screenshot(path=str(artifacts_dir / "agreements-page-phone.png"), full_page=True)
        expect_no_axe_violations(phone_page, "the agreements page")

        projector.goto("/")
        code = start_meeting(projector, "Apple boxes", "Doing Math Together")
        phone = new_context(**PHONE).new_page()
        join(phone, code, "Ana Teacher")
        expect(step_title(phone)).to_have_text("Norms")

        # The team's norms instead of the protocol's fixed text, on every screen.
        for page in (projector, phone):
            norms = page.locator('[data-bind="norms"]')
            expect(norms.locator("li")).to_have_count(2)
            expect(norms.locator("li").first).to_have_text("We assume good intent.")
            expect(page.locator('[data-bind="prompt"]')).to_be_hidden()

        # The key word's meaning: a tap on the phone...
        term = phone.get_by_role("button", name=re.compile("productive struggle", re.I))
        expect(term).to_have_attribute("aria-expanded", "false")
        term.tap()
        meaning = phone.locator('[data-bind="key-word-meaning"]')
        expect(meaning).to_be_visible()
        expect(meaning).to_have_text(f"{WORD}: {MEANING}")
        expect(term).to_have_attribute("aria-expanded", "true")
        phone.screenshot(path=str(artifacts_dir / "agreements-norms-phone.png"), full_page=True)
        expect_no_axe_violations(phone, "the phone with a key word's meaning open")
        assert small_targets(phone) == []
        term.tap()
        expect(meaning).to_be_hidden()
        # ... and the keyboard on the projector: Tab to it, Enter opens, Escape closes.
        projector_term = projector.get_by_role("button", name=re.compile("productive struggle", re.I))
        projector_term.focus()
        projector.keyboard.press("Enter")
        expect(projector.locator('[data-bind="key-word-meaning"]')).to_have_text(f"{WORD}: {MEANING}")
        projector.screenshot(path=str(artifacts_dir / "agreements-norms-projector.png"))
        expect_no_axe_violations(projector, "the projector with a key word's meaning open")
        projector.keyboard.press("Escape")
        expect(projector.locator('[data-bind="key-word-meaning"]')).to_be_hidden()
        expect(projector_term).to_be_focused()
        expect(step_title(projector)).to_have_text("Norms")  # Enter and Escape did not move the meeting

        # Problem Introduction: the context from the first read, the question nowhere until its step.
        next_step(projector, "First read", phone)
        expect(projector.locator('[data-bind="task-context"]')).to_contain_text("The class orchard picked 84 apples.")
        phone.get_by_text("The task").tap()
        expect(phone.locator('[data-bind="question-held"]')).to_be_visible()
        projector.screenshot(path=str(artifacts_dir / "question-held-projector.png"))
        phone.screenshot(path=str(artifacts_dir / "question-held-phone.png"), full_page=True)
        for title in ("Shared understanding of the context", "Second read: what do we know?"):
            for page in (projector, phone):
                assert QUESTION not in page.content()
            next_step(projector, title, phone)
        for page in (projector, phone):
            assert QUESTION not in page.content()

        next_step(projector, "The question", phone)
        expect(projector.locator('[data-bind="task-question"]')).to_have_text(QUESTION)
        expect(projector.locator('[data-bind="task"]')).to_be_visible()
        expect(phone.locator('[data-bind="task-question"]')).to_have_text(QUESTION)
        expect(phone.locator('[data-bind="question-held"]')).to_be_hidden()
        projector.screenshot(path=str(artifacts_dir / "question-revealed-projector.png"))
        phone.screenshot(path=str(artifacts_dir / "question-revealed-phone.png"), full_page=True)
    finally:
        clear_agreements(projector)


def add_key_word(page: Page, word: str, meaning: str) -> None:
    team_page(page)
    page.get_by_role("link", name="Write our agreements").click()
    page.get_by_label("Word").last.fill(word)
    page.get_by_label("What it looks like in student work").last.fill(meaning)
    page.get_by_role("button", name="Add the key word").click()
    expect(page.get_by_role("form", name=f"Key word {word}")).to_be_visible()


def remove_key_words(page: Page, *words: str) -> None:
    team_page(page)
    page.get_by_role("link", name="Write our agreements").click()
    for word in words:
        page.get_by_role("button", name=f"Remove the key word {word}").click()
        expect(page.get_by_role("form", name=f"Key word {word}")).to_have_count(0)


def test_key_words_on_the_work_sort_board_and_live_from_the_agreements_page(new_context, live_server, artifacts_dir):
    from tests.browser.test_work_sort import column, join_board, start_sort

    projector = new_context(**DESKTOP).new_page()
    log_in(projector, live_server.email, live_server.password)
    groups_word = ("equal groups", "Objects drawn in groups of the same size, each group counted as one.")
    skip_word = ("skip count", "Counting on by the same number each time: 6, 12, 18.")
    try:
        add_key_word(projector, *groups_word)
        projector.goto("/")
        code = start_sort(projector)
        phone = new_context(**PHONE).new_page()
        join_board(phone, code, "Ana Teacher")

        # A group's name on the board: the key word in it shows its meaning, on the projector and the phone.
        for page in (projector, phone):
            heading = column(page, "Draws equal groups").locator("h3")
            expect(heading.get_by_role("button", name="equal groups")).to_be_visible()
        phone.screenshot(path=str(artifacts_dir / "key-word-on-board-phone.png"), full_page=True)
        term = column(phone, "Draws equal groups").get_by_role("button", name="equal groups")
        term.tap()
        meaning = phone.locator('[data-bind="key-word-meaning"]')
        # Far from the step's prompt: held in view at the bottom of the screen, with its own Close.
        expect(meaning).to_be_in_viewport()
        expect(meaning).to_contain_text(f"{groups_word[0]}: {groups_word[1]}")
        expect(term).to_have_attribute("aria-expanded", "true")
        phone.screenshot(path=str(artifacts_dir / "key-word-on-board-meaning-phone.png"))
        expect_no_axe_violations(phone, "the phone board with a key word's meaning open")
        meaning.get_by_role("button", name=re.compile("^Close")).tap()
        expect(meaning).to_be_hidden()

        # A key word added on the agreements page mid-meeting reaches the open boards without a reload.
        page = new_context(**DESKTOP).new_page()
        log_in(page, live_server.email, live_server.password)
        add_key_word(page, *skip_word)
        for screen in (projector, phone):
            expect(column(screen, "Skip counts by 6").locator("h3").get_by_role("button", name="Skip counts")).to_be_visible()
        # ... and one removed there stops being a button on them.
        remove_key_words(page, groups_word[0])
        for screen in (projector, phone):
            expect(column(screen, "Draws equal groups").locator("h3 button")).to_have_count(0)
    finally:
        clear_key_words(projector)


def clear_key_words(page: Page) -> None:
    """Leave the demo team without key words, as the other browser tests expect it."""
    team_page(page)
    page.get_by_role("link", name="Write our agreements").click()
    remove = page.get_by_role("button", name=re.compile("^Remove the key word"))
    while remove.count():
        remove.first.click()
        expect(page.locator(".flash").first).to_contain_text("is no longer one of our key words")
