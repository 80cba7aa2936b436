"""A logout ends the user's live connections in every server process at once. Without this,
a screen left open (a projector, a task's work page) would keep hearing the room's news, names
and student work included, after its session had stopped working; only its next event would
be refused (plc/realtime/gate.py)."""
from __future__ import annotations

from plc.accounts.signals import sessions_ended
from plc.extensions import socketio
from plc.realtime.rooms import user_room
from plc.realtime.sync import on_news, tell_processes

SESSIONS_ENDED = "sessions-ended"


@sessions_ended.connect
def _tell_every_process(user_id: int, **_) -> None:
    tell_processes(SESSIONS_ENDED, user_id)


@on_news(SESSIONS_ENDED)
def close_connections_of(user_id: int) -> None:
    """Disconnect this process's live connections of the user, in every namespace: each page
    hears "io server disconnect" and asks the person to log in again."""
    server = socketio.server
    for namespace in list(server.manager.rooms):
        for sid, _ in list(server.manager.get_participants(namespace, user_room(user_id))):
            server.disconnect(sid, namespace=namespace, ignore_queue=True)
