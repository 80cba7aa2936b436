"""What deleting takes from teachers' photos of their solutions: a meeting's photos with their
files, a unit's through its meetings; and a single photo, which its teacher removes from the
phone (plc/deletion.py)."""
from __future__ import annotations

from sqlalchemy import select

from plc.deletion import MEETING, SOLUTION_PHOTO, UNIT, Part, count, delete_rows
from plc.extensions import db
from plc.meetings.models import Meeting
from plc.solutions.models import SolutionPhoto

_PHOTOS = "photo of a teacher's solution", "photos of teachers' solutions"


@SOLUTION_PHOTO.finder
def find_photo(photo_id: int) -> SolutionPhoto | None:
    return db.session.get(SolutionPhoto, photo_id)


def _photos_where(*where) -> list[SolutionPhoto]:
    return list(db.session.execute(select(SolutionPhoto).where(*where)).scalars())


def _delete_photos(photos: list[SolutionPhoto]) -> list[str]:
    """Delete the rows; their files, to remove once the deletion has committed."""
    delete_rows(SolutionPhoto, SolutionPhoto.id.in_([p.id for p in photos]))
    return [name for photo in photos for name in photo.files]


def _of_meetings(meetings) -> list[SolutionPhoto]:
    return _photos_where(SolutionPhoto.meeting_id.in_(meetings))


def _on_tasks_of(unit):
    return select(Meeting.id).where(Meeting.task_id.in_([task.id for task in unit.tasks]))


def _going(photos: list[SolutionPhoto]) -> Part:
    return Part(goes=[count(len(photos), *_PHOTOS) + " (the pictures and their thumbnails)"] if photos else [])


# --- a photo -----------------------------------------------------------------------------

@SOLUTION_PHOTO.describing.connect_via(SOLUTION_PHOTO)
def describe_photo(_, thing: SolutionPhoto) -> Part:
    return Part(f"Photo of {thing.participant.name}'s solution", ["the picture and its thumbnail"])


@SOLUTION_PHOTO.deleting.connect_via(SOLUTION_PHOTO)
def delete_photo(_, thing: SolutionPhoto) -> list[str]:
    return _delete_photos([thing])


# --- a meeting and a unit ----------------------------------------------------------------

@MEETING.describing.connect_via(SOLUTION_PHOTO)
def describe_meeting(_, thing) -> Part:
    return _going(_of_meetings([thing.id]))


@MEETING.deleting.connect_via(SOLUTION_PHOTO)
def delete_meetings_photos(_, thing) -> list[str]:
    return _delete_photos(_of_meetings([thing.id]))


@UNIT.describing.connect_via(SOLUTION_PHOTO)
def describe_unit(_, thing) -> Part:
    return _going(_of_meetings(_on_tasks_of(thing)))


@UNIT.deleting.connect_via(SOLUTION_PHOTO)
def delete_units_photos(_, thing) -> list[str]:
    return _delete_photos(_of_meetings(_on_tasks_of(thing)))
