"""The gate every live event goes through: `live_event`.

It checks the payload's shape, that the sender holds a seat in a meeting that is still
running (a phone's, while the meeting's code is valid; a member's, while they are logged in)
and that its role allows the action. A rejected event, or one whose handler raises a
UserError, gets an `error` event back (and a failed acknowledgement) and changes nothing.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import wraps
from typing import Any, Callable

from flask import request
from flask_socketio import emit
from pydantic import ValidationError

from plc.accounts.services import still_logged_in
from plc.errors import UserError
from plc.extensions import db, socketio
from plc.realtime.payloads import Empty, Payload, problem_with
from plc.realtime.seat import Seat, current_seat

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class EventRule:
    """What the gate checks for one event: its payload type, and who may send it."""

    payload: type[Payload]
    control: bool  # the facilitator only
    participant: bool  # the meeting's participants only


# Every event the gate serves (the fuzz tests send each of them, from every role).
EVENTS: dict[str, EventRule] = {}

# fn(seat, to_change, fresh) -> the seat's meeting, or None when it is gone, has ended, or the
# seat's code no longer works. Events read the process's copy of the meeting (`fresh`: as the
# database has it now); with `to_change` (the facilitator's controls), its row to change.
# plc/meetings registers it (`finds_meetings`): the gate cannot import it.
MeetingFinder = Callable[[Seat, bool, bool], Any]


def _unregistered(seat: Seat, to_change: bool, fresh: bool) -> Any:
    raise RuntimeError("No meeting finder: plc/meetings/seats.py registers it with finds_meetings.")


_find_meeting: MeetingFinder = _unregistered


def finds_meetings(fn: MeetingFinder) -> MeetingFinder:
    """Register how the gate finds an event's meeting."""
    global _find_meeting
    _find_meeting = fn
    return fn


ENDED = "This meeting has ended."
ONLY_PARTICIPANTS = "Only participants who joined with the code can do that."


def reject(event: str, message: str) -> dict:
    emit("error", {"event": event, "message": message}, to=request.sid)
    return {"ok": False, "error": message}


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
                if seat.user_id is not None and not still_logged_in(seat.user_id):
                    return reject(name, "You are logged out. Log in again to take part.")
                try:
                    checked = payload.model_validate({} if data is None else data)
                except ValidationError as exc:
                    return reject(name, problem_with(exc))
                if control and not seat.can_control:
                    return reject(name, "Only the facilitator can do that.")
                if participant and seat.participant_id is None:  # a seat's participant is the meeting's own
                    return reject(name, ONLY_PARTICIPANTS)
                meeting = _find_meeting(seat, control, False)
                if meeting is None:
                    return reject(name, ENDED)
                try:
                    ack = fn(meeting, seat, checked) or {"ok": True}
                except UserError:
                    # A refusal may rest on this process's copy of the meeting, which another
                    # process changed a moment ago: it stands if the row is still the copy (a
                    # control read the row itself); else the event runs once more on the row.
                    db.session.rollback()
                    if control:
                        raise
                    current = _find_meeting(seat, control, True)
                    if current is None:
                        raise UserError(ENDED) from None
                    if current == meeting:
                        raise
                    ack = fn(current, seat, checked) or {"ok": True}
                if control:
                    # The change dropped this process's copy of the meeting: load it again now that
                    # the broadcast is out, rather than in the way of the room's next answer.
                    _find_meeting(seat, False, False)
            except UserError as exc:
                db.session.rollback()
                return reject(name, str(exc))
            except Exception:  # a bug: its traceback goes to the log, and the sender still hears back
                db.session.rollback()
                log.exception("live event %s failed", name)
                return reject(name, "Something went wrong on the server. Please try again.")
            finally:
                # Flask's teardown does not run for Socket.IO events.
                db.session.remove()
            # Let what the handler broadcast go out now, ahead of the acknowledgement.
            socketio.sleep(0)
            return ack

        socketio.on_event(name, handler)
        EVENTS[name] = EventRule(payload, control, participant)
        return fn

    return register
