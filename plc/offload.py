"""CPU work a request asks for, run off the server's event loop, at most OFFLOAD_AT_ONCE at once.

Under gevent (`python wsgi.py`) one event loop serves every request, socket and meeting: work
that keeps it busy for a second stops them all for that second. So:

- `off_loop` runs work that spends its time in C code letting go of the GIL (Pillow decoding
  and resizing, PDFium) in a real thread of a gevent ThreadPool; the greenlet that asked waits,
  every other greenlet runs on. Under the threading mode (tests, the shell) a
  ThreadPoolExecutor of the same size does the same. The function runs without the app or
  the request: give it plain values (paths, not stored names).
- `in_child_process` runs pure-Python work (WeasyPrint) as a script in a child process: in a
  thread it would hold the GIL, and the loop would wait for it at every socket write.

Both run at a lower CPU priority than the event loop's thread (on Linux each thread has its
own), so that on a busy machine the live room gets the CPU first, and both count against one
bound, so that many requests at once queue rather than crowd the CPU (bench/stalls.py).
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from flask import current_app
from gevent.threadpool import ThreadPool

T = TypeVar("T")
NICER_BY = 10  # below the live room, above the task-queue workers (19)

_pool: ThreadPool | ThreadPoolExecutor | None = None
_slots: threading.BoundedSemaphore | None = None


class ChildFailed(RuntimeError):
    """The child process ended with an error (its last words are in the message)."""


def _setup() -> tuple[ThreadPool | ThreadPoolExecutor, threading.BoundedSemaphore]:
    """One pool and one bound per process, made on first use with the app's settings (and after
    gevent's monkey-patching, so that waiting for a slot lets other greenlets run)."""
    global _pool, _slots
    if _pool is None:
        size = current_app.config["OFFLOAD_AT_ONCE"]
        gevent = current_app.config["SOCKETIO_ASYNC_MODE"] == "gevent"
        _pool = ThreadPool(size) if gevent else ThreadPoolExecutor(size, thread_name_prefix="plc-offload")
        _slots = threading.BoundedSemaphore(size)
    return _pool, _slots


def _nicer(fn: Callable[..., T]) -> Callable[..., T]:
    """fn, run in a thread whose CPU priority is NICER_BY below the process's main thread."""
    main_thread = os.getpriority(os.PRIO_PROCESS, os.getpid())

    def run(*args, **kwargs):
        if sys.platform == "linux":  # elsewhere a nice value is the whole process's
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), min(19, main_thread + NICER_BY))
        return fn(*args, **kwargs)

    return run


def off_loop(fn: Callable[..., T], /, *args, **kwargs) -> T:
    """fn(*args, **kwargs) in a thread off the event loop: its result, or its exception raised here."""
    pool, slots = _setup()
    with slots:
        if isinstance(pool, ThreadPool):
            return pool.apply(_nicer(fn), args, kwargs)
        return pool.submit(_nicer(fn), *args, **kwargs).result()


def in_child_process(script: Path, stdin: bytes, timeout: float) -> bytes:
    """`python script` in a child process, fed `stdin`: what it wrote to stdout. ChildFailed if it
    fails, subprocess.TimeoutExpired (the child killed) after `timeout` seconds."""
    _, slots = _setup()
    with slots:
        done = subprocess.run([sys.executable, str(script)], input=stdin, capture_output=True, timeout=timeout,
                              preexec_fn=lambda: os.nice(NICER_BY), check=False)
    if done.returncode != 0:
        raise ChildFailed(f"{script.name} failed ({done.returncode}): {done.stderr.decode(errors='replace')[-2000:]}")
    return done.stdout
