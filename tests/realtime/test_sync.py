"""News between server processes (plc/realtime/sync.py). Across real processes through Redis:
tests/district/test_live_copies.py."""
from __future__ import annotations

import pytest
import socketio as python_socketio

from plc.realtime import sync


def test_without_a_message_queue_news_is_handled_at_once_in_this_process(app):
    heard = []
    sync.on_news("test:news")(heard.append)
    try:
        sync.tell_processes("test:news", {"meeting_id": 7})
        assert heard == [{"meeting_id": 7}]
    finally:
        sync._handlers.pop("test:news")


def test_a_handler_that_fails_does_not_stop_the_others(app, caplog):
    heard = []

    def broken(data):
        raise ValueError("a bug")

    sync.on_news("test:news")(broken)
    sync.on_news("test:news")(heard.append)
    try:
        sync.tell_processes("test:news", 1)
    finally:
        sync._handlers.pop("test:news")
    assert heard == [1]
    assert "handling news test:news failed" in caplog.text


def test_the_message_queue_is_redis_and_its_manager_hears_the_news():
    assert sync.client_manager(None) is None
    with pytest.raises(ValueError, match="redis://"):
        sync.client_manager("amqp://guest@127.0.0.1:1//")
    redis_manager = sync.client_manager("redis://127.0.0.1:1/0")
    assert isinstance(redis_manager, python_socketio.RedisManager)

    heard = []
    sync.on_news("test:news")(heard.append)
    try:
        # What the manager's listener does with a message from another process.
        redis_manager._handle_emit({"method": "emit", "event": "test:news", "data": [42],
                                    "namespace": sync.NEWS_NAMESPACE, "host_id": "another process"})
    finally:
        sync._handlers.pop("test:news")
    assert heard == [42]
