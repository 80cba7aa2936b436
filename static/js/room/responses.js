// Responses on the projector and the control page: one list, or a column per anticipation
// question, and the response in the spotlight. A phone shows only its own (phone_inputs.js).

import { el } from "../lib/dom.js";
import { serverConstants } from "../lib/server_constants.js";
import { renderMine } from "./phone_inputs.js";

const { response_activities: RESPONSE_ACTIVITIES } = serverConstants.room; // steps that take written answers

const LONG_SPOTLIGHT = 160; // characters: a longer answer is spotlit in smaller type, to leave room for the rest

export const takesResponses = (step) => RESPONSE_ACTIVITIES.includes(step.activity);

function questionLabel(room, field) {
  return room.state.step.questions && field ? room.state.step.questions[field] : null;
}

// Who wrote it: absent when the step is anonymous or names are hidden (no `author` then).
const authorLine = (r) => (r.author ? el("p", { class: "response-author", dir: "auto" }, r.author) : null);

function responseCard(room, r) {
  const { state, view, canControl, send } = room;
  const spot = state.spotlight_id === r.id;
  return el("article", { class: `response${spot ? " is-spotlit" : ""}`, "data-response-id": r.id },
    el("p", { class: "response-text", dir: "auto" }, r.text),
    authorLine(r),
    view === "control" && canControl
      ? el("button", { type: "button", class: "secondary small", "aria-pressed": String(spot),
          onclick: () => send("response:spotlight", { response_id: spot ? null : r.id }) },
        spot ? "Remove spotlight" : "Spotlight")
      : null);
}

export function renderResponses(room) {
  const { state, bound } = room;
  const count = state.responses.length;
  room.setText("response-count", count ? `${count} ${count === 1 ? "response" : "responses"} so far` : "");
  if (room.view === "phone") { renderMine(room); return; }
  const box = bound("responses");
  if (!box) return;
  const { step } = state;
  const card = (r) => responseCard(room, r);
  if (!takesResponses(step)) {
    box.replaceChildren();
  } else if (step.questions) {
    box.replaceChildren(...Object.entries(step.questions).map(([field, question]) => {
      const answers = state.responses.filter((r) => r.field === field);
      return el("section", { class: "question-column" },
        el("h2", {}, question, " ", el("span", { class: "question-count", "aria-label": `${answers.length} answers` }, String(answers.length))),
        ...answers.map(card));
    }));
  } else if (!state.responses.length) {
    box.replaceChildren(el("p", { class: "empty" }, "Responses appear here as they are sent."));
  } else {
    box.replaceChildren(...state.responses.map(card));
  }
  const spot = bound("spotlight");
  if (spot) {
    const r = state.responses.find((x) => x.id === state.spotlight_id);
    spot.classList.toggle("hidden", !r);
    // Only what there is: replaceChildren would write a missing line as the word "null".
    spot.replaceChildren(...(r ? [el("p", { class: `spotlight-text${r.text.length > LONG_SPOTLIGHT ? " is-long" : ""}`, dir: "auto" }, r.text),
      authorLine(r), questionLabel(room, r.field) ? el("p", { class: "muted" }, questionLabel(room, r.field)) : null] : []).filter(Boolean));
  }
}
