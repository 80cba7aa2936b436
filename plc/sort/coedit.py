"""Texts edited by several people at once, without losing anyone's words: a group's notes and a
next step's instructional move. Each is a Yjs document (pycrdt on the server, yjs in the
browser) whose updates merge whatever order they arrive in. The document's state is kept in the
database (`SharedText`), locked while an update merges into it, so every server process of a
district merges into the same one; the text's own column keeps the document's plain text after
every update, so search, snapshots and exports read plain text, and a text with no document (or
whose document was dropped) starts a new one from that text.

A new document gets a new id: a client holding an older one for the same text is told to load
the text again rather than merge two unrelated histories.
"""
from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Callable

from pycrdt import Doc, Text
from sqlalchemy.exc import IntegrityError

from plc.errors import too_long
from plc.extensions import db
from plc.sort import queries
from plc.sort.errors import SortError
from plc.sort.models import NOTE_FIELDS, TEXT_LIMITS, NextStep, SharedText, Sort, SortGroup

# One update, base64: a burst of typing or a paste of a whole text, with Yjs' overhead.
MAX_UPDATE_CHARS = 64_000


@dataclass(frozen=True)
class Limit:
    """A shared text's limit (a TEXT_LIMITS key) and the words that refuse a longer one."""
    key: str
    what: str
    advice: str


@dataclass(frozen=True)
class SharedKind:
    """One kind of row whose text columns are co-edited."""
    model: type
    column: str  # SharedText's column naming the row
    find: Callable[[Sort, int], object]  # the sort's row with this id, SortError otherwise
    fields: dict[str, Limit]


NOTE = Limit("note", "This note", "Shorten it, or put part of it in another note.")
MOVE = Limit("move", "The instructional move", "Shorten it, or split it into two next steps.")
KINDS = {
    "group": SharedKind(SortGroup, "group_id", queries.group_of, {field: NOTE for field in NOTE_FIELDS}),
    "next_step": SharedKind(NextStep, "next_step_id", queries.next_step_of, {"move": MOVE}),
}


class StaleText(SortError):
    """The client's document for a text is not the server's any more: it loads the text again."""

    def __init__(self):
        super().__init__("This text was reloaded; go on typing.")


def _kind(kind: str, field: str) -> SharedKind:
    shared = KINDS.get(kind)
    if shared is None or field not in shared.fields:
        raise SortError("Unknown text.")
    return shared


def _key(kind: str, row_id: int, field: str) -> str:
    return f"{kind}:{row_id}:{field}"


def _document(kind: str, row, field: str, lock: bool = False) -> SharedText:
    """The text's document, made from its stored text if it has none; `lock`: held until commit,
    so that two processes' updates merge one after the other."""
    shared = _kind(kind, field)
    query = db.select(SharedText).where(SharedText.key == _key(kind, row.id, field))
    found = db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if found is not None:
        return found
    doc = Doc()
    doc.get("text", type=Text).insert(0, getattr(row, field) or "")
    made = SharedText(key=_key(kind, row.id, field), doc_id=uuid.uuid4().hex, state=doc.get_update(),
                      **{shared.column: row.id})
    try:
        with db.session.begin_nested():
            db.session.add(made)
        return made
    except IntegrityError:  # another client's first edit made it at the same moment
        return db.session.execute(query.with_for_update() if lock else query).scalar_one()


def forget(kind: str, row_id: int, field: str | None = None) -> None:
    """Drop a text's document (all the row's, without `field`) after its text changed another
    way, in the caller's transaction: the next client starts from the text, and clients holding
    the old document are told to reload."""
    fields = (field,) if field else tuple(KINDS[kind].fields)
    db.session.execute(db.delete(SharedText).where(SharedText.key.in_([_key(kind, row_id, f) for f in fields])))


def encode(update: bytes) -> str:
    return base64.b64encode(update).decode("ascii")


def text_state(sort: Sort, kind: str, row_id: int, field: str) -> dict:
    """What a client needs to edit a text: its document's id and whole state."""
    shared = _kind(kind, field)
    document = _document(kind, shared.find(sort, row_id), field)
    db.session.commit()
    return {"doc_id": document.doc_id, "state": encode(document.state)}


def apply_text_update(sort: Sort, kind: str, row_id: int, field: str, doc_id: str, update: str) -> tuple[str, str]:
    """Merge a client's update into the text and store the text; returns the update to pass on
    and the text as it now is (for screens that show it without editing it). StaleText if the
    client's document is an older one; SortError if the update is not one, or would make the
    text longer than its limit (then nothing changes: the event gate rolls back, releasing the
    lock)."""
    if not sort.is_open:
        raise SortError("This sort is closed. Reopen it to make changes.")
    shared = _kind(kind, field)
    row = shared.find(sort, row_id)
    document = _document(kind, row, field, lock=True)
    if doc_id != document.doc_id:
        raise StaleText()
    try:
        raw = base64.b64decode(update, validate=True)
        doc = Doc()
        doc.apply_update(document.state)
        doc.apply_update(raw)
    except ValueError:  # not base64 (binascii.Error is one), or not a Yjs update
        raise SortError("That edit could not be read; the text was reloaded.")
    text = str(doc.get("text", type=Text))
    limit = shared.fields[field]
    if len(text) > TEXT_LIMITS[limit.key]:
        raise SortError(too_long(limit.what, len(text), TEXT_LIMITS[limit.key], limit.advice))
    document.state = doc.get_update()
    db.session.execute(db.update(shared.model).where(shared.model.id == row.id).values({field: text}))
    db.session.commit()
    return encode(raw), text
