"""The task-queue worker: `huey_consumer plc.worker.huey`, or started for you by `python wsgi.py`."""
from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys

from plc.jobs import huey  # noqa: F401
from plc.work import tasks  # noqa: F401  (registers the jobs)

PR_SET_PDEATHSIG = 1


def _stop_with_parent() -> None:
    """In the child: ask Linux to send SIGTERM when the server dies, however it dies."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_worker_process() -> subprocess.Popen:
    """A consumer beside the server: one worker process per core, stopped when the server stops."""
    workers = os.environ.get("PLC_WORKERS") or str(os.cpu_count() or 1)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "plc.worker.huey", "-w", workers, "-k", "process", "-q"],
        env=env, preexec_fn=_stop_with_parent if sys.platform == "linux" else None,
    )
    atexit.register(process.terminate)
    return process
