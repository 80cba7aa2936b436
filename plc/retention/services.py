"""Deleting for good, and removing kept original photos after the team's retention period.

Each deletion runs in one transaction together with its DeletionRecord (who, what, when);
files are removed only once that transaction has committed, so a deletion that fails
leaves everything as it was. Rows go with plain SQL statements, children first, so the
order holds on SQLite and PostgreSQL alike, whatever the session has loaded.

What goes with what:
- a sample: its files (upload, kept original, blurred image, thumbnail), its text, its
  cards in every sort, and its entry in every closed sort's snapshot (privacy beats the
  snapshot's immutability: the snapshot column is rewritten with a SQL UPDATE);
- a sort: that version, with its groups, placements, moves and next steps;
- a meeting: the meeting, its participants and their responses; samples and sorts belong
  to the task and stay (they only forget the meeting);
- a unit: its tasks and their pictures, their meetings, samples (with files) and sorts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select

from plc import storage
from plc.extensions import db
from plc.meetings.models import Meeting, Participant, Response
from plc.sort.models import Move, NextStep, Placement, Sort, SortGroup
from plc.sort.snapshot import Snapshot, load_snapshot
from plc.teams.models import DeletionRecord, Task, Team, Unit
from plc.timeutil import utcnow
from plc.work.models import WorkSample

RETENTION_BY = "Retention setting"
LOG_LENGTH = 50
# A sample in one of these states may still have a job writing its files.
UNFINISHED = ("queued", "processing", "reading")
BEING_READ = "This work is being read right now. Delete it in a minute, once it is done."
MEETING_RUNNING = "This meeting is still running. End it first (from its controls), then delete it."

_samples = WorkSample.__table__
_sorts = Sort.__table__


class CannotDelete(ValueError):
    """Not deletable now; the message says why and what to do, for the person who asked."""


@dataclass
class Removal:
    """What a deletion takes away, in words: shown on the confirmation page, kept in the record."""

    kind: str
    title: str
    goes: list[str]
    stays: list[str] = field(default_factory=list)
    blocked: str | None = None

    @property
    def description(self) -> str:
        text = f"{self.title}: {', '.join(self.goes)}" if self.goes else self.title
        return text if len(text) <= 300 else text[:299] + "…"


def count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _day(moment: datetime) -> str:
    return moment.strftime("%d %b %Y")


def _record(team_id: int, kind: str, description: str, by=None) -> DeletionRecord:
    record = DeletionRecord(team_id=team_id, kind=kind, description=description[:300],
                            user_id=by.id if by is not None else None,
                            by_name=(by.name if by is not None else RETENTION_BY)[:80])
    db.session.add(record)
    return record


def recent_deletions(team_id: int, limit: int = LOG_LENGTH) -> list[DeletionRecord]:
    return list(db.session.execute(
        select(DeletionRecord).filter_by(team_id=team_id)
        .order_by(DeletionRecord.at.desc(), DeletionRecord.id.desc()).limit(limit)
    ).scalars())


# --- the pieces shared by every deletion -----------------------------------------------

def _no_live_lease(now: datetime):
    """No job holds the sample (the same condition a job checks before it claims one)."""
    return or_(_samples.c.lease_until.is_(None), _samples.c.lease_until < now)


def _being_read(samples: list[WorkSample], now: datetime | None = None) -> bool:
    now = now or utcnow()
    return any(s.lease_until is not None and s.lease_until >= now for s in samples)


def _unshared_uploads(samples: list[WorkSample]) -> list[str]:
    """The uploads only these samples need (a PDF's pages share one upload until the last goes)."""
    ids = [s.id for s in samples]
    return [upload for upload in sorted({s.incoming_name for s in samples if s.incoming_name})
            if db.session.execute(select(WorkSample.id).where(
                WorkSample.incoming_name == upload, WorkSample.id.not_in(ids)).limit(1)).first() is None]


def _sample_files(samples: list[WorkSample]) -> list[str]:
    names = [name for s in samples for name in (s.original_name, s.image_name, s.thumb_name) if name]
    return names + _unshared_uploads(samples)


def _snapshots_showing(task_ids: list[int], sample_ids: set[int]) -> list[tuple[int, Snapshot]]:
    rows = db.session.execute(
        select(Sort.id, Sort.snapshot).where(Sort.task_id.in_(task_ids), Sort.snapshot.is_not(None))
    ).all()
    snapshots = [(sort_id, load_snapshot(data)) for sort_id, data in rows]
    return [(sort_id, snapshot) for sort_id, snapshot in snapshots if snapshot.shows_any(sample_ids)]


def _scrub_snapshots(task_ids: list[int], sample_ids: set[int]) -> list[str]:
    """Take the samples out of every closed sort's snapshot; returns the files those entries named.

    The ORM refuses to change a set snapshot (plc.sort.models), so this writes the column itself."""
    files = []
    for sort_id, snapshot in _snapshots_showing(task_ids, sample_ids):
        files += snapshot.files_of(sample_ids)
        db.session.execute(_sorts.update().where(_sorts.c.id == sort_id)
                           .values(snapshot=snapshot.without_samples(sample_ids).dump()))
    return files


def _forget(model, ids) -> None:
    """Take deleted rows' objects out of the session, as Session.delete would: the caller may
    still read what it had loaded, and nothing tries to load them again."""
    ids = set(ids)
    for key, obj in list(db.session.identity_map.items()):
        if issubclass(key[0], model) and key[1][0] in ids:
            db.session.expunge(obj)


def _delete_rows(model, *where) -> list[int]:
    ids = list(db.session.execute(select(model.id).where(*where)).scalars())
    if ids:
        db.session.execute(delete(model).where(model.id.in_(ids)).execution_options(synchronize_session=False))
        _forget(model, ids)
    return ids


def _delete_samples(sample_ids: list[int], now: datetime) -> None:
    """The samples' cards in every sort, then the samples; CannotDelete if a job took one meanwhile."""
    if not sample_ids:
        return
    _delete_rows(Placement, Placement.sample_id.in_(sample_ids))
    _delete_rows(Move, Move.sample_id.in_(sample_ids))
    gone = db.session.execute(
        _samples.delete().where(_samples.c.id.in_(sample_ids), _no_live_lease(now))
    ).rowcount
    if gone != len(sample_ids):
        db.session.rollback()
        raise CannotDelete(BEING_READ)
    _forget(WorkSample, sample_ids)


def _delete_sorts(sort_ids: list[int]) -> None:
    if not sort_ids:
        return
    for model in (NextStep, Placement, Move, SortGroup):
        _delete_rows(model, model.sort_id.in_(sort_ids))
    _delete_rows(Sort, Sort.id.in_(sort_ids))


def _delete_meetings(meeting_ids: list[int]) -> None:
    """The meetings, their participants and responses; samples and sorts forget the meeting."""
    if not meeting_ids:
        return
    participants = select(Participant.id).where(Participant.meeting_id.in_(meeting_ids)).scalar_subquery()
    keep_updated = {"updated_at": _samples.c.updated_at}  # nothing the room shows changes
    db.session.execute(_samples.update().where(_samples.c.meeting_id.in_(meeting_ids))
                       .values(meeting_id=None, **keep_updated))
    db.session.execute(_samples.update().where(_samples.c.uploaded_by_participant_id.in_(participants))
                       .values(uploaded_by_participant_id=None, **keep_updated))
    db.session.execute(_sorts.update().where(_sorts.c.meeting_id.in_(meeting_ids)).values(meeting_id=None))
    _delete_rows(Response, or_(Response.meeting_id.in_(meeting_ids), Response.participant_id.in_(participants)))
    _delete_rows(Participant, Participant.meeting_id.in_(meeting_ids))
    _delete_rows(Meeting, Meeting.id.in_(meeting_ids))


def _finish(files: list[str]) -> None:
    db.session.commit()
    storage.delete(*files)


def _scalar(statement) -> int:
    return db.session.execute(statement).scalar_one()


# --- a sample ------------------------------------------------------------------------

def sample_title(sample: WorkSample) -> str:
    page = f", page {sample.page}" if sample.page and sample.page > 1 else ""
    return f"Work of {sample.student_label}{page} for “{sample.task.title}”"


def _sorts_showing(sample: WorkSample) -> set[int]:
    placed = set(db.session.execute(select(Placement.sort_id).filter_by(sample_id=sample.id)).scalars())
    in_snapshots = {sort_id for sort_id, _ in _snapshots_showing([sample.task_id], {sample.id})}
    open_sort = db.session.execute(
        select(Sort.id).filter_by(task_id=sample.task_id, closed_at=None)).scalar_one_or_none()
    on_open_board = {open_sort} if open_sort and sample.status != "failed" else set()
    return placed | in_snapshots | on_open_board


def sample_removal(sample: WorkSample) -> Removal:
    goes = []
    if sample.image_name or sample.thumb_name:
        goes.append("its blurred image and thumbnail")
    if sample.original_name:
        goes.append("the kept original photo")
    if _unshared_uploads([sample]):
        goes.append("the uploaded file")
    if sample.ocr_text or sample.corrected_text or sample.ocr_words:
        goes.append("its text")
    sorts = len(_sorts_showing(sample))
    if sorts:
        goes.append(f"its card in {count(sorts, 'sort')}, closed sorts' snapshots included")
    return Removal("sample", sample_title(sample), goes or ["its record"], [],
                   blocked=BEING_READ if _being_read([sample]) else None)


def _carry_out(removal: Removal, team_id: int, by, delete) -> Removal:
    """Refuse a blocked removal; else delete (`delete()` may give files to remove), record it
    in the same transaction, commit, and only then remove the files."""
    if removal.blocked:
        raise CannotDelete(removal.blocked)
    files = delete() or []
    _record(team_id, removal.kind, removal.description, by)
    _finish(files)
    return removal


def delete_sample(sample: WorkSample, by) -> Removal:
    """Delete one sample of student work for good: files, text, cards, snapshot entries."""
    def delete() -> list[str]:
        files = _sample_files([sample]) + _scrub_snapshots([sample.task_id], {sample.id})
        # Clients of the open board notice the changed revision and fetch the board again.
        db.session.execute(_sorts.update().where(_sorts.c.task_id == sample.task_id, _sorts.c.closed_at.is_(None))
                           .values(revision=_sorts.c.revision + 1))
        _delete_samples([sample.id], utcnow())
        return files

    return _carry_out(sample_removal(sample), sample.team_id, by, delete)


# --- a sort --------------------------------------------------------------------------

def _running_meetings_on(task_ids: list[int]) -> int:
    return _scalar(select(func.count()).select_from(Meeting)
                   .where(Meeting.task_id.in_(task_ids), Meeting.ended_at.is_(None)))


def sort_removal(sort: Sort) -> Removal:
    task = db.session.get(Task, sort.task_id)
    when = f"closed {_day(sort.closed_at)} by {sort.closed_by or 'someone'}" if sort.closed_at else "still open"
    placed = _scalar(select(func.count()).select_from(Placement)
                     .where(Placement.sort_id == sort.id, Placement.group_id.is_not(None)))
    goes = [count(len(sort.groups), "group") + " and their notes", count(len(sort.next_steps), "next step")]
    if placed:
        goes.append(f"where {count(placed, 'sample')} sat")
    if sort.snapshot is not None:
        goes.append("its snapshot")
    stays = ["The student work stays with the task."]
    others = _scalar(select(func.count()).select_from(Sort).where(Sort.task_id == sort.task_id, Sort.id != sort.id))
    if others:
        stays.append(f"The task's other {count(others, 'version')} of the sort stay.")
    blocked = None
    if _running_meetings_on([sort.task_id]):
        # Its board may be on a screen right now.
        blocked = "A meeting on this task is still running. End the meeting first, then delete the sort."
    return Removal("sort", f"Sort version {sort.version} for “{task.title}” ({when})", goes, stays, blocked)


def delete_sort(sort: Sort, by) -> Removal:
    return _carry_out(sort_removal(sort), sort.team_id, by, lambda: _delete_sorts([sort.id]))


# --- a meeting -----------------------------------------------------------------------

def meeting_title(meeting: Meeting) -> str:
    protocols = ", ".join(meeting.protocol_titles)
    return f"Meeting on “{meeting.task.title}” of {_day(meeting.started_at)} ({protocols})"


def meeting_removal(meeting: Meeting) -> Removal:
    responses = _scalar(select(func.count()).select_from(Response).where(Response.meeting_id == meeting.id))
    goes = [count(len(meeting.participants), "participant") + " (names and roles)",
            count(responses, "response") + " and who wrote them"]
    stays = []
    samples = _scalar(select(func.count()).select_from(WorkSample).where(WorkSample.meeting_id == meeting.id))
    if samples:
        stays.append(f"The {count(samples, 'sample')} of student work brought in during the meeting stay with the "
                     "task; delete them from the task's student work page.")
    sorts = _scalar(select(func.count()).select_from(Sort).where(Sort.meeting_id == meeting.id))
    if sorts:
        stays.append(f"The {count(sorts, 'sort')} started in it stay with the task.")
    return Removal("meeting", meeting_title(meeting), goes, stays,
                   blocked=MEETING_RUNNING if meeting.ended_at is None else None)


def delete_meeting(meeting: Meeting, by) -> Removal:
    return _carry_out(meeting_removal(meeting), meeting.team_id, by, lambda: _delete_meetings([meeting.id]))


# --- a unit --------------------------------------------------------------------------

def _unit_contents(unit: Unit) -> dict:
    task_ids = [t.id for t in unit.tasks]
    meeting_ids = list(db.session.execute(select(Meeting.id).where(Meeting.task_id.in_(task_ids))).scalars())
    return {
        "tasks": unit.tasks,
        "meeting_ids": meeting_ids,
        "participants": _scalar(select(func.count()).select_from(Participant)
                                .where(Participant.meeting_id.in_(meeting_ids))),
        "responses": _scalar(select(func.count()).select_from(Response).where(Response.meeting_id.in_(meeting_ids))),
        "samples": list(db.session.execute(select(WorkSample).where(WorkSample.task_id.in_(task_ids))).scalars()),
        "sort_ids": list(db.session.execute(select(Sort.id).where(Sort.task_id.in_(task_ids))).scalars()),
    }


def unit_removal(unit: Unit) -> Removal:
    c = _unit_contents(unit)
    pictures = sum(1 for t in c["tasks"] if t.image_name)
    goes = [count(len(c["tasks"]), "task") + (f" ({count(pictures, 'picture')})" if pictures else "")]
    if c["meeting_ids"]:
        goes.append(f"{count(len(c['meeting_ids']), 'meeting')} with {count(c['participants'], 'participant')} "
                    f"and {count(c['responses'], 'response')}")
    if c["samples"]:
        goes.append(f"{count(len(c['samples']), 'sample')} of student work with their images and text")
    if c["sort_ids"]:
        goes.append(count(len(c["sort_ids"]), "sort"))
    blocked = None
    if _running_meetings_on([t.id for t in c["tasks"]]):
        blocked = "A meeting on a task of this unit is still running. End it first, then delete the unit."
    elif _being_read(c["samples"]):
        blocked = BEING_READ.replace("This work is", "Some of this unit's student work is")
    return Removal("unit", f"Unit “{unit.title}”", goes, ["The team's strategies and models stay."], blocked)


def delete_unit(unit: Unit, by) -> Removal:
    def delete() -> list[str]:
        c = _unit_contents(unit)
        task_ids = [t.id for t in c["tasks"]]
        sample_ids = {s.id for s in c["samples"]}
        files = _sample_files(c["samples"]) + [t.image_name for t in c["tasks"] if t.image_name]
        files += [name for _, snapshot in _snapshots_showing(task_ids, sample_ids)
                  for name in snapshot.files_of()]
        _delete_sorts(c["sort_ids"])
        _delete_samples(sorted(sample_ids), utcnow())
        _delete_meetings(c["meeting_ids"])
        _delete_rows(Task, Task.id.in_(task_ids))
        _delete_rows(Unit, Unit.id == unit.id)
        return files

    return _carry_out(unit_removal(unit), unit.team_id, by, delete)


# --- kept originals ------------------------------------------------------------------

def remove_expired_originals(team: Team, now: datetime | None = None) -> int:
    """Remove the team's kept original photos older than its retention period.

    Only the unblurred originals go: the blurred image, thumbnail, text and sorts stay.
    One DeletionRecord per run that removed anything. Returns how many were removed."""
    days = team.originals_retention_days
    if not team.keep_originals or not days:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=days)
    expired = db.session.execute(
        select(WorkSample.id, WorkSample.original_name).where(
            WorkSample.team_id == team.id, WorkSample.original_name.is_not(None),
            WorkSample.created_at < cutoff, WorkSample.status.not_in(UNFINISHED))
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
    if not removed:
        db.session.rollback()
        return 0
    _record(team.id, "originals",
            f"{count(len(removed), 'original photo')} of student work older than {count(days, 'day')} "
            "(blurred images, text and sorts kept)")
    _finish(removed)
    return len(removed)


def remove_all_expired_originals(now: datetime | None = None) -> dict[int, int]:
    """remove_expired_originals for every team with a retention period; {team id: originals removed}."""
    teams = db.session.execute(
        select(Team).where(Team.keep_originals.is_(True), Team.originals_retention_days.is_not(None))
        .order_by(Team.id)
    ).scalars().all()
    return {team.id: remove_expired_originals(team, now) for team in teams}
