"""The background task queue (Huey), chosen by configuration.

One machine: SQLite storage in the instance folder, no extra server. Several machines:
PLC_TASK_QUEUE_URL=redis://host:6379/2. Workers are started by `python wsgi.py` (see
plc/worker.py) or by `huey_consumer plc.worker.huey` on their own (plc/worker.py declares every job).
"""
from __future__ import annotations

import os
from contextlib import nullcontext
from pathlib import Path

from flask import has_app_context
from huey import RedisHuey, SqliteHuey

from plc.config import default_instance_path


def _make_huey():
    url = os.environ.get("PLC_TASK_QUEUE_URL", "")
    if url.startswith(("redis://", "rediss://")):
        return RedisHuey("plc", url=url)
    path = url.removeprefix("sqlite:///") if url else str(Path(default_instance_path()) / "jobs.sqlite3")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("plc", filename=path)


huey = _make_huey()
_worker_app = None


def use_app(app) -> None:
    """Run jobs in this app (a worker thread inside a test, or an embedding server)."""
    global _worker_app
    _worker_app = app


def app_context():
    """An app context for a job: the caller's inside the app, else one app per worker process."""
    global _worker_app
    if has_app_context():
        return nullcontext()
    if _worker_app is None:
        from plc import create_app

        _worker_app = create_app()
    return _worker_app.app_context()
