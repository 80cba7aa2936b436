// Moving a card with the keyboard takes an explicit pick-up, so that arrow keys never do two
// things: Space or Enter on a focused card picks it up; then left and right carry it to the
// neighbouring column, up and down within its own; Space or Enter drops it (one `sort:move`, as
// a drag sends), and Escape (or Tab) puts it back. Arrow keys on a card that is not picked up
// are left to the page (on the projector they turn the step). Every change is announced.

import { openViewer } from "../work/viewer.js";

const ARROWS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"];
const PICK = [" ", "Enter"];

export const KEYS_HELP = "Space or Enter picks this card up; then the arrow keys carry it (left and right to the previous or next group, up and down within its group), Space or Enter drops it and Escape puts it back.";
export const LIFTED_HELP = "Picked up: arrow keys carry it, Space or Enter drops it, Escape puts it back.";

// Where a card is shown, in words: "Makes a ten, 2 of 3".
const place = (state, at) => `${state.groupName(at.group_id)}, ${at.index + 1} of ${at.size}`;

export function onCardKey(board, event, sampleId) {
  const { state } = board;
  if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey) return;
  if (state.lifted?.sampleId === sampleId) {
    if (event.key === "Tab") { putBack(board); return; } // focus moves on; the card goes back
    if (ARROWS.includes(event.key)) carry(board, sampleId, event.key);
    else if (PICK.includes(event.key)) drop(board, sampleId);
    else if (event.key === "Escape") putBack(board);
    else return;
  } else if (PICK.includes(event.key) && state.canMove()) {
    pickUp(board, sampleId);
  } else if (event.key === "Enter" && state.sampleById(sampleId)?.image_url) {
    openViewer(state.sampleById(sampleId));
  } else {
    return;
  }
  event.preventDefault();
}

function pickUp(board, sampleId) {
  const { state } = board;
  const at = state.columnOf(sampleId);
  state.lifted = { sampleId, groupId: at.group_id, index: at.index, from: { groupId: at.group_id, index: at.index } };
  board.draw();
  board.announce(`Picked up ${state.labelOf(sampleId)} in ${place(state, at)}. ${LIFTED_HELP}`);
}

function carry(board, sampleId, key) {
  const { state } = board;
  const at = state.columnOf(sampleId);
  const label = state.labelOf(sampleId);
  if (key === "ArrowUp" || key === "ArrowDown") {
    const index = at.index + (key === "ArrowUp" ? -1 : 1);
    if (index < 0 || index >= at.size) { board.announce(`${label} is already ${index < 0 ? "first" : "last"} in ${state.groupName(at.group_id)}.`); return; }
    state.lifted = { ...state.lifted, index };
  } else {
    const columns = state.columns();
    const target = columns[columns.findIndex((c) => c.group_id === at.group_id) + (key === "ArrowLeft" ? -1 : 1)];
    if (!target) { board.announce(`No group to the ${key === "ArrowLeft" ? "left" : "right"}.`); return; }
    state.lifted = { ...state.lifted, groupId: target.group_id, index: Math.min(at.index, target.sample_ids.length) };
  }
  board.draw();
  board.announce(`${label} is in ${place(state, state.columnOf(sampleId))}.`);
}

function drop(board, sampleId) {
  const { state } = board;
  const { groupId, index, from } = state.lifted;
  if (groupId === from.groupId && index === from.index) {
    state.lifted = null;
    board.draw();
    board.announce(`Put ${state.labelOf(sampleId)} down where it was, in ${place(state, state.columnOf(sampleId))}.`);
    return;
  }
  // Drawn where it was carried until the server's answer: no jump back and forth.
  state.lifted = { ...state.lifted, dropping: true };
  board.move(sampleId, groupId, index);
}

// Puts the carried card back where it was picked up (nothing was sent).
export function putBack(board) {
  const { state } = board;
  const { lifted } = state;
  if (!lifted || lifted.dropping) return;
  state.lifted = null;
  board.draw();
  board.announce(`${state.labelOf(lifted.sampleId)} is back in ${place(state, state.columnOf(lifted.sampleId))}.`);
}
