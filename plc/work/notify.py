"""Letting the rooms know a sample changed, from wherever the change happened.

Samples are one feed of the realtime relay (plc/realtime/relay.py), which carries a worker's
news to the server: through the Socket.IO message queue, or by the server watching the database.
"""
from __future__ import annotations

from datetime import datetime

from flask_socketio import SocketIO

from plc.extensions import db, socketio
from plc.meetings.audience import emit_to_rooms, task_audience
from plc.realtime.relay import Feed, current_relay, watch
from plc.realtime.rooms import task_room
from plc.work.models import WorkSample
from plc.work.pages import TASK_PAGES
from plc.work.state import sample_payload


def _tell_task(event: str, payload: dict, task_id: int, emitter: SocketIO) -> None:
    """To everyone in a meeting running on the task, and to its open student-work pages."""
    emit_to_rooms(event, payload, task_audience(task_id), emitter)
    emitter.emit(event, payload, to=task_room(task_id), namespace=TASK_PAGES)


def _changed_since(since: datetime) -> list[WorkSample]:
    return db.session.execute(db.select(WorkSample).where(WorkSample.updated_at > since)).scalars().all()


def _version(sample: WorkSample) -> tuple:
    return (sample.status, sample.thumb_name, sample.image_name, sample.ocr_text, sample.corrected_text,
            sample.error, sample.name_check, sample.check_image_name)


def _send(sample: WorkSample, emitter: SocketIO) -> None:
    _tell_task("work:sample", sample_payload(sample), sample.task_id, emitter)


SAMPLES = watch(Feed("work:sample", changed_since=_changed_since, version=_version, send=_send))


def emit_sample(sample: WorkSample) -> None:
    current_relay().send(SAMPLES, sample)


def announce_removed(task_id: int, sample_id: int) -> None:
    """A deleted sample leaves every live room and page on its task at once (its board: plc/sort/events.py)."""
    current_relay().forget(SAMPLES, sample_id)
    _tell_task("work:removed", {"id": sample_id}, task_id, socketio)


def announce_from_worker(sample: WorkSample) -> None:
    """Called by jobs after they commit."""
    current_relay().from_worker(SAMPLES, sample)
