"""A unit across its sorts, read from the snapshots the team saved when it closed them.

Everything a unit page shows comes from a fixed number of queries, however many tasks,
meetings, sorts and samples the unit holds: no query per row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from plc.extensions import db
from plc.meetings.models import Meeting
from plc.review import followup
from plc.review.closing_checks import ClosingCheck, closing_checks
from plc.sort.models import AUDIENCES, NextStep, Sort, SortGroup
from plc.sort.owners import owner_label
from plc.sort.snapshot import GroupEntry, NextStepEntry, SampleEntry, Snapshot, load_snapshot
from plc.teams.models import Strategy, Task, Unit
from plc.teams.services import vocabulary

UNSORTED = "Unsorted"


@dataclass(frozen=True)
class FollowUp:
    """What became of a next step since the sort closed."""

    status: str
    status_label: str
    reflection: str


@dataclass
class SortView:
    """A closed sort as its snapshot keeps it, ready to show."""

    sort: Sort
    task: Task
    snapshot: Snapshot
    # The next steps' status and reflection as they stand now, by step id (the member's view only).
    follow_up: dict[int, FollowUp] = field(default_factory=dict)
    samples: dict[int, SampleEntry] = field(init=False)
    placed: dict[int | None, list[int]] = field(init=False)  # card ids per group id (None: the tray)

    def __post_init__(self):
        self.samples = {s.id: s for s in self.snapshot.samples}
        self.placed = {group_id: [sid for sid in ids if sid in self.samples]  # cards whose entry is kept
                       for group_id, ids in self.snapshot.board().items()}

    @property
    def groups(self) -> list[GroupEntry]:
        return self.snapshot.groups

    @property
    def next_steps(self) -> list[NextStepEntry]:
        return self.snapshot.next_steps

    def cards_in(self, group: GroupEntry) -> list[int]:
        return self.placed.get(group.id, [])

    @property
    def unsorted(self) -> list[int]:
        return self.placed.get(None, [])

    @property
    def title(self) -> str:
        version = f" (version {self.sort.version})" if self.sort.version > 1 else ""
        return f"{self.task.title}{version}"

    @property
    def total(self) -> int:
        return len(self.samples)


@dataclass(frozen=True)
class LaterSort:
    """Where the students a next step was for landed in a later task's sort."""

    title: str
    places: list[tuple[str, str]]  # (student code, group name), in the step's students' order
    began: datetime  # when the sort's meeting started (the sort's opening, without one)


@dataclass
class Cycle:
    """One next step from plan to decision: the move, who does it, the prediction and its
    evidence, what happened and the decision, then its next cycle if it was adapted."""

    step: NextStep
    task: Task
    group: str
    students: list[str]  # the codes of the work in the step's group when the sort closed (or its one student)
    later: list[LaterSort] = field(default_factory=list)
    next_cycle: Cycle | None = None

    @property
    def owner_label(self) -> str:
        return owner_label(self.step.owner_name, self.step.owner_role)

    @property
    def decision_label(self) -> str:
        return followup.STATUS_LABELS[self.step.status]

    @property
    def audience_label(self) -> str:
        return AUDIENCES[self.step.audience]


@dataclass
class UnitReview:
    unit: Unit
    tasks: list[Task]
    timeline: list[dict]
    sorts: list[SortView]
    open_sorts: list[Sort]
    vocabulary: list[Strategy]
    mix: dict
    students: dict
    open_steps: list[dict]
    cycles: list[Cycle]
    closing_checks: list[ClosingCheck]


def sort_view(sort: Sort, task: Task) -> SortView:
    return SortView(sort=sort, task=task, snapshot=load_snapshot(sort.snapshot))


def unit_review(unit: Unit) -> UnitReview:
    tasks = list(db.session.execute(db.select(Task).filter_by(unit_id=unit.id).order_by(Task.id)).scalars())
    by_id = {t.id: t for t in tasks}
    task_ids = list(by_id)
    meetings = list(db.session.execute(
        db.select(Meeting).where(Meeting.task_id.in_(task_ids)).order_by(Meeting.started_at)).scalars())
    sorts = list(db.session.execute(
        db.select(Sort).where(Sort.task_id.in_(task_ids)).order_by(Sort.created_at, Sort.id)).scalars())
    closed = [sort_view(s, by_id[s.task_id]) for s in sorts if not s.is_open]
    closed.sort(key=lambda v: v.sort.closed_at)
    strategies = vocabulary(unit.team_id)
    timeline = sorted(
        [{"kind": "task", "at": t.created_at, "task": t} for t in tasks]
        + [{"kind": "meeting", "at": m.started_at, "meeting": m, "task": by_id[m.task_id]} for m in meetings]
        + [{"kind": "sort", "at": v.sort.closed_at, "view": v, "task": v.task} for v in closed],
        key=lambda entry: (entry["at"] or datetime.min, ["task", "meeting", "sort"].index(entry["kind"])))
    return UnitReview(
        unit=unit, tasks=tasks, timeline=timeline, sorts=closed,
        open_sorts=[s for s in sorts if s.is_open], vocabulary=strategies,
        mix=strategy_mix(closed, strategies), students=students_over_time(closed),
        open_steps=followup.team_next_steps(unit.team_id, unit_id=unit.id),
        cycles=cycles_of(sorts, closed, by_id, {m.id: m.started_at for m in meetings}),
        closing_checks=closing_checks(meetings, {t.id: t.title for t in tasks}))


def cycles_of(sorts: list[Sort], closed: list[SortView], tasks: dict[int, Task],
              meeting_starts: dict[int, datetime]) -> list[Cycle]:
    """The unit's next steps as cycles, first planned first: each step of the latest version of a
    task's sort that adapts no other, followed by its next cycles. One query."""
    latest = {s.task_id: s.id for s in sorts}  # sorts come first version first
    rows = db.session.execute(
        db.select(NextStep, SortGroup.name, Sort.task_id).join(SortGroup, SortGroup.id == NextStep.group_id)
        .join(Sort, Sort.id == NextStep.sort_id).where(Sort.id.in_(list(latest.values()))).order_by(NextStep.id)
    ).all()
    views = {v.sort.id: v for v in closed}
    cycles = {step.id: Cycle(step=step, task=tasks[task_id], group=group,
                             students=_students_of(step, views.get(step.sort_id)))
              for step, group, task_id in rows}
    for cycle in cycles.values():
        cycle.later = _later_places(cycle, views.get(cycle.step.sort_id), closed, meeting_starts)
        adapted = cycles.get(cycle.step.adapts_id)
        if adapted is not None:
            adapted.next_cycle = cycle
    firsts = [c for c in cycles.values() if c.step.adapts_id not in cycles]
    for first in firsts:
        _later_once(first)
    return firsts


def _later_once(cycle: Cycle) -> None:
    """Each later sort under one cycle of a chain: the last one planned before the sort's meeting
    began. A meeting whose "Since last time" adapts a step sorts work done before that decision:
    it tells of the step's move, not of its next cycle, which was planned during that meeting."""
    while (after := cycle.next_cycle) is not None:
        planned = after.step.created_at
        moved = [later for later in cycle.later if later.began > planned]
        cycle.later = [later for later in cycle.later if later.began <= planned]
        # The next cycle's own places (its students may differ), or the ones moved to it.
        after.later = [later for later in after.later if later.began > planned] or moved
        cycle = after


def _students_of(step: NextStep, view: SortView | None) -> list[str]:
    if step.student_label:
        return [step.student_label]
    if view is None:  # planned on a sort still open: its groups are not final yet
        return []
    return [view.samples[sid].label for sid in view.placed.get(step.group_id, [])]


def _later_places(cycle: Cycle, view: SortView | None, closed: list[SortView],
                  meeting_starts: dict[int, datetime]) -> list[LaterSort]:
    """The groups the cycle's students' work landed in, in each sort of a later task closed after
    the step was planned (matched by student code)."""
    if view is None or not cycle.students:
        return []
    later = []
    for other in closed:
        if other.task.id == cycle.task.id or other.sort.closed_at <= cycle.step.created_at:
            continue
        where = {other.samples[sid].label: g.name for g in other.groups for sid in other.cards_in(g)}
        where.update({other.samples[sid].label: UNSORTED for sid in other.unsorted})
        places = [(label, where[label]) for label in cycle.students if label in where]
        if places:
            began = meeting_starts.get(other.sort.meeting_id) or other.sort.created_at
            later.append(LaterSort(other.title, places, began))
    return later


def strategy_mix(views: list[SortView], strategies: list[Strategy]) -> dict:
    """For each sort, how many samples fell in each strategy of the vocabulary; groups not
    linked to the vocabulary are kept apart, each under its own name, marked unlinked."""
    names = {s.id: s.name for s in strategies}
    series: dict[str, dict] = {}  # key -> {label, linked, counts per sort index}
    for index, view in enumerate(views):
        for group in view.groups:
            linked = group.strategy_id is not None
            key = f"s{group.strategy_id}" if linked else f"g:{group.name.casefold()}"
            label = names.get(group.strategy_id) or group.strategy_name or group.name
            entry = series.setdefault(key, {"key": key, "label": label, "linked": linked, "counts": [0] * len(views)})
            entry["counts"][index] += len(view.cards_in(group))
        if view.unsorted:
            entry = series.setdefault("unsorted", {"key": "unsorted", "label": UNSORTED, "linked": False,
                                                   "counts": [0] * len(views)})
            entry["counts"][index] += len(view.unsorted)
    ordered = sorted(series.values(), key=lambda s: (not s["linked"], s["key"] == "unsorted", s["label"].casefold()))
    used = [s for s in ordered if any(s["counts"])]
    return {"sorts": [{"title": v.title, "total": v.total, "id": v.sort.id} for v in views], "series": used}


def students_over_time(views: list[SortView]) -> dict:
    """Per student code, the group their work landed in at each sort (codes stay pseudonymous)."""
    rows: dict[str, list[str | None]] = {}
    for index, view in enumerate(views):
        where = {sid: g.name for g in view.groups for sid in view.cards_in(g)}
        where.update({sid: UNSORTED for sid in view.unsorted})
        for sample_id, sample in view.samples.items():
            cells = rows.setdefault(sample.label, [None] * len(views))
            if sample_id in where and cells[index] is None:
                cells[index] = where[sample_id]
    return {"sorts": [v.title for v in views], "rows": sorted(rows.items(), key=lambda r: r[0].casefold())}


def sort_for_member_view(sort: Sort) -> SortView:
    """One closed sort, with its next steps' status and reflection as they stand now."""
    view = sort_view(sort, db.session.get(Task, sort.task_id))
    view.follow_up = {step.id: FollowUp(step.status, followup.STATUS_LABELS[step.status], step.reflection)
                      for step in sort.next_steps}
    return view


def sorts_of_task(task_id: int) -> list[Sort]:
    """Every version of the task's Work Sort, open or closed, first first."""
    return list(db.session.execute(db.select(Sort).filter_by(task_id=task_id).order_by(Sort.version)).scalars())
