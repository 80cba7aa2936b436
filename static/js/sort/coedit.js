// Texts typed by several people at once (a group's notes, a next step's move): each is a Yjs
// document, kept in step with the server's (plc/sort/coedit.py). What is typed goes out as small
// updates that merge in any order, so everyone's words stay; others' updates come in as
// `sort:text` and land around the caret. A text is named by its row's kind, id and field.

import * as Y from "../../vendor/yjs.esm.js";

const texts = new Map(); // `${kind}:${id}:${field}` -> { doc, docId }: doc is null while it loads
const REMOTE = "remote"; // the origin of updates that came from the server

const keyOf = ({ kind, id, field }) => `${kind}:${id}:${field}`;
const areaOf = (name) => document.querySelector(`textarea[data-shared="${keyOf(name)}"]`);
const ROWS = { group: "groups", next_step: "next_steps" }; // where the board's state keeps each kind
const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

// Turns a textarea into an editor of a shared text (`name`: { kind, id, field }). The board draws
// its textareas again on every change: each new one takes the document's text.
export function bindText(board, area, name) {
  area.dataset.shared = keyOf(name);
  const shared = texts.get(keyOf(name));
  if (shared?.doc) ready(area, shared.doc);
  else if (!shared) load(board, name, area.value);
  area.addEventListener("input", () => typed(name, area));
}

// `drawn`: the text the field showed before the document came; what was typed since goes in on top.
async function load(board, name, drawn) {
  const key = keyOf(name);
  texts.set(key, { doc: null, docId: null });
  const ack = await board.send("sort:text:sync", name, { quiet: true });
  if (!ack?.ok) { texts.delete(key); if (ack) board.say(ack.error, "error"); return; }
  const doc = new Y.Doc();
  Y.applyUpdate(doc, fromBase64(ack.state), REMOTE);
  doc.on("update", (update, origin) => { if (origin !== REMOTE) sendUpdate(board, name, update); });
  texts.set(key, { doc, docId: ack.doc_id });
  const area = areaOf(name);
  if (!area) return;
  if (area.value !== drawn) typed(name, area);
  ready(area, doc);
}

function ready(area, doc) {
  const text = doc.getText("text").toString();
  if (area.value !== text) area.value = text; // (the same text again would move the caret)
  area.dataset.coedit = "ready";
}

async function sendUpdate(board, name, update) {
  const shared = texts.get(keyOf(name));
  const ack = await board.send("sort:text:update",
    { ...name, doc_id: shared.docId, update: toBase64(update) }, { quiet: true });
  if (ack && !ack.ok) {
    if (!ack.reload) board.say(ack.error, "error");
    reload(board, name);
  }
}

// The text again from the server, keeping what this screen shows: its words go in on top.
function reload(board, name) {
  texts.delete(keyOf(name));
  return load(board, name, null);
}

// The textarea's new text as a change of the document: what lies between the unchanged start and end.
function typed(name, area) {
  const shared = texts.get(keyOf(name));
  if (!shared?.doc) return;
  const text = shared.doc.getText("text");
  const before = text.toString();
  const after = area.value;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start += 1;
  let end = 0;
  while (end < before.length - start && end < after.length - start
    && before[before.length - 1 - end] === after[after.length - 1 - end]) end += 1;
  shared.doc.transact(() => {
    if (before.length - start - end) text.delete(start, before.length - start - end);
    if (after.length - start - end) text.insert(start, after.slice(start, after.length - end));
  });
}

// Someone else's edit: merged into the document, the textarea redrawn with the caret kept in place.
// A screen that only shows the text (the projector) takes its new text.
export function applyText(board, edit) {
  const { kind, id, field } = edit;
  const row = board.state.sort?.[ROWS[kind]]?.find((r) => r.id === id);
  if (!row || board.state.sort.id !== edit.sort_id) return;
  row[field] = edit.text;
  const name = { kind, id, field };
  const shared = texts.get(keyOf(name));
  if (!shared?.doc) { if (!areaOf(name)) board.draw(); return; }
  if (shared.docId !== edit.doc_id) { reload(board, name); return; }
  const text = shared.doc.getText("text");
  const area = areaOf(name);
  const focused = area && document.activeElement === area;
  // The caret sticks to the character before it: words typed at the same place by someone else
  // land after it, and this person's next letters still follow their own.
  const caret = focused ? [area.selectionStart, area.selectionEnd].map((i) => Y.createRelativePositionFromTypeIndex(text, i, -1)) : null;
  Y.applyUpdate(shared.doc, fromBase64(edit.update), REMOTE);
  if (!area) return;
  area.value = text.toString();
  if (caret) {
    const [start, end] = caret.map((p) => Y.createAbsolutePositionFromRelativePosition(p, shared.doc)?.index ?? area.value.length);
    area.setSelectionRange(start, end);
  }
}
