"""Files on disk under the uploads folder, named by the app, never by the uploader."""
from __future__ import annotations

import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import or_, select

from plc.extensions import db


def new_name(folder: str, suffix: str) -> str:
    return f"{folder}/{secrets.token_hex(16)}{suffix}"


def path_of(name: str) -> Path:
    root = Path(current_app.config["UPLOADS_DIR"]).resolve()
    path = (root / name).resolve()
    if root not in path.parents:
        raise ValueError(f"not a stored file name: {name!r}")
    return path


def delete(*names: str | None) -> None:
    for name in names:
        if name:
            try:
                os.remove(path_of(name))
            except FileNotFoundError:
                pass


# --- files a crash left ----------------------------------------------------------------------
# Every feature writes a file before the row that names it is committed, and removes it after the
# row lets go of it: a process that dies in between leaves a file no row names. Each feature says
# which folders hold its files and which columns name them; `remove_leftover_files` (run by the
# recovery job, plc/work/tasks.py) removes the files that no such column names, once they are older
# than any request or job could still be about to name them.

_NAMED_BY: dict[str, list] = {}  # folder -> the columns whose values name its files
_BATCH = 500


def files_named_by(folders: tuple[str, ...], *columns) -> None:
    """Register a feature's folders and the columns naming the files in them (at import)."""
    for folder in folders:
        _NAMED_BY.setdefault(folder, []).extend(columns)


def _old_files(folder: str, cutoff: float) -> list[str]:
    directory = Path(current_app.config["UPLOADS_DIR"]) / folder
    if not directory.is_dir():
        return []
    return [f"{folder}/{path.name}" for path in directory.iterdir() if path.is_file() and path.stat().st_mtime < cutoff]


def _named(columns: list, names: list[str]) -> set[str]:
    """Which of these names a row holds, in any of the columns (one query per table)."""
    by_table: dict = {}
    for column in columns:
        by_table.setdefault(column.class_, []).append(column)
    found = set()
    for same_table in by_table.values():
        rows = db.session.execute(select(*same_table).where(or_(*(column.in_(names) for column in same_table))))
        found |= {name for row in rows for name in row if name}
    return found


def remove_leftover_files(older_than: timedelta) -> list[str]:
    """Remove the files of the registered folders that no registered column names, left unchanged
    for `older_than`; returns their names. Folders nobody registered are left alone."""
    cutoff = time.time() - older_than.total_seconds()
    removed = []
    for folder, columns in _NAMED_BY.items():
        candidates = _old_files(folder, cutoff)
        for start in range(0, len(candidates), _BATCH):
            batch = candidates[start:start + _BATCH]
            named = _named(columns, batch)
            removed += [name for name in batch if name not in named]
    delete(*removed)
    return removed
