"""Keys never do two things. On the projector the step keys (arrows, PageUp/PageDown, Space:
what presentation clickers send) always turn the step, even after a card was clicked or
dragged; a card moves with the keyboard only once it is picked up; and a move made on another
screen never moves anyone's keyboard focus."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP
from tests.browser.pages import log_in, start_meeting, step_title
from tests.browser.test_work_sort import (
    PROJECTOR, announcer, board, card_in, column, expect_board, meeting_and_phones, mouse_drag, pick_adjacent_move,
)

# What has keyboard focus, named so that a redrawn card is still "the same" card.
FOCUSED = """() => { const a = document.activeElement;
  if (!a || a === document.body) return "nothing";
  if (a.dataset.card) return `card ${a.getAttribute("aria-label")}`;
  return `${a.tagName.toLowerCase()} ${a.getAttribute("aria-label") || a.className}`; }"""


def focused(page: Page) -> str:
    return page.evaluate(FOCUSED)


def other_move(page: Page, board_: list[list], but: str) -> tuple[str, str]:
    """A card other than `but`, and a group to send it to with its "Move to…" menu."""
    for name, cards in board_:
        for code in cards:
            if code != but:
                return code, next(n for n, _ in board_ if n not in (name, "Unsorted"))
    raise AssertionError(board_)


def test_step_keys_turn_the_step_after_a_card_was_clicked_or_dragged(new_context, live_server):
    projector, (phone,) = meeting_and_phones(new_context, live_server, ["Eve Teacher"], PROJECTOR)
    before = board(projector)
    code, group, _ = pick_adjacent_move(before, last=False)

    # The facilitator clicks a card; the right arrow then turns the step, and moves no card.
    card_in(projector, group, code).locator(".card-label").click()
    projector.keyboard.press("ArrowRight")
    expect(step_title(projector)).to_have_text("Name and describe each group")
    expect(step_title(phone)).to_have_text("Name and describe each group")
    projector.keyboard.press("ArrowLeft")
    expect(step_title(projector)).to_have_text("Sort")
    expect_board(phone, before)
    expect_board(projector, before)

    # After a drag, a clicker's PageDown and PageUp turn the step, and Space on the projector.
    code, group, target = pick_adjacent_move(before, last=False)
    mouse_drag(projector, card_in(projector, group, code), column(projector, target).locator("ol.cards"))
    expect(card_in(phone, target, code)).to_have_count(1)
    after = board(projector)
    for key, title in [("PageDown", "Name and describe each group"), ("PageUp", "Sort"),
                       ("Space", "Name and describe each group"), ("ArrowLeft", "Sort")]:
        projector.keyboard.press(key)
        expect(step_title(projector)).to_have_text(title)
    expect_board(phone, after)


def test_a_clickers_keys_turn_the_step_and_its_other_keys_do_nothing(new_context, live_server):
    projector = new_context(**DESKTOP).new_page()
    log_in(projector, live_server.email, live_server.password)
    start_meeting(projector, "Apple boxes", "Doing Math Together")
    title = step_title(projector)
    expect(title).to_have_text("Norms")
    projector.locator('[data-bind="timer"]').click()  # nothing focused: the keys reach the page
    projector.keyboard.press("PageDown")
    expect(title).to_have_text("First read")
    projector.keyboard.press("PageUp")
    expect(title).to_have_text("Norms")
    projector.keyboard.press("Space")
    expect(title).to_have_text("First read")

    # "Start the show", "blank the screen", "end the show": the page stays as it is, not reloaded.
    projector.evaluate("window.notReloaded = true")
    for key in ["F5", "Shift+F5", "b", "Period", "Escape"]:
        projector.keyboard.press(key)
    projector.wait_for_timeout(500)
    assert projector.evaluate("window.notReloaded === true")
    expect(title).to_have_text("First read")

    # A focused button takes Space itself: one step, not two.
    projector.get_by_role("button", name="Next ▶").focus()
    projector.keyboard.press("Space")  # a focused button takes Space: one step, not two
    expect(title).to_have_text("Shared understanding of the context")
    projector.wait_for_timeout(300)
    expect(title).to_have_text("Shared understanding of the context")


def test_a_move_made_elsewhere_never_moves_anyones_focus(new_context, live_server):
    projector, (ana, ben) = meeting_and_phones(new_context, live_server, ["Ana Teacher", "Ben Coach"], PROJECTOR)

    # The facilitator clicked a card, then the timer: nothing has focus, and others' moves
    # give it to nobody (it used to go back to the card clicked last).
    code, group, _ = pick_adjacent_move(board(projector), last=False)
    card_in(projector, group, code).locator(".card-label").click()
    projector.locator('[data-bind="timer"]').click()
    assert focused(projector) == "nothing"
    # A phone keeps focus on the "Move to…" menu of the card it is about to move.
    kept, _ = other_move(ana, board(ana), but="")
    ana.get_by_label(f"Move {kept} to…").focus()

    moved, to = other_move(ben, board(ben), but=kept)
    ben.get_by_label(f"Move {moved} to…").select_option(label=to)
    for page in (projector, ana):
        expect(card_in(page, to, moved)).to_have_count(1)
    assert focused(projector) == "nothing"
    assert focused(ana) == f"select Move {kept} to…"

    # Keyboard focus on a card stays on that card when another one moves.
    projector.locator(f'[data-card][aria-label="{kept}"]').focus()
    moved, to = other_move(ben, board(ben), but=kept)
    ben.get_by_label(f"Move {moved} to…").select_option(label=to)
    expect(card_in(projector, to, moved)).to_have_count(1)
    assert focused(projector) == f"card {kept}"
    assert focused(ana) == f"select Move {kept} to…"
    expect(step_title(projector)).to_have_text("Sort")


def test_a_card_moves_with_the_keyboard_only_once_picked_up(new_context, live_server):
    projector, (phone,) = meeting_and_phones(new_context, live_server, ["Fay Teacher"], PROJECTOR)
    before = board(phone)
    code, group, target = pick_adjacent_move(before)
    card = card_in(phone, group, code)
    card.focus()

    # Without a pick-up, arrows move nothing, anywhere.
    for key in ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"]:
        phone.keyboard.press(key)
    phone.wait_for_timeout(500)
    expect_board(phone, before)
    expect_board(projector, before)
    expect(card_in(phone, group, code)).to_be_focused()

    # Picked up, it is carried on this phone alone until it is dropped.
    phone.keyboard.press("Space")
    expect(announcer(phone)).to_have_text(f"Picked up {code} in {group}, {dict(before)[group].index(code) + 1} of "
                                          f"{len(dict(before)[group])}. Picked up: arrow keys carry it, Space or Enter "
                                          "drops it, Escape puts it back.")
    expect(phone.locator(".sort-card.is-lifted")).to_have_attribute("aria-label", code)
    phone.keyboard.press("ArrowRight")
    expect(card_in(phone, target, code)).to_have_count(1)
    expect(card_in(phone, target, code)).to_be_focused()
    expect_board(projector, before)
    phone.keyboard.press("Space")
    for page in (projector, phone):
        expect(card_in(page, target, code)).to_have_count(1)
    index = min(dict(before)[group].index(code), len(dict(before)[target]))
    expect(announcer(phone)).to_have_text(f"{code} is in {target}, {index + 1} of {len(dict(before)[target]) + 1}.")
    expect(card_in(phone, target, code)).to_be_focused()
    expect(phone.locator(".sort-card.is-lifted")).to_have_count(0)
    expect(step_title(projector)).to_have_text("Sort")
