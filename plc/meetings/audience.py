"""Who hears a meeting's news, and when they stop: live access ends with the meeting.

A connection joins only its own meeting's rooms (the meeting, the facilitator's controls, its
participant's own room). News of a task (student work arriving, cards moving) goes to the rooms
of the meetings running on that task at that moment, so an ended meeting's phones hear nothing
more of it, whichever server process holds them. Ending a meeting closes its rooms.
"""
from __future__ import annotations

from flask_socketio import SocketIO
from sqlalchemy import bindparam, select

from plc.extensions import db, socketio
from plc.meetings.models import Meeting, Participant
from plc.realtime.rooms import control_room, participant_room, room

_RUNNING_ON_TASK = select(Meeting.id).where(Meeting.task_id == bindparam("task_id"), Meeting.ended_at.is_(None))
_RUNNING_OF_TEAM = select(Meeting).where(Meeting.team_id == bindparam("team_id"), Meeting.ended_at.is_(None))


def task_audience(task_id: int) -> list[str]:
    """The rooms of every meeting running on the task."""
    return [room(meeting_id) for meeting_id in db.session.execute(_RUNNING_ON_TASK, {"task_id": task_id}).scalars()]


def running_meetings_of_team(team_id: int) -> list[Meeting]:
    """The team's meetings running now (news of its agreements goes to each)."""
    return list(db.session.execute(_RUNNING_OF_TEAM, {"team_id": team_id}).scalars())


def emit_to_rooms(event: str, payload, rooms: list[str], emitter: SocketIO = socketio) -> None:
    """Emit to these rooms; to nobody when there are none (an empty `to` would mean everyone)."""
    if rooms:
        emitter.emit(event, payload, to=rooms, namespace="/")


def close_meeting_rooms(meeting: Meeting) -> None:
    """After the last broadcast of an ended meeting: nobody is in its rooms any more (with a message
    queue, every server process closes them)."""
    socketio.close_room(room(meeting.id))
    socketio.close_room(control_room(meeting.id))
    for participant_id in db.session.execute(
            select(Participant.id).where(Participant.meeting_id == meeting.id)).scalars():
        socketio.close_room(participant_room(participant_id))
