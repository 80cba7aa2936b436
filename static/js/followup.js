// "Since last time": the team's open next steps, by who does them. On a phone or the control
// page each can be marked tried, done or dropped with a line on what happened; the
// projector shows where each stands. Everyone sees changes as they are made.

import { el } from "./lib/dom.js";
import { serverConstants } from "./lib/server_constants.js";

// statuses: [value, label] pairs, in order
const { statuses: STATUSES, reflection_max_chars: REFLECTION_MAX_CHARS } = serverConstants.follow_up;

export function renderFollowUp(box, steps, { view, send, locked }) {
  if (!box) return;
  box.classList.toggle("hidden", !steps);
  if (!steps) { box.replaceChildren(); return; }
  const typing = box.contains(document.activeElement) && document.activeElement.tagName === "TEXTAREA";
  if (typing) return; // someone is writing a reflection here: the next change redraws
  if (!steps.length) {
    box.replaceChildren(el("p", { class: "empty" }, "No open next steps: everything planned last time is done or dropped."));
    return;
  }
  const owners = [...new Set(steps.map((s) => s.owner_label))];
  box.replaceChildren(...owners.map((owner) => el("section", { class: "followup-owner" },
    el("h2", {}, owner),
    el("ul", { class: "followup-list" }, ...steps.filter((s) => s.owner_label === owner)
      .map((step) => followUpItem(step, { view, send, locked }))))));
}

function followUpItem(step, { view, send, locked }) {
  const item = el("li", { class: `followup-item status-${step.status}` },
    el("p", { class: "followup-move", dir: "auto" }, step.move),
    el("p", { class: "muted" }, el("span", { dir: "auto" }, step.task), " · ", el("span", { dir: "auto" }, step.group),
      ` · ${step.audience_label}${step.due_on ? ` · by ${step.due_on}` : ""}`),
    el("p", { class: "followup-status" }, el("span", { class: `badge status-${step.status}` }, step.status_label),
      step.status_by ? el("span", { class: "muted" }, " · ", el("span", { dir: "auto" }, step.status_by)) : null),
    step.reflection ? el("p", { class: "followup-reflection", dir: "auto" }, step.reflection) : null);
  if (view === "projector") return item;
  const name = `status-${step.id}`;
  const choices = el("fieldset", { class: "status-choices" },
    el("legend", { class: "visually-hidden" }, `What became of: ${step.move}`),
    ...STATUSES.map(([value, label]) => el("label", { class: "status-choice" },
      el("input", { type: "radio", name, value, checked: step.status === value, disabled: locked }), label)));
  const reflection = el("textarea", { rows: 2, "data-max-chars": REFLECTION_MAX_CHARS, "aria-label": `What happened: ${step.move}`, disabled: locked, dir: "auto",
    placeholder: "What happened? What did students do?" });
  reflection.value = step.reflection || "";
  const save = el("button", { type: "button", class: "small", disabled: locked }, "Save");
  save.addEventListener("click", () => {
    const status = choices.querySelector("input:checked")?.value || step.status;
    send("followup:update", { id: step.id, status, reflection: reflection.value });
  });
  choices.addEventListener("change", (event) => send("followup:update", { id: step.id, status: event.target.value }));
  item.append(choices, reflection, el("div", { class: "row" }, save));
  return item;
}
