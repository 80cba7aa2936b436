// Group notes typed by several people at once: each note is a Yjs document, kept in step with the
// server's (plc/sort/coedit.py). What is typed goes out as small updates that merge in any order,
// so everyone's words stay; others' updates come in as `sort:note` and land around the caret.

import * as Y from "../../vendor/yjs.esm.js";

const notes = new Map(); // `${groupId}:${field}` -> { doc, docId }: doc is null while it loads
const REMOTE = "remote"; // the origin of updates that came from the server

const keyOf = (groupId, field) => `${groupId}:${field}`;
const areaOf = (groupId, field) => document.getElementById(`note-${groupId}-${field}`);
const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

// Turns a note's textarea into an editor of its shared document. The board draws its textareas
// again on every change: each new one takes the document's text.
export function bindNote(board, area, groupId, field) {
  const key = keyOf(groupId, field);
  const note = notes.get(key);
  if (note?.doc) ready(area, note.doc);
  else if (!note) load(board, groupId, field, area.value);
  area.addEventListener("input", () => typed(board, groupId, field, area));
}

// `drawn`: the text the field showed before the document came; what was typed since goes in on top.
async function load(board, groupId, field, drawn) {
  const key = keyOf(groupId, field);
  notes.set(key, { doc: null, docId: null });
  const ack = await board.send("sort:note:sync", { group_id: groupId, field }, { quiet: true });
  if (!ack?.ok) { notes.delete(key); if (ack) board.say(ack.error, "error"); return; }
  const doc = new Y.Doc();
  Y.applyUpdate(doc, fromBase64(ack.state), REMOTE);
  doc.on("update", (update, origin) => { if (origin !== REMOTE) sendUpdate(board, groupId, field, update); });
  notes.set(key, { doc, docId: ack.doc_id });
  const area = areaOf(groupId, field);
  if (!area) return;
  if (area.value !== drawn) typed(board, groupId, field, area);
  ready(area, doc);
}

function ready(area, doc) {
  const text = doc.getText("text").toString();
  if (area.value !== text) area.value = text; // (the same text again would move the caret)
  area.dataset.coedit = "ready";
}

async function sendUpdate(board, groupId, field, update) {
  const note = notes.get(keyOf(groupId, field));
  const ack = await board.send("sort:note:update",
    { group_id: groupId, field, doc_id: note.docId, update: toBase64(update) }, { quiet: true });
  if (ack && !ack.ok) {
    if (!ack.reload) board.say(ack.error, "error");
    reload(board, groupId, field);
  }
}

// The note again from the server, keeping what this screen shows: its words go in on top.
function reload(board, groupId, field) {
  notes.delete(keyOf(groupId, field));
  return load(board, groupId, field, null);
}

// The textarea's new text as a change of the document: what lies between the unchanged start and end.
function typed(board, groupId, field, area) {
  const note = notes.get(keyOf(groupId, field));
  if (!note?.doc) return;
  const text = note.doc.getText("text");
  const before = text.toString();
  const after = area.value;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start += 1;
  let end = 0;
  while (end < before.length - start && end < after.length - start
    && before[before.length - 1 - end] === after[after.length - 1 - end]) end += 1;
  note.doc.transact(() => {
    if (before.length - start - end) text.delete(start, before.length - start - end);
    if (after.length - start - end) text.insert(start, after.slice(start, after.length - end));
  });
}

// Someone else's edit: merged into the document, the textarea redrawn with the caret kept in place.
// A screen that only shows the note (the projector) takes its new text.
export function applyNote(board, edit) {
  const group = board.state.sort?.groups.find((g) => g.id === edit.group_id);
  if (!group || board.state.sort.id !== edit.sort_id) return;
  group[edit.field] = edit.text;
  const note = notes.get(keyOf(edit.group_id, edit.field));
  if (!note?.doc) { if (!areaOf(edit.group_id, edit.field)) board.draw(); return; }
  if (note.docId !== edit.doc_id) { reload(board, edit.group_id, edit.field); return; }
  const text = note.doc.getText("text");
  const area = areaOf(edit.group_id, edit.field);
  const focused = area && document.activeElement === area;
  // The caret sticks to the character before it: words typed at the same place by someone else
  // land after it, and this person's next letters still follow their own.
  const caret = focused ? [area.selectionStart, area.selectionEnd].map((i) => Y.createRelativePositionFromTypeIndex(text, i, -1)) : null;
  Y.applyUpdate(note.doc, fromBase64(edit.update), REMOTE);
  if (!area) return;
  area.value = text.toString();
  if (caret) {
    const [start, end] = caret.map((p) => Y.createAbsolutePositionFromRelativePosition(p, note.doc)?.index ?? area.value.length);
    area.setSelectionRange(start, end);
  }
}
