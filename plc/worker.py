"""The task-queue worker: `huey_consumer plc.worker.huey`, or started for you by `python wsgi.py`."""
from __future__ import annotations

import atexit
import os
import subprocess
import sys

from plc.jobs import huey  # noqa: F401
from plc.work import tasks  # noqa: F401  (registers the jobs)


def start_worker_process() -> subprocess.Popen:
    """A consumer beside the server: one worker process per core, stopped when the server stops."""
    workers = os.environ.get("PLC_WORKERS") or str(os.cpu_count() or 1)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "plc.worker.huey", "-w", workers, "-k", "process", "-q"],
        env=env,
    )
    atexit.register(process.terminate)
    return process
