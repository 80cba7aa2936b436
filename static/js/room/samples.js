// Student work in the room on work steps: a summary line and a card per sample. On the Work
// Sort's steps the board shows the samples instead.

import { el } from "../lib/dom.js";
import { sampleCard } from "../work/cards.js";
import { beingRead } from "../work/status.js";
import { openViewer } from "../work/viewer.js";

export function renderSamples(room, board) {
  const { state, view } = room;
  const box = room.bound("samples");
  if (!box) return;
  if (state.sort) { box.classList.add("hidden"); box.replaceChildren(); board.setSamples(state.samples); return; } // the board shows them
  const samples = state.samples;
  box.classList.toggle("hidden", !samples);
  if (!samples) { box.replaceChildren(); return; }
  const busy = samples.filter(beingRead).length;
  const summary = el("p", { class: "muted samples-summary" }, samples.length
    ? `${samples.length} ${samples.length === 1 ? "sample" : "samples"} of student work${busy ? ` · ${busy} being read` : ""}`
    : view === "phone" ? "No student work yet: take a photo or choose files above." : "No student work yet. Upload photos from a phone or a laptop.");
  const editable = view === "phone";
  // A text being corrected stays open while other samples arrive.
  const editing = box.querySelector(".text-editor")?.closest("[data-sample-id]");
  // The cards are the projector's paged flow (pager.js).
  box.replaceChildren(summary, el("div", { class: "samples paged" }, ...samples.map((s) =>
    (editing && editing.dataset.sampleId === String(s.id) ? editing
      : sampleCard(s, { editable, onOpen: view === "projector" ? null : openViewer, preview: view === "projector" })))));
}
