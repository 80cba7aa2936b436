// The columns: the "Unsorted" tray and one column per group, each with its heading, count and
// kind, its cards, and what the current mode adds under them (group tools, notes, next steps).

import { el } from "../lib/dom.js";
import { serverConstants } from "../lib/server_constants.js";
import { anticipatedAs } from "./anticipations.js";
import { card } from "./cards.js";
import { groupTools, notes } from "./groups.js";
import { nextSteps } from "./next_steps.js";

const { kinds: KIND_LABEL } = serverConstants.sort;

export function columnsBox(board, columns) {
  const { view, state } = board;
  return el("div", { class: `board-columns${view === "phone" ? " is-compact" : ""}${state.sort.mode === "plan" ? " is-planning" : ""}` },
    ...columns.map((column) => columnSection(board, column)));
}

function columnSection(board, column) {
  const { state, view } = board;
  const { sort } = state;
  const group = column.group_id == null ? null : sort.groups.find((g) => g.id === column.group_id);
  const headingId = `col-${column.group_id ?? "unsorted"}`;
  const list = el("ol", { class: "cards", "data-group-id": column.group_id ?? "", "aria-labelledby": headingId },
    ...column.sample_ids.map((id) => card(board, id, column)));
  if (!column.sample_ids.length) list.append(el("li", { class: "empty drop-hint", "aria-hidden": "true" }, group ? "Drop work here" : "All sorted"));
  if (state.canMove()) board.drag.attach(list);
  const count = column.sample_ids.length;
  return el("section", { class: `column${group ? ` kind-${group.kind}` : " is-tray"}`, "data-column": column.group_id ?? "unsorted" },
    el("header", { class: "column-head" },
      group ? board.withKeyWords(el("h3", { id: headingId, dir: "auto" }), group.name) : el("h3", { id: headingId }, "Unsorted"),
      el("span", { class: "count", "aria-label": `${count} ${count === 1 ? "sample" : "samples"}` }, String(count)),
      group && KIND_LABEL[group.kind] ? el("span", { class: "kind" }, KIND_LABEL[group.kind]) : null,
      group?.tier_name_kept_by ? el("span", { class: "kind is-warning", title: `Kept by ${group.tier_name_kept_by}` }, "Tier-like name kept") : null,
      // An anticipated strategy seeds its group as written: a tier-like one is flagged until renamed or kept.
      group?.tier_like ? el("span", { class: "kind is-warning", title: `This sounds like a tier (${group.tier_like}). Rename it to the thinking it shows; the facilitator can keep it by saving the same name.` }, "Sounds like a tier: rename it") : null),
    group ? anticipatedAs(group) : null,
    group?.definition ? el("p", { class: "definition", dir: "auto" }, group.definition) : null,
    group && state.canEdit() && view !== "projector" && ["sort", "describe"].includes(sort.mode) ? groupTools(board, group, count) : null,
    list,
    group && (sort.mode === "describe" || (view !== "projector" && sort.mode === "patterns")) ? notes(board, group) : null,
    group && sort.mode === "plan" ? nextSteps(board, group) : null);
}
