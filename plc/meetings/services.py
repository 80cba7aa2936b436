"""Meetings: starting, joining, and every change to a live room's state.

Each function stores its change and commits; the event handlers broadcast after.
Functions raise MeetingError (a UserError) with a message fit to show the person who asked.
"""
from __future__ import annotations

import secrets
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from plc.errors import UserError, too_long
from plc.extensions import db
from plc.grouped_writes import grouped_writes
from plc.meetings.codes import new_code
from plc.meetings.models import Meeting, Participant, Response
from plc.meetings.signals import answers_changed
from plc.protocols import ANTICIPATION_QUESTIONS, RESPONSE_ACTIVITIES, flatten_agenda
from plc.realtime.gate import ONLY_PARTICIPANTS
from plc.roles import PARTICIPANT_ROLES
from plc.timeutil import utcnow

MAX_TIMER_SECONDS = 3 * 60 * 60


class MeetingError(UserError):
    """A meeting request that cannot be carried out; the message is shown to the person."""


NO_SUCH_CODE = "No meeting has that code. Check the code on the screen."


# --- starting and joining -------------------------------------------------

# Features above meetings may open every meeting of a team with protocols of their own
# (e.g. "Since last time" while next steps are open): fn(team) -> protocol ids.
_agenda_openers: list = []


def agenda_opener(fn):
    _agenda_openers.append(fn)
    return fn


def start_meeting(team, task, facilitator, protocols: dict, protocol_ids: list[str]) -> Meeting:
    unknown = [pid for pid in protocol_ids if pid not in protocols]
    if not protocol_ids or unknown:
        raise MeetingError("Choose at least one protocol from the list.")
    if task.unit.team_id != team.id:
        raise MeetingError("That task belongs to another team.")
    opening = [pid for opener in _agenda_openers for pid in opener(team)
               if pid in protocols and pid not in protocol_ids]
    agenda = flatten_agenda(protocols, opening + protocol_ids)
    for _ in range(10):
        meeting = Meeting(
            team=team, task=task, facilitator=facilitator, code=new_code(), agenda=agenda,
            timer_remaining=agenda[0]["minutes"] * 60.0,
        )
        db.session.add(meeting)
        try:
            db.session.commit()
            return meeting
        except IntegrityError:  # the code was taken: draw another
            db.session.rollback()
    raise MeetingError("Could not make a join code; please try again.")


def code_is_live(meeting: Meeting) -> bool:
    if meeting.ended_at is not None:
        return False
    hours = current_app.config["MEETING_CODE_HOURS"]
    return utcnow() - meeting.started_at < timedelta(hours=hours)


def meeting_for_code(code: str) -> Meeting:
    meeting = db.session.execute(db.select(Meeting).filter_by(code=code)).scalar_one_or_none()
    if meeting is None:
        raise MeetingError(NO_SUCH_CODE)
    if not code_is_live(meeting):
        raise MeetingError("That meeting has ended; its code no longer works.")
    return meeting


def participant_for_token(meeting_id: int, token: str | None) -> Participant | None:
    if not token:
        return None
    return db.session.execute(
        db.select(Participant).filter_by(meeting_id=meeting_id, token=token)
    ).scalar_one_or_none()


def join_meeting(meeting: Meeting, name: str, role: str, token: str | None = None) -> Participant:
    """Join, or come back as the same participant when the token is already a seat here."""
    if role not in PARTICIPANT_ROLES:
        raise MeetingError("Choose a role from the list.")
    participant = participant_for_token(meeting.id, token)
    if participant is None:
        participant = Participant(meeting=meeting, token=secrets.token_urlsafe(24))
        db.session.add(participant)
    participant.name = name.strip()
    participant.role = role
    db.session.commit()
    return participant


# --- the facilitator's controls -------------------------------------------

def goto_step(meeting: Meeting, pos: int) -> None:
    if not 0 <= pos < len(meeting.agenda):
        raise MeetingError("There is no such step in this meeting's agenda.")
    meeting.step_pos = pos
    meeting.spotlight_response_id = None
    meeting.timer_running = False
    meeting.timer_ends_at = None
    meeting.timer_remaining = meeting.agenda[pos]["minutes"] * 60.0
    db.session.commit()


def timer_seconds_left(meeting: Meeting, now: float | None = None) -> float:
    if meeting.timer_running:
        return max(0.0, meeting.timer_ends_at - (now or time.time()))
    return meeting.timer_remaining


def start_timer(meeting: Meeting) -> None:
    if not meeting.timer_running:
        meeting.timer_ends_at = time.time() + meeting.timer_remaining
        meeting.timer_running = True
        db.session.commit()


def pause_timer(meeting: Meeting) -> None:
    if meeting.timer_running:
        meeting.timer_remaining = timer_seconds_left(meeting)
        meeting.timer_running = False
        meeting.timer_ends_at = None
        db.session.commit()


def add_time(meeting: Meeting, seconds: int) -> None:
    left = min(MAX_TIMER_SECONDS, max(0.0, timer_seconds_left(meeting) + seconds))
    if meeting.timer_running:
        meeting.timer_ends_at = time.time() + left
    else:
        meeting.timer_remaining = left
    db.session.commit()


def set_names_hidden(meeting: Meeting, hidden: bool) -> None:
    meeting.names_hidden = hidden
    db.session.commit()


def set_input_locked(meeting: Meeting, locked: bool) -> None:
    meeting.input_locked = locked
    db.session.commit()


def spotlight(meeting: Meeting, response_id: int | None) -> None:
    if response_id is not None:
        response = db.session.get(Response, response_id)
        if response is None or response.meeting_id != meeting.id or response.step_pos != meeting.step_pos:
            raise MeetingError("That response is not on this step.")
    meeting.spotlight_response_id = response_id
    db.session.commit()


def end_meeting(meeting: Meeting) -> None:
    meeting.ended_at = utcnow()
    meeting.timer_running = False
    db.session.commit()


# --- participants' responses ----------------------------------------------

def _check_open_for_input(meeting: Meeting) -> dict:
    step = meeting.current_step
    if step["activity"] not in RESPONSE_ACTIVITIES:
        raise MeetingError("This step takes no written responses.")
    if meeting.input_locked:
        raise MeetingError("Input is locked by the facilitator for now.")
    return step


def _clean_text(text: str) -> str:
    text = text.strip()
    limit = current_app.config["RESPONSE_MAX_CHARS"]
    if not text:
        raise MeetingError("Write something first.")
    if len(text) > limit:
        raise MeetingError(too_long("Your answer", len(text), limit, "Shorten it or split it into two answers."))
    return text


# Every phone's answer in a live room comes through here: one INSERT with no unit of work around
# it, which also checks the room in the database as it writes (the event read this process's copy
# of the meeting, which another process may have just changed: plc/meetings/live.py), and back a
# row with the fields clients see.
_OPEN_STEP = (
    select(Meeting.id, Participant.id, Meeting.step_pos, bindparam("field"), bindparam("text"))
    .join(Participant, Participant.meeting_id == Meeting.id)
    .where(Meeting.id == bindparam("meeting_id"), Participant.id == bindparam("participant_id"),
           Meeting.step_pos == bindparam("step_pos"), Meeting.input_locked.is_(False), Meeting.ended_at.is_(None))
)
_INSERT_RESPONSE = (
    insert(Response)
    .from_select(["meeting_id", "participant_id", "step_pos", "field", "text"], _OPEN_STEP)
    .returning(Response.id, Response.field, Response.text, Response.participant_id)
)
ROOM_MOVED_ON = "The meeting has just moved on; your answer was not saved. Check the screen and send it again."


def add_response(meeting: Meeting, participant_id: int, text: str, field: str | None) -> Row:
    """Store a participant's response on the current step; returns (id, field, text, participant_id)."""
    step = _check_open_for_input(meeting)
    if step["activity"] == "anticipate":
        if field not in ANTICIPATION_QUESTIONS:
            raise MeetingError("Choose which of the four questions this answers.")
    elif field is not None:
        raise MeetingError("This step has a single question.")
    # With the answers that come at the same moment, in one transaction (plc/grouped_writes.py).
    response = grouped_writes().execute(_INSERT_RESPONSE, {
        "meeting_id": meeting.id, "participant_id": participant_id, "step_pos": meeting.step_pos,
        "field": field, "text": _clean_text(text),
    })
    if response is None:
        raise MeetingError(_why_not_saved(meeting.id, participant_id))
    if field is not None:
        answers_changed.send(meeting, field=field)
    return response


def _why_not_saved(meeting_id: int, participant_id: int) -> str:
    """Why an answer's INSERT found no open step: a seat that is not this meeting's (a forged
    session), or a room that changed (step, lock, end) before this process heard of it."""
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.meeting_id != meeting_id:
        return ONLY_PARTICIPANTS
    return ROOM_MOVED_ON


def _own_response(meeting: Meeting, participant_id: int, response_id: int) -> Response:
    response = db.session.get(Response, response_id)
    if response is None or response.meeting_id != meeting.id or response.participant_id != participant_id:
        raise MeetingError("That response is not yours to change.")
    if response.step_pos != meeting.step_pos:
        raise MeetingError("The meeting has moved on from that step.")
    return response


def edit_response(meeting: Meeting, participant_id: int, response_id: int, text: str) -> Response:
    _check_open_for_input(meeting)
    response = _own_response(meeting, participant_id, response_id)
    response.text = _clean_text(text)
    db.session.commit()
    if response.field is not None:
        answers_changed.send(meeting, field=response.field)
    return response


def withdraw_response(meeting: Meeting, participant_id: int, response_id: int) -> None:
    response = _own_response(meeting, participant_id, response_id)
    if meeting.spotlight_response_id == response.id:  # the meeting's row, not an event's copy of it
        db.session.get(Meeting, meeting.id).spotlight_response_id = None
    field = response.field
    db.session.delete(response)
    db.session.commit()
    if field is not None:
        answers_changed.send(meeting, field=field)
