"""How news of rows that a worker process changed reaches the live rooms: chosen once, by configuration.

- With a Socket.IO message queue (PLC_SOCKETIO_MESSAGE_QUEUE, e.g. Redis), the worker emits
  straight to the rooms through it (`QueueRelay`).
- Without one (one machine), the server watches the database for rows the workers changed and
  emits them itself (`WatcherRelay`).

`init_relay` makes the choice for an app, as CTFd's init_events picks its event manager.
Features say what is worth telling with a `Feed` (`watch`); this module never knows what the rows are.
"""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Hashable, Iterable

from flask import Flask, current_app
from flask_socketio import SocketIO

from plc.extensions import db, socketio
from plc.timeutil import utcnow

log = logging.getLogger(__name__)
# A commit can carry an updated_at a moment older than its visibility: the watcher looks back this far.
OVERLAP = timedelta(seconds=2)


@dataclass(frozen=True)
class Feed:
    """One kind of row that workers change and the rooms hear about. Rows have an `id`."""

    name: str
    changed_since: Callable[[datetime], Iterable[Any]]  # rows whose last change is after the moment given
    version: Callable[[Any], Hashable]  # what a row looks like to the rooms: a new version is news
    send: Callable[[Any, SocketIO], None]  # tell the rooms about a row, through the emitter given


_feeds: list[Feed] = []


def watch(feed: Feed) -> Feed:
    """Register a feed (at import): the watcher looks for its changed rows."""
    _feeds.append(feed)
    return feed


class Relay(ABC):
    """Tells the rooms about a feed's rows: `send` in the server, `from_worker` in a worker process."""

    def send(self, feed: Feed, row) -> None:
        feed.send(row, socketio)

    def forget(self, feed: Feed, row_id: int) -> None:
        """The row is gone: nothing more to tell about it."""

    @abstractmethod
    def from_worker(self, feed: Feed, row) -> None:
        """Called by a job after it commits the row."""

    def start(self, app: Flask) -> None:
        """In the serving process: begin bringing the workers' news in."""


class QueueRelay(Relay):
    """A worker emits through the Socket.IO message queue; the server processes pass it on."""

    def __init__(self, url: str):
        self.url = url
        self._emitter: SocketIO | None = None  # made in the first worker that needs it

    def from_worker(self, feed: Feed, row) -> None:
        if self._emitter is None:
            self._emitter = SocketIO(message_queue=self.url)
        feed.send(row, self._emitter)


class WatcherRelay(Relay):
    """The server polls the database for rows changed since it last looked and sends what is new."""

    def __init__(self, poll_seconds: float):
        self.poll_seconds = poll_seconds
        self._seen: dict[tuple[str, int], Hashable] = {}  # what the rooms were last told of each row
        self._watching = False

    def send(self, feed: Feed, row) -> None:
        self._seen[feed.name, row.id] = feed.version(row)  # the watcher need not send it again
        super().send(feed, row)

    def forget(self, feed: Feed, row_id: int) -> None:
        self._seen.pop((feed.name, row_id), None)

    def from_worker(self, feed: Feed, row) -> None:
        pass  # the server's watcher finds the committed row

    def start(self, app: Flask) -> None:
        """Start the watcher once per server process (not in tests: they call `emit_changed_since`)."""
        if self._watching or app.testing:
            return
        self._watching = True
        socketio.start_background_task(self._watch, app)

    def _watch(self, app: Flask) -> None:
        with app.app_context():
            since = utcnow()
            while True:
                socketio.sleep(self.poll_seconds)
                try:
                    since = self.emit_changed_since(since)
                except Exception:  # keep watching through a passing database error
                    log.exception("watching for finished work failed")
                finally:
                    db.session.remove()

    def emit_changed_since(self, since: datetime) -> datetime:
        """Send every row changed after `since` that the rooms have not heard of; returns the new mark."""
        now = utcnow()
        for feed in _feeds:
            for row in feed.changed_since(since - OVERLAP):
                if self._seen.get((feed.name, row.id)) != feed.version(row):
                    self.send(feed, row)
                    socketio.sleep(0)  # one room's fan-out at a time: let other events through in between
        return now


def init_relay(app: Flask) -> None:
    """The one choice: the message queue when the app has one, else the database watcher."""
    url = app.config["SOCKETIO_MESSAGE_QUEUE"]
    app.extensions["plc_relay"] = QueueRelay(url) if url else WatcherRelay(app.config["WORK_POLL_SECONDS"])


def relay_of(app: Flask) -> Relay:
    return app.extensions["plc_relay"]


def current_relay() -> Relay:
    return relay_of(current_app)
