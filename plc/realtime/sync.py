"""News between the server processes of a district, through the Socket.IO message queue.

Each process keeps copies of what its live rooms read on every event (plc/meetings/live.py).
When one process changes what such a copy holds, every process must drop its copy:
`tell_processes(topic, data)` reaches every process, this one included, and `on_news(topic)`
registers what a process does with it. The news rides the message queue the rooms' broadcasts
already use, as an emit to a namespace no client connects to, which each process's client
manager hands to its handlers instead of to sockets. Without a message queue there is one
process, and the news is handled at once.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

import socketio as python_socketio

from plc.extensions import socketio

log = logging.getLogger(__name__)

NEWS_NAMESPACE = "/plc-processes"  # no client connects here: only the processes' news goes through it

_handlers: dict[str, list[Callable[[Any], None]]] = {}


def on_news(topic: str) -> Callable:
    """Register fn(data), called in every process (outside any app context) for news of `topic`."""

    def register(fn: Callable[[Any], None]) -> Callable[[Any], None]:
        _handlers.setdefault(topic, []).append(fn)
        return fn

    return register


def _hear(topic: str, data: Any) -> None:
    for handler in _handlers.get(topic, ()):
        try:
            handler(data)
        except Exception:  # one handler's bug must not stop the queue's listener
            log.exception("handling news %s failed", topic)


def tell_processes(topic: str, data: Any) -> None:
    """Tell every server process (this one at once, the others through the message queue)."""
    manager = socketio.server.manager if socketio.server is not None else None
    if isinstance(manager, _HearsNews):
        socketio.emit(topic, data, namespace=NEWS_NAMESPACE)
    else:
        _hear(topic, data)


class _HearsNews:
    """A client manager that hands the news namespace's emits to the registered handlers."""

    def _handle_emit(self, message):
        if message.get("namespace") == NEWS_NAMESPACE:
            _hear(message["event"], message["data"][0])
        else:
            super()._handle_emit(message)


class _NewsHearingRedisManager(_HearsNews, python_socketio.RedisManager):
    pass


def client_manager(url: str | None):
    """The message queue's client manager (Redis), which also hears the processes' news; None
    without a message queue."""
    if not url:
        return None
    if not url.startswith(("redis://", "rediss://")):
        raise ValueError(f"PLC_SOCKETIO_MESSAGE_QUEUE must be a redis:// or rediss:// URL, not {url!r}.")
    return _NewsHearingRedisManager(url, channel="flask-socketio")
