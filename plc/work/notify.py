"""Letting the room know a sample changed, from wherever the change happened.

With a Socket.IO message queue (Redis), a worker process emits straight to the rooms.
On one machine without one, the server notices changed samples in the database
(`watch_samples`, started with the first live connection) and emits them itself.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from flask_socketio import SocketIO

from plc.extensions import db, socketio
from plc.meetings.live import task_room
from plc.timeutil import utcnow
from plc.work.models import WorkSample
from plc.work.pages import TASK_PAGES
from plc.work.state import sample_payload

log = logging.getLogger(__name__)
_external: SocketIO | None = None
_watching = False


def _tell_task(event: str, payload: dict, task_id: int, emitter=None) -> None:
    """To everyone in a live meeting on the task, and to its open student-work pages."""
    for namespace in ("/", TASK_PAGES):
        (emitter or socketio).emit(event, payload, to=task_room(task_id), namespace=namespace)


def emit_sample(sample: WorkSample, emitter=None) -> None:
    _seen[sample.id] = _version(sample)  # the database watcher need not send it again
    _tell_task("work:sample", sample_payload(sample), sample.task_id, emitter)


def announce_removed(task_id: int, sample_id: int) -> None:
    """A deleted sample leaves every live room and page on its task at once (its board: plc/sort/events.py)."""
    _seen.pop(sample_id, None)
    _tell_task("work:removed", {"id": sample_id}, task_id)


def announce_from_worker(sample: WorkSample) -> None:
    """Called by jobs after they commit; without a message queue the server's watcher does it."""
    global _external
    url = current_app.config["SOCKETIO_MESSAGE_QUEUE"]
    if not url:
        return
    if _external is None:
        _external = SocketIO(message_queue=url)
    emit_sample(sample, _external)


def ensure_watching(app) -> None:
    """Start the database watcher once per server process, when no message queue carries news."""
    global _watching
    if _watching or app.config["SOCKETIO_MESSAGE_QUEUE"] or app.testing:
        return
    _watching = True
    socketio.start_background_task(_watch, app)


def _watch(app) -> None:
    with app.app_context():
        since = utcnow()
        while True:
            socketio.sleep(app.config["WORK_POLL_SECONDS"])
            try:
                since = emit_changed_since(since)
            except Exception:  # keep watching through a passing database error
                log.exception("watching for finished work failed")
            finally:
                db.session.remove()


def emit_changed_since(since):
    """Emit every sample changed after `since`; returns the new mark."""
    # Overlap a little: a commit can carry an updated_at a moment older than its visibility.
    now = utcnow()
    changed = db.session.execute(
        db.select(WorkSample).where(WorkSample.updated_at > since - timedelta(seconds=2))
    ).scalars().all()
    for sample in changed:
        if _seen.get(sample.id) != _version(sample):
            emit_sample(sample)
            socketio.sleep(0)  # one room's fan-out at a time: let other events through in between
    return now


# What each sample looked like when the room was last told about it.
_seen: dict[int, tuple] = {}


def _version(sample: WorkSample) -> tuple:
    return (sample.status, sample.thumb_name, sample.image_name, sample.ocr_text, sample.corrected_text,
            sample.error)
