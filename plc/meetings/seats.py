"""A phone's seats: the participant tokens its session cookie holds, one per meeting joined."""
from __future__ import annotations

from flask import session

from plc.extensions import db
from plc.meetings.models import Participant
from plc.meetings.services import participant_for_token

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


def seated_participants() -> list[Participant]:
    """Every participant this browser is, across the meetings it joined."""
    tokens = list((session.get("seats") or {}).values())
    if not tokens:
        return []
    return list(db.session.execute(db.select(Participant).where(Participant.token.in_(tokens))).scalars())
