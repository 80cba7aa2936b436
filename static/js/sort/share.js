// Sharing in class: the facilitator picks samples ("Share" on a card) and puts them in order;
// the projector shows the order once there is one.

import { el } from "../lib/dom.js";

export function sharePanel(board) {
  const { state, canControl } = board;
  const { sort } = state;
  const items = sort.share.map((id, rank) => el("li", {},
    el("span", { class: "share-label" }, `${rank + 1}. `, el("span", { dir: "auto" }, state.labelOf(id))),
    el("span", { class: "muted" }, " · ", el("span", { dir: "auto" }, state.groupName(state.columnOf(id)?.group_id ?? null))),
    canControl && sort.open && sort.mode === "sequence" ? el("span", { class: "row" },
      el("button", { type: "button", class: "secondary small", disabled: rank === 0, "aria-label": `Move ${state.labelOf(id)} earlier`, onclick: () => reorderShare(board, rank, -1) }, "↑"),
      el("button", { type: "button", class: "secondary small", disabled: rank === sort.share.length - 1, "aria-label": `Move ${state.labelOf(id)} later`, onclick: () => reorderShare(board, rank, 1) }, "↓")) : null));
  return el("section", { class: "share-sequence", "aria-label": "Share in class, in this order" },
    el("h3", {}, "Share in class, in this order"),
    items.length ? el("ol", { class: "share-list" }, ...items) : el("p", { class: "empty" }, canControl ? "Use “Share” on a card to add it." : "The facilitator picks the samples to share."));
}

function reorderShare(board, rank, delta) {
  const order = [...board.state.sort.share];
  [order[rank], order[rank + delta]] = [order[rank + delta], order[rank]];
  board.send("sort:share", { sample_ids: order });
}

export function shareToggle(board, sampleId, rank) {
  return el("button", { type: "button", class: "secondary small", "aria-pressed": String(rank >= 0), onclick: () => {
    const { share } = board.state.sort;
    const order = rank >= 0 ? share.filter((id) => id !== sampleId) : [...share, sampleId];
    board.send("sort:share", { sample_ids: order });
  } }, rank >= 0 ? "Don't share" : "Share");
}
