// The Work Sort board: an "Unsorted" tray and one column per group named by the thinking it
// shows. Cards move three ways - drag (drag.js), the "Move to…" menu (cards.js) and the
// keyboard (keyboard.js) - and every way sends the same `sort:move`. The board only ever shows
// what the server broadcast: a move is drawn when its `sort:moved` arrives, and a refused move
// snaps back. This module keeps the board in step with the server and redraws it; each part is
// drawn by its own module from the `board` context made here. A redraw keeps keyboard focus
// where it was and never puts it anywhere new: others' moves never take anyone's focus.

import { el } from "../lib/dom.js";
import { BoardState } from "./board_state.js";
import { applyText } from "./coedit.js";
import { columnsBox } from "./columns.js";
import { createDragAndDrop } from "./drag.js";
import { KEYS_HELP, LIFTED_HELP, putBack } from "./keyboard.js";
import { patternsPanel } from "./patterns.js";
import { sharePanel } from "./share.js";
import { toolbar } from "./toolbar.js";

const FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";

// `fill(node, text)` writes a text with the team's key words made buttons (room/agreements.js).
export function createBoard({ root, view, canControl, send, say, fill }) {
  const state = new BoardState({ view, canControl });
  const box = root.querySelector('[data-bind="board"]');
  const announcer = el("p", { class: "visually-hidden", "aria-live": "polite", "data-bind": "board-announce" });
  // Cards' descriptions (aria-describedby reads hidden text; nobody reads it in the page's flow).
  root.append(announcer, el("p", { id: "board-keys", hidden: true }, KEYS_HELP),
    el("p", { id: "board-keys-lifted", hidden: true }, LIFTED_HELP));
  let drawing = false; // the board's nodes are being replaced: focus leaving them is not a person's doing

  const board = {
    state, view, canControl, send, say, box,
    // A text the board shows (not one being typed) with the team's key words that show their meaning.
    withKeyWords: (node, text) => { fill(node, text); return node; },
    // What a person has open survives redraws caused by others' changes:
    ui: {
      pending: null, // the card this device moved, until the server answers: its arrival is announced
      flashId: null, // a card whose move was lost: show where it went
      tierAsk: null, // a tier-like name waiting for an answer: {event, payload, message, examples, field}
      editing: null, // a group being renamed or defined: {groupId, kind: "rename" | "define"}
      openForms: new Set(), // groups whose "Add a next step" form is open
    },
    draw,
    move,
    announce: (text) => { announcer.textContent = ""; setTimeout(() => { announcer.textContent = text; }, 30); },
    // Clear a draft field once what was typed in it has been saved.
    clearField: (field) => {
      const node = box.querySelector(`[data-field="${field}"]`);
      if (node) node.value = "";
    },
  };
  board.drag = createDragAndDrop(board);
  // A card carried with the keyboard goes back when focus leaves it (a click elsewhere, Tab).
  box.addEventListener("focusout", (event) => {
    const { lifted } = state;
    if (drawing || !lifted || event.relatedTarget?.closest?.(`[data-card="${lifted.sampleId}"]`)) return;
    setTimeout(() => putBack(board)); // once focus has landed, so that the redraw keeps it there
  });

  // --- what the server says ---------------------------------------------------------

  function setSort(next, nextSamples) {
    if (nextSamples) state.samples = nextSamples;
    if (state.setSort(next)) draw();
  }

  function setSamples(nextSamples) {
    state.samples = nextSamples || [];
    if (state.sort) draw();
  }

  function applyMove(moved) {
    const { lifted } = state;
    const outcome = state.applyMove(moved);
    if (outcome === "missed") resync();
    if (outcome !== "applied") return;
    const carried = lifted?.sampleId === moved.sample_id;
    if (carried) state.lifted = null; // it landed, or someone else moved it first
    draw();
    if (moved.notice) say(moved.notice); // an undo: who undid whose move, on screen and read out
    const where = state.columnOf(moved.sample_id);
    if (!where) return;
    const said = `${state.labelOf(moved.sample_id)} is in ${state.groupName(where.group_id)}, ${where.index + 1} of ${where.size}.`;
    if (carried && !lifted.dropping) board.announce(`${moved.moved_by} moved the card you were holding. ${said}`);
    else if (board.ui.pending === moved.sample_id) board.announce(said);
  }

  async function resync() {
    const ack = await send("sort:sync");
    if (ack && ack.sort) { state.sort = ack.sort; draw(); }
  }

  async function move(sampleId, groupId, index) {
    const { ui } = board;
    ui.pending = sampleId;
    const version = state.sort.cards[sampleId]?.version ?? 0;
    const ack = await send("sort:move", { sample_id: sampleId, group_id: groupId, index, card_version: version }, { quiet: true });
    ui.pending = null;
    const stillCarried = state.lifted?.sampleId === sampleId;
    if (stillCarried) state.lifted = null; // refused or unanswered: it goes where the server has it
    if (ack?.ok) { say(""); if (stillCarried) draw(); return; }
    if (ack) {
      say(ack.error, "error");
      if (ack.conflict) { ui.flashId = sampleId; board.announce(ack.error); }
    }
    draw(); // put the card back where the server has it
  }

  // --- drawing -------------------------------------------------------------------------

  function draw() {
    if (board.drag.deferDraw()) return; // a card is in the air: drawn when it lands
    board.drag.detachAll();
    const { sort } = state;
    box.classList.toggle("hidden", !sort);
    drawing = true;
    if (!sort) { box.replaceChildren(); drawing = false; return; }
    const keep = keepFocus();
    const drafts = Object.fromEntries([...box.querySelectorAll("[data-draft]")].map((f) => [f.dataset.field, f.value]));
    box.dataset.mode = sort.mode;
    // The body is the projector's paged flow (room/pager.js); elsewhere the page scrolls.
    box.replaceChildren(toolbar(board), el("div", { class: "board-body paged" }, ...[
      sort.mode === "patterns" ? patternsPanel(sort.patterns) : null,
      sort.mode === "sequence" || (sort.share.length && view === "projector") ? sharePanel(board) : null,
      columnsBox(board, state.columns()),
    ].filter(Boolean)));
    for (const [field, value] of Object.entries(drafts)) {
      const node = box.querySelector(`[data-field="${field}"]`);
      if (node) node.value = value;
    }
    restoreFocus(keep);
    drawing = false;
    if (board.ui.flashId != null) {
      const card = box.querySelector(`[data-card="${board.ui.flashId}"]`);
      card?.classList.add("was-lost");
      setTimeout(() => card?.classList.remove("was-lost"), 2500);
      board.ui.flashId = null;
    }
  }

  // What has keyboard focus inside the board, named so that it can be found again after a
  // redraw: a draft field by its name; anything else by its card (or its column, or the board)
  // and its place among the focusable things in there.
  function keepFocus() {
    const active = document.activeElement;
    if (!active || !box.contains(active)) return null;
    if (active.dataset.field) return { field: active.dataset.field, value: active.value, start: active.selectionStart };
    const scope = active.closest("[data-card]") || active.closest("[data-column]");
    const selector = !scope ? null : scope.dataset.card ? `[data-card="${scope.dataset.card}"]` : `[data-column="${scope.dataset.column}"]`;
    return { selector, index: focusables(scope || box).indexOf(active) };
  }

  function focusables(scope) {
    return [scope, ...scope.querySelectorAll(FOCUSABLE)].filter((node) => node.matches(FOCUSABLE));
  }

  function restoreFocus(keep) {
    if (!keep) return;
    if (keep.field) {
      const field = box.querySelector(`[data-field="${keep.field}"]`);
      if (field) { field.value = keep.value; field.focus({ preventScroll: true }); try { field.setSelectionRange(keep.start, keep.start); } catch { /* not a text field */ } }
      return;
    }
    const scope = keep.selector ? box.querySelector(keep.selector) : box;
    if (scope) focusables(scope)[keep.index]?.focus({ preventScroll: true });
  }

  // Drawn again as it is (the team's key words changed).
  function redraw() {
    if (state.sort) draw();
  }

  return { setSort, setSamples, applyMove, redraw, applyText: (edit) => applyText(board, edit) };
}
