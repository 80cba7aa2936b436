"""Payload types for live events and connections: strict, so a bad payload changes nothing."""
from __future__ import annotations

from typing import Annotated

from flask_socketio import ConnectionRefusedError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from plc.database import MAX_ID

# A row's id in a payload: every event's ids are of this type, so an id out of range is refused
# with the others' mistakes rather than failing in the database.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Typed text in a payload: bounded here only against floods. Each field's own limit is far lower
# and checked by its feature, whose message says how long the text is and what to do.
Text = Annotated[str, Field(max_length=20_000)]


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


def problem_with(exc: ValidationError) -> str:
    """The first thing wrong with a payload, for the person who sent it."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "payload"
    return f"Bad request: {where}: {err['msg']}"
