"""Which server processes of a district are alive, and news of one that died.

With several processes (a Socket.IO message queue on Redis), each keeps a key in that Redis
alive: set every BEAT_SECONDS, expiring after LOST_AFTER_SECONDS. A process that dies without a
word (SIGKILL, a crash, its machine gone) may have stored a change and died before its
broadcast left: the phones of the other processes never hear of it. Its key expires, every
surviving process sees it gone and sends `process_lost`, and the features resend what their
own phones show (plc/meetings/failover.py). The dead process's phones reconnect to another
process through the load balancer and get the whole state there.
"""
from __future__ import annotations

import logging
import os
import socket
import uuid

import redis
from blinker import Namespace
from flask import Flask

from plc.extensions import socketio
from plc.realtime.rooms import meeting_of_room

log = logging.getLogger(__name__)

BEAT_SECONDS = 1.0
LOST_AFTER_SECONDS = 3
KEY_PREFIX = "plc:process:"

# Sent in a surviving process, in an app context, with `lost`: the ids of the processes gone.
process_lost = Namespace().signal("process-lost")


class Liveness:
    """This process's key in Redis, and the other processes' keys it has seen."""

    def __init__(self, client: redis.Redis, name: str | None = None):
        self.client = client
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.known: set[str] = set()

    def beat(self) -> set[str]:
        """Keep this process's key alive; returns the processes seen before whose keys are gone."""
        self.client.set(KEY_PREFIX + self.name, "1", ex=LOST_AFTER_SECONDS)
        alive = {key.decode().removeprefix(KEY_PREFIX) for key in self.client.scan_iter(KEY_PREFIX + "*")}
        lost, self.known = self.known - alive, alive
        return lost


def watch_processes(app: Flask) -> None:
    """In a serving process with a message queue: beat, and send `process_lost` when another dies."""
    url = app.config["SOCKETIO_MESSAGE_QUEUE"]
    if url and url.startswith(("redis://", "rediss://")) and not app.testing:
        socketio.start_background_task(_watch, app, Liveness(redis.Redis.from_url(url)))


def _watch(app: Flask, liveness: Liveness) -> None:
    while True:
        try:
            lost = liveness.beat()
            if lost:
                log.warning("server processes gone: %s; resending this process's rooms", ", ".join(sorted(lost)))
                with app.app_context():
                    process_lost.send(app, lost=lost)
        except Exception:  # keep beating through a passing Redis or database error
            log.exception("watching the district's server processes failed")
        socketio.sleep(BEAT_SECONDS)


def local_meeting_rooms() -> list[int]:
    """The meetings whose live rooms have phones connected to this process."""
    rooms = socketio.server.manager.rooms.get("/", {})
    return sorted({m for name in rooms if isinstance(name, str) and (m := meeting_of_room(name)) is not None})
