"""Writes that arrive together are committed together.

When the timer runs out, a whole room answers within a tenth of a second. Each answer is one
INSERT, and most of what it costs is its transaction: taking a connection, committing, giving
it back (in a tight loop on SQLite: 0.10-0.14 ms an answer alone, 0.05-0.08 in groups of 5,
0.04 in groups of 20). `GroupedWrites.execute` hands its statement to the app's writer and
waits for the row; the writer runs every statement waiting at that moment in one transaction.
A lone answer pays two switches to the writer and back (0.045 ms in a tight loop under gevent);
in a burst, the answers the server read while it was busy are written together (in groups of
4.4 on average, up to 27, in `python -m bench --scenarios c`).

A statement that fails is run again on its own, so that one bad write fails alone and the
others still land.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import Executable
from sqlalchemy.engine import Engine, Row

from plc.extensions import db, socketio

IDLE_SECONDS = 10.0  # a writer with nothing to write this long ends; the next write starts another
_EXTENSION = "plc_grouped_writes"


@dataclass
class _Write:
    statement: Executable
    params: dict
    done: Any = field(default_factory=lambda: socketio.server.eio.create_event())
    row: Row | None = None
    error: BaseException | None = None


class GroupedWrites:
    """One app's writer (`grouped_writes()`): a background task that sleeps while there is
    nothing to write, and ends after IDLE_SECONDS of it."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._waiting: list[_Write] = []
        self._wake = socketio.server.eio.create_event()
        self._running = False

    def execute(self, statement: Executable, params: dict) -> Row | None:
        """Run the statement, in a transaction with whatever else is waiting, and return its
        first row (None if it returned none); raises what the statement raised."""
        write = _Write(statement, params)
        with self._lock:
            self._waiting.append(write)
            start, self._running = not self._running, True
        if start:
            socketio.start_background_task(self._write_waiting)
        else:
            self._wake.set()
        write.done.wait()
        if write.error is not None:
            raise write.error
        return write.row

    def _write_waiting(self) -> None:
        group: list[_Write] = []
        try:
            while True:
                self._wake.clear()
                with self._lock:
                    group, self._waiting = self._waiting, []
                if group:
                    _write(self._engine, group)
                    _finish(group)
                    group = []
                elif not self._wake.wait(IDLE_SECONDS):
                    with self._lock:
                        if not self._waiting:
                            self._running = False
                            return
        except BaseException as exc:  # the writer itself stopped (the server stopping): nobody waits on
            with self._lock:
                group += self._waiting
                self._waiting, self._running = [], False
            _finish(group, RuntimeError(f"The write was stopped: {exc!r}"))
            raise


def grouped_writes() -> GroupedWrites:
    """The current app's writer."""
    writer = current_app.extensions.get(_EXTENSION)
    if writer is None:
        writer = current_app.extensions[_EXTENSION] = GroupedWrites(db.engine)
    return writer


def _finish(group: list[_Write], error: BaseException | None = None) -> None:
    for write in group:
        if error is not None and write.row is None and write.error is None:
            write.error = error
        write.done.set()


def _write(engine: Engine, group: list[_Write]) -> None:
    try:
        with engine.begin() as connection:
            rows = [connection.execute(w.statement, w.params).first() for w in group]
    except Exception as exc:
        if len(group) == 1:
            group[0].error = exc
        else:
            for write in group:
                _write(engine, [write])
        return
    for write, row in zip(group, rows):
        write.row = row
