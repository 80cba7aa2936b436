"""Deleting for good: the signals plc/retention sends, and each feature answers for what it owns.

A unit holds tasks; on a task, meetings come first, then the teachers' photos of their own
solutions (a photo points at its meeting and its participant), then the student work brought in
(a sample points at its meeting), then the sorts (a sort points at its meeting, its cards at
samples). `TURNS` is that order (blinker calls one signal's receivers in no set order, so the
turns give it). For each kind of thing people delete (`SAMPLE`, `SORT`, `MEETING`, `UNIT`, and
`SOLUTION_PHOTO`, which its teacher removes from the phone), retention sends each signal once
per turn, with the turn as sender, so each feature connects its receivers with
`connect_via(<the kind it owns>)` and answers for its own rows:

- `describing` (in turn order): return a `Part`, what of yours goes or stays, or why the thing
  cannot go now; the owner's part names the thing;
- `deleting` (in reverse turn order, so whatever points at a thing lets go of it or goes
  first): delete your rows or let go of the thing, in the caller's transaction (never commit),
  and return the names of the files to remove once it has committed (or None); raise
  `CannotDelete` if the thing cannot go after all (the caller rolls everything back);
- `deleted` (in turn order, after the commit): tell your live rooms.

Every receiver is called with the thing being deleted as `thing` (the owner's model object).
Each feature's receivers live in its own `deletion` module, imported by create_app.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from blinker import Signal
from sqlalchemy import delete, func, select

from plc.errors import UserError
from plc.extensions import db


class CannotDelete(UserError):
    """Not deletable now; the message says why and what to do, for the person who asked."""


@dataclass
class Part:
    """One feature's share of what a deletion takes away, in words for the confirmation page."""

    title: str | None = None  # the thing's name, given by the feature that owns it
    goes: list[str] = field(default_factory=list)
    stays: list[str] = field(default_factory=list)
    blocked: str | None = None  # why it cannot be deleted now, and what to do


class Deletable:
    """A kind of thing people delete for good: the signals its deletion sends, and how its
    owner finds one by id (for the confirmation page's URL)."""

    def __init__(self, kind: str):
        self.kind = kind
        self.describing = Signal(f"describing a {kind}")
        self.deleting = Signal(f"deleting a {kind}")
        self.deleted = Signal(f"deleted a {kind}")
        self._find: Callable[[int], object | None] | None = None

    def __repr__(self) -> str:
        return f"<Deletable {self.kind}>"

    def finder(self, find: Callable[[int], object | None]):
        """Registers the owner's lookup by id (used as a decorator)."""
        self._find = find
        return find

    def find(self, thing_id: int):
        """The thing with this id, or None."""
        if self._find is None:
            raise LookupError(f"no feature finds a {self.kind}: is its deletion module imported?")
        return self._find(thing_id)


UNIT = Deletable("unit")
MEETING = Deletable("meeting")
SAMPLE = Deletable("sample")
SORT = Deletable("sort")
SOLUTION_PHOTO = Deletable("solution photo")
TURNS = (UNIT, MEETING, SOLUTION_PHOTO, SAMPLE, SORT)

# The kept original photos a team's retention period has run out for. Sent with the team as
# sender and `before` (a datetime); receivers clear what they keep, in the caller's transaction,
# and return the names of the files to remove once it has committed.
originals_expired = Signal("kept originals expired")


# --- helpers for the receivers -------------------------------------------------------------

def count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def day(moment: datetime) -> str:
    return moment.strftime("%d %b %Y")


def rows_where(*where) -> int:
    """How many rows match (the table is the one the conditions name)."""
    return db.session.execute(select(func.count()).where(*where)).scalar_one()


def delete_rows(model, *where) -> list[int]:
    """Delete the matching rows with one SQL statement, whatever the session has loaded, and
    take their objects out of the session, as Session.delete would: the caller may still read
    what it had loaded, and nothing tries to load them again. Returns the ids deleted."""
    ids = list(db.session.execute(select(model.id).where(*where)).scalars())
    if ids:
        db.session.execute(delete(model).where(model.id.in_(ids)).execution_options(synchronize_session=False))
        forget(model, ids)
    return ids


def forget(model, ids) -> None:
    ids = set(ids)
    for key, obj in list(db.session.identity_map.items()):
        if issubclass(key[0], model) and key[1][0] in ids:
            db.session.expunge(obj)
