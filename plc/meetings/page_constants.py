"""Constants the live room's pages hand their scripts once, in a JSON data island.

The server owns statuses, labels and board modes: no script repeats them. Features above
meetings add theirs under their own name when they are imported, as they add parts to the
room's state, so meetings imports none of them. Ordered choices go out as lists of
[value, label] pairs: JSON objects rendered by templates have their keys sorted.
"""
from __future__ import annotations

from plc.protocols import RESPONSE_ACTIVITIES

_constants: dict[str, dict] = {"room": {"response_activities": list(RESPONSE_ACTIVITIES)}}


def add_room_constants(feature: str, constants: dict) -> None:
    """Hand the room's pages `constants` under `feature` (e.g. "sort")."""
    _constants[feature] = constants


def room_constants() -> dict:
    """Every feature's constants, for the `server-constants` data island of a room page."""
    return dict(_constants)
