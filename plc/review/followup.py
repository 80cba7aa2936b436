"""Next steps followed up as improvement cycles: at a later meeting ("Since last time") the team
says what happened and decides: adopt, adapt or abandon. "Adapt" carries the step into its next
cycle (plc/sort/commands.py `adapt_next_step`), whose prediction and evidence are filled in again.

A task's sort can be reopened into new versions; its next steps are those of its latest
version. A step is open while it is planned (no decision yet).
"""
from __future__ import annotations

from sqlalchemy import func

from plc.errors import UserError, too_long
from plc.extensions import db
from plc.sort import commands
from plc.sort.models import DECISIONS, TEXT_LIMITS, NextStep, Sort, SortGroup
from plc.sort.payloads import next_step_payload
from plc.teams.models import Task, Unit
from plc.timeutil import utcnow

OPEN_STATUSES = ("planned",)
STATUS_LABELS = {"planned": "Planned", "adopted": "Adopted", "adapted": "Adapted", "abandoned": "Abandoned"}
# What the team decides, as it is offered: the verb, and what it means.
DECISION_CHOICES = {
    "adopted": ("Adopt", "It worked: keep doing it."),
    "adapted": ("Adapt", "Change it and try again: a new next step."),
    "abandoned": ("Abandon", "Stop: it did not help."),
}
REFLECTION_MAX_CHARS = TEXT_LIMITS["what_happened"]


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
        .order_by(NextStep.owner_name.is_(None), NextStep.owner_name, NextStep.owner_role, NextStep.due_on.is_(None), NextStep.due_on, NextStep.id)
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
        "adapts": step.adapts.move if step.adapts else None,
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


def record(step: NextStep, what_happened: str | None, decision: str | None, by: str | None) -> NextStep | None:
    """Record what happened (None keeps it) and, with a decision, close the step. "adapted" makes
    its next cycle, which is returned (None otherwise). A decision needs a line on what happened;
    a step decided once keeps its decision (its text can still be corrected)."""
    if decision is not None and decision not in DECISIONS:
        raise UserError("Choose adopt, adapt or abandon.")
    if what_happened is not None:
        what_happened = what_happened.strip()
        if len(what_happened) > REFLECTION_MAX_CHARS:
            raise UserError(too_long("What happened", len(what_happened), REFLECTION_MAX_CHARS,
                                     "Shorten it to what students did and what it showed."))
    if decision is not None and not (what_happened if what_happened is not None else step.reflection):
        raise UserError("Say what happened before deciding: what did students do, what did the evidence show?")
    if decision is not None and step.status not in OPEN_STATUSES and decision != step.status:
        raise UserError(f"This next step was already decided: {STATUS_LABELS[step.status].lower()}.")
    follow_on = None
    if decision == "adapted" and step.status != "adapted":
        follow_on = commands.adapt_next_step(step, by)
    if what_happened is not None:
        step.reflection = what_happened
    if decision is not None:
        step.status = decision
    step.status_by, step.status_at = by, utcnow()
    db.session.commit()
    return follow_on
