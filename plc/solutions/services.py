"""Taking in a teacher's photo of their own solution, replacing it and removing it.

The file goes the way student work goes (plc/media): identified by its content, held to the
same limits, decoded upright, re-encoded without any metadata, scaled, given a thumbnail and
written atomically, all of it off the event loop (plc/offload.py). It happens in the request:
there is no text to read and no name to blur, so no job is needed and the phone hears the
result in the answer to its upload. Files a crash left between writing them and committing the
row (or between letting go of them and removing them) go with recovery's sweep (plc/storage.py).
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from plc import storage
from plc.errors import UserError
from plc.extensions import db
from plc.media import files
from plc.media.checks import inspect_upload
from plc.media.clean import clean, thumbnail
from plc.media.errors import UploadRejected
from plc.media.limits import MAX_FILE_BYTES
from plc.media.pages import load_pages
from plc.meetings.services import code_is_live
from plc.offload import off_loop
from plc.solutions.models import SolutionPhoto

FOLDER = "solutions"
storage.files_named_by((FOLDER,), SolutionPhoto.image_name, SolutionPhoto.thumb_name)


class PhotoRejected(UserError):
    """A photo that cannot be taken, replaced or removed now; the message says why."""


def takes_photos(meeting) -> bool:
    return bool(meeting.current_step.get("solution_photos"))


def _check_open_for_photos(meeting) -> None:
    if not code_is_live(meeting):
        raise PhotoRejected("This meeting has ended.")
    if not takes_photos(meeting):
        raise PhotoRejected("This step takes no photos of solutions.")
    if meeting.input_locked:
        raise PhotoRejected("Input is locked by the facilitator for now.")


def _write_views(source: Path, image: Path, thumb: Path) -> tuple[int, int]:
    """The shown copy and its thumbnail of a one-page upload; its pixel size. UploadRejected."""
    inspected = inspect_upload(source)
    if inspected.pages > 1:
        raise UploadRejected(f"The PDF has {inspected.pages} pages; a solution is one photo or one page: "
                             "upload that page alone.")
    shown = clean(next(load_pages(source, inspected)))
    # In the server's threads: baseline JPEGs, encoded without holding the GIL throughout (save_jpeg).
    files.save_jpeg(shown, image, optimized=False)
    files.save_jpeg(thumbnail(shown), thumb, optimized=False)
    return shown.size


def own_photo(meeting, participant_id: int) -> SolutionPhoto | None:
    """The participant's photo on the current step, if any."""
    return db.session.execute(db.select(SolutionPhoto).filter_by(
        meeting_id=meeting.id, participant_id=participant_id, step_pos=meeting.step_pos)).scalar()


def save_photo(meeting, participant_id: int, upload: FileStorage | None) -> SolutionPhoto:
    """Take in the participant's photo on the current step, in place of the one they had; a bad
    file (UploadRejected), no file, or a step or meeting not open for photos (PhotoRejected)
    stores nothing."""
    _check_open_for_photos(meeting)
    if upload is None or not upload.filename:
        raise PhotoRejected("Choose a photo of your solution.")
    incoming = storage.new_name("incoming", "")
    views = (storage.new_name(FOLDER, ".jpg"), storage.new_name(FOLDER, ".jpg"))
    try:
        files.receive(upload.stream, storage.path_of(incoming), MAX_FILE_BYTES)
        width, height = off_loop(_write_views, storage.path_of(incoming), *map(storage.path_of, views))
    except BaseException:
        storage.delete(*views)
        raise
    finally:
        storage.delete(incoming)
    photo = own_photo(meeting, participant_id)
    old = photo.files if photo else []
    if photo is None:
        photo = SolutionPhoto(meeting_id=meeting.id, participant_id=participant_id, step_pos=meeting.step_pos)
        db.session.add(photo)
    photo.image_name, photo.thumb_name = views
    photo.width, photo.height = width, height
    try:
        db.session.commit()
    except IntegrityError:  # the same phone's other upload made the row first
        db.session.rollback()
        storage.delete(*views)
        raise PhotoRejected("Your other photo is still being saved; try again in a moment.") from None
    storage.delete(*old)  # only once the row names the new ones
    return photo


def remove_photo(meeting, participant_id: int, photo_id: int) -> None:
    photo = db.session.get(SolutionPhoto, photo_id)
    if photo is None or photo.meeting_id != meeting.id or photo.participant_id != participant_id:
        raise PhotoRejected("That photo is not yours to remove.")
    if photo.step_pos != meeting.step_pos:
        raise PhotoRejected("The meeting has moved on from that step.")
    names = photo.files
    db.session.delete(photo)
    db.session.commit()
    storage.delete(*names)


def photos_of_step(meeting) -> list[SolutionPhoto]:
    return list(db.session.execute(db.select(SolutionPhoto).filter_by(
        meeting_id=meeting.id, step_pos=meeting.step_pos).order_by(SolutionPhoto.id)).scalars())
