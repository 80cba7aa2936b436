// Groups: adding one, naming it (a tier-like name asks first; only the facilitator may keep
// one), renaming and removing it, linking it to the team's vocabulary, and its notes.

import { el } from "../lib/dom.js";
import { serverConstants } from "../lib/server_constants.js";
import { stuckPoints } from "./anticipations.js";
import { bindText } from "./coedit.js";

const { notes: NOTES, limits: LIMITS } = serverConstants.sort; // notes: [field, label] pairs, in order

export function newGroupForm(board) {
  const input = el("input", { type: "text", "data-max-chars": LIMITS.group_name, placeholder: "e.g. Makes a ten", "aria-label": "Name of a new group", "data-field": "new-group", "data-draft": "", dir: "auto" });
  const form = el("form", { class: "row nowrap new-group" }, input, el("button", { type: "submit", class: "small" }, "Add group"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!name) { board.say("Name the thinking the group shows.", "error"); input.focus(); return; }
    if (await nameGroup(board, "sort:group:add", { name }, "new-group")) board.clearField("new-group");
  });
  return form;
}

// Group names: a tier-like name gets a friendly prompt; only the facilitator may keep it.
async function nameGroup(board, event, payload, field) {
  const { ui } = board;
  const ack = await board.send(event, payload, { quiet: true });
  if (!ack) return false;
  if (ack.ok) { board.say(""); ui.tierAsk = null; ui.editing = null; board.draw(); return true; }
  if (!ack.tier_name) { board.say(ack.error, "error"); return false; }
  ui.tierAsk = { event, payload, field, message: ack.error, examples: ack.tier_name.examples };
  board.draw();
  board.say(""); // the prompt says it better than the status line
  return false;
}

export function tierPrompt(board) {
  const { ui } = board;
  const { event, payload, field, message, examples } = ui.tierAsk;
  const rename = () => { ui.tierAsk = null; board.draw(); board.box.querySelector(`[data-field="${field}"]`)?.focus(); };
  return el("div", { class: "tier-prompt", role: "alert" },
    el("p", {}, message),
    el("p", { class: "muted" }, "Names of thinking: ", examples.join(", "), "."),
    el("div", { class: "row" },
      board.canControl ? el("button", { type: "button", class: "secondary small", onclick: async () => {
        if (await board.send(event, { ...payload, keep_tier_name: true })) { ui.tierAsk = null; ui.editing = null; board.clearField(field); board.draw(); }
      } }, `Keep “${payload.name}” anyway`) : null,
      el("button", { type: "button", class: "link-button", onclick: rename }, "Rename it")));
}

export function groupTools(board, group, count) {
  const { ui } = board;
  if (ui.editing?.groupId === group.id && ui.editing.kind === "rename") return renameForm(board, group);
  const open = (kind) => () => { ui.editing = { groupId: group.id, kind }; board.draw(); board.box.querySelector(`[data-field="${kind}-${group.id}"]`)?.focus(); };
  // What we anticipated stays on the board: only the facilitator removes an anticipated group.
  const remove = group.kind === "anticipated" && !board.canControl ? null : el("button", { type: "button", class: "link-button is-danger", onclick: () => {
    if (!count || confirm(`Remove “${group.name}”? Its ${count} ${count === 1 ? "card goes" : "cards go"} back to Unsorted.`)) {
      board.send("sort:group:remove", { group_id: group.id });
    }
  } }, "Remove");
  return el("div", { class: "row group-tools" },
    el("button", { type: "button", class: "link-button", onclick: open("rename") }, "Rename"), remove,
    board.state.sort.mode === "describe" ? vocabularyLink(board, group, open("define")) : null);
}

function renameForm(board, group) {
  const field = `rename-${group.id}`;
  const input = el("input", { type: "text", "data-max-chars": LIMITS.group_name, value: group.name, "aria-label": `New name for ${group.name}`, "data-field": field, "data-draft": "", dir: "auto" });
  const form = el("form", { class: "row nowrap" }, input, el("button", { type: "submit", class: "small" }, "Save"),
    el("button", { type: "button", class: "link-button", onclick: () => { board.ui.editing = null; board.draw(); } }, "Cancel"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    nameGroup(board, "sort:group:rename", { group_id: group.id, name: input.value.trim() }, field);
  });
  return form;
}

function vocabularyLink(board, group, openDefine) {
  const { ui, send } = board;
  const { sort } = board.state;
  if (group.kind === "unanticipated") return null;
  const options = sort.vocabulary.map((s) => el("option", { value: s.id, selected: s.id === group.strategy_id, dir: "auto" }, s.name));
  const select = el("select", { "aria-label": `Link ${group.name} to a strategy of the team's vocabulary` },
    el("option", { value: "" }, group.strategy_id ? "Not linked" : "Link to our vocabulary…"), ...options);
  select.addEventListener("change", () => send("sort:group:link", { group_id: group.id, strategy_id: select.value ? Number(select.value) : null }));
  if (group.strategy_id) return select;
  if (ui.editing?.groupId === group.id && ui.editing.kind === "define") {
    const field = `define-${group.id}`;
    const input = el("input", { type: "text", "data-max-chars": LIMITS.definition, placeholder: "One line: what this strategy is", "aria-label": `Definition of ${group.name}`, "data-field": field, "data-draft": "", dir: "auto" });
    const form = el("form", { class: "row nowrap" }, input, el("button", { type: "submit", class: "small" }, "Add"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (await send("sort:group:link", { group_id: group.id, definition: input.value })) { ui.editing = null; board.clearField(field); board.draw(); }
    });
    return form;
  }
  return el("span", { class: "row" }, sort.vocabulary.length ? select : null,
    el("button", { type: "button", class: "link-button", onclick: openDefine }, "Add to vocabulary"));
}

// A group's notes: fields to fill in while describing (on phones and laptops), the answers
// given otherwise and always on the projector, where the room reads them as they are typed.
// Either way the anticipated stuck points come with "Issues we see" (nodes to place in the column).
export function notes(board, group) {
  const editable = board.state.canEdit() && board.state.sort.mode === "describe" && board.view !== "projector";
  if (!editable) {
    const given = NOTES.filter(([field]) => group[field]);
    // The notes as given, then (outside them) where the team anticipated students might get stuck.
    return [el("div", { class: "group-notes" }, ...(given.length
      ? given.map(([field, label]) => el("p", {}, el("strong", {}, `${label} `), board.withKeyWords(el("span", { dir: "auto" }), group[field])))
      : [el("p", { class: "empty" }, "No notes yet.")])), stuckPoints(board)];
  }
  return el("div", { class: "group-notes" }, ...NOTES.map(([field, label]) => {
    const id = `note-${group.id}-${field}`;
    const area = el("textarea", { id, rows: 2, "data-max-chars": LIMITS.note, "data-field": id, dir: "auto" });
    area.value = group[field];
    bindText(board, area, { kind: "group", id: group.id, field }); // typed by several people at once, live
    // Beside "Issues we see": where the team anticipated students might get stuck.
    return el("div", { class: "note-field" }, el("label", { for: id }, label), area, field === "issues" ? stuckPoints(board) : null);
  }));
}
