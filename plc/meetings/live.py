"""Socket.IO plumbing for a live room: who a connection is, rooms, and checked events.

Every event goes through `live_event`, which checks the payload's shape, that the
sender is in a meeting that is still running and that its role allows the action.
A rejected event gets an `error` event back (and a failed acknowledgement) and
changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Callable

from flask import request, session
from flask_socketio import ConnectionRefusedError, emit
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import and_, bindparam, select

from plc.extensions import db, socketio
from plc.meetings.models import Meeting, Participant
from plc.meetings.services import MeetingError


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Empty(Payload):
    pass


def checked_auth(payload: type[Payload], auth, refusal: str) -> Payload:
    """A connection's `auth` data, checked; anything else refuses the connection with `refusal`."""
    try:
        return payload.model_validate(auth or {})
    except ValidationError:
        raise ConnectionRefusedError(refusal)


@dataclass(frozen=True)
class Seat:
    """Who is on the other end of one connection."""

    meeting_id: int
    participant_id: int | None = None
    user_id: int | None = None
    can_control: bool = False
    name: str = ""  # shown as who moved a card or marked a next step done

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def control_room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:control"


def task_room(task_id: int) -> str:
    """Everyone in a live meeting on this task: they see its student work as it arrives."""
    return f"task:{task_id}"


def participant_room(participant_id: int) -> str:
    return f"participant:{participant_id}"


def current_seat() -> Seat | None:
    data = session.get("live_seat")
    return Seat(**data) if data else None


def reject(event: str, message: str) -> dict:
    emit("error", {"event": event, "message": message}, to=request.sid)
    return {"ok": False, "error": message}


def _validation_message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "payload"
    return f"Bad request: {where}: {err['msg']}"


# Every event loads its meeting with one of these, built once: building the statement anew
# each time, as `session.get` does, costs about as much as running it. For participants' events
# the seat's participant id comes back only if it is a participant of that meeting.
_MEETING = select(Meeting).where(Meeting.id == bindparam("meeting_id"))
_MEETING_AND_PARTICIPANT = (
    select(Meeting, Participant.id)
    .outerjoin(Participant, and_(Participant.id == bindparam("participant_id"), Participant.meeting_id == Meeting.id))
    .where(Meeting.id == bindparam("meeting_id"))
)


def _load(seat: Seat, participant: bool) -> tuple[Meeting | None, bool]:
    """The seat's meeting, and whether the seat is one of its participants."""
    if not participant:
        return db.session.execute(_MEETING, {"meeting_id": seat.meeting_id}).scalar(), False
    row = db.session.execute(
        _MEETING_AND_PARTICIPANT, {"meeting_id": seat.meeting_id, "participant_id": seat.participant_id}
    ).first()
    return (row[0], row[1] is not None) if row else (None, False)


def live_event(name: str, payload: type[Payload] = Empty, *, control: bool = False,
               participant: bool = False) -> Callable:
    """Register a checked handler: fn(meeting, seat, data) -> ack dict or None. With
    `participant`, only the meeting's participants (who joined with the code) may send it."""

    def register(fn: Callable) -> Callable:
        @wraps(fn)
        def handler(data=None):
            # Nothing else writes these rows during one event: keep loaded objects after commit
            # rather than loading the meeting again to broadcast it.
            db.session().expire_on_commit = False
            try:
                seat = current_seat()
                if seat is None:
                    return reject(name, "Join the meeting first.")
                try:
                    checked = payload.model_validate({} if data is None else data)
                except ValidationError as exc:
                    return reject(name, _validation_message(exc))
                if control and not seat.can_control:
                    return reject(name, "Only the facilitator can do that.")
                meeting, seated = _load(seat, participant)
                if meeting is None or meeting.ended_at is not None:
                    return reject(name, "This meeting has ended.")
                if participant and not seated:
                    return reject(name, "Only participants who joined with the code can do that.")
                ack = fn(meeting, seat, checked) or {"ok": True}
            except MeetingError as exc:
                db.session.rollback()
                return reject(name, str(exc))
            finally:
                # Flask's teardown does not run for Socket.IO events.
                db.session.remove()
            # Let what the handler broadcast go out now, ahead of the acknowledgement.
            socketio.sleep(0)
            return ack

        socketio.on_event(name, handler)
        return fn

    return register
