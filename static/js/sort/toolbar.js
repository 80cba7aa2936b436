// The bar above the board: what the current mode is for, and the board-wide actions - add a
// group, undo one's own last move (the facilitator: anyone's), and for the facilitator lock, close or reopen the sort.

import { el } from "../lib/dom.js";
import { serverConstants } from "../lib/server_constants.js";
import { newGroupForm, tierPrompt } from "./groups.js";

const { hints: HINTS, touch_hints: TOUCH_HINTS } = serverConstants.sort;

function hint(sort, view) {
  if (!sort.open) return ["Closed and saved", ...(sort.closed_by ? [" by ", el("span", { dir: "auto" }, sort.closed_by)] : []), ` (version ${sort.version}).`];
  return (view === "phone" && TOUCH_HINTS[sort.mode]) || HINTS[sort.mode];
}

export function toolbar(board) {
  const { state, view, canControl, send } = board;
  const { sort } = state;
  const bar = el("div", { class: "board-toolbar" },
    el("p", { class: "board-hint" }, hint(sort, view)),
    sort.locked && sort.open ? el("span", { class: "badge" }, "Only the facilitator moves cards") : null);
  const actions = el("div", { class: "row board-actions" });
  if (state.canMove() && sort.mode === "sort") actions.append(newGroupForm(board));
  if (state.canMove() && sort.can_undo) {
    // The room's notice says what was undone: the undoer's own acknowledgement must not clear it.
    const undo = async () => { const ack = await send("sort:undo", {}, { quiet: true }); if (ack && !ack.ok) board.say(ack.error, "error"); };
    actions.append(el("button", { type: "button", class: "secondary small", onclick: undo },
      canControl ? "Undo last move" : "Undo my last move"));
  }
  if (canControl) {
    if (sort.open) {
      actions.append(el("button", { type: "button", class: "secondary small", "aria-pressed": String(sort.locked),
        onclick: () => send("sort:lock", { value: !sort.locked }) }, sort.locked ? "Let everyone move cards" : "Only I move cards"));
      if (sort.mode === "close") {
        actions.append(el("button", { type: "button", onclick: () => {
          if (confirm("Close the sort and save it as it stands? Reopening later starts a new version.")) send("sort:close");
        } }, "Close and save the sort"));
      }
    } else {
      actions.append(el("button", { type: "button", class: "secondary", onclick: () => send("sort:reopen") }, "Reopen as a new version"));
    }
  }
  if (actions.childElementCount) bar.append(actions);
  if (board.ui.tierAsk) bar.append(tierPrompt(board));
  return bar;
}
