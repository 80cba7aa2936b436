// A group's next steps while planning: the instructional moves decided so far, each an
// improvement cycle (what we predict, what evidence will show it), and the form that adds one
// (for whom, who does it - a person on the team -, by when, a note on one student). Who does a
// step can change hands later, among the same choices. A step carried over by "adapt" asks for its
// prediction and evidence again.

import { el } from "../lib/dom.js";
import { serverConstants } from "../lib/server_constants.js";
import { cyclePlan, planForm, today } from "../followup.js";
import { preparedQuestions } from "./anticipations.js";
import { bindText } from "./coedit.js";

const { limits: LIMITS } = serverConstants.sort;

export function nextSteps(board, group) {
  const { state, view, send } = board;
  const steps = state.sort.next_steps.filter((s) => s.group_id === group.id);
  const editable = state.canEdit() && view !== "projector";
  const list = el("ul", { class: "next-steps list" }, ...steps.map((s, n) => el("li", {},
    editable ? moveEditor(board, s, n + 1) : board.withKeyWords(el("p", { class: "next-move", dir: "auto" }), s.move),
    el("p", { class: "muted" }, `${s.audience_label} · `, el("span", { dir: "auto" }, s.owner_label), s.due_on ? ` · by ${s.due_on}` : ""),
    editable ? ownerChange(board, s, n + 1) : null,
    cyclePlan(s),
    editable && !s.prediction ? planForm(s, { send, event: "sort:next:cycle" }) : null,
    s.student_label ? el("p", { class: "muted" }, el("span", { dir: "auto" }, s.student_label), ": ", el("span", { dir: "auto" }, s.student_note || "")) : null,
    editable ? el("button", { type: "button", class: "link-button is-danger", onclick: () => send("sort:next:remove", { id: s.id }) }, "Remove") : null)));
  if (!steps.length) list.append(el("li", { class: "empty" }, "No next step yet."));
  return el("div", { class: "next-steps-box" }, el("h4", {}, "Next steps"), list, preparedQuestions(board),
    editable ? nextStepDetails(board, group) : null);
}

// A next step's move, which the whole team can go on rewording together, live.
function moveEditor(board, step, number) {
  const id = `next-move-${step.id}`;
  const area = el("textarea", { id, class: "next-move", rows: 2, "data-max-chars": LIMITS.move, "data-field": id, dir: "auto" });
  area.value = step.move;
  bindText(board, area, { kind: "next_step", id: step.id, field: "move" });
  return el("div", { class: "field" }, el("label", { for: id, class: "visually-hidden" }, `Next step ${number}: instructional move`), area);
}

// Another person on the team takes the step (by role only where names are hidden): the board's
// owner choices, as when it was planned; the server checks the choice by the same rule.
function ownerChange(board, step, number) {
  const { openForms } = board.ui;
  const { owners } = board.state.sort;
  const key = `owner-${step.id}`;
  const current = owners.find((o) => o.name === (step.owner_name || "") && o.role === step.owner_role);
  // Not a draft: a redraw shows who does it now (a focused field keeps what its person chose).
  const select = el("select", { id: key, name: "owner", required: true, "data-field": key },
    current ? null : el("option", { value: "" }, "Choose a person…"),
    ...owners.map((o) => el("option", { value: o.key, selected: o === current, dir: "auto" }, o.label)));
  const form = el("form", { class: "row owner-change" },
    el("label", { for: key }, `Who does next step ${number}`), select,
    el("button", { type: "submit", class: "small" }, "Change"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (select.value === current?.key) { board.say("That is who does it already."); return; }
    if (await board.send("sort:next:owner", { id: step.id, owner: select.value })) { openForms.delete(key); board.draw(); }
  });
  const details = el("details", { class: "owner-change-box", open: openForms.has(key) },
    el("summary", {}, "Change who does it", el("span", { class: "visually-hidden" }, ` (next step ${number})`)), form);
  details.addEventListener("toggle", () => { if (details.open) openForms.add(key); else openForms.delete(key); });
  return details;
}

function nextStepDetails(board, group) {
  const { openForms } = board.ui;
  const details = el("details", { class: "next-step-add", open: openForms.has(group.id) },
    el("summary", {}, "Add a next step for “", el("span", { dir: "auto" }, group.name), "”"), nextStepForm(board, group));
  details.addEventListener("toggle", () => { if (details.open) openForms.add(group.id); else openForms.delete(group.id); });
  return details;
}

function nextStepForm(board, group) {
  const { sort } = board.state;
  const id = (name) => `ns-${group.id}-${name}`;
  const field = (name, label, control) => el("div", { class: "field" }, el("label", { for: id(name) }, label), control);
  const choose = (name, options) => el("select", { id: id(name), name, required: true, "data-field": id(name), "data-draft": "" },
    ...options.map(([value, label]) => el("option", { value }, label)));
  const form = el("form", { class: "next-step-form" },
    field("move", "Instructional move", el("textarea", { id: id("move"), name: "move", rows: 2, "data-max-chars": LIMITS.move, required: true, "data-field": id("move"), "data-draft": "", dir: "auto" })),
    el("div", { class: "row" },
      field("audience", "For", choose("audience", Object.entries(sort.audiences))),
      field("owner", "Who does it", choose("owner", sort.owners.map((o) => [o.key, o.label]))),
      field("due_on", "By when", el("input", { id: id("due_on"), name: "due_on", type: "date", min: today(), "data-field": id("due_on"), "data-draft": "" }))),
    field("prediction", "We predict", el("textarea", { id: id("prediction"), name: "prediction", rows: 2, "data-max-chars": LIMITS.prediction, required: true, "data-field": id("prediction"), "data-draft": "", dir: "auto",
      placeholder: "What will students do after this move?" })),
    field("evidence", "Evidence that will show it", el("input", { id: id("evidence"), name: "evidence", type: "text", "data-max-chars": LIMITS.evidence, required: true, "data-field": id("evidence"), "data-draft": "", dir: "auto",
      placeholder: "e.g. the exit ticket on Thursday" })),
    el("details", {}, el("summary", {}, "Add a note on one student"),
      el("div", { class: "row" },
        field("student_label", "Student code", el("input", { id: id("student_label"), name: "student_label", "data-max-chars": LIMITS.student_label, "data-field": id("student_label"), "data-draft": "", dir: "auto" })),
        field("student_note", "Note", el("input", { id: id("student_note"), name: "student_note", "data-max-chars": LIMITS.student_note, "data-field": id("student_note"), "data-draft": "", dir: "auto" })))),
    el("button", { type: "submit", class: "small" }, "Add next step"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const payload = { group_id: group.id, move: data.move.trim(), audience: data.audience, owner: data.owner,
      due_on: data.due_on || null, prediction: data.prediction.trim(), evidence: data.evidence.trim(),
      student_label: data.student_label || null, student_note: data.student_note || null };
    if (!payload.move) { board.say("Describe the instructional move.", "error"); return; }
    if (await board.send("sort:next:add", payload)) {
      for (const name of ["move", "due_on", "prediction", "evidence", "student_label", "student_note"]) board.clearField(id(name));
    }
  });
  return form;
}
