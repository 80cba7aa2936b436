"""What deleting takes from the Work Sort (plc/deletion.py): a sort version with its groups,
cards, moves and next steps; a deleted sample's cards, moves and snapshot entries (privacy beats
the snapshot's immutability); a deleted meeting is forgotten by the sorts started in it."""
from __future__ import annotations

from sqlalchemy import select

from plc.deletion import MEETING, SAMPLE, SORT, UNIT, Part, count, day, delete_rows, rows_where
from plc.extensions import db
from plc.sort.events import refresh_open_board
from plc.sort.models import Move, NextStep, Placement, Sort, SortGroup
from plc.sort.snapshot import Snapshot, load_snapshot
from plc.teams.models import Task

_sorts = Sort.__table__


@SORT.finder
def find_sort(sort_id: int) -> Sort | None:
    return db.session.get(Sort, sort_id)


def _delete_sorts(sort_ids: list[int]) -> None:
    for model in (NextStep, Placement, Move, SortGroup):
        delete_rows(model, model.sort_id.in_(sort_ids))
    delete_rows(Sort, Sort.id.in_(sort_ids))


def _sorts_on(task_ids: list[int]) -> list[int]:
    return list(db.session.execute(select(Sort.id).where(Sort.task_id.in_(task_ids))).scalars())


def _snapshots(*where) -> list[tuple[int, Snapshot]]:
    """(sort id, snapshot) of the closed sorts that match."""
    rows = db.session.execute(select(Sort.id, Sort.snapshot).where(Sort.snapshot.is_not(None), *where)).all()
    return [(sort_id, load_snapshot(data)) for sort_id, data in rows]


# --- a sample ----------------------------------------------------------------------------

@SAMPLE.describing.connect_via(SORT)
def describe_sample(_, thing) -> Part:
    placed = set(db.session.execute(select(Placement.sort_id).filter_by(sample_id=thing.id)).scalars())
    in_snapshots = {sort_id for sort_id, snapshot in _snapshots(Sort.task_id == thing.task_id)
                    if snapshot.shows_any({thing.id})}
    open_sort = db.session.execute(
        select(Sort.id).filter_by(task_id=thing.task_id, closed_at=None)).scalar_one_or_none()
    on_open_board = {open_sort} if open_sort and thing.status != "failed" else set()
    sorts = len(placed | in_snapshots | on_open_board)
    return Part(goes=[f"its card in {count(sorts, 'sort')}, closed sorts' snapshots included"] if sorts else [])


@SAMPLE.deleting.connect_via(SORT)
def take_its_cards(_, thing) -> list[str]:
    """Its moves and snapshot entries (its cards go with the sample itself, plc/sort/models.py);
    returns the files its snapshot entries named."""
    files = []
    for sort_id, snapshot in _snapshots(Sort.task_id == thing.task_id):
        if snapshot.shows_any({thing.id}):
            files += snapshot.files_of({thing.id})
            # The ORM refuses to change a set snapshot (plc/sort/models.py): write the column itself.
            db.session.execute(_sorts.update().where(_sorts.c.id == sort_id)
                               .values(snapshot=snapshot.without_samples({thing.id}).dump()))
    # Clients of the open board notice the changed revision and fetch the board again.
    db.session.execute(_sorts.update().where(_sorts.c.task_id == thing.task_id, _sorts.c.closed_at.is_(None))
                       .values(revision=_sorts.c.revision + 1))
    delete_rows(Move, Move.sample_id == thing.id)
    return files


@SAMPLE.deleted.connect_via(SORT)
def take_it_off_the_board(_, thing) -> None:
    refresh_open_board(thing.task_id)


# --- a sort ------------------------------------------------------------------------------

@SORT.describing.connect_via(SORT)
def describe_sort(_, thing: Sort) -> Part:
    task = db.session.get(Task, thing.task_id)
    when = f"closed {day(thing.closed_at)} by {thing.closed_by or 'someone'}" if thing.closed_at else "still open"
    part = Part(f"Sort version {thing.version} for “{task.title}” ({when})",
                [count(len(thing.groups), "group") + " and their notes", count(len(thing.next_steps), "next step")],
                ["The student work stays with the task."])
    placed = rows_where(Placement.sort_id == thing.id, Placement.group_id.is_not(None))
    if placed:
        part.goes.append(f"where {count(placed, 'sample')} sat")
    if thing.snapshot is not None:
        part.goes.append("its snapshot")
    others = rows_where(Sort.task_id == thing.task_id, Sort.id != thing.id)
    if others:
        part.stays.append(f"The task's other {count(others, 'version')} of the sort stay.")
    return part


@SORT.deleting.connect_via(SORT)
def delete_sort(_, thing: Sort) -> None:
    _delete_sorts([thing.id])


# --- a meeting: the sorts started in it stay with the task --------------------------------------

@MEETING.describing.connect_via(SORT)
def describe_meeting(_, thing) -> Part:
    started = rows_where(Sort.meeting_id == thing.id)
    return Part(stays=[f"The {count(started, 'sort')} started in it stay with the task."] if started else [])


@MEETING.deleting.connect_via(SORT)
def forget_the_meeting(_, thing) -> None:
    db.session.execute(_sorts.update().where(_sorts.c.meeting_id == thing.id).values(meeting_id=None))


# --- a unit ------------------------------------------------------------------------------

@UNIT.describing.connect_via(SORT)
def describe_unit(_, thing) -> Part:
    sorts = _sorts_on([task.id for task in thing.tasks])
    return Part(goes=[count(len(sorts), "sort")] if sorts else [])


@UNIT.deleting.connect_via(SORT)
def delete_units_sorts(_, thing) -> list[str]:
    """Its tasks' sorts; returns the files their snapshots named."""
    task_ids = [task.id for task in thing.tasks]
    files = [name for _, snapshot in _snapshots(Sort.task_id.in_(task_ids)) for name in snapshot.files_of()]
    _delete_sorts(_sorts_on(task_ids))
    return files
