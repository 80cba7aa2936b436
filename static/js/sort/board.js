// The Work Sort board: an "Unsorted" tray and one column per group named by the thinking it
// shows. Cards move three ways - drag (drag.js), the "Move to…" menu (cards.js) and the
// keyboard (keyboard.js) - and every way sends the same `sort:move`. The board only ever shows
// what the server broadcast: a move is drawn when its `sort:moved` arrives, and a refused move
// snaps back. This module keeps the board in step with the server and redraws it; each part is
// drawn by its own module from the `board` context made here.

import { el } from "../lib/dom.js";
import { BoardState } from "./board_state.js";
import { columnsBox } from "./columns.js";
import { createDragAndDrop } from "./drag.js";
import { patternsPanel } from "./patterns.js";
import { sharePanel } from "./share.js";
import { toolbar } from "./toolbar.js";

export function createBoard({ root, view, canControl, send, say }) {
  const state = new BoardState({ view, canControl });
  const box = root.querySelector('[data-bind="board"]');
  const announcer = el("p", { class: "visually-hidden", "aria-live": "polite", "data-bind": "board-announce" });
  document.body.append(announcer, el("p", { id: "board-keys", class: "visually-hidden" },
    "Arrow keys move this card: left and right to the previous or next group, up and down within its group. Enter opens it."));

  const board = {
    state, view, canControl, send, say, box,
    // What a person has open survives redraws caused by others' changes:
    ui: {
      focusId: null, // the card that keeps keyboard focus across re-renders
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
    const outcome = state.applyMove(moved);
    if (outcome === "missed") resync();
    if (outcome !== "applied") return;
    draw();
    const where = state.columnOf(moved.sample_id);
    if (board.ui.focusId === moved.sample_id && where) {
      board.announce(`${state.labelOf(moved.sample_id)} is in ${state.groupName(where.group_id)}, ${where.index + 1} of ${where.size}.`);
    }
  }

  async function resync() {
    const ack = await send("sort:sync");
    if (ack && ack.sort) { state.sort = ack.sort; draw(); }
  }

  async function move(sampleId, groupId, index) {
    const { ui } = board;
    ui.focusId = document.activeElement?.closest?.("[data-card]") ? sampleId : ui.focusId;
    const version = state.sort.cards[sampleId]?.version ?? 0;
    const ack = await send("sort:move", { sample_id: sampleId, group_id: groupId, index, card_version: version }, { quiet: true });
    if (!ack) return;
    if (!ack.ok) {
      say(ack.error, "error");
      if (ack.conflict) { ui.flashId = sampleId; board.announce(ack.error); }
      draw(); // put the card back where the server has it
    } else {
      say("");
    }
  }

  // --- drawing -------------------------------------------------------------------------

  function draw() {
    if (board.drag.deferDraw()) return; // a card is in the air: drawn when it lands
    board.drag.detachAll();
    const { sort } = state;
    box.classList.toggle("hidden", !sort);
    if (!sort) { box.replaceChildren(); return; }
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
    if (board.ui.flashId != null) {
      const card = box.querySelector(`[data-card="${board.ui.flashId}"]`);
      card?.classList.add("was-lost");
      setTimeout(() => card?.classList.remove("was-lost"), 2500);
      board.ui.flashId = null;
    }
  }

  function keepFocus() {
    const active = document.activeElement;
    if (!active || !box.contains(active)) return null;
    if (active.dataset.card) return { card: Number(active.dataset.card) };
    if (active.dataset.field) return { field: active.dataset.field, value: active.value, start: active.selectionStart };
    return null;
  }

  function restoreFocus(keep) {
    const { focusId } = board.ui;
    if (focusId != null && (!keep || keep.card != null)) {
      box.querySelector(`[data-card="${focusId}"]`)?.focus({ preventScroll: true });
      return;
    }
    if (keep?.field) {
      const field = box.querySelector(`[data-field="${keep.field}"]`);
      if (field) { field.value = keep.value; field.focus({ preventScroll: true }); try { field.setSelectionRange(keep.start, keep.start); } catch { /* not a text field */ } }
    }
  }

  return { setSort, setSamples, applyMove };
}
