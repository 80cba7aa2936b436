"""Who is on the other end of a live connection: its seat, kept in the connection's session."""
from __future__ import annotations

from dataclasses import dataclass

from flask import session

_SESSION_KEY = "live_seat"


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


def take_seat(seat: Seat) -> None:
    """This connection is `seat` from now on (set when it connects)."""
    session[_SESSION_KEY] = seat.as_dict()


def current_seat() -> Seat | None:
    data = session.get(_SESSION_KEY)
    return Seat(**data) if data else None
