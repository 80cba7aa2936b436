"""Each server process keeps a copy of the meetings its rooms are live in, so that an event
(an answer, a card move) reads no row before it writes.

The database stays the truth. Every committed change to a meeting's row, from any process and
any code path (an event, a page, the command line), drops the copies in every process: the
session notes the meetings it flushed, and after the commit tells the processes through the
message queue (plc/realtime/sync.py). The next event of that meeting loads it once again.
Writes that depend on the meeting's state check it in the database as they write
(`services.add_response`), so an answer can never land on a step the room has left, even in
the moment before another process's news arrives.

Events that change the meeting itself (the facilitator's controls) load it from the database
as before: they need the ORM object.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, fields
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session

from plc.extensions import db
from plc.meetings.models import Meeting
from plc.realtime.sync import on_news, tell_processes

CHANGED = "meeting:changed"
MAX_COPIES = 5_000  # meetings kept before the copies start over (a district runs far fewer at once)


@dataclass(frozen=True, slots=True)
class LiveMeeting:
    """A meeting's row as events read it; read-only (a change goes through the database)."""

    id: int
    team_id: int
    task_id: int
    facilitator_id: int
    code: str
    agenda: list
    step_pos: int
    timer_running: bool
    timer_ends_at: float | None
    timer_remaining: float
    names_hidden: bool
    input_locked: bool
    spotlight_response_id: int | None
    started_at: datetime
    ended_at: datetime | None

    @property
    def current_step(self) -> dict:
        return self.agenda[self.step_pos]


_COLUMNS = [Meeting.__table__.c[f.name] for f in fields(LiveMeeting)]
_LOAD = select(*_COLUMNS).where(Meeting.id == bindparam("meeting_id"))


class LiveMeetings:
    """An app's copies in this process, by meeting id."""

    def __init__(self):
        self._copies: dict[int, LiveMeeting] = {}
        # Changes heard so far: a copy loaded while one was heard may predate it, and is not kept.
        self._heard = 0

    def get(self, meeting_id: int) -> LiveMeeting | None:
        """The meeting as committed, from the copy when there is one; None if there is no such meeting."""
        copy = self._copies.get(meeting_id)
        if copy is not None:
            return copy
        heard_before = self._heard
        with db.engine.connect() as connection:
            row = connection.execute(_LOAD, {"meeting_id": meeting_id}).first()
        if row is None:
            return None
        copy = LiveMeeting(*row)
        if self._heard == heard_before:
            if len(self._copies) >= MAX_COPIES:
                self._copies.clear()
            self._copies[meeting_id] = copy
        return copy

    def forget(self, meeting_id: int | None) -> None:
        """Drop the meeting's copy (every copy, for None)."""
        self._heard += 1
        if meeting_id is None:
            self._copies.clear()
        else:
            self._copies.pop(meeting_id, None)


# Every app's copies in this process (one app when serving; tests make many, each on its own
# database): news drops the meeting from each.
_every_apps_copies: weakref.WeakSet[LiveMeetings] = weakref.WeakSet()


def init_live_meetings(app: Flask) -> None:
    copies = LiveMeetings()
    app.extensions["plc_live_meetings"] = copies
    _every_apps_copies.add(copies)


def live_meetings() -> LiveMeetings:
    """The current app's copies."""
    return current_app.extensions["plc_live_meetings"]


@on_news(CHANGED)
def _meeting_changed(meeting_id: int | None) -> None:
    for copies in list(_every_apps_copies):
        copies.forget(meeting_id)


# --- every committed change to a meeting row drops the copies -------------------------------

_NOTED = "plc_meetings_changed"


@event.listens_for(Session, "after_flush")
def _note_changed_meetings(session: Session, _flush_context) -> None:
    changed = {obj.id for obj in (*session.dirty, *session.deleted) if isinstance(obj, Meeting)}
    if changed:
        session.info.setdefault(_NOTED, set()).update(changed)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state) -> None:
    """An UPDATE or DELETE statement on meetings (deleting ended ones): which rows it hit is not
    known here, so every copy goes."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None and state.bind_mapper.class_ is Meeting:
        state.session.info.setdefault(_NOTED, set()).add(None)


@event.listens_for(Session, "after_commit")
def _tell_changed_meetings(session: Session) -> None:
    noted = session.info.pop(_NOTED, set())
    for meeting_id in [None] if None in noted else sorted(noted):
        tell_processes(CHANGED, meeting_id)


@event.listens_for(Session, "after_soft_rollback")
def _forget_noted_meetings(session: Session, _previous_transaction) -> None:
    session.info.pop(_NOTED, None)
