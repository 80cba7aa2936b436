// Moving a focused card with the arrow keys: left and right to the neighbouring column, up and
// down within its own. Enter opens the card's image. Each move is announced to screen readers
// when the server's `sort:moved` arrives (board.js).

import { openViewer } from "../work/viewer.js";

const ARROWS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"];

export function onCardKey(board, event, sampleId) {
  const { state } = board;
  if (event.target !== event.currentTarget) return;
  if (event.key === "Enter" && state.sampleById(sampleId)?.image_url) { openViewer(state.sampleById(sampleId)); return; }
  if (!state.canMove() || !ARROWS.includes(event.key)) return;
  event.preventDefault();
  const columns = state.columns();
  const at = state.columnOf(sampleId);
  const col = columns.findIndex((c) => c.group_id === at.group_id);
  board.ui.focusId = sampleId;
  if (event.key === "ArrowUp" || event.key === "ArrowDown") {
    const index = at.index + (event.key === "ArrowUp" ? -1 : 1);
    if (index < 0 || index >= at.size) { board.announce(`${state.labelOf(sampleId)} is already ${index < 0 ? "first" : "last"} in ${state.groupName(at.group_id)}.`); return; }
    board.move(sampleId, at.group_id, index);
  } else {
    const target = columns[col + (event.key === "ArrowLeft" ? -1 : 1)];
    if (!target) { board.announce(`No group to the ${event.key === "ArrowLeft" ? "left" : "right"}.`); return; }
    board.move(sampleId, target.group_id, Math.min(at.index, target.sample_ids.length));
  }
}
