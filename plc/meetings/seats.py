"""Seats in meetings: the participant tokens a phone's session cookie holds (one per meeting
joined), and how the live-event gate finds the meeting of a connection's seat."""
from __future__ import annotations

from flask import session
from sqlalchemy import and_, bindparam, select

from plc.extensions import db
from plc.meetings.models import Meeting, Participant
from plc.meetings.services import code_is_live, participant_for_token
from plc.realtime.gate import finds_meetings
from plc.realtime.seat import Seat

MAX_SEATS_IN_COOKIE = 20


def seat_token(meeting_id: int) -> str | None:
    return (session.get("seats") or {}).get(str(meeting_id))


def keep_seat(meeting_id: int, token: str) -> None:
    seats = dict(session.get("seats") or {})
    seats[str(meeting_id)] = token
    session["seats"] = dict(list(seats.items())[-MAX_SEATS_IN_COOKIE:])
    session.permanent = True


def seated_participant(meeting_id: int) -> Participant | None:
    return participant_for_token(meeting_id, seat_token(meeting_id))


def seated_meeting_with_code(code: str) -> Meeting | None:
    """The running meeting with this code where this browser already has a seat (no guess needed)."""
    return next((p.meeting for p in seated_participants() if p.meeting.code == code and code_is_live(p.meeting)),
                None)


def seated_participants() -> list[Participant]:
    """Every participant this browser is, across the meetings it joined."""
    tokens = list((session.get("seats") or {}).values())
    if not tokens:
        return []
    return list(db.session.execute(db.select(Participant).where(Participant.token.in_(tokens))).scalars())


# Every event loads its meeting with one of these, built once: building the statement anew
# each time, as `session.get` does, costs about as much as running it. For participants' events
# the seat's participant id comes back only if it is a participant of that meeting.
_MEETING = select(Meeting).where(Meeting.id == bindparam("meeting_id"))
_MEETING_AND_PARTICIPANT = (
    select(Meeting, Participant.id)
    .outerjoin(Participant, and_(Participant.id == bindparam("participant_id"), Participant.meeting_id == Meeting.id))
    .where(Meeting.id == bindparam("meeting_id"))
)


@finds_meetings
def running_meeting_of(seat: Seat, participant: bool) -> tuple[Meeting | None, bool]:
    """The seat's meeting unless it has ended (for a phone: unless its code no longer works), and
    whether the seat is one of its participants."""
    if participant:
        row = db.session.execute(
            _MEETING_AND_PARTICIPANT, {"meeting_id": seat.meeting_id, "participant_id": seat.participant_id}
        ).first()
        meeting, seated = (row[0], row[1] is not None) if row else (None, False)
    else:
        meeting, seated = db.session.execute(_MEETING, {"meeting_id": seat.meeting_id}).scalar(), False
    if meeting is None or meeting.ended_at is not None:
        return None, False
    if seat.participant_id is not None and not code_is_live(meeting):
        return None, False
    return meeting, seated
