"""The Work Sort board in real browsers: the projector, the facilitator's control page and
phone-sized touch screens, on the demo task "Sticker pages" (8 samples, groups started from
the strategies anticipated in Doing Math Together).

A task has one open sort, shared by every meeting on it, and the server lives for the whole
session: each test starts its own meeting but works from wherever the cards are, never from
a board it assumes to be fresh.
"""
from __future__ import annotations

import re
import sqlite3
import time

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import join, log_in, start_meeting, step_title

TASK = "Sticker pages"
PROTOCOL = "Work Sort"
STEPS_TO_SORT = ["Bring in the student work", "Look before sorting", "Sort"]
ANTICIPATED = ["Skip counts by 6", "Makes 10 pages first", "Uses a multiplication fact", "Draws equal groups"]
GROUPS = [*ANTICIPATED, "Unanticipated"]
CODES = ["AB", "CD", "EF", "GH", "JK", "LM", "NP", "QR"]
PROJECTOR = {**DESKTOP, "viewport": {"width": 1600, "height": 900}}
TOUCH_HOLD_MS = 250  # SortableJS waits `delay: 120` ms before a touch becomes a drag
FINGER_FRAME_MS = 16  # one touchmove per frame: a finger slides, it does not teleport

# Every column of the board, in order, as [name, [student codes in order]].
BOARD_JS = """() => [...document.querySelectorAll('[data-bind="board"] section.column')].map(s =>
  [s.querySelector('h3').textContent, [...s.querySelectorAll('[data-card]')].map(c => c.getAttribute('aria-label'))])"""


# --- helpers -----------------------------------------------------------------------------

def start_sort(page: Page) -> str:
    """From the teams list to the projector of a new Work Sort meeting on the task, at "Sort"; the code."""
    code = start_meeting(page, TASK, PROTOCOL)
    expect(step_title(page)).to_have_text("Purpose and norms")
    for title in STEPS_TO_SORT:
        page.get_by_role("button", name="Next ▶").click()
        expect(step_title(page)).to_have_text(title)
        if title == "Look before sorting":
            expect(page.locator(".board-hint")).to_have_text(re.compile("^Look at the work in silence"))
    expect(page.locator(".board-hint")).to_have_text(re.compile("^Drag a card"))
    expect(page.locator("[data-card]")).to_have_count(len(CODES))
    return code


def join_board(page: Page, code: str, name: str) -> None:
    join(page, code, name)
    expect(step_title(page)).to_have_text("Sort")
    expect(page.locator("[data-card]")).to_have_count(len(CODES))


def column(page: Page, name: str) -> Locator:
    """A column by its heading's name (a key word in a group's name is a button inside the heading)."""
    return page.locator("section.column", has=page.get_by_role("heading", name=name, exact=True))


def card_in(page: Page, group: str, code: str) -> Locator:
    return column(page, group).locator(f'[data-card][aria-label="{code}"]')


def board(page: Page) -> list[list]:
    return page.evaluate(BOARD_JS)


def where(board_: list[list], code: str) -> str:
    return next(name for name, cards in board_ if code in cards)


def status(page: Page) -> Locator:
    return page.locator('[data-bind="status"]')


def announcer(page: Page) -> Locator:
    return page.locator('[data-bind="board-announce"]')


def expect_board(page: Page, expected: list[list]) -> None:
    """Wait until the page's board is exactly `expected` (columns, names and card order)."""
    page.wait_for_function(f"expected => JSON.stringify(({BOARD_JS})()) === JSON.stringify(expected)", arg=expected)


def expect_same_boards(reference: Page, *others: Page) -> list[list]:
    """Every page shows the reference page's board; returns that board."""
    expected = board(reference)
    for page in others:
        expect_board(page, expected)
    return expected


def expect_card_everywhere(pages, group: str, code: str) -> None:
    for page in pages:
        expect(card_in(page, group, code)).to_have_count(1)
        expect(page.locator(f'[data-card][aria-label="{code}"]')).to_have_count(1)


def touch_drag(page: Page, source: Locator, target: Locator) -> None:
    """Drag `source` onto `target` with one finger: press on its picture, rest, slide, lift.

    Playwright has no touch drag; the Chrome DevTools Protocol dispatches real touch events
    (and the pointer events Chromium derives from them, which SortableJS listens to)."""
    # The card near the top of the screen, so the next column is on screen too.
    source.evaluate("el => window.scrollBy(0, el.getBoundingClientRect().top - 100)")
    start, end = source.bounding_box(), target.bounding_box()
    height = page.viewport_size["height"]
    assert 0 <= start["y"] and start["y"] + start["height"] <= height, ("card off screen", start)
    assert 0 <= end["y"] and end["y"] + 20 <= height, ("target off screen", end)
    # The picture, not the "Open" button or the menu (SortableJS filters those out).
    x0, y0 = start["x"] + 24, start["y"] + 24
    x1, y1 = end["x"] + end["width"] / 2, end["y"] + min(end["height"] / 2, 24)
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, x: float | None = None, y: float | None = None) -> None:
        points = [] if x is None else [{"x": x, "y": y, "radiusX": 6, "radiusY": 6, "force": 1, "id": 0}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    try:
        touch("touchStart", x0, y0)
        page.wait_for_timeout(TOUCH_HOLD_MS)
        steps = 12
        for i in range(1, steps + 1):
            touch("touchMove", x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps)
            page.wait_for_timeout(FINGER_FRAME_MS)
        for _ in range(3):  # rest on the target a moment, as a finger does before lifting
            touch("touchMove", x1, y1 + 1)
            page.wait_for_timeout(FINGER_FRAME_MS)
        touch("touchEnd")
    finally:
        cdp.detach()


def mouse_drag(page: Page, source: Locator, target: Locator) -> None:
    """Drag `source` onto `target` with the mouse, in small steps (SortableJS uses native drag and drop)."""
    source.scroll_into_view_if_needed()
    start, end = source.bounding_box(), target.bounding_box()
    size = page.viewport_size
    for box in (start, end):
        assert 0 <= box["y"] and box["y"] + 20 <= size["height"] and box["x"] + 20 <= size["width"], ("off screen", box)
    page.mouse.move(start["x"] + 24, start["y"] + 24)
    page.mouse.down()
    x1, y1 = end["x"] + end["width"] / 2, end["y"] + min(end["height"] / 2, 24)
    page.mouse.move(x1, y1, steps=12)
    for _ in range(3):  # rest on the target a moment, as a hand does before letting go
        page.wait_for_timeout(FINGER_FRAME_MS)
        page.mouse.move(x1, y1 + 1)
    page.mouse.up()


def pick_adjacent_move(board_: list[list], *, last: bool = True) -> tuple[str, str, str]:
    """A card and the column next to its own: (code, from, to). The first non-empty column that
    has a next one (a group, never Unsorted); its last card (below it on a phone the next column
    starts) or its first (beside it on the projector the next column starts)."""
    for (name, cards), (next_name, _) in zip(board_, board_[1:]):
        if cards:
            return cards[-1 if last else 0], name, next_name
    raise AssertionError(f"every card is in the last column: {board_}")


def tab_until(page: Page, predicate: str, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until `predicate` (JS, on document.activeElement) holds."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(f"() => {{ const a = document.activeElement; return Boolean({predicate}); }}"):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {predicate}")


def expect_focus_on(page: Page, sample_id: str) -> None:
    page.wait_for_function("id => document.activeElement?.dataset?.card === id", arg=sample_id)


def meeting_and_phones(new_context, live_server, names: list[str], projector_options=DESKTOP):
    projector = new_context(**projector_options).new_page()
    log_in(projector, live_server.email, live_server.password)
    code = start_sort(projector)
    phones = []
    for name in names:
        phone = new_context(**PHONE).new_page()
        join_board(phone, code, name)
        phones.append(phone)
    expect_same_boards(projector, *phones)
    return projector, phones


# --- tests ---------------------------------------------------------------------------------

def test_a_finger_drag_on_one_phone_reaches_the_projector_and_the_other_phone(new_context, live_server):
    projector, (ana, ben) = meeting_and_phones(new_context, live_server, ["Ana Teacher", "Ben Coach"], PROJECTOR)
    before = board(ana)
    code, source_group, target_group = pick_adjacent_move(before)
    count_before = len(dict(before)[target_group])

    touch_drag(ana, card_in(ana, source_group, code), column(ana, target_group).locator("ol.cards"))

    expect_card_everywhere([ana, projector, ben], target_group, code)
    for page in (ana, projector, ben):
        expect(card_in(page, source_group, code)).to_have_count(0)
        expect(column(page, target_group).locator(".count")).to_have_text(str(count_before + 1))
    expect(card_in(ben, target_group, code).locator(".card-mover")).to_have_text("moved by Ana Teacher")
    expect(status(ana)).to_have_text("")
    after = expect_same_boards(projector, ana, ben)
    assert sum(len(cards) for _, cards in after) == len(CODES), after

    # The facilitator drags with the mouse on the projector; both phones follow.
    code, source_group, target_group = pick_adjacent_move(after, last=False)
    mouse_drag(projector, card_in(projector, source_group, code), column(projector, target_group).locator("ol.cards"))
    expect_card_everywhere([projector, ana, ben], target_group, code)
    expect(card_in(ana, target_group, code).locator(".card-mover")).to_have_text("moved by Demo Facilitator")
    expect_same_boards(projector, ana, ben)


def test_move_to_by_tapping_on_a_phone_and_undo(new_context, live_server):
    projector, (ana, ben) = meeting_and_phones(new_context, live_server, ["Ana Teacher", "Ben Coach"])
    before = board(ben)
    code = CODES[0]
    source_group = where(before, code)
    target_group = next(g for g in GROUPS if g != source_group)

    menu = ben.get_by_label(f"Move {code} to…")
    expect(menu.locator("option")).to_have_text(
        ["Move to…", *[name for name, _ in before if name != source_group]])  # not where it is already
    menu.tap()
    menu.select_option(label=target_group)

    expect_card_everywhere([ben, projector, ana], target_group, code)
    expect(card_in(ana, target_group, code).locator(".card-mover")).to_have_text("moved by Ben Coach")
    expect(status(ben)).to_have_text("")
    expect(ben.get_by_label(f"Move {code} to…").locator(f'option:text-is("{target_group}")')).to_have_count(0)
    expect_same_boards(projector, ana, ben)

    # "Undo my last move" puts the card back exactly where it was, on every screen, and says who undid it.
    ben.get_by_role("button", name="Undo my last move").tap()
    for page in (projector, ana, ben):
        expect_board(page, before)
        expect(status(page)).to_have_text(f"Ben Coach undid their own move of {code}.")


def test_a_tier_name_gets_a_friendly_prompt_instead_of_a_group(new_context, live_server):
    projector, (phone,) = meeting_and_phones(new_context, live_server, ["Cam Interventionist"])
    groups_before = [name for name, _ in board(projector)]

    projector.get_by_label("Name of a new group").fill("Low")
    projector.get_by_role("button", name="Add group").click()
    prompt = projector.locator(".tier-prompt")
    expect(prompt).to_be_visible()
    expect(prompt).to_have_attribute("role", "alert")
    expect(prompt).to_contain_text("This sounds like a tier (high / medium / low)")
    expect(prompt).to_contain_text("Names of thinking: Counts on, Makes a ten")
    expect(prompt.get_by_role("button", name="Keep “Low” anyway")).to_be_visible()
    expect(column(projector, "Low")).to_have_count(0)
    expect(status(projector)).to_have_text("")

    # A phone may not keep a tier name: the prompt comes without the button.
    phone.get_by_label("Name of a new group").fill("Struggling")
    phone.get_by_role("button", name="Add group").tap()
    phone_prompt = phone.locator(".tier-prompt")
    expect(phone_prompt).to_be_visible()
    expect(phone_prompt).to_contain_text("This sounds like a tier (struggling / advanced)")
    expect(phone_prompt.get_by_role("button", name=re.compile("anyway"))).to_have_count(0)
    expect(column(phone, "Struggling")).to_have_count(0)
    phone_prompt.get_by_role("button", name="Rename it").tap()
    expect(phone_prompt).to_have_count(0)
    expect(phone.get_by_label("Name of a new group")).to_be_focused()
    expect(phone.get_by_label("Name of a new group")).to_have_value("Struggling")

    for page in (projector, phone):
        expect(page.locator("section.column h3")).to_have_text(groups_before)

    # The facilitator may keep it, explicitly; the group is marked. A phone can remove it.
    prompt.get_by_role("button", name="Keep “Low” anyway").click()
    for page in (projector, phone):
        expect(column(page, "Low").locator(".kind.is-warning")).to_have_text("Tier-like name kept")
    column(phone, "Low").get_by_role("button", name="Remove").tap()  # empty: no confirmation
    for page in (projector, phone):
        expect(column(page, "Low")).to_have_count(0)
        expect(page.locator("section.column h3")).to_have_text(groups_before)


# Two phones choose a group for the same card at the same instant. Playwright drives one page
# at a time, so each phone's page is told to make its choice at one shared moment on the clock.
CHOOSE_AT = """([code, group, at]) => setTimeout(() => {
  const menu = document.querySelector(`select[aria-label="Move ${code} to…"]`);
  menu.value = [...menu.options].find((o) => o.textContent === group).value;
  menu.dispatchEvent(new Event("change"));
}, at - Date.now())"""


def test_two_phones_moving_one_card_at_once_end_with_the_same_board(new_context, live_server):
    projector, (ana, ben) = meeting_and_phones(new_context, live_server, ["Ana Teacher", "Ben Coach"])
    code = CODES[1]
    source_group = where(board(projector), code)
    ana_group, ben_group = [g for g in GROUPS if g != source_group][:2]

    at = time.time() * 1000 + 400
    ana.evaluate(CHOOSE_AT, [code, ana_group, at])
    ben.evaluate(CHOOSE_AT, [code, ben_group, at])

    projector.wait_for_function(
        """([code, groups]) => [...document.querySelectorAll('section.column')].some(s =>
             groups.includes(s.querySelector('h3').textContent) && s.querySelector(`[aria-label="${code}"]`))""",
        arg=[code, [ana_group, ben_group]])
    final = where(board(projector), code)
    winner, loser = (ana, ben) if final == ana_group else (ben, ana)
    winner_name = "Ana Teacher" if winner is ana else "Ben Coach"
    expect(status(loser)).to_have_text(f"{winner_name} moved {code} to “{final}” just before you.")
    expect(status(winner)).to_have_text("")
    expect_card_everywhere([projector, ana, ben], final, code)
    expect(card_in(loser, final, code).locator(".card-mover")).to_have_text(f"moved by {winner_name}")
    expect_same_boards(projector, ana, ben)


# Where each card goes in the keyboard sort; cards of other samples go to "Unanticipated".
KEYBOARD_PLAN = {
    "AB": "Skip counts by 6", "CD": "Skip counts by 6", "EF": "Makes 10 pages first",
    "GH": "Makes 10 pages first", "JK": "Uses a multiplication fact", "NP": "Draws equal groups",
    "LM": "Repeated subtraction", "QR": "Unanticipated",
}
NEW_GROUP = "Repeated subtraction"
IN_UNSORTED = "a.matches('section.column[data-column=\"unsorted\"] [data-card]')"


def test_a_whole_sort_with_the_keyboard_alone(new_context, live_server, artifacts_dir):
    projector, (phone,) = meeting_and_phones(new_context, live_server, ["Dee Teacher"], PROJECTOR)
    with projector.context.expect_page() as opened:
        projector.get_by_role("link", name="Controls and script on another screen").click()
    control = opened.value
    control.set_viewport_size(DESKTOP["viewport"])
    expect(control).to_have_url(re.compile(r"/meetings/\d+/control$"))
    expect(step_title(control)).to_have_text("Sort")
    expect(control.locator("[data-card]")).to_have_count(len(CODES))

    # Set-up, not under test: every card back to Unsorted through its menu (earlier tests moved some).
    for name, cards in board(control):
        for code in cards if name != "Unsorted" else []:
            control.get_by_label(f"Move {code} to…").select_option(label="Unsorted")
            expect(card_in(control, "Unsorted", code)).to_have_count(1)
    for page in (projector, phone):
        expect(column(page, "Unsorted").locator("[data-card]")).to_have_count(len(CODES))

    # A new group, from the keyboard: Tab to the field, type, Enter.
    tab_until(control, "a.getAttribute('aria-label') === 'Name of a new group'")
    control.keyboard.type(NEW_GROUP)
    control.keyboard.press("Enter")
    for page in (control, projector, phone):
        expect(page.locator("section.column h3").last).to_have_text(NEW_GROUP)
        expect(column(page, NEW_GROUP).locator(".kind")).to_have_count(0)  # "added": no kind badge

    # Tab on to the first card of Unsorted and pick it up; left of Unsorted there is nothing.
    # Escape puts it back where it was, and nothing was sent.
    tab_until(control, IN_UNSORTED)
    first = control.evaluate("document.activeElement.getAttribute('aria-label')")
    control.keyboard.press("Space")
    expect(announcer(control)).to_have_text(re.compile(f"^Picked up {first} in Unsorted, 1 of {len(CODES)}\\."))
    control.keyboard.press("ArrowLeft")
    expect(announcer(control)).to_have_text("No group to the left.")
    expect(card_in(control, "Unsorted", first)).to_be_focused()
    control.keyboard.press("ArrowRight")
    expect(card_in(control, ANTICIPATED[0], first)).to_have_count(1)
    control.keyboard.press("Escape")
    expect(announcer(control)).to_have_text(f"{first} is back in Unsorted, 1 of {len(CODES)}.")
    expect(card_in(control, "Unsorted", first)).to_be_focused()
    expect(card_in(projector, "Unsorted", first)).to_have_count(1)

    reordered = False
    while True:
        code = control.evaluate("document.activeElement.getAttribute('aria-label')")
        sample_id = control.evaluate("document.activeElement.dataset.card")
        goal = KEYBOARD_PLAN.get(code, "Unanticipated")
        control.keyboard.press("Enter")  # pick it up (Space does too)
        expect(announcer(control)).to_have_text(re.compile(f"^Picked up {code} in Unsorted"))
        # ArrowRight, one column at a time, until the card is in its group.
        while True:
            now = board(control)
            names = [name for name, _ in now]
            here = where(now, code)
            if here == goal:
                break
            assert names.index(goal) > names.index(here), (code, here, goal)
            target_name, target_cards = now[names.index(here) + 1]
            index = min(dict(now)[here].index(code), len(target_cards))
            control.keyboard.press("ArrowRight")
            expect(card_in(control, target_name, code)).to_have_count(1)
            expect_focus_on(control, sample_id)
            expect(announcer(control)).to_have_text(
                f"{code} is in {target_name}, {index + 1} of {len(target_cards) + 1}.")
        # Once, up and down inside a group: the card moves up one, then is first.
        cards = dict(board(control))[goal]
        position = cards.index(code)
        if not reordered and position > 0:
            control.keyboard.press("ArrowUp")
            expect(column(control, goal).locator("[data-card]").nth(position - 1)).to_have_attribute("aria-label", code)
            expect_focus_on(control, sample_id)
            expect(announcer(control)).to_have_text(f"{code} is in {goal}, {position} of {len(cards)}.")
            if position == 1:
                control.keyboard.press("ArrowUp")
                expect(announcer(control)).to_have_text(f"{code} is already first in {goal}.")
            reordered = True
        # Carried, not sent: the room sees the card move when it is dropped.
        expect(card_in(projector, "Unsorted", code)).to_have_count(1)
        cards = dict(board(control))[goal]
        control.keyboard.press("Space")
        expect(card_in(projector, goal, code)).to_have_count(1)
        expect_focus_on(control, sample_id)
        expect(announcer(control)).to_have_text(f"{code} is in {goal}, {cards.index(code) + 1} of {len(cards)}.")
        if not dict(board(control))["Unsorted"]:
            break
        # Back (Shift+Tab) to the last card still in Unsorted.
        tab_until(control, IN_UNSORTED, backwards=True)

    assert reordered, "no group got a second card"
    for page in (control, projector, phone):
        expect(step_title(page)).to_have_text("Sort")  # arrows on cards did not turn the page
        expect(column(page, "Unsorted").locator(".count")).to_have_text("0")
        expect(column(page, "Unsorted").locator(".drop-hint")).to_have_text("All sorted")
    final = expect_same_boards(control, projector, phone)
    for code, goal in KEYBOARD_PLAN.items():
        assert code in dict(final)[goal], (code, goal, final)
    expect(status(control)).to_have_text("")

    # Screenshots of the sorted board, kept as test artefacts.
    projector.bring_to_front()
    projector.evaluate("window.scrollTo(0, 0)")
    expect(card_in(projector, "Skip counts by 6", "AB").locator("img")).to_be_visible()
    projector.wait_for_function("[...document.querySelectorAll('.sort-card img')].every(i => i.complete)")
    projector.screenshot(path=str(artifacts_dir / "work-sort-projector.png"))
    phone.evaluate("window.scrollTo(0, 0)")
    phone.wait_for_function("[...document.querySelectorAll('.sort-card img')].every(i => i.complete)")
    phone.screenshot(path=str(artifacts_dir / "work-sort-phone.png"), full_page=True)


# --- what a person has typed or open survives others' changes ---------------------------------

def test_the_new_group_field_is_empty_after_adding_a_group(new_context, live_server):
    projector, _ = meeting_and_phones(new_context, live_server, [])
    field = projector.get_by_label("Name of a new group")
    field.fill("Counts on from 60")
    field.press("Enter")
    expect(column(projector, "Counts on from 60")).to_have_count(1)
    expect(projector.get_by_label("Name of a new group")).to_have_value("", timeout=3000)


def test_the_tier_prompt_stays_while_others_move_cards(new_context, live_server):
    projector, (ana, ben) = meeting_and_phones(new_context, live_server, ["Ana Teacher", "Ben Coach"])
    ana.get_by_label("Name of a new group").fill("Struggling")
    ana.get_by_role("button", name="Add group").tap()
    expect(ana.locator(".tier-prompt")).to_be_visible()

    code = CODES[2]
    target_group = next(g for g in GROUPS if g != where(board(ben), code))
    ben.get_by_label(f"Move {code} to…").select_option(label=target_group)
    expect_card_everywhere([ana], target_group, code)
    expect(ana.locator(".tier-prompt")).to_be_visible(timeout=2000)
    expect(ana.get_by_label("Name of a new group")).to_have_value("Struggling", timeout=1000)


def test_two_people_typing_in_the_same_group_note_at_once_keep_both_their_words(new_context, live_server):
    projector, (ana, ben) = meeting_and_phones(new_context, live_server, ["Ana Teacher", "Ben Coach"])
    projector.get_by_role("button", name="Next ▶").click()
    expect(step_title(projector)).to_have_text("Name and describe each group")
    group = GROUPS[0]
    notes = [column(page, group).get_by_label("What are they showing us?") for page in (ana, ben)]
    for note in notes:
        expect(note).to_have_attribute("data-coedit", "ready")
    ana_words = ["Counts", "on", "from", "the", "bigger", "number."]
    ben_words = ["Draws", "every", "apple", "then", "counts", "all."]

    notes[0].click()
    notes[1].click()
    for a, b in zip(ana_words, ben_words):  # word by word, in turn, each before seeing the other's
        ana.keyboard.type(a + " ")
        ben.keyboard.type(b + " ")

    # Every screen ends with both people's words, each run whole, and the same text.
    both = re.compile(f"(?=.*{re.escape(' '.join(ana_words))})(?=.*{re.escape(' '.join(ben_words))})", re.S)
    for note in notes:
        expect(note).to_have_value(both)
    text = notes[0].input_value()
    for note in notes:
        expect(note).to_have_value(text)
    expect(column(projector, group).locator(".group-notes")).to_have_text(f"What are they showing us? {text.strip()}")
    with sqlite3.connect(live_server.env["PLC_DATABASE_URL"].removeprefix("sqlite:///")) as db:
        stored = db.execute("SELECT showing FROM sort_group WHERE name = ? ORDER BY id DESC", (group,)).fetchone()
    assert stored == (text,)  # the plain text, as search, snapshots and exports read it


def test_two_people_rewording_the_same_next_step_at_once_keep_both_their_words(new_context, live_server):
    projector, (ana, ben) = meeting_and_phones(new_context, live_server, ["Ana Teacher", "Ben Coach"])
    for _ in range(3):
        projector.get_by_role("button", name="Next ▶").click()
    expect(step_title(projector)).to_have_text("Next steps")
    group = GROUPS[0]
    column(ana, group).get_by_text(f"Add a next step for “{group}”").tap()
    column(ana, group).get_by_label("Instructional move", exact=True).fill("Number talk")
    column(ana, group).get_by_label("We predict").fill("More will skip count.")
    column(ana, group).get_by_label("Evidence that will show it").fill("Friday's exit ticket")
    column(ana, group).get_by_role("button", name="Add next step").tap()

    moves = [column(page, group).get_by_label("Next step 1: instructional move") for page in (ana, ben)]
    for move in moves:
        expect(move).to_have_value("Number talk")
        expect(move).to_have_attribute("data-coedit", "ready")
    moves[0].click()
    ana.keyboard.press("End")
    moves[1].click()
    ben.keyboard.press("Home")
    ana_words, ben_words = ["on", "making", "ten"], ["Daily,", "short"]
    for a, b in zip(ana_words, ben_words + [""]):  # in turn, each before seeing the other's
        ana.keyboard.type(" " + a)
        if b:
            ben.keyboard.type(b + " ")

    text = "Daily, short Number talk on making ten"
    for move in moves:
        expect(move).to_have_value(text)
    expect(column(projector, group).locator(".next-move")).to_have_text(text)
    with sqlite3.connect(live_server.env["PLC_DATABASE_URL"].removeprefix("sqlite:///")) as db:
        assert db.execute("SELECT move FROM next_step ORDER BY id DESC").fetchone() == (text,)


def test_a_phone_hands_a_next_step_to_another_person_and_every_board_shows_it(new_context, live_server, artifacts_dir):
    projector, (ana, ben) = meeting_and_phones(new_context, live_server, ["Ana Teacher", "Ben Coach"])
    for _ in range(3):
        projector.get_by_role("button", name="Next ▶").click()
    expect(step_title(ben)).to_have_text("Next steps")
    group = GROUPS[1]
    move = "Ten-frame warm-up before the task"
    steps = [column(page, group).locator(".next-steps li:not(.empty)") for page in (projector, ana, ben)]
    expect(steps[2].first.or_(column(ben, group).locator(".next-steps li.empty"))).to_be_visible()
    before = steps[2].count()  # the task's sort is shared by the session's tests: others may have planned some
    column(ana, group).get_by_text(f"Add a next step for “{group}”").tap()
    column(ana, group).get_by_label("Instructional move", exact=True).fill(move)
    column(ana, group).get_by_label("Who does it").select_option(label="Ana Teacher (Classroom teacher)")
    column(ana, group).get_by_label("We predict").fill("More will make ten first.")
    column(ana, group).get_by_label("Evidence that will show it").fill("Monday's warm-up")
    column(ana, group).get_by_role("button", name="Add next step").tap()
    expect(steps[0].nth(before)).to_contain_text(move)
    planned = [page_steps.nth(before) for page_steps in steps]
    for step in planned:
        expect(step).to_contain_text("Ana Teacher (Classroom teacher)")

    # Ben takes it over: "Change who does it", the same people to choose from, "Change".
    mine = planned[2]
    mine.get_by_text("Change who does it").tap()
    number = before + 1
    owner = mine.get_by_label(f"Who does next step {number}")
    expect(owner).to_have_value(re.compile(r"^participant:\d+$"))
    ben.screenshot(path=str(artifacts_dir / "next-step-owner-change-phone.png"), full_page=True)
    owner.select_option(label="Ben Coach (Classroom teacher)")
    mine.get_by_role("button", name="Change").tap()
    for step in planned:
        expect(step.locator("p.muted").first).to_have_text("Whole class · Ben Coach (Classroom teacher)")
    expect(mine.get_by_label(f"Who does next step {number}")).to_be_hidden()  # the form closed once saved
