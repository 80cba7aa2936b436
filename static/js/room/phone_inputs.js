// The phone's inputs for the step: a text box per question (with the phone's own answers
// under it, to edit or withdraw), the photo of one's solution where the step asks for it, the
// uploader on an upload step, or nothing where the board or the follow-up list is the input.

import { el } from "../lib/dom.js";
import { checkLimit } from "../lib/limits.js";
import { uploader } from "../work/uploader.js";

let editing = false; // one of this phone's answers is open for editing: keep it on screen

function composer(room, field, label) {
  const { maxChars, send } = room;
  const id = `answer-${field || "main"}`;
  // An answer over the limit stays whole and says so (lib/limits.js); its form will not send.
  const input = el("textarea", { id, name: "text", rows: 3, "data-max-chars": maxChars, required: true, dir: "auto" });
  const form = el("form", { class: "composer", "data-field": field || "" },
    el("label", { for: id }, label),
    input,
    el("div", { class: "row" }, el("button", { type: "submit" }, "Send")),
    el("ul", { class: "mine list", "data-mine-for": field || "" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) { room.say("Write something first.", "error"); input.focus(); return; }
    const ack = await send("response:add", field ? { text, field } : { text });
    if (!ack) return;
    // The server's acknowledgement is how this phone learns the answer is its own.
    room.mine.add(ack.id);
    renderMine(room);
    input.value = ""; checkLimit(input); input.focus();
  });
  return form;
}

// On a new step (or when the meeting ends): the inputs it asks for, nothing open for editing.
export function renderInputs(room) {
  editing = false;
  const box = room.bound("inputs");
  const { state } = room;
  const { step, meeting } = state;
  if (meeting.ended) { box.replaceChildren(); return; }
  if (step.activity === "responses") box.replaceChildren(composer(room, null, "Your answer"));
  else if (step.activity === "upload") box.replaceChildren(uploader({ url: `/live/${room.meetingId}/work`, capture: true }));
  else if (step.questions) box.replaceChildren(...Object.entries(step.questions).map(([f, q]) => composer(room, f, q)));
  else if (state.sort || state.follow_up) box.replaceChildren(); // the board or the list below is the input
  else box.replaceChildren(el("p", { class: "muted follow" }, "Follow along on the main screen."));
  const photo = room.solutions.panel(); // on a step that takes photos of solutions
  if (photo) box.append(photo);
  renderMine(room);
}

export function setInputsDisabled(room, disabled) {
  for (const control of room.bound("inputs").querySelectorAll("textarea, button, input")) control.disabled = disabled;
}

// The phone's own answers under each text box.
export function renderMine(room) {
  if (editing) return;
  for (const list of room.root.querySelectorAll("[data-mine-for]")) {
    const field = list.dataset.mineFor || null;
    const items = room.state.responses.filter((r) => room.mine.has(r.id) && (r.field || null) === field);
    list.replaceChildren(...items.map((r) => mineItem(room, r)));
  }
}

function mineItem(room, r) {
  const { maxChars, send } = room;
  const item = el("li", { class: "mine-item" }, el("p", { dir: "auto" }, r.text));
  const done = () => { editing = false; renderMine(room); };
  const edit = () => {
    editing = true;
    const box = el("textarea", { rows: 3, "data-max-chars": maxChars, "aria-label": "Edit your answer", dir: "auto" });
    box.value = r.text;
    const save = async () => {
      if (!box.checkValidity()) { room.say(box.validationMessage, "error"); box.focus(); return; }
      if (await send("response:edit", { id: r.id, text: box.value.trim() })) done();
    };
    item.replaceChildren(box, el("div", { class: "row" },
      el("button", { type: "button", onclick: save }, "Save"),
      el("button", { type: "button", class: "secondary", onclick: done }, "Cancel")));
    box.focus();
  };
  item.append(el("div", { class: "row" },
    el("button", { type: "button", class: "secondary small", onclick: edit }, "Edit"),
    el("button", { type: "button", class: "secondary small", onclick: () => send("response:withdraw", { id: r.id }) }, "Withdraw")));
  return item;
}
