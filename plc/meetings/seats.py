"""Seats in meetings: the participant tokens a phone's session cookie holds (one per meeting
joined), and how the live-event gate finds the meeting of a connection's seat."""
from __future__ import annotations

from flask import session

from plc.extensions import db
from plc.meetings.live import LiveMeeting, live_meetings
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


@finds_meetings
def running_meeting_of(seat: Seat, to_change: bool, fresh: bool) -> Meeting | LiveMeeting | None:
    """The seat's meeting unless it has ended (for a phone: unless its code no longer works): this
    process's copy (plc/meetings/live.py; `fresh`: loaded anew), or, for an event that changes
    the meeting, its row."""
    if to_change:
        meeting = db.session.get(Meeting, seat.meeting_id)
    else:
        copies = live_meetings()
        if fresh:
            copies.forget(seat.meeting_id)
        meeting = copies.get(seat.meeting_id)
    if meeting is None or meeting.ended_at is not None:
        return None
    if seat.participant_id is not None and not code_is_live(meeting):
        return None
    return meeting
