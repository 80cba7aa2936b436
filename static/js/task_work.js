// The task's student-work page on a laptop: upload many files, watch them being read, correct text.
// The server tells the page of every change to the task's samples (Socket.IO namespace /tasks).
import { el } from "./lib/dom.js";
import { getJson } from "./lib/http.js";
import { LOGGED_OUT, connect, endedByServer } from "./lib/socket.js";
import { sampleCard } from "./work/cards.js";
import { beingRead } from "./work/status.js";
import { uploader } from "./work/uploader.js";
import { openViewer } from "./work/viewer.js";

const root = document.getElementById("work-page");
const grid = document.getElementById("samples");
const filter = document.getElementById("work-filter");
const count = document.getElementById("work-count");
let loggedOut = false;
const samples = new Map(JSON.parse(document.getElementById("initial-samples").textContent).map((s) => [s.id, s]));

function matches(sample, query) {
  if (!query) return true;
  const hay = `${sample.label} ${sample.text || ""}`.toLowerCase();
  return query.toLowerCase().split(/\s+/).every((word) => hay.includes(word));
}

// Each card links to the page that confirms its deletion (the template gives the URL for sample 0).
function deleteLink(sample) {
  const href = root.dataset.deleteUrl.replace(/\/0\/delete$/, `/${sample.id}/delete`);
  return el("a", { class: "link-button is-danger sample-delete", href },
    "Delete", el("span", { class: "visually-hidden" }, ` the work of ${sample.label}`));
}

function card(sample) {
  const article = sampleCard(sample, { editable: true, onOpen: openViewer });
  article.querySelector(".sample-body").append(deleteLink(sample));
  return article;
}

function render() {
  const query = filter.value.trim();
  const shown = [...samples.values()].filter((s) => matches(s, query));
  // Keep an open text editor: only redraw cards whose data changed.
  const editing = grid.querySelector(".text-editor")?.closest("[data-sample-id]")?.dataset.sampleId;
  const cards = shown.map((s) => (String(s.id) === editing ? grid.querySelector(`[data-sample-id="${s.id}"]`)
    : card(s)));
  grid.replaceChildren(...cards);
  if (!samples.size) grid.append(el("p", { class: "empty" }, "No student work yet. Upload photos or PDF scans above."));
  else if (!shown.length) grid.append(el("p", { class: "empty" }, "No work matches that filter."));
  const busy = [...samples.values()].filter(beingRead).length;
  count.textContent = `${shown.length} of ${samples.size} shown${busy ? ` · ${busy} still being read` : ""}`
    + (loggedOut ? ` · ${LOGGED_OUT}` : "");
}

// On every (re)connect: the whole list, for whatever changed while the page was not listening.
async function refresh() {
  const answer = await getJson(root.dataset.listUrl);
  if (!answer) return;
  samples.clear();
  for (const s of answer.samples) samples.set(s.id, s);
  render();
}

const socket = connect("/tasks", { task_id: Number(root.dataset.taskId) });
socket.on("connect", refresh);
socket.on("work:sample", (sample) => { samples.set(sample.id, sample); render(); });
socket.on("work:removed", ({ id }) => { samples.delete(id); render(); });
socket.on("disconnect", (reason) => { if (endedByServer(reason)) { loggedOut = true; render(); } });

document.getElementById("uploader-slot").replaceWith(uploader({
  url: root.dataset.uploadUrl,
  onUploaded: (list) => { for (const s of list) samples.set(s.id, s); render(); },
}));
filter.addEventListener("input", render);
document.addEventListener("sample:changed", (e) => { samples.set(e.detail.id, e.detail); render(); });
render();
