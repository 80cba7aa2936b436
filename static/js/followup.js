// "Since last time": the team's open next steps, by who does them, each an improvement cycle.
// On a phone or the control page each is closed with what happened and a decision - adopt, adapt
// or abandon; "adapt" brings its next cycle onto the list at once, whose prediction and evidence
// are filled in here again. The projector shows where each stands. Everyone sees changes as made.

import { el } from "./lib/dom.js";
import { serverConstants } from "./lib/server_constants.js";

// decisions: [value, verb, what it means] triples, in order
const { decisions: DECISIONS, limits: LIMITS } = serverConstants.follow_up;

// Today on this device, as a date field's value: the earliest "by when" (the server refuses past days).
export const today = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 10);

export function renderFollowUp(box, steps, { view, send, locked }) {
  if (!box) return;
  box.classList.toggle("hidden", !steps);
  if (!steps) { box.replaceChildren(); return; }
  const active = document.activeElement;
  if (box.contains(active) && ["TEXTAREA", "INPUT"].includes(active.tagName) && active.type !== "radio") return; // someone is writing here: the next change redraws
  if (!steps.length) {
    box.replaceChildren(el("p", { class: "empty" }, "No open next steps: every one planned last time has its decision."));
    return;
  }
  const owners = [...new Set(steps.map((s) => s.owner_label))];
  box.replaceChildren(...owners.map((owner) => el("section", { class: "followup-owner" },
    el("h2", {}, el("span", { dir: "auto" }, ...unbroken(owner))),
    el("ul", { class: "followup-list" }, ...steps.filter((s) => s.owner_label === owner)
      .map((step) => followUpItem(step, { view, send, locked }))))));
}

// A heading's words, each kept whole: a name like "Okonkwo-Adeyemi" wraps at its spaces, never
// at its hyphen.
function unbroken(text) {
  return text.split(/(\s+)/).map((part) => (/^\s*$/.test(part) ? part : el("span", { class: "word" }, part)));
}

// What the team planned: the prediction and the evidence that will test it.
export function cyclePlan(step) {
  if (!step.prediction) return el("p", { class: "cycle-missing" }, "Prediction and evidence: to fill in for this cycle.");
  return el("dl", { class: "cycle-plan" },
    el("dt", {}, "We predict"), el("dd", { dir: "auto" }, step.prediction),
    el("dt", {}, "Evidence"), el("dd", { dir: "auto" }, step.evidence));
}

function followUpItem(step, { view, send, locked }) {
  const decided = step.status !== "planned";
  const item = el("li", { class: `followup-item status-${step.status}`, "data-step": step.id },
    el("p", { class: "followup-move", dir: "auto" }, step.move),
    el("p", { class: "muted" }, el("span", { dir: "auto" }, step.task), " · ", el("span", { dir: "auto" }, step.group),
      ` · ${step.audience_label}${step.due_on ? ` · by ${step.due_on}` : ""}`),
    step.adapts ? el("p", { class: "muted" }, "Adapts: ", el("span", { dir: "auto" }, step.adapts)) : null,
    cyclePlan(step),
    decided ? el("p", { class: "followup-status" }, el("span", { class: `badge status-${step.status}` }, step.status_label),
      step.status_by ? el("span", { class: "muted" }, " · ", el("span", { dir: "auto" }, step.status_by)) : null) : null,
    step.reflection ? el("p", { class: "followup-reflection", dir: "auto" }, step.reflection) : null);
  if (view === "projector") return item;
  if (!decided && !step.prediction) item.append(planForm(step, { send, locked, event: "followup:plan" }));
  item.append(decisionForm(step, { send, locked }));
  return item;
}

// A carried-over step's next cycle: what we predict now, what will show it, by when (`event`
// sends it: in "Since last time" or on the board).
export function planForm(step, { send, locked = false, event: eventName }) {
  const id = (name) => `cycle-${step.id}-${name}`;
  const field = (name, label, control) => el("div", { class: "field" }, el("label", { for: id(name) }, label), control);
  const form = el("form", { class: "cycle-fill" },
    field("prediction", "We predict", el("textarea", { id: id("prediction"), name: "prediction", rows: 2, required: true, disabled: locked, dir: "auto",
      "data-max-chars": LIMITS.prediction, placeholder: "What will students do after this move?" })),
    field("evidence", "Evidence", el("input", { id: id("evidence"), name: "evidence", type: "text", required: true, disabled: locked, dir: "auto",
      "data-max-chars": LIMITS.evidence, placeholder: "e.g. the exit ticket on Thursday" })),
    field("due_on", "By when", el("input", { id: id("due_on"), name: "due_on", type: "date", min: today(), disabled: locked })),
    el("div", { class: "row" }, el("button", { type: "submit", class: "small", disabled: locked }, "Save the plan")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    send(eventName, { id: step.id, prediction: data.prediction, evidence: data.evidence, due_on: data.due_on || null });
  });
  return form;
}

// What happened, and (while the step is open) the decision that closes it.
function decisionForm(step, { send, locked }) {
  const decided = step.status !== "planned";
  const happened = el("textarea", { rows: 2, "data-max-chars": LIMITS.what_happened, "aria-label": `What happened: ${step.move}`, disabled: locked, dir: "auto",
    placeholder: "What happened? What did the evidence show?" });
  happened.value = step.reflection || "";
  const choices = decided ? null : el("fieldset", { class: "status-choices" },
    el("legend", { class: "visually-hidden" }, `Decision on: ${step.move}`),
    ...DECISIONS.map(([value, verb, meaning]) => el("label", { class: "status-choice decision-choice" },
      el("span", {}, el("input", { type: "radio", name: `decision-${step.id}`, value, disabled: locked }), ` ${verb}`),
      el("small", {}, meaning))));
  const form = el("form", { class: "decision-form" }, happened, choices,
    el("div", { class: "row" }, el("button", { type: "submit", class: "small", disabled: locked }, "Save")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const decision = form.querySelector("input[type=radio]:checked")?.value || null;
    send("followup:update", { id: step.id, what_happened: happened.value, decision });
  });
  return form;
}
