"""What clients receive about a room. The rule for hiding authors lives here only.

`room_state` is the same for everyone in the room; facilitators also get
`control_state` (the script), and each participant learns which responses are
its own through `own_response_ids`, never through an author field.
"""
from __future__ import annotations

import time

from plc.extensions import db
from plc.meetings.models import Meeting, Response
from plc.meetings.services import timer_seconds_left
from plc.protocols import ACTIVITIES, ANTICIPATION_QUESTIONS
from plc.roles import PARTICIPANT_ROLES

# Features above meetings add parts to the room's state (e.g. student work): name -> fn(meeting).
_state_parts: dict = {}


def state_part(name: str):
    def register(fn):
        _state_parts[name] = fn
        return fn
    return register


PUBLIC_STEP_FIELDS = ("protocol_title", "title", "minutes", "prompt", "activity", "anonymous", "optional")


def authors_shown(meeting: Meeting) -> bool:
    return not meeting.current_step["anonymous"] and not meeting.names_hidden


def response_payload(meeting: Meeting, response: Response, with_author: bool | None = None) -> dict:
    payload = {"id": response.id, "field": response.field, "text": response.text}
    if authors_shown(meeting) if with_author is None else with_author:
        payload["author"] = response.participant.name
        payload["participant_id"] = response.participant_id
    return payload


def step_responses(meeting: Meeting) -> list[Response]:
    return list(
        db.session.execute(
            db.select(Response)
            .filter_by(meeting_id=meeting.id, step_pos=meeting.step_pos)
            .options(db.joinedload(Response.participant))
            .order_by(Response.id)
        ).scalars()
    )


def room_state(meeting: Meeting) -> dict:
    step = meeting.current_step
    with_author = authors_shown(meeting)
    return {
        "meeting": {
            "id": meeting.id,
            "code": meeting.code,
            "team": meeting.team.name,
            "task": {"title": meeting.task.title, "text": meeting.task.text},
            "ended": meeting.ended_at is not None,
        },
        "agenda": [
            {"title": s["title"], "protocol_title": s["protocol_title"], "minutes": s["minutes"]}
            for s in meeting.agenda
        ],
        "step": {
            "pos": meeting.step_pos,
            "total": len(meeting.agenda),
            "activity_label": ACTIVITIES[step["activity"]],
            "questions": ANTICIPATION_QUESTIONS if step["activity"] == "anticipate" else None,
            **{key: step[key] for key in PUBLIC_STEP_FIELDS},
        },
        "timer": {
            "running": meeting.timer_running,
            "seconds_left": timer_seconds_left(meeting),
            "duration": step["minutes"] * 60,
        },
        "server_time": time.time(),
        "names_hidden": meeting.names_hidden,
        "input_locked": meeting.input_locked,
        "spotlight_id": meeting.spotlight_response_id,
        "participants": [
            {"id": p.id, "name": p.name, "role": PARTICIPANT_ROLES.get(p.role, p.role)}
            for p in meeting.participants
        ],
        "responses": [response_payload(meeting, r, with_author) for r in step_responses(meeting)],
        **{name: part(meeting) for name, part in _state_parts.items()},
    }


def control_state(meeting: Meeting) -> dict:
    return {"script": meeting.current_step["script"], "step_pos": meeting.step_pos}


def own_response_ids(meeting: Meeting, participant_id: int) -> list[int]:
    return list(
        db.session.execute(
            db.select(Response.id).filter_by(
                meeting_id=meeting.id, step_pos=meeting.step_pos, participant_id=participant_id
            )
        ).scalars()
    )
