// The live room in the browser: the projector, the facilitator's control page and the phone
// share this module. The server sends the whole state on every (re)connect and after each
// change; this file only renders what it is told and sends what a person does.

import { renderFollowUp } from "./followup.js";
import { createBoard } from "./sort.js";
import { el, openViewer, sampleCard, uploader } from "./work.js";

const root = document.querySelector("[data-meeting-id]");
const meetingId = Number(root.dataset.meetingId);
const view = root.dataset.view; // "projector" | "control" | "phone"
const canControl = root.dataset.canControl === "true";
const maxChars = Number(root.dataset.maxChars || 500);

let state = null;
let script = "";
let mine = new Set(); // ids of this phone's own answers, as the server tells them (ids are never reused)
let timerEndsAt = null; // ms, local clock, while running
let timerLeft = 0; // seconds, while paused
let targetPos = null; // where quick repeated Next/Previous presses are heading
let editing = false; // a phone's own answer is open for editing: keep it on screen

const bound = (name) => root.querySelector(`[data-bind="${name}"]`);

function setText(name, text) {
  const node = bound(name);
  if (node) node.textContent = text;
}

function show(name, visible) {
  const node = bound(name);
  if (node) node.classList.toggle("hidden", !visible);
}

function say(message, kind = "info") {
  const node = bound("status");
  if (!node) return;
  node.textContent = message;
  node.dataset.kind = kind;
}

// --- connection -----------------------------------------------------------

const socket = io({ auth: { meeting_id: meetingId } });
const board = createBoard({ root, view, canControl, send: (...args) => send(...args), say });

socket.on("connect", () => say(""));
socket.on("disconnect", () => say("Reconnecting…", "warn"));
socket.on("connect_error", (err) => say(err.message === "xhr poll error" ? "Reconnecting…" : err.message, "error"));
socket.on("error", (err) => say(err.message, "error"));

socket.on("hello", (hello) => { mine = new Set(hello.own_response_ids); });
socket.on("control", (control) => { script = control.script; setText("script", script); });
socket.on("state", (next) => {
  const stepChanged = !state || state.step.pos !== next.step.pos;
  // Broadcasts after a change leave out the agenda and who joined: keep what we have.
  state = { agenda: state?.agenda, participants: state?.participants,
    samples: stepChanged ? null : state?.samples, sort: stepChanged ? null : state?.sort,
    follow_up: stepChanged ? null : state?.follow_up, ...next };
  if (targetPos === next.step.pos) targetPos = null;
  setTimer(next.timer);
  render(stepChanged);
  if (stepChanged || next.sort !== undefined) board.setSort(state.sort, state.samples);
});
socket.on("participants", (people) => { if (state) { state.participants = people; renderPeople(); } });
// The room hears a new response first; its author learns just after that it is theirs.
socket.on("response:mine", ({ id }) => { mine.add(id); if (state) renderResponses(); });
// After a step change: which answers on the new step are this phone's.
socket.on("responses:mine", ({ ids }) => { mine = new Set(ids); if (state) renderResponses(); });
socket.on("response:upsert", (response) => {
  if (!state) return;
  const index = state.responses.findIndex((r) => r.id === response.id);
  if (index >= 0) state.responses[index] = response; else state.responses.push(response);
  renderResponses();
});
function upsertSample(sample, addNew) {
  if (!state || !state.samples) return;
  const index = state.samples.findIndex((s) => s.id === sample.id);
  if (index >= 0) state.samples[index] = sample; else if (addNew) state.samples.push(sample); else return;
  renderSamples();
}
socket.on("work:sample", (sample) => upsertSample(sample, true));
// A deleted sample leaves the list at once; its board follows with the next `sort`.
socket.on("work:removed", ({ id }) => {
  if (!state || !state.samples) return;
  state.samples = state.samples.filter((s) => s.id !== id);
  renderSamples();
});
document.addEventListener("sample:changed", (e) => upsertSample(e.detail, false));
socket.on("sort", (sort) => { if (state) { state.sort = sort; board.setSort(sort, state.samples); } });
socket.on("sort:moved", (moved) => board.applyMove(moved));
socket.on("follow_up", (steps) => { if (state) { state.follow_up = steps; renderFollowUpStep(); } });
socket.on("response:removed", ({ id }) => {
  if (!state) return;
  state.responses = state.responses.filter((r) => r.id !== id);
  if (state.spotlight_id === id) state.spotlight_id = null; // a withdrawn answer leaves the spotlight too
  mine.delete(id);
  renderResponses();
});

// Resolves to the acknowledgement when it is ok (or to any acknowledgement when `quiet`: the
// caller then shows the outcome itself), and to null when the server refused or did not answer.
function send(event, payload = {}, { quiet = false } = {}) {
  return new Promise((resolve) => {
    socket.timeout(8000).emit(event, payload, (err, ack) => {
      if (err) { say("No answer from the server; check your connection.", "error"); resolve(null); return; }
      if (quiet) { resolve(ack); return; }
      if (!ack.ok) say(ack.error, "error"); else say("");
      resolve(ack.ok ? ack : null);
    });
  });
}

// --- timer ----------------------------------------------------------------

function setTimer(timer) {
  timerEndsAt = timer.running ? Date.now() + timer.seconds_left * 1000 : null;
  timerLeft = timer.seconds_left;
  tick();
}

function tick() {
  const node = bound("timer");
  if (!node || !state) return;
  const left = timerEndsAt ? Math.max(0, (timerEndsAt - Date.now()) / 1000) : timerLeft;
  const whole = Math.ceil(left);
  node.textContent = `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  node.classList.toggle("timer-running", Boolean(timerEndsAt));
  node.classList.toggle("timer-done", whole === 0);
  node.setAttribute("aria-label", `${Math.floor(whole / 60)} minutes ${whole % 60} seconds left`);
}
setInterval(tick, 250);

// --- rendering --------------------------------------------------------------

function render(stepChanged) {
  const { step, meeting } = state;
  setText("protocol", step.protocol_title);
  setText("step-title", step.title);
  setText("progress", `Step ${step.pos + 1} of ${step.total}`);
  setText("prompt", step.prompt);
  document.title = `${step.title} · Math PLC`;
  show("ended", meeting.ended);
  show("locked", state.input_locked && !meeting.ended);
  show("task", step.activity === "discuss");
  show("anonymous-note", step.anonymous && ["responses", "anticipate"].includes(step.activity));
  renderPeople();
  renderResponses();
  renderControls();
  renderAgenda();
  renderSamples();
  renderFollowUpStep();
  if (view === "phone" && (stepChanged || meeting.ended)) { editing = false; renderInputs(); }
  if (view === "phone") setInputsDisabled(state.input_locked || meeting.ended);
}

function renderFollowUpStep() {
  renderFollowUp(bound("follow-up"), state.follow_up, { view, send, locked: state.meeting.ended || (state.input_locked && !canControl) });
}

function renderPeople() {
  setText("people-count", String(state.participants.length));
  const list = bound("people");
  if (!list) return;
  list.replaceChildren(...state.participants.map((p) =>
    el("li", { title: p.role }, el("span", { class: "person-name" }, p.name),
      view === "projector" ? null : el("span", { class: "person-role" }, p.role))));
  if (!state.participants.length) list.append(el("li", { class: "empty" }, "Nobody yet: scan the QR code or type the code."));
}

function questionLabel(field) {
  return state.step.questions && field ? state.step.questions[field] : null;
}

function responseCard(r) {
  const spot = state.spotlight_id === r.id;
  return el("article", { class: `response${spot ? " is-spotlit" : ""}`, "data-response-id": r.id },
    el("p", { class: "response-text" }, r.text),
    r.author ? el("p", { class: "response-author" }, r.author) : null,
    view === "control" && canControl
      ? el("button", { type: "button", class: "secondary small", "aria-pressed": String(spot),
          onclick: () => send("response:spotlight", { response_id: spot ? null : r.id }) },
        spot ? "Remove spotlight" : "Spotlight")
      : null);
}

function renderResponses() {
  const count = state.responses.length;
  setText("response-count", count ? `${count} ${count === 1 ? "response" : "responses"} so far` : "");
  if (view === "phone") { renderMine(); return; }
  const box = bound("responses");
  if (!box) return;
  const { step } = state;
  if (!["responses", "anticipate"].includes(step.activity)) {
    box.replaceChildren();
  } else if (step.questions) {
    box.replaceChildren(...Object.entries(step.questions).map(([field, question]) =>
      el("section", { class: "question-column" }, el("h2", {}, question),
        ...state.responses.filter((r) => r.field === field).map(responseCard))));
  } else if (!state.responses.length) {
    box.replaceChildren(el("p", { class: "empty" }, "Responses appear here as they are sent."));
  } else {
    box.replaceChildren(...state.responses.map(responseCard));
  }
  const spot = bound("spotlight");
  if (spot) {
    const r = state.responses.find((x) => x.id === state.spotlight_id);
    spot.classList.toggle("hidden", !r);
    spot.replaceChildren(...(r ? [el("p", { class: "spotlight-text" }, r.text),
      r.author ? el("p", { class: "response-author" }, r.author) : null,
      questionLabel(r.field) ? el("p", { class: "muted" }, questionLabel(r.field)) : null] : []));
  }
}

function renderControls() {
  if (!canControl) return;
  const toggle = bound("timer-toggle");
  if (toggle) toggle.textContent = state.timer.running ? "Pause timer" : "Start timer";
  for (const [action, on, label] of [["hide-names", state.names_hidden, ["Hide names", "Show names"]],
    ["lock-input", state.input_locked, ["Lock input", "Unlock input"]]]) {
    const button = root.querySelector(`[data-action="${action}"]`);
    button.setAttribute("aria-pressed", String(on));
    button.textContent = label[on ? 1 : 0];
  }
  root.querySelector('[data-action="prev"]').disabled = state.step.pos === 0;
  root.querySelector('[data-action="next"]').disabled = state.step.pos === state.step.total - 1;
  for (const button of root.querySelectorAll(".controls button")) {
    if (state.meeting.ended) button.disabled = true;
  }
}

function renderAgenda() {
  const list = bound("agenda");
  if (!list) return;
  list.replaceChildren(...state.agenda.map((s, pos) =>
    el("li", { class: pos === state.step.pos ? "current" : "" },
      el("button", { type: "button", class: "link-button", "aria-current": pos === state.step.pos ? "step" : false,
        onclick: () => send("step:goto", { pos }) }, `${s.title}`),
      el("span", { class: "muted" }, ` · ${s.minutes} min`))));
}

function renderSamples() {
  const box = bound("samples");
  if (!box) return;
  if (state.sort) { box.classList.add("hidden"); board.setSamples(state.samples); return; } // the board shows them
  const samples = state.samples;
  box.classList.toggle("hidden", !samples);
  if (!samples) { box.replaceChildren(); return; }
  const busy = samples.filter((s) => !["done", "failed"].includes(s.status)).length;
  const summary = el("p", { class: "muted samples-summary" }, samples.length
    ? `${samples.length} ${samples.length === 1 ? "sample" : "samples"} of student work${busy ? ` · ${busy} being read` : ""}`
    : view === "phone" ? "No student work yet: take a photo or choose files above." : "No student work yet. Upload photos from a phone or a laptop.");
  const editable = view === "phone";
  // A text being corrected stays open while other samples arrive.
  const editing = box.querySelector(".text-editor")?.closest("[data-sample-id]");
  box.replaceChildren(summary, el("div", { class: "samples" }, ...samples.map((s) =>
    (editing && editing.dataset.sampleId === String(s.id) ? editing
      : sampleCard(s, { editable, onOpen: view === "projector" ? null : openViewer })))));
}

// --- the facilitator's controls ---------------------------------------------

async function moveBy(delta) {
  const from = targetPos ?? state.step.pos;
  const pos = Math.min(state.step.total - 1, Math.max(0, from + delta));
  if (pos === from) return;
  targetPos = pos;
  if (!(await send("step:goto", { pos }))) targetPos = null;
}

const actions = {
  prev: () => moveBy(-1),
  next: () => moveBy(1),
  "timer-toggle": () => send(state.timer.running ? "timer:pause" : "timer:start"),
  "add-minute": () => send("timer:add", { seconds: 60 }),
  "hide-names": () => send("names:hide", { value: !state.names_hidden }),
  "lock-input": () => send("input:lock", { value: !state.input_locked }),
  end: () => { if (confirm("End the meeting for everyone? The join code stops working.")) send("meeting:end"); },
};

if (canControl) {
  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (button && state && actions[button.dataset.action]) actions[button.dataset.action]();
  });
  // Presentation clickers send arrow and page keys.
  document.addEventListener("keydown", (event) => {
    if (!state || event.target.closest("input, textarea, select, [data-card]")) return;
    if (["ArrowRight", "PageDown"].includes(event.key)) actions.next();
    else if (["ArrowLeft", "PageUp"].includes(event.key)) actions.prev();
    else return;
    event.preventDefault();
  });
}

// --- the phone's inputs -------------------------------------------------------

function composer(field, label) {
  const id = `answer-${field || "main"}`;
  const input = el("textarea", { id, name: "text", rows: 3, maxlength: maxChars, required: true });
  const counter = el("span", { class: "counter muted", "aria-live": "off" }, `0 / ${maxChars}`);
  input.addEventListener("input", () => { counter.textContent = `${input.value.length} / ${maxChars}`; });
  const form = el("form", { class: "composer", "data-field": field || "" },
    el("label", { for: id }, label),
    input,
    el("div", { class: "row" }, el("button", { type: "submit" }, "Send"), counter),
    el("ul", { class: "mine list", "data-mine-for": field || "" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) { say("Write something first.", "error"); input.focus(); return; }
    const ack = await send("response:add", field ? { text, field } : { text });
    if (ack) { input.value = ""; counter.textContent = `0 / ${maxChars}`; input.focus(); }
  });
  return form;
}

function renderInputs() {
  const box = bound("inputs");
  const { step, meeting } = state;
  if (meeting.ended) { box.replaceChildren(); return; }
  if (step.activity === "responses") box.replaceChildren(composer(null, "Your answer"));
  else if (step.activity === "upload") box.replaceChildren(uploader({ url: `/live/${meetingId}/work`, capture: true }));
  else if (step.questions) box.replaceChildren(...Object.entries(step.questions).map(([f, q]) => composer(f, q)));
  else if (state.sort || state.follow_up) box.replaceChildren(); // the board or the list below is the input
  else box.replaceChildren(el("p", { class: "muted follow" }, "Follow along on the main screen."));
  renderMine();
}

function setInputsDisabled(disabled) {
  for (const control of bound("inputs").querySelectorAll("textarea, button")) control.disabled = disabled;
}

function renderMine() {
  if (editing) return;
  for (const list of root.querySelectorAll("[data-mine-for]")) {
    const field = list.dataset.mineFor || null;
    const items = state.responses.filter((r) => mine.has(r.id) && (r.field || null) === field);
    list.replaceChildren(...items.map(mineItem));
  }
}

function mineItem(r) {
  const item = el("li", { class: "mine-item" }, el("p", {}, r.text));
  const done = () => { editing = false; renderMine(); };
  const edit = () => {
    editing = true;
    const box = el("textarea", { rows: 3, maxlength: maxChars, "aria-label": "Edit your answer" });
    box.value = r.text;
    const save = async () => { if (await send("response:edit", { id: r.id, text: box.value.trim() })) done(); };
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
