"""What clients receive about a room. The rule for hiding authors lives here only.

`room_state` is the same for everyone in the room; facilitators also get
`control_state` (the script), and each participant learns which responses are
its own through `own_response_ids`, never through an author field. On an anonymous
step nobody's name is even kept with what they do (`name_to_record`).
"""
from __future__ import annotations

import time

from sqlalchemy import bindparam, select

from plc.extensions import db
from plc.meetings.models import Meeting, Participant, Response
from plc.meetings.services import timer_seconds_left
from plc.protocols import ACTIVITIES, ANTICIPATION_QUESTIONS
from plc.roles import PARTICIPANT_ROLES
from plc.teams.agreements import key_words, norm_lines
from plc.teams.models import Task, Team

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


def name_to_record(meeting: Meeting, name: str) -> str | None:
    """The name kept with what someone does now (a card moved, a group named, a next step followed
    up): none on an anonymous step, so no later page, payload, snapshot or export can show it."""
    return None if meeting.current_step["anonymous"] else name


def response_payload(meeting: Meeting, response, with_author: bool | None = None, author: str | None = None) -> dict:
    """A response as clients see it; `response` is a Response or a row with the same fields."""
    payload = {"id": response.id, "field": response.field, "text": response.text}
    if authors_shown(meeting) if with_author is None else with_author:
        payload["author"] = author if author is not None else response.participant.name
        payload["participant_id"] = response.participant_id
    return payload


# Every broadcast runs these: built once, with plain rows back (no ORM objects on the hot path).
_STEP_RESPONSES = (
    select(Response.id, Response.field, Response.text, Response.participant_id, Participant.name)
    .join(Participant, Participant.id == Response.participant_id)
    .where(Response.meeting_id == bindparam("meeting_id"), Response.step_pos == bindparam("step_pos"))
    .order_by(Response.id)
)
_PARTICIPANTS = (
    select(Participant.id, Participant.name, Participant.role)
    .where(Participant.meeting_id == bindparam("meeting_id")).order_by(Participant.id)
)
_HEADING = (
    select(Team.name, Team.norms, Task.title, Task.context, Task.question)
    .join_from(Team, Task, Task.id == bindparam("task_id"))
    .where(Team.id == bindparam("team_id"))
)


def _rows(statement, **params):
    """Run on the session's connection, in its transaction: the ORM would only add cost here."""
    return db.session.connection().execute(statement, params).all()


def question_revealed(meeting: Meeting) -> bool:
    """Whether the task's question may be shown: always, unless the agenda has a step that
    reveals it (Problem Introduction's "The question") and the meeting is not there yet."""
    reveals = [pos for pos, step in enumerate(meeting.agenda) if step.get("reveals_question")]
    return not reveals or meeting.step_pos >= reveals[0]


def _heading(meeting: Meeting) -> tuple[dict, list[str]]:
    """The meeting's heading, with the question only once revealed; and the team's norms."""
    [(team, norms, title, context, question)] = _rows(_HEADING, team_id=meeting.team_id, task_id=meeting.task_id)
    revealed = question_revealed(meeting)
    heading = {
        "id": meeting.id,
        "code": meeting.code,
        "team": team,
        "task": {"title": title, "context": context, "question": question if revealed and question else None,
                 "question_held": bool(question) and not revealed},
        "ended": meeting.ended_at is not None,
    }
    return heading, norm_lines(norms)


def step_responses(meeting: Meeting, with_author: bool | None = None) -> list[dict]:
    """The answers on the meeting's current step, as clients see them."""
    with_author = authors_shown(meeting) if with_author is None else with_author
    rows = _rows(_STEP_RESPONSES, meeting_id=meeting.id, step_pos=meeting.step_pos)
    return [response_payload(meeting, r, with_author, r.name) for r in rows]


def room_state(meeting: Meeting, full: bool = True, parts: bool = True) -> dict:
    """The room as everyone sees it. Broadcasts after a change leave out what only joining
    changes (the agenda, who joined: sent on connect and in `participants` events). Features
    parts (student work) go out on connect and on a step change only; their own events keep them current."""
    step = meeting.current_step
    with_author = authors_shown(meeting)
    heading, norms = _heading(meeting)
    state = {
        "meeting": heading,
        "step": {
            "pos": meeting.step_pos,
            "total": len(meeting.agenda),
            "activity_label": ACTIVITIES[step["activity"]],
            "questions": ANTICIPATION_QUESTIONS if step["activity"] == "anticipate" else None,
            **{key: step[key] for key in PUBLIC_STEP_FIELDS},
            # On a norms step, the team's own norms replace the prompt (none written: the prompt stays).
            "team_norms": norms if step.get("norms") and norms else None,
            "reveals_question": bool(step.get("reveals_question")),
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
        "responses": step_responses(meeting, with_author),
        **({name: part(meeting) for name, part in _state_parts.items()} if parts else {}),
    }
    if full:
        state["agenda"] = [
            {"title": s["title"], "protocol_title": s["protocol_title"], "minutes": s["minutes"]}
            for s in meeting.agenda
        ]
        state["participants"] = participants_payload(meeting)
        state["key_words"] = key_words_payload(meeting.team_id)
    return state


def key_words_payload(team_id: int) -> list[dict]:
    """The team's key words as every screen of its meetings gets them: on connect, and again when they change."""
    return [{"word": entry.word, "meaning": entry.meaning} for entry in key_words(team_id)]


def participants_payload(meeting: Meeting) -> list[dict]:
    return [{"id": p.id, "name": p.name, "role": PARTICIPANT_ROLES.get(p.role, p.role)}
            for p in _rows(_PARTICIPANTS, meeting_id=meeting.id)]


def control_state(meeting: Meeting) -> dict:
    return {"script": meeting.current_step["script"], "step_pos": meeting.step_pos}


def own_response_ids(meeting: Meeting, participant_id: int) -> list[int]:
    """A participant's answers on every step of the meeting. The phone keeps them (and adds the
    ones it sends), so a step change needs no message to each phone (ids are never reused)."""
    return list(
        db.session.execute(
            db.select(Response.id).filter_by(meeting_id=meeting.id, participant_id=participant_id).order_by(Response.id)
        ).scalars()
    )
