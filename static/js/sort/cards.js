// A card on the board: the sample's thumbnail, label and an excerpt of its text, who moved it
// last, and its buttons - open the image, the "Move to…" menu, share it in class.

import { el } from "../lib/dom.js";
import { openViewer } from "../work/viewer.js";
import { onCardKey } from "./keyboard.js";
import { shareToggle } from "./share.js";

const EXCERPT_CHARS = 70;

export function card(board, sampleId, column) {
  const { state, view, canControl } = board;
  const { sort } = state;
  const sample = state.sampleById(sampleId) || { id: sampleId, label: `#${sampleId}`, preview: "" };
  const shareRank = sort.share.indexOf(sampleId);
  const excerpt = (sample.preview || (sample.status === "done" ? "" : "Reading…")).replace(/\s+/g, " ").trim();
  const lifted = state.lifted?.sampleId === sampleId;
  const item = el("li", {
    class: `sort-card${state.canMove() ? " is-movable" : ""}${lifted ? " is-lifted" : ""}`, "data-card": sampleId, tabindex: "0",
    "aria-label": `${sample.label}${shareRank >= 0 ? `, shared ${shareRank + 1}` : ""}`,
    "aria-describedby": lifted ? "board-keys-lifted" : state.canMove() ? "board-keys" : null,
  },
    sample.thumb_url
      ? el("img", { src: sample.thumb_url, alt: "", loading: "lazy", draggable: "false",
        onclick: () => sample.image_url && openViewer(sample) }) // a tap opens it; a held finger drags
      : el("div", { class: "thumb-placeholder" }, el("span", { class: "spinner" })),
    el("div", { class: "card-body" },
      el("p", { class: "card-label", dir: "auto" }, sample.label, shareRank >= 0 ? el("span", { class: "share-rank" }, ` #${shareRank + 1}`) : null),
      el("p", { class: "card-text", dir: "auto" }, excerpt.length > EXCERPT_CHARS ? `${excerpt.slice(0, EXCERPT_CHARS)}…` : excerpt),
      sort.cards[sampleId]?.moved_by && view !== "projector" ? el("p", { class: "card-mover", dir: "auto" }, `moved by ${sort.cards[sampleId].moved_by}`) : null),
    view === "projector" ? null : el("div", { class: "card-actions" },
      sample.image_url ? el("button", { type: "button", class: "link-button", onclick: () => openViewer(sample) }, "Open") : null,
      state.canMove() ? moveMenu(board, sampleId, column) : null,
      canControl && sort.mode === "sequence" && sort.open ? shareToggle(board, sampleId, shareRank) : null));
  item.addEventListener("keydown", (event) => onCardKey(board, event, sampleId));
  // A click leaves no keyboard focus on the card (before the picture opens, so that closing it
  // does not bring focus back): keys go on driving the meeting, not this card.
  item.addEventListener("click", (event) => {
    if (event.detail > 0 && !event.target.closest("button, select, a")) item.blur();
  }, { capture: true });
  return item;
}

function moveMenu(board, sampleId, column) {
  const { state } = board;
  const menu = el("select", { class: "move-menu", "aria-label": `Move ${state.labelOf(sampleId)} to…` },
    el("option", { value: "", selected: true }, "Move to…"),
    ...[{ id: null, name: "Unsorted" }, ...state.sort.groups].filter((g) => g.id !== column.group_id)
      .map((g) => el("option", { value: g.id ?? "unsorted", dir: "auto" }, g.name)));
  menu.addEventListener("change", () => {
    if (!menu.value) return;
    const to = menu.value === "unsorted" ? null : Number(menu.value);
    const size = state.columns().find((c) => c.group_id === to).sample_ids.length;
    board.move(sampleId, to, size);
  });
  return menu;
}
