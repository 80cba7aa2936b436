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
from plc.sort.models import Sort
from plc.teams.models import Strategy, Task, Unit
from plc.teams.services import vocabulary

UNSORTED = "Unsorted"


@dataclass
class SortView:
    """A closed sort as its snapshot keeps it, ready to show."""

    sort: Sort
    task: Task
    groups: list[dict]
    samples: dict[int, dict]
    counts: dict[int, int]
    unsorted: list[int]
    next_steps: list[dict] = field(default_factory=list)

    @property
    def title(self) -> str:
        version = f" (version {self.sort.version})" if self.sort.version > 1 else ""
        return f"{self.task.title}{version}"

    @property
    def total(self) -> int:
        return len(self.samples)


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


def sort_view(sort: Sort, task: Task, steps: list[dict] | None = None) -> SortView:
    snapshot = sort.snapshot
    placed = {c["group_id"]: c["sample_ids"] for c in snapshot["columns"]}
    samples = {s["id"]: s for s in snapshot["samples"]}
    groups = [{**g, "sample_ids": [i for i in placed.get(g["id"], []) if i in samples]} for g in snapshot["groups"]]
    return SortView(sort=sort, task=task, groups=groups, samples=samples,
                    counts={g["id"]: len(g["sample_ids"]) for g in groups},
                    unsorted=[i for i in placed.get(None, []) if i in samples],
                    next_steps=steps if steps is not None else snapshot["next_steps"])


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
        open_steps=followup.team_next_steps(unit.team_id, unit_id=unit.id))


def strategy_mix(views: list[SortView], strategies: list[Strategy]) -> dict:
    """For each sort, how many samples fell in each strategy of the vocabulary; groups not
    linked to the vocabulary are kept apart, each under its own name, marked unlinked."""
    names = {s.id: s.name for s in strategies}
    series: dict[str, dict] = {}  # key -> {label, linked, counts per sort index}
    for index, view in enumerate(views):
        for group in view.groups:
            linked = group.get("strategy_id") is not None
            key = f"s{group['strategy_id']}" if linked else f"g:{group['name'].casefold()}"
            label = names.get(group.get("strategy_id")) or group.get("strategy_name") or group["name"]
            entry = series.setdefault(key, {"key": key, "label": label, "linked": linked, "counts": [0] * len(views)})
            entry["counts"][index] += view.counts[group["id"]]
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
        where = {sid: g["name"] for g in view.groups for sid in g["sample_ids"]}
        where.update({sid: UNSORTED for sid in view.unsorted})
        for sample_id, sample in view.samples.items():
            cells = rows.setdefault(sample["label"], [None] * len(views))
            if sample_id in where and cells[index] is None:
                cells[index] = where[sample_id]
    return {"sorts": [v.title for v in views], "rows": sorted(rows.items(), key=lambda r: r[0].casefold())}


def sort_for_member_view(sort: Sort) -> SortView:
    """One closed sort, with its next steps' status and reflection as they stand now."""
    current = {step.id: step for step in sort.next_steps}
    steps = [{**s, "status": current[s["id"]].status, "status_label": followup.STATUS_LABELS[current[s["id"]].status],
              "reflection": current[s["id"]].reflection} if s["id"] in current else s
             for s in sort.snapshot["next_steps"]]
    return sort_view(sort, db.session.get(Task, sort.task_id), steps)


def sorts_of_task(task_id: int) -> list[Sort]:
    """Every version of the task's Work Sort, open or closed, first first."""
    return list(db.session.execute(db.select(Sort).filter_by(task_id=task_id).order_by(Sort.version)).scalars())
