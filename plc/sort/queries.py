"""Reading a sort: which sort a task or meeting has, its cards and columns, the patterns they
make, and whether a move can be undone. Nothing here creates, changes or commits rows.

The statements a card's move runs are built once, with parameters (`bindparam`): building one
and working out its cache key cost more than running it (0.11 against 0.05 ms on SQLite)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam

from plc.extensions import db
from plc.meetings.models import Meeting, Participant, Response
from plc.sort.errors import SortError
from plc.sort.models import Move, NextStep, Sort, SortGroup
from plc.sort.ordering import in_board_order
from plc.teams.models import CriticalStrategy, Strategy, Task
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


_LATEST_SORT = (db.select(Sort).where(Sort.task_id == bindparam("task_id"))
                .order_by(Sort.version.desc()).limit(1))
_LIVE_MEETINGS_ON = (db.select(Meeting).where(Meeting.task_id == bindparam("task_id"), Meeting.ended_at.is_(None))
                     .order_by(Meeting.id))


def latest_sort(meeting: Meeting) -> Sort | None:
    """The sort the meeting's board shows: its task's latest version, open or closed."""
    return db.session.execute(_LATEST_SORT, {"task_id": meeting.task_id}).scalar_one_or_none()


def live_meetings_on(task_id: int) -> list[Meeting]:
    """Every running meeting on the task: they all show its one open sort."""
    return list(db.session.execute(_LIVE_MEETINGS_ON, {"task_id": task_id}).scalars())


@dataclass(frozen=True)
class Answer:
    """One answer to an anticipation question, and who gave it (None on an anonymous step)."""

    text: str
    by: str | None


def anticipation_answers(task_id: int, *fields: str) -> dict[str, list[Answer]]:
    """Every answer to these anticipation questions (Response.field) in the task's meetings, oldest
    first, by question. An answer given on an anonymous step comes without a name."""
    rows = db.session.execute(
        db.select(Response.field, Response.text, Response.step_pos, Response.meeting_id, Participant.name)
        .join(Meeting, Meeting.id == Response.meeting_id).join(Participant, Participant.id == Response.participant_id)
        .where(Meeting.task_id == task_id, Response.field.in_(fields))
        .order_by(Response.id)
    ).all()
    agendas = dict(db.session.execute(
        db.select(Meeting.id, Meeting.agenda).where(Meeting.id.in_({row.meeting_id for row in rows}))
    ).all()) if rows else {}
    answers: dict[str, list[Answer]] = {field: [] for field in fields}
    for row in rows:
        steps = agendas[row.meeting_id]
        anonymous = row.step_pos >= len(steps) or steps[row.step_pos].get("anonymous")
        answers[row.field].append(Answer(row.text, None if anonymous else row.name))
    return answers


def anticipations(task_id: int) -> list[Answer]:
    """The strategies named in Doing Math Together for this task, first mention first, once each,
    with who named them first."""
    names: dict[str, Answer] = {}
    for answer in anticipation_answers(task_id, "strategies")["strategies"]:
        for line in re.split(r"[\n;]+", answer.text):
            name = line.strip(" -•*\t")[:60].strip()
            if name and name_key(name) not in names and name_key(name) != name_key(UNANTICIPATED):
                names[name_key(name)] = Answer(name, answer.by)
    return list(names.values())


_CRITICAL_STRATEGIES = (
    db.select(Strategy.id, Strategy.name)
    .join(CriticalStrategy, CriticalStrategy.strategy_id == Strategy.id)
    .join(Task, Task.unit_id == CriticalStrategy.unit_id)
    .where(Task.id == bindparam("task_id")).order_by(Strategy.key)
)


def critical_strategies(task_id: int) -> list:
    """The strategies (id and name) the team counts as critical for the task's unit, alphabetically."""
    return list(db.session.execute(_CRITICAL_STRATEGIES, {"task_id": task_id}).all())


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


_CARDS = (db.select(WorkSample.id, WorkSample.student_label)
          .where(WorkSample.task_id == bindparam("task_id"), WorkSample.status != "failed")
          .order_by(WorkSample.id))


def cards(sort: Sort) -> dict[int, str]:
    """The cards' student codes by sample id, in id order: every move reads them, and the whole
    samples are heavy (OCR words)."""
    return dict(db.session.execute(_CARDS, {"task_id": sort.task_id}).all())


def card_label(cards_on_board: dict[int, str], sample_id: int) -> str:
    """The card's student code (`cards_on_board`: from `cards`); SortError if it is not on the board."""
    if sample_id not in cards_on_board:
        raise SortError("That card is not on this board.")
    return cards_on_board[sample_id]


def columns(sort: Sort, sample_ids: Iterable[int] | None = None) -> dict[int | None, list[int]]:
    """Sample ids per group id (None: the unsorted tray), in board order (`sample_ids`: the
    cards, when the caller has them)."""
    if sample_ids is None:
        sample_ids = cards(sort)
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


def next_step_of(sort: Sort, step_id: int) -> NextStep:
    step = next((s for s in sort.next_steps if s.id == step_id), None)
    if step is None:
        raise SortError("That next step is not part of this sort.")
    return step


def patterns_of(groups: Iterable, board: dict[int | None, list[int]], dropped: Iterable[str] = (),
                critical: Iterable = ()) -> dict:
    """Counts per group; anticipated strategies nobody used (`dropped`: the wording of anticipated
    groups the facilitator removed, which count too); strategies that showed up unanticipated; the
    unit's critical strategies (anything with an id and a name) and those no card shows.
    `groups` are a sort's or a snapshot's (anything with an id, a name, a kind and a strategy_id);
    `board` maps their ids (None: the tray) to the cards in them."""
    groups = list(groups)
    counts = {g.id: len(board.get(g.id, [])) for g in groups}
    on_board = {name_key(g.name) for g in groups}
    used = [g for g in groups if counts[g.id]]
    critical = list(critical)
    return {
        "counts": [{"group_id": g.id, "name": g.name, "count": counts[g.id]} for g in groups],
        "unsorted": len(board.get(None, [])),
        "nobody_used": [g.name for g in groups if g.kind == "anticipated" and not counts[g.id]]
                       + [name for name in dropped if name_key(name) not in on_board],
        "unanticipated": [g.name for g in groups if g.kind == "added" and counts[g.id]],
        "in_unanticipated": sum(counts[g.id] for g in groups if g.kind == "unanticipated"),
        "critical": [c.name for c in critical],
        "critical_nobody_used": [c.name for c in critical if not any(
            g.strategy_id == c.id or name_key(g.name) == name_key(c.name) for g in used)],
    }


def patterns(sort: Sort, board: dict | None = None) -> dict:
    """The patterns of the sort's board (`board`: its columns, when the caller has them)."""
    return patterns_of(sort.groups, board if board is not None else columns(sort),
                       [d["name"] for d in sort.dropped], critical_strategies(sort.task_id))


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
