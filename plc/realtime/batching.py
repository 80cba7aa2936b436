"""Broadcasts that a whole room sets off at once go out together.

When the timer runs out, eighty phones answer within a tenth of a second; sending each answer
to every screen on its own is eighty messages to each of them. The room's outbox sends the first
news at once, and what follows within `LIVE_BATCH_SECONDS` of a send waits for the end of that
window and goes as one `batch` message: a list of [event, payload] in the order they were
emitted, which clients dispatch to their own handlers (static/js/lib/socket.js). A quiet room
(answers seconds apart) therefore waits for nothing, and a busy one waits at most one window
(two in a burst).

A room answering all at once (a batch of BURST_SIZE answers or more) gets windows twice as long
until a smaller batch goes: a burst of 80 phones then goes out in a few messages, not a dozen,
and every screen has less to read (`python -m bench --scenarios c`: p95 47 ms with 20 ms windows,
64 ms with 10). A room answering steadily, even 20 times a second, never fills a batch that
large, and keeps the short window.

Only answers go through the outbox (`to_room`): they come in bursts. Card moves do not: they come
steadily while a room sorts, so every one would wait for a window (`python -m bench.sort`: the
board's p95 doubled). A broadcast that does not go through it (the room's whole state) first
`flush`es what the outbox holds, so that no screen sees news older than the state that follows it.
"""
from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask
from flask_socketio import SocketIO

from plc.extensions import socketio as default_socketio

BATCH_EVENT = "batch"
BURST_SIZE = 4  # answers in one batch that mean the room is answering all at once
FORGET_AFTER_ROOMS = 2_000  # rooms remembered before quiet ones are forgotten


class RoomOutbox:
    def __init__(self, socketio: SocketIO):
        self.socketio = socketio
        self.window = 0.0  # seconds; 0 sends everything at once (set by init_app)
        self._lock = threading.Lock()
        self._pending: dict[str, list[list[Any]]] = {}  # room -> [[event, payload], ...] waiting
        self._last_sent: dict[str, float] = {}  # room -> when its last message went
        self._bursting: set[str] = set()  # rooms whose last batch was a burst's: their window is doubled

    def init_app(self, app: Flask) -> None:
        self.window = app.config["LIVE_BATCH_SECONDS"]

    def to_room(self, room: str, event: str, payload: Any) -> None:
        """Emit to the room now, or with what else comes within the window if it just had news."""
        if self.window <= 0:
            self.socketio.emit(event, payload, to=room)
            return
        with self._lock:
            waiting = self._pending.get(room)
            if waiting is not None:
                waiting.append([event, payload])
                return
            now = time.monotonic()
            window = self.window * 2 if room in self._bursting else self.window
            wait = self._last_sent.get(room, -window) + window - now
            if wait > 0:
                self._pending[room] = [[event, payload]]
            else:
                self._sent(room, now)
        if wait > 0:
            self.socketio.start_background_task(self._flush_after, room, wait)
        else:
            self.socketio.emit(event, payload, to=room)

    def flush(self, room: str) -> None:
        """Send what waits for this room now (before a broadcast that must come after it)."""
        with self._lock:
            waiting = self._pending.pop(room, None)
            if waiting:
                self._sent(room, time.monotonic())
                if len(waiting) >= BURST_SIZE:
                    self._bursting.add(room)
                else:
                    self._bursting.discard(room)
        if not waiting:
            return
        if len(waiting) == 1:
            self.socketio.emit(waiting[0][0], waiting[0][1], to=room)
        else:
            self.socketio.emit(BATCH_EVENT, waiting, to=room)

    def _flush_after(self, room: str, wait: float) -> None:
        self.socketio.sleep(wait)
        self.flush(room)

    def _sent(self, room: str, now: float) -> None:
        """Remember when the room last had news (called with the lock held)."""
        self._last_sent[room] = now
        if len(self._last_sent) > FORGET_AFTER_ROOMS:
            quiet = [r for r, at in self._last_sent.items() if now - at > self.window]
            for r in quiet:
                del self._last_sent[r]
                self._bursting.discard(r)


outbox = RoomOutbox(default_socketio)
