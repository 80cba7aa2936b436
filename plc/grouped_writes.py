"""Writes that arrive together are committed together.

When the timer runs out, a whole room answers within a tenth of a second. Each answer is one
INSERT, and most of what it costs is its transaction: taking a connection, committing, giving
it back (in a tight loop on SQLite: 0.10-0.14 ms an answer alone, 0.05-0.08 in groups of 5,
0.04 in groups of 20). `GroupedWrites.execute` hands its statement to a writer and waits for the row: the
writer runs every statement waiting at that moment in one transaction. A lone answer waits for
nothing but the switch to the writer; in a burst, the answers the server read while it was busy
are written at once (`python -m bench --scenarios c`).

A statement that fails is run again on its own, so that one bad write fails alone and the
others still land.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from sqlalchemy import Executable
from sqlalchemy.engine import Row

from plc.extensions import db, socketio


@dataclass
class _Write:
    statement: Executable
    params: dict
    done: Any = field(default_factory=lambda: socketio.server.eio.create_event())
    row: Row | None = None
    error: BaseException | None = None


class GroupedWrites:
    """One app's writer (`grouped_writes()`)."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._waiting: list[_Write] = []
        self._writing = False

    def execute(self, statement: Executable, params: dict) -> Row | None:
        """Run the statement, in a transaction with whatever else is waiting, and return its
        first row (None if it returned none); raises what the statement raised."""
        write = _Write(statement, params)
        with self._lock:
            self._waiting.append(write)
            start = not self._writing
            self._writing = True
        if start:
            socketio.start_background_task(self._write_waiting)
        write.done.wait()
        if write.error is not None:
            raise write.error
        return write.row

    def _write_waiting(self) -> None:
        group: list[_Write] = []
        try:
            with self._app.app_context():
                while group := self._next_group():
                    _write(group)
                    _finish(group)
        except BaseException as exc:  # the writer itself stopped (the server stopping): nobody waits on
            with self._lock:
                group += self._waiting
                self._waiting, self._writing = [], False
            _finish(group, RuntimeError(f"The write was stopped: {exc!r}"))
            raise

    def _next_group(self) -> list[_Write]:
        """What waits now; none: the writer stops (under the lock, so a new write starts another)."""
        with self._lock:
            group, self._waiting = self._waiting, []
            self._writing = bool(group)
            return group


def grouped_writes() -> GroupedWrites:
    """The current app's writer."""
    writer = current_app.extensions.get(_EXTENSION)
    if writer is None:
        writer = current_app.extensions[_EXTENSION] = GroupedWrites(current_app._get_current_object())
    return writer


_EXTENSION = "plc_grouped_writes"


def _finish(group: list[_Write], error: BaseException | None = None) -> None:
    for write in group:
        if error is not None and write.row is None and write.error is None:
            write.error = error
        write.done.set()


def _write(group: list[_Write]) -> None:
    try:
        with db.engine.begin() as connection:
            rows = [connection.execute(w.statement, w.params).first() for w in group]
    except Exception as exc:
        if len(group) == 1:
            group[0].error = exc
        else:
            for write in group:
                _write([write])
        return
    for write, row in zip(group, rows):
        write.row = row
