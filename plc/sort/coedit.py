"""Group notes edited by several people at once, without losing anyone's words: each note is a
Yjs document (pycrdt on the server, yjs in the browser) whose updates merge whatever order they
arrive in. The server keeps the live documents in memory, a bounded few; the note's column keeps
the document's plain text after every update, so search, snapshots and exports read plain text,
and a note whose document was dropped (or never made) starts a new one from that text.

A new document gets a new id: a client holding an older one for the same note is told to load
the note again rather than merge two unrelated histories.
"""
from __future__ import annotations

import base64
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app
from pycrdt import Doc, Text

from plc.errors import too_long
from plc.extensions import db
from plc.sort import queries
from plc.sort.errors import SortError
from plc.sort.models import NOTE_FIELDS, TEXT_LIMITS, Sort, SortGroup

# Live documents kept at once (a note's is made again from its text when needed).
MAX_DOCUMENTS = 256
# One update, base64: a burst of typing or a paste of a whole note, with Yjs' overhead.
MAX_UPDATE_CHARS = 64_000


class StaleNote(SortError):
    """The client's document for a note is not the server's any more: it loads the note again."""

    def __init__(self):
        super().__init__("This note was reloaded; go on typing.")


@dataclass
class NoteDocument:
    id: str
    doc: Doc

    @property
    def text(self) -> str:
        return str(self.doc.get("text", type=Text))


def _live_documents() -> OrderedDict[tuple[int, str], NoteDocument]:
    """The app's live documents, by (group id, note field), least recently used first."""
    return current_app.extensions.setdefault("sort_note_documents", OrderedDict())


def _key(group: SortGroup, field: str) -> tuple[int, str]:
    if field not in NOTE_FIELDS:
        raise SortError("Unknown note.")
    return group.id, field


def _document(group: SortGroup, field: str) -> NoteDocument:
    """The note's live document, made from its stored text if there is none."""
    key = _key(group, field)
    documents = _live_documents()
    found = documents.get(key)
    if found is None:
        doc = Doc()
        doc.get("text", type=Text).insert(0, getattr(group, field))
        found = documents[key] = NoteDocument(uuid.uuid4().hex, doc)
        while len(documents) > MAX_DOCUMENTS:
            documents.popitem(last=False)
    documents.move_to_end(key)
    return found


def forget(group_id: int, field: str | None = None) -> None:
    """Drop a note's document (all the group's, without `field`) after its text changed another
    way: the next client starts from the text, and older documents are told to reload."""
    for field_name in (field,) if field else NOTE_FIELDS:
        _live_documents().pop((group_id, field_name), None)


def encode(update: bytes) -> str:
    return base64.b64encode(update).decode("ascii")


def note_state(sort: Sort, group_id: int, field: str) -> dict:
    """What a client needs to edit a note: its document's id and whole state."""
    document = _document(queries.group_of(sort, group_id), field)
    return {"doc_id": document.id, "state": encode(document.doc.get_update())}


def apply_note_update(sort: Sort, group_id: int, field: str, doc_id: str, update: str) -> tuple[str, str]:
    """Merge a client's update into the note and store the note's text; returns the update to
    pass on and the note's new text (for screens that show the note without editing it). StaleNote if the client's document is an older one; SortError if the update is not
    one, or would make the note longer than its limit (then nothing changes)."""
    if not sort.is_open:
        raise SortError("This sort is closed. Reopen it to make changes.")
    group = queries.group_of(sort, group_id)
    document = _document(group, field)
    if doc_id != document.id:
        raise StaleNote()
    try:
        raw = base64.b64decode(update, validate=True)
        trial = Doc()  # a copy first: a refused update must leave the note as it was
        trial.apply_update(document.doc.get_update())
        trial.apply_update(raw)
    except ValueError:  # not base64 (binascii.Error is one), or not a Yjs update
        raise SortError("That edit could not be read; the note was reloaded.")
    text = str(trial.get("text", type=Text))
    limit = TEXT_LIMITS["note"]
    if len(text) > limit:
        raise SortError(too_long("This note", len(text), limit, "Shorten it, or put part of it in another note."))
    document.doc.apply_update(raw)
    db.session.execute(db.update(SortGroup).where(SortGroup.id == group.id).values({field: text}))
    db.session.commit()
    return encode(raw), text
