"""The background task queue (Huey), chosen by configuration, and what every job runs in.

One machine: SQLite storage in the instance folder, no extra server. Several machines:
PLC_TASK_QUEUE_URL=redis://host:6379/2. Workers are started by `python wsgi.py` (see
plc/worker.py) or by `huey_consumer plc.worker.huey` on their own (plc/worker.py declares every job).
Jobs are declared with `job` and `periodic_job`: each runs in an app, and ends its database session.
"""
from __future__ import annotations

from contextlib import nullcontext
from functools import wraps
from pathlib import Path
from typing import Callable

from flask import Flask, has_app_context
from huey import RedisHuey, SqliteHuey

from plc.config import task_queue_url
from plc.extensions import db


def _make_huey():
    url = task_queue_url()
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey("plc", url=url)
    path = url.removeprefix("sqlite:///")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("plc", filename=path)


huey = _make_huey()
_worker_app: Flask | None = None
_make_app: Callable[[], Flask] | None = None


def use_app(app) -> None:
    """Run jobs in this app (a worker thread inside a test, or an embedding server)."""
    global _worker_app
    _worker_app = app


def make_apps_with(factory: Callable[[], Flask]) -> None:
    """How a worker process makes its one app, on its first job (plc/worker.py gives create_app)."""
    global _make_app
    _make_app = factory


def _app_context():
    """An app context for a job: the caller's inside the app, else one app per worker process."""
    global _worker_app
    if has_app_context():
        return nullcontext()
    if _worker_app is None:
        if _make_app is None:
            raise RuntimeError("A job runs in an app: import plc.worker (the consumer's module), or use_app(app).")
        _worker_app = _make_app()
    return _worker_app.app_context()


def in_app(fn: Callable) -> Callable:
    """Run fn in an app context, and end its database session after, however it ends."""

    @wraps(fn)
    def run(*args, **kwargs):
        with _app_context():
            try:
                return fn(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def job(**options) -> Callable:
    """A task-queue job (huey.task with these options) that runs in the app."""
    return lambda fn: huey.task(**options)(in_app(fn))


def periodic_job(when) -> Callable:
    """A job the queue runs on a schedule (a huey crontab), in the app."""
    return lambda fn: huey.periodic_task(when)(in_app(fn))
