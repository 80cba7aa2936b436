"""Taking in student work (checks only, off the event loop, in the request) and the changes people make to it."""
from __future__ import annotations

import re

from werkzeug.datastructures import FileStorage

from plc import storage
from plc.errors import too_long
from plc.extensions import db
from plc.media import files
from plc.media.checks import inspect_upload
from plc.media.errors import UploadRejected
from plc.media.limits import MAX_FILE_BYTES
from plc.ocr.names import without_name_lines
from plc.offload import off_loop
from plc.work import lifecycle
from plc.work.errors import AlreadyUploaded, WorkRejected
from plc.work.lifecycle import DONE, FAILED
from plc.work.models import WorkSample
from plc.work.tasks import blur_sample_job, process_sample_job

LABEL_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .\-]{0,7}$")
MAX_TEXT_CHARS = 4000


def clean_label(label: str | None, task_id: int) -> str:
    """A short code or initials; empty gives the next free code S1, S2, ..."""
    label = (label or "").strip()
    if not label:
        used = set(db.session.execute(db.select(WorkSample.student_label).filter_by(task_id=task_id)).scalars())
        return next(f"S{n}" for n in range(1, 10_000) if f"S{n}" not in used)
    if not LABEL_PATTERN.match(label):
        raise WorkRejected("Use initials or a short code (up to 8 letters or digits), not the student's name.")
    return label


def _already_uploaded(task_id: int, content_hash: str) -> WorkSample | None:
    return db.session.execute(
        db.select(WorkSample).filter_by(task_id=task_id, content_hash=content_hash).order_by(WorkSample.id).limit(1)
    ).scalar()


def accept_upload(upload: FileStorage, *, task, meeting=None, user=None, participant=None,
                  label: str | None = None, keep_duplicate: bool = False) -> list[WorkSample]:
    """Check one file, store it and queue its pages for processing; WorkRejected (a bad label),
    UploadRejected (a bad file) and AlreadyUploaded (the same bytes are already a sample of the
    task, unless ``keep_duplicate``) leave nothing behind."""
    label = clean_label(label, task.id)
    name = storage.new_name("incoming", "")
    try:
        content_hash = files.receive(upload.stream, storage.path_of(name), MAX_FILE_BYTES)
        existing = None if keep_duplicate else _already_uploaded(task.id, content_hash)
        if existing is not None:
            raise AlreadyUploaded(existing.student_label)
        inspected = off_loop(inspect_upload, storage.path_of(name))
    except (UploadRejected, AlreadyUploaded):
        storage.delete(name)
        raise
    samples = [
        WorkSample(team_id=task.unit.team_id, task_id=task.id, meeting_id=meeting.id if meeting else None,
                   uploaded_by_user_id=user.id if user else None,
                   uploaded_by_participant_id=participant.id if participant else None,
                   student_label=label, source_kind=inspected.kind, page=page, incoming_name=name,
                   content_hash=content_hash)
        for page in range(1, inspected.pages + 1)
    ]
    db.session.add_all(samples)
    db.session.commit()
    for sample in samples:
        process_sample_job(sample.id)
    return samples


def retry(sample: WorkSample) -> None:
    # A new upload is read from the upload; a page checked for a name is published from its kept page.
    source = sample.check_image_name if sample.name_check == "checked" else sample.incoming_name
    if sample.status == FAILED and not (source and storage.path_of(source).exists()):
        raise WorkRejected("The uploaded file is no longer there; upload it again.")
    lifecycle.try_again(sample)
    db.session.commit()
    process_sample_job(sample.id)


def correct_text(sample: WorkSample, text: str) -> None:
    text = text.strip()
    if len(text) > MAX_TEXT_CHARS:
        raise WorkRejected(too_long("The text", len(text), MAX_TEXT_CHARS,
                                    "Shorten it to what the student wrote."))
    if sample.status != DONE or sample.private:
        raise WorkRejected("Wait until the text has been read, then correct it.")
    sample.corrected_text = without_name_lines(text).strip()
    db.session.commit()


def box_in_pixels(sample: WorkSample, box: tuple[float, float, float, float]) -> list[int]:
    """A box drawn on the image, in fractions (0-1) of its width and height, in its pixels."""
    left, top, right, bottom = box
    if not (0 <= left < right <= 1 and 0 <= top < bottom <= 1):
        raise WorkRejected("Draw the box inside the image.")
    if (right - left) * (bottom - top) < 0.0004:
        raise WorkRejected("That box is too small to hide anything; drag a bigger one.")
    return [round(left * sample.width), round(top * sample.height),
            round(right * sample.width), round(bottom * sample.height)]


def add_blur_box(sample: WorkSample, box: tuple[float, float, float, float]) -> None:
    """Blur a part of the shown image; box in fractions (0-1) of its width and height."""
    if not sample.image_name or not sample.width or sample.private:
        raise WorkRejected("Wait until the image is ready, then draw the box.")
    pixels = box_in_pixels(sample, box)
    sample.blur_boxes = [*sample.blur_boxes, pixels]
    db.session.commit()
    blur_sample_job(sample.id)


def samples_of_task(task_id: int) -> list[WorkSample]:
    return list(db.session.execute(
        db.select(WorkSample).filter_by(task_id=task_id).order_by(WorkSample.id)
    ).scalars())
