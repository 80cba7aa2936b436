"""A task's student-work page on a laptop hears of its samples as they change: Socket.IO
namespace /tasks, one room per task (the same room name as the live meetings' own)."""
from __future__ import annotations

from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from plc.extensions import db, socketio
from plc.realtime.payloads import Id, Payload, checked_auth
from plc.realtime.rooms import task_room, user_room
from plc.teams.access import membership_of
from plc.teams.models import Task

TASK_PAGES = "/tasks"


class TaskAuth(Payload):
    task_id: Id


@socketio.on("connect", namespace=TASK_PAGES)
def on_connect(auth=None):
    """Members of the task's team only; everyone else is refused and hears nothing."""
    try:
        task_id = checked_auth(TaskAuth, auth, "Say which task's work to follow.").task_id
        task = db.session.get(Task, task_id)
        if task is None or membership_of(current_user, task.unit.team_id) is None:
            raise ConnectionRefusedError("You are not in this task's team.")
        join_room(task_room(task_id))
        join_room(user_room(current_user.id))
    finally:
        db.session.remove()
