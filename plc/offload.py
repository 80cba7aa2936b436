"""CPU work a request asks for (decoding, checking and resizing pictures), run off the server's
event loop in real threads, at most CPU_THREADS at once.

Under gevent (`python wsgi.py`) the work runs in a gevent ThreadPool: the greenlet that asked
waits for it, every other greenlet (every request, socket and meeting) runs on. Pillow and PDFium
let go of the GIL while they work, so these threads barely slow the loop; pure-Python work holds
the GIL and belongs in a child process instead (plc/review/exports.py renders PDFs so). Under the
threading mode (tests, the shell) a ThreadPoolExecutor of the same size does the same.

The function runs without the app or the request: give it plain values (paths, not names).
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from flask import current_app
from gevent.threadpool import ThreadPool

T = TypeVar("T")

_pool: ThreadPool | ThreadPoolExecutor | None = None


def _the_pool() -> ThreadPool | ThreadPoolExecutor:
    """One pool per process, made on first use with the app's settings."""
    global _pool
    if _pool is None:
        size = current_app.config["CPU_THREADS"]
        gevent = current_app.config["SOCKETIO_ASYNC_MODE"] == "gevent"
        _pool = ThreadPool(size) if gevent else ThreadPoolExecutor(size, thread_name_prefix="plc-cpu")
    return _pool


def off_loop(fn: Callable[..., T], /, *args, **kwargs) -> T:
    """fn(*args, **kwargs) in a CPU thread: its result, or its exception raised here."""
    pool = _the_pool()
    if isinstance(pool, ThreadPool):
        return pool.apply(fn, args, kwargs)
    return pool.submit(fn, *args, **kwargs).result()
