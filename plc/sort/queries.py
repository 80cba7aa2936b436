"""Reading a sort: which sort a task or meeting has, its cards and columns, the patterns they
make, and whether a move can be undone. Nothing here creates, changes or commits rows."""
from __future__ import annotations

import re
from collections.abc import Iterable

from plc.extensions import db
from plc.meetings.models import Meeting, Response
from plc.sort.errors import SortError
from plc.sort.models import Move, NextStep, Sort, SortGroup
from plc.sort.ordering import in_board_order
from plc.teams.models import Strategy
from plc.work.models import WorkSample

UNANTICIPATED = "Unanticipated"  # the catch-all group of a sort that starts from anticipated strategies
UNDO_DEPTH = 20


def name_key(name: str) -> str:
    """A group or strategy name as compared: spaces collapsed, case ignored."""
    return re.sub(r"\s+", " ", name).strip().casefold()


# --- which sort -----------------------------------------------------------------

def open_sort(task_id: int) -> Sort | None:
    """The task's open sort, or None when there is none."""
    return db.session.execute(
        db.select(Sort).filter_by(task_id=task_id, closed_at=None)
    ).scalar_one_or_none()


def latest_sort(meeting: Meeting) -> Sort | None:
    """The sort the meeting's board shows: its task's latest version, open or closed."""
    return db.session.execute(
        db.select(Sort).filter_by(task_id=meeting.task_id).order_by(Sort.version.desc()).limit(1)
    ).scalar_one_or_none()


def live_meetings_on(task_id: int) -> list[Meeting]:
    """Every running meeting on the task: they all show its one open sort."""
    return list(db.session.execute(
        db.select(Meeting).filter_by(task_id=task_id, ended_at=None).order_by(Meeting.id)
    ).scalars())


def anticipated_strategies(task_id: int) -> list[str]:
    """The strategies named in Doing Math Together for this task, first mention first, once each."""
    texts = db.session.execute(
        db.select(Response.text).join(Meeting, Meeting.id == Response.meeting_id)
        .where(Meeting.task_id == task_id, Response.field == "strategies")
        .order_by(Response.id)
    ).scalars()
    names: dict[str, str] = {}
    for text in texts:
        for line in re.split(r"[\n;]+", text):
            name = line.strip(" -•*\t")[:60].strip()
            if name and name_key(name) not in names and name_key(name) != name_key(UNANTICIPATED):
                names[name_key(name)] = name
    return list(names.values())


def strategy_named(team_id: int, name: str) -> Strategy | None:
    """The team's vocabulary entry with this name, if any."""
    return db.session.execute(
        db.select(Strategy).filter_by(team_id=team_id, key=name_key(name))
    ).scalar_one_or_none()


# --- the board --------------------------------------------------------------------

def sort_samples(sort: Sort) -> list[WorkSample]:
    """The cards: the task's samples, except those that failed to process."""
    return list(db.session.execute(
        db.select(WorkSample).filter(WorkSample.task_id == sort.task_id, WorkSample.status != "failed")
        .order_by(WorkSample.id)
    ).scalars())


def card_ids(sort: Sort) -> list[int]:
    """The ids of the cards only: every move reads them, and the full samples are heavy (OCR words)."""
    return list(db.session.execute(
        db.select(WorkSample.id).filter(WorkSample.task_id == sort.task_id, WorkSample.status != "failed")
        .order_by(WorkSample.id)
    ).scalars())


def columns(sort: Sort, sample_ids: list[int] | None = None) -> dict[int | None, list[int]]:
    """Sample ids per group id (None: the unsorted tray), in board order."""
    if sample_ids is None:
        sample_ids = card_ids(sort)
    placed = {p.sample_id: p for p in sort.placements}
    board: dict[int | None, list[int]] = {None: []}
    board.update({g.id: [] for g in sort.groups})
    for sid in in_board_order(sample_ids, placed):
        p = placed.get(sid)
        board[p.group_id if p and p.group_id in board else None].append(sid)
    return board


def group_of(sort: Sort, group_id: int | None) -> SortGroup | None:
    """The sort's group with this id (None: the tray); SortError for any other group."""
    if group_id is None:
        return None
    group = next((g for g in sort.groups if g.id == group_id), None)
    if group is None:
        raise SortError("That group is not on this board.")
    return group


def group_name(sort: Sort, group_id: int | None) -> str:
    group = next((g for g in sort.groups if g.id == group_id), None)
    return group.name if group else "Unsorted"


def card_of(sort: Sort, sample_id: int):
    """The card's id and student code (not the whole sample: its OCR words are heavy)."""
    card = db.session.execute(
        db.select(WorkSample.id, WorkSample.student_label)
        .where(WorkSample.id == sample_id, WorkSample.task_id == sort.task_id, WorkSample.status != "failed")
    ).first()
    if card is None:
        raise SortError("That card is not on this board.")
    return card


def next_step_of(sort: Sort, step_id: int) -> NextStep:
    step = next((s for s in sort.next_steps if s.id == step_id), None)
    if step is None:
        raise SortError("That next step is not part of this sort.")
    return step


def patterns_of(groups: Iterable, board: dict[int | None, list[int]]) -> dict:
    """Counts per group; anticipated strategies nobody used; strategies that showed up unanticipated.
    `groups` are a sort's or a snapshot's (anything with an id, a name and a kind); `board` maps
    their ids (None: the tray) to the cards in them."""
    groups = list(groups)
    counts = {g.id: len(board.get(g.id, [])) for g in groups}
    return {
        "counts": [{"group_id": g.id, "name": g.name, "count": counts[g.id]} for g in groups],
        "unsorted": len(board.get(None, [])),
        "nobody_used": [g.name for g in groups if g.kind == "anticipated" and not counts[g.id]],
        "unanticipated": [g.name for g in groups if g.kind == "added" and counts[g.id]],
        "in_unanticipated": sum(counts[g.id] for g in groups if g.kind == "unanticipated"),
    }


def patterns(sort: Sort, board: dict | None = None) -> dict:
    """The patterns of the sort's board (`board`: its columns, when the caller has them)."""
    return patterns_of(sort.groups, board if board is not None else columns(sort))


# --- undo ---------------------------------------------------------------------------

def last_move(sort: Sort, mover: str | None = None) -> Move | None:
    """The latest move not yet undone, among the last UNDO_DEPTH (`mover`'s, when given)."""
    query = db.select(Move).filter_by(sort_id=sort.id)
    if mover is not None:
        query = query.filter_by(mover=mover)
    recent = db.session.execute(query.order_by(Move.id.desc()).limit(UNDO_DEPTH)).scalars()
    return next((m for m in recent if not m.undone), None)


def can_undo(sort: Sort) -> bool:
    if not sort.is_open:
        return False
    undone = db.session.execute(
        db.select(Move.undone).filter_by(sort_id=sort.id).order_by(Move.id.desc()).limit(UNDO_DEPTH)
    ).scalars()
    return not all(undone)
