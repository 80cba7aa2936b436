"""The task-queue worker: `huey_consumer plc.worker.huey`, or started for you by `python wsgi.py`."""
from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys

from plc import create_app
from plc.config import worker_environment, worker_processes
from plc.jobs import huey, make_apps_with  # noqa: F401  (huey: what `huey_consumer plc.worker.huey` runs)
# Every job, the periodic ones included, is declared where the consumer imports it: here.
from plc.retention import tasks as retention_tasks  # noqa: F401  (removes expired originals hourly)
from plc.work import tasks  # noqa: F401  (cleans and reads uploads)

make_apps_with(create_app)  # each worker process makes its app on its first job

PR_SET_PDEATHSIG = 1
WORKER_NICENESS = 19


def _linux_libc():
    """Found in the server, before the fork: looking it up runs other programs, and in the
    forked child that would let the server's pending greenlets run there."""
    if sys.platform != "linux":
        return None
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _prepare_child(libc) -> None:
    """In the worker: yield the CPU to the live room (images and OCR can wait a moment,
    sockets cannot), and have Linux stop it when the server dies, however it dies. Under
    SCHED_IDLE a server thread that wakes up (a message came) takes the core from the worker at
    once, where a merely nice worker may finish its time slice first."""
    os.nice(WORKER_NICENESS)
    if hasattr(os, "SCHED_IDLE"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    if libc is not None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_worker_process() -> subprocess.Popen:
    """A consumer beside the server, stopped when the server stops. It leaves one core to the
    live room: on a 2-core machine two OCR workers slow every broadcast down."""
    libc = _linux_libc()
    process = subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "plc.worker.huey", "-w", str(worker_processes()),
         "-k", "process", "-q"],
        env=worker_environment(), preexec_fn=lambda: _prepare_child(libc),
    )
    atexit.register(process.terminate)
    return process
