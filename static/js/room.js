// The live room in the browser: the projector, the facilitator's control page and the phone
// share this module. The server sends the whole state on every (re)connect and after each
// change; the room only renders what it is told and sends what a person does. This module
// holds the connection and the state; each part of the page is drawn by its own module
// (room/, sort/, work/, followup.js) from the `room` context made here.

import { renderFollowUp } from "./followup.js";
import { el } from "./lib/dom.js";
import { LOGGED_OUT, connect, endedByServer } from "./lib/socket.js";
import { createAgreements } from "./room/agreements.js";
import { createAnswerNews } from "./room/answer_news.js";
import { createControls } from "./room/controls.js";
import { renderPeople } from "./room/people.js";
import { renderInputs, setInputsDisabled } from "./room/phone_inputs.js";
import { showEnded, showNewStep } from "./room/phone_view.js";
import { createProjector } from "./room/projector.js";
import { renderResponses, takesResponses } from "./room/responses.js";
import { renderSamples } from "./room/samples.js";
import { createSolutions } from "./room/solutions.js";
import { createTimer } from "./room/timer.js";
import { createBoard } from "./sort/board.js";

const root = document.querySelector("[data-meeting-id]");
const bound = (name) => root.querySelector(`[data-bind="${name}"]`);

const room = {
  root,
  meetingId: Number(root.dataset.meetingId),
  view: root.dataset.view, // "projector" | "control" | "phone"
  canControl: root.dataset.canControl === "true",
  maxChars: Number(root.dataset.maxChars || 500),
  state: null, // the room as the server last told it
  script: "", // the facilitator's script of the step (control page)
  mine: new Set(), // ids of this phone's own responses, as the server tells them (ids are never reused)
  bound,
  setText(name, text) {
    const node = bound(name);
    if (node) node.textContent = text;
  },
  show(name, visible) {
    const node = bound(name);
    if (node) node.classList.toggle("hidden", !visible);
  },
  say(message, kind = "info") {
    const node = bound("status");
    if (!node) return;
    node.textContent = message;
    node.dataset.kind = kind;
  },
  send,
};
const { view, canControl, say } = room;

// --- connection -----------------------------------------------------------

const socket = connect("/", { meeting_id: room.meetingId });
const agreements = createAgreements(room);
const board = createBoard({ root, view, canControl, send, say, fill: agreements.fill });
const controls = createControls(room);
const projector = view === "projector" ? createProjector(room) : null;
room.solutions = createSolutions(room);
const setTimer = createTimer(room);
const answerNews = createAnswerNews();

socket.on("connect", () => say(""));
socket.on("disconnect", (reason) => {
  if (endedByServer(reason)) say(LOGGED_OUT, "error");
  else if (reason !== "io client disconnect") say("Reconnecting…", "warn");
});
socket.on("connect_error", (err) => say(err.message === "xhr poll error" ? "Reconnecting…" : err.message, "error"));
socket.on("error", (err) => say(err.message, "error"));

socket.on("hello", (hello) => { room.mine = new Set(hello.own_response_ids); });
socket.on("control", (control) => { room.script = control.script; agreements.fill(bound("script"), room.script); });
socket.on("state", (next) => {
  const { state } = room;
  const stepChanged = !state || state.step.pos !== next.step.pos;
  const nowEnded = next.meeting.ended && !state?.meeting.ended;
  // A whole state (on connect) is the truth; a change's state gets the answers heard since on top.
  if (stepChanged || next.agenda) answerNews.forget();
  else next.responses = answerNews.onto(next.responses, { withAuthors: !next.names_hidden && !next.step.anonymous });
  // Broadcasts after a change leave out the agenda and who joined: keep what we have.
  room.state = { agenda: state?.agenda, participants: state?.participants, key_words: state?.key_words,
    samples: stepChanged ? null : state?.samples, sort: stepChanged ? null : state?.sort,
    follow_up: stepChanged ? null : state?.follow_up,
    solution_photos: stepChanged ? null : state?.solution_photos, ...next };
  // A phone is not shown the work once the meeting has ended: the server no longer serves its images.
  if (view === "phone" && next.meeting.ended) {
    Object.assign(room.state, { samples: null, sort: null, follow_up: null, solution_photos: null });
  }
  controls.stepShown(next.step.pos);
  if (stepChanged && state) say(""); // what went wrong on the last step is over
  setTimer(next.timer);
  render(stepChanged);
  if (stepChanged || nowEnded || next.sort !== undefined) board.setSort(room.state.sort, room.state.samples);
  // Names hidden or shown again: the photos' names follow from the server.
  if (!stepChanged && next.names_hidden !== state.names_hidden && room.state.solution_photos) room.solutions.refresh();
  if (view !== "phone") return;
  if (nowEnded) { socket.disconnect(); showEnded(room); } // nothing more to hear: the room is closed
  else if (stepChanged && state) showNewStep(room);
});
// The team changed its key words on its page: every text shown is filled again.
socket.on("key_words", (words) => {
  if (!room.state) return;
  room.state.key_words = words;
  agreements.render(false);
  agreements.fill(bound("script"), room.script);
  board.redraw();
});
socket.on("participants", (people) => { if (room.state) { room.state.participants = people; renderPeople(room); } });
socket.on("response:upsert", (response) => {
  const { state } = room;
  if (!state || !answerNews.heard(response)) return;
  const index = state.responses.findIndex((r) => r.id === response.id);
  if (index >= 0) state.responses[index] = response; else state.responses.push(response);
  renderResponses(room);
});
function upsertSample(sample, addNew) {
  const { state } = room;
  if (!state || !state.samples) return; // not a work step, or (on a phone) the meeting has ended
  const index = state.samples.findIndex((s) => s.id === sample.id);
  if (index >= 0) state.samples[index] = sample; else if (addNew) state.samples.push(sample); else return;
  renderSamples(room, board);
}
socket.on("work:sample", (sample) => upsertSample(sample, true));
// A deleted sample leaves the list at once; its board follows with the next `sort`.
socket.on("work:removed", ({ id }) => {
  const { state } = room;
  if (!state || !state.samples) return;
  state.samples = state.samples.filter((s) => s.id !== id);
  renderSamples(room, board);
});
document.addEventListener("sample:changed", (e) => upsertSample(e.detail, false));
socket.on("solution:photo", (photo) => room.solutions.upsert(photo));
socket.on("solution:removed", ({ id }) => room.solutions.removed(id));
socket.on("sort", (sort) => { if (room.state) { room.state.sort = sort; board.setSort(sort, room.state.samples); } });
socket.on("sort:moved", (moved) => board.applyMove(moved));
socket.on("sort:text", (edit) => board.applyText(edit));
socket.on("follow_up", (steps) => { if (room.state) { room.state.follow_up = steps; renderFollowUpStep(); } });
socket.on("response:removed", ({ id }) => {
  const { state } = room;
  answerNews.withdrew(id);
  if (!state) return;
  state.responses = state.responses.filter((r) => r.id !== id);
  if (state.spotlight_id === id) state.spotlight_id = null; // a withdrawn answer leaves the spotlight too
  room.mine.delete(id);
  renderResponses(room);
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

// --- rendering --------------------------------------------------------------

function render(stepChanged) {
  const { state } = room;
  const { step, meeting } = state;
  room.setText("protocol", step.protocol_title);
  room.setText("step-title", step.title);
  room.setText("progress", `Step ${step.pos + 1} of ${step.total}`);
  document.title = `${step.title} · Math PLC`;
  room.show("ended", meeting.ended);
  room.show("locked", state.input_locked && !meeting.ended);
  room.show("task", step.activity === "discuss" || step.reveals_question);
  agreements.render(stepChanged);
  agreements.fill(bound("script"), room.script);
  room.show("anonymous-note", step.anonymous && takesResponses(step));
  renderPeople(room);
  renderResponses(room);
  controls.render();
  renderAgenda();
  renderSamples(room, board);
  room.solutions.render();
  renderFollowUpStep();
  if (view === "phone" && (stepChanged || meeting.ended)) renderInputs(room);
  if (view === "phone") setInputsDisabled(room, state.input_locked || meeting.ended);
  projector?.render(stepChanged);
}

function renderFollowUpStep() {
  const { state } = room;
  renderFollowUp(bound("follow-up"), state.follow_up, { view, send, locked: state.meeting.ended || (state.input_locked && !canControl) });
}

function renderAgenda() {
  const { state } = room;
  const list = bound("agenda");
  if (!list) return;
  list.replaceChildren(...state.agenda.map((s, pos) =>
    el("li", { class: pos === state.step.pos ? "current" : "" },
      el("button", { type: "button", class: "link-button", "aria-current": pos === state.step.pos ? "step" : false,
        onclick: () => send("step:goto", { pos }) }, `${s.title}`),
      el("span", { class: "muted" }, ` · ${s.minutes} min`))));
}
