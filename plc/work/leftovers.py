"""Files of student work that a crash left on disk with no sample naming them.

Every file is written before the row that names it is committed, and removed after the row
lets go of it: a server or worker that dies in between leaves a file nobody names (an upload
whose sample was never saved or is done, an unblurred original, views of a save that never
committed, the files of a deleted sample, the kept unblurred page of a sample once it was
checked for a name and published; while it waits for the check, its row names it). Recovery
(plc/work/tasks.py) removes them, with every feature's, through plc/storage.py's
`remove_leftover_files`. The uploads folder (`incoming/`) is shared with plc/teams (task
pictures) and plc/solutions (teachers' photos of their solutions), whose uploads live there only
for one request.
"""
from __future__ import annotations

from plc import storage
from plc.work.models import WorkSample

storage.files_named_by(("incoming", "originals", "work", "checks"),
                       WorkSample.incoming_name, WorkSample.original_name, WorkSample.image_name,
                       WorkSample.thumb_name, WorkSample.check_image_name)
