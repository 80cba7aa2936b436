"""Files of student work that a crash left on disk with no sample naming them.

Every file is written before the row that names it is committed, and removed after the row
lets go of it: a server or worker that dies in between leaves a file nobody names (an upload
whose sample was never saved or is done, an unblurred original, views of a save that never
committed, the files of a deleted sample, the kept unblurred page of a sample once it was
checked for a name and published; while it waits for the check, its row names it). Recovery
removes them once they are older than any request or job could still be about to name them.
The uploads folder (`incoming/`) is shared with plc/teams (task pictures) and plc/solutions
(teachers' photos of their solutions), whose uploads live there only for one request.
"""
from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import or_, select

from plc import storage
from plc.extensions import db
from plc.work.models import WorkSample

FOLDERS = ("incoming", "originals", "work", "checks")
NAMED = (WorkSample.incoming_name, WorkSample.original_name, WorkSample.image_name, WorkSample.thumb_name,
         WorkSample.check_image_name)
BATCH = 500


def _old_files(older_than: timedelta) -> list[str]:
    """Stored names (folder/file) of the files in FOLDERS not changed for `older_than`."""
    root = Path(current_app.config["UPLOADS_DIR"])
    cutoff = time.time() - older_than.total_seconds()
    found = []
    for folder in FOLDERS:
        if (root / folder).is_dir():
            found += [f"{folder}/{path.name}" for path in (root / folder).iterdir()
                      if path.is_file() and path.stat().st_mtime < cutoff]
    return found


def _named(names: list[str]) -> set[str]:
    """Which of these names a sample holds."""
    rows = db.session.execute(select(*NAMED).where(or_(*(column.in_(names) for column in NAMED)))).all()
    return {name for row in rows for name in row if name}


def remove_leftover_files(older_than: timedelta) -> list[str]:
    """Remove the files no sample names, left unchanged for `older_than`; returns their names."""
    candidates = _old_files(older_than)
    removed = []
    for start in range(0, len(candidates), BATCH):
        batch = candidates[start:start + BATCH]
        named = _named(batch)
        removed += [name for name in batch if name not in named]
    storage.delete(*removed)
    return removed
