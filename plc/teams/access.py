"""Who may see and do what in a team: the one place for these rules.

Anything a user may not see answers 404, not 403, so that the existence of
another team's meetings, units or student work is not revealed.
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from plc.extensions import db
from plc.teams.models import KeyWord, Membership, Task, Team, Unit


def membership_of(user, team_id: int) -> Membership | None:
    if not user or not user.is_authenticated:
        return None
    return db.session.execute(
        db.select(Membership).filter_by(team_id=team_id, user_id=user.id)
    ).scalar_one_or_none()


def can_facilitate(membership: Membership | None) -> bool:
    return membership is not None and membership.role == "facilitator"


def team_for_member(team_id: int) -> tuple[Team, Membership]:
    """The team and the current user's membership, or 404."""
    membership = membership_of(current_user, team_id)
    if membership is None:
        abort(404)
    return membership.team, membership


def team_for_facilitator(team_id: int) -> tuple[Team, Membership]:
    team, membership = team_for_member(team_id)
    if not can_facilitate(membership):
        abort(404)
    return team, membership


def unit_for_facilitator(unit_id: int) -> Unit:
    """A unit of a team the current user facilitates, or 404."""
    unit = db.get_or_404(Unit, unit_id)
    team_for_facilitator(unit.team_id)
    return unit


def unit_for_member(unit_id: int) -> tuple[Unit, Membership]:
    """A unit of one of the current user's teams and their membership there, or 404."""
    unit = db.get_or_404(Unit, unit_id)
    _, membership = team_for_member(unit.team_id)
    return unit, membership


def task_for_member(task_id: int) -> tuple[Task, Membership]:
    """A task of one of the current user's teams and their membership there, or 404."""
    task = db.get_or_404(Task, task_id)
    _, membership = team_for_member(task.unit.team_id)
    return task, membership


def member_of_team(team: Team, membership_id: int) -> Membership:
    """One membership of team, or 404 (never one from another team)."""
    return db.first_or_404(db.select(Membership).filter_by(id=membership_id, team_id=team.id))


def key_word_of_team(team: Team, key_word_id: int) -> KeyWord:
    """One key word of team, or 404 (never one from another team)."""
    return db.first_or_404(db.select(KeyWord).filter_by(id=key_word_id, team_id=team.id))
