"""What deleting takes from student work: samples with their files and text; a deleted meeting
is forgotten by the work brought in during it (plc/deletion.py). Also the kept originals a
team's retention period has run out for."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import not_, select

from plc.deletion import MEETING, SAMPLE, UNIT, CannotDelete, Part, count, forget, originals_expired, rows_where
from plc.extensions import db
from plc.meetings.models import Participant
from plc.timeutil import utcnow
from plc.work.models import WorkSample
from plc.work.notify import announce_removed
from plc.work.lifecycle import UNFINISHED, held

BEING_READ = "This work is being read right now. Delete it in a minute, once it is done."

_samples = WorkSample.__table__


@SAMPLE.finder
def find_sample(sample_id: int) -> WorkSample | None:
    return db.session.get(WorkSample, sample_id)


def _being_read(samples: list[WorkSample]) -> bool:
    return bool(samples) and rows_where(WorkSample.id.in_([s.id for s in samples]), held(utcnow())) > 0


def _unshared_uploads(samples: list[WorkSample]) -> list[str]:
    """The uploads only these samples need (a PDF's pages share one upload until the last goes)."""
    ids = [s.id for s in samples]
    return [upload for upload in sorted({s.incoming_name for s in samples if s.incoming_name})
            if db.session.execute(select(WorkSample.id).where(
                WorkSample.incoming_name == upload, WorkSample.id.not_in(ids)).limit(1)).first() is None]


def _delete_samples(samples: list[WorkSample]) -> list[str]:
    """Delete the samples (their cards go with them, plc/sort/models.py) and return their files;
    CannotDelete if a job took one meanwhile."""
    if not samples:
        return []
    files = [name for s in samples for name in (s.original_name, s.image_name, s.thumb_name, s.check_image_name) if name]
    files += _unshared_uploads(samples)
    ids = [s.id for s in samples]
    # Only if no job holds them (plc/work/lifecycle.py): a job may have claimed one meanwhile.
    gone = db.session.execute(_samples.delete().where(_samples.c.id.in_(ids), not_(held(utcnow())))).rowcount
    if gone != len(ids):
        raise CannotDelete(BEING_READ)
    forget(WorkSample, ids)
    return files


# --- a sample ----------------------------------------------------------------------------

@SAMPLE.describing.connect_via(SAMPLE)
def describe_sample(_, thing: WorkSample) -> Part:
    page = f", page {thing.page}" if thing.page and thing.page > 1 else ""
    part = Part(f"Work of {thing.student_label}{page} for “{thing.task.title}”",
                blocked=BEING_READ if _being_read([thing]) else None)
    if thing.image_name or thing.thumb_name:
        part.goes.append("its blurred image and thumbnail")
    if thing.original_name:
        part.goes.append("the kept original photo")
    if thing.check_image_name:
        part.goes.append("the unblurred page waiting to be checked for a name")
    if _unshared_uploads([thing]):
        part.goes.append("the uploaded file")
    if thing.ocr_text or thing.corrected_text or thing.ocr_words:
        part.goes.append("its text")
    return part


@SAMPLE.deleting.connect_via(SAMPLE)
def delete_sample(_, thing: WorkSample) -> list[str]:
    return _delete_samples([thing])


@SAMPLE.deleted.connect_via(SAMPLE)
def take_it_off_the_pages(_, thing: WorkSample) -> None:
    """Every live room and student-work page on its task drops it at once."""
    announce_removed(thing.task_id, thing.id)


# --- a meeting: the work brought in stays with the task ---------------------------------------

@MEETING.describing.connect_via(SAMPLE)
def describe_meeting(_, thing) -> Part:
    brought = rows_where(WorkSample.meeting_id == thing.id)
    if not brought:
        return Part()
    return Part(stays=[f"The {count(brought, 'sample')} of student work brought in during the meeting stay with "
                       "the task; delete them from the task's student work page."])


@MEETING.deleting.connect_via(SAMPLE)
def forget_the_meeting(_, thing) -> None:
    participants = select(Participant.id).where(Participant.meeting_id == thing.id).scalar_subquery()
    keep_updated = {"updated_at": _samples.c.updated_at}  # nothing the room shows changes
    db.session.execute(_samples.update().where(_samples.c.meeting_id == thing.id)
                       .values(meeting_id=None, **keep_updated))
    db.session.execute(_samples.update().where(_samples.c.uploaded_by_participant_id.in_(participants))
                       .values(uploaded_by_participant_id=None, **keep_updated))


# --- a unit ------------------------------------------------------------------------------

def _samples_of(unit) -> list[WorkSample]:
    task_ids = [task.id for task in unit.tasks]
    return list(db.session.execute(select(WorkSample).where(WorkSample.task_id.in_(task_ids))).scalars())


@UNIT.describing.connect_via(SAMPLE)
def describe_unit(_, thing) -> Part:
    samples = _samples_of(thing)
    part = Part()
    if samples:
        part.goes.append(f"{count(len(samples), 'sample')} of student work with their images and text")
    if _being_read(samples):
        part.blocked = BEING_READ.replace("This work is", "Some of this unit's student work is")
    return part


@UNIT.deleting.connect_via(SAMPLE)
def delete_units_samples(_, thing) -> list[str]:
    return _delete_samples(_samples_of(thing))


# --- kept originals ----------------------------------------------------------------------

@originals_expired.connect
def remove_expired_originals(team, before: datetime) -> list[str]:
    """Clear the team's kept originals made before `before` (not while a job may still write
    them); returns the files to remove. The blurred image, thumbnail and text stay."""
    expired = db.session.execute(
        select(WorkSample.id, WorkSample.original_name).where(
            WorkSample.team_id == team.id, WorkSample.original_name.is_not(None),
            WorkSample.created_at < before, WorkSample.status.not_in(UNFINISHED))
    ).all()
    removed = []
    for sample_id, name in expired:
        # Conditional, so two workers running this at once remove and count each original once.
        changed = db.session.execute(
            _samples.update().where(_samples.c.id == sample_id, _samples.c.original_name == name)
            .values(original_name=None, updated_at=_samples.c.updated_at)
        ).rowcount
        if changed:
            removed.append(name)
    return removed
