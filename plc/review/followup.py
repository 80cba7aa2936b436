"""Next steps that get followed up: their status and reflection, and the team's open steps.

A task's sort can be reopened into new versions; its next steps are those of its latest
version. A step is open while it is planned or tried.
"""
from __future__ import annotations

from sqlalchemy import func

from plc.errors import UserError, too_long
from plc.extensions import db
from plc.sort.models import NEXT_STEP_STATUSES, NextStep, Sort, SortGroup
from plc.sort.payloads import next_step_payload
from plc.teams.models import Task, Unit
from plc.timeutil import utcnow

OPEN_STATUSES = ("planned", "tried")
STATUS_LABELS = {"planned": "Planned", "tried": "Tried", "done": "Done", "dropped": "Dropped"}
REFLECTION_MAX_CHARS = 500


def _latest_sort_ids():
    return db.select(func.max(Sort.id)).group_by(Sort.task_id)


def team_next_steps(team_id: int, *, unit_id: int | None = None, since=None) -> list[dict]:
    """The next steps of the latest sort of every task of the team (or of one unit): the open
    ones, and with `since` also those whose status changed after it. One query."""
    rows = db.session.execute(
        db.select(NextStep, SortGroup.name, Task.title, Task.id)
        .join(SortGroup, SortGroup.id == NextStep.group_id)
        .join(Sort, Sort.id == NextStep.sort_id)
        .join(Task, Task.id == Sort.task_id)
        .join(Unit, Unit.id == Task.unit_id)
        .where(Sort.team_id == team_id, Sort.id.in_(_latest_sort_ids()),
               NextStep.status.in_(OPEN_STATUSES) if since is None
               else NextStep.status.in_(OPEN_STATUSES) | (NextStep.status_at >= since),
               *([Unit.id == unit_id] if unit_id is not None else []))
        .order_by(NextStep.owner_role, NextStep.due_on.is_(None), NextStep.due_on, NextStep.id)
    ).all()
    return [followup_payload(step, group, task_title, task_id) for step, group, task_title, task_id in rows]


def followup_payload(step: NextStep, group_name: str, task_title: str, task_id: int) -> dict:
    return {
        **next_step_payload(step),
        "group": group_name,
        "task": task_title,
        "task_id": task_id,
        "status_label": STATUS_LABELS[step.status],
        "reflection": step.reflection,
        "status_by": step.status_by,
    }


def has_open_next_steps(team_id: int) -> bool:
    return db.session.execute(
        db.select(NextStep.id).join(Sort, Sort.id == NextStep.sort_id)
        .where(Sort.team_id == team_id, Sort.id.in_(_latest_sort_ids()), NextStep.status.in_(OPEN_STATUSES))
        .limit(1)
    ).first() is not None


def step_of_team(team_id: int, step_id: int) -> NextStep | None:
    step = db.session.get(NextStep, step_id)
    if step is None or step.sort.team_id != team_id:
        return None
    return step


def set_status(step: NextStep, status: str, reflection: str | None, by: str | None) -> NextStep:
    """Record what became of a next step; the reflection is kept as written (None keeps it)."""
    if status not in NEXT_STEP_STATUSES:
        raise UserError("Choose planned, tried, done or dropped.")
    if reflection is not None:
        reflection = reflection.strip()
        if len(reflection) > REFLECTION_MAX_CHARS:
            raise UserError(too_long("The reflection", len(reflection), REFLECTION_MAX_CHARS,
                                     "Shorten it to what happened and what comes next."))
        step.reflection = reflection
    step.status, step.status_by, step.status_at = status, by, utcnow()
    db.session.commit()
    return step
