"""Who may see a sample of student work, or any other picture brought into a task's meetings:
the one place for that rule.

Members of the team, and participants seated in a live meeting of that team on that task.
Anyone else gets 404, as if the picture did not exist.
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from plc.extensions import db
from plc.meetings.seats import seated_participants
from plc.meetings.services import code_is_live
from plc.teams.access import membership_of
from plc.work.models import WorkSample


def may_see_task_pictures(team_id: int, task_id: int) -> bool:
    if membership_of(current_user, team_id) is not None:
        return True
    return any(
        p.meeting.team_id == team_id and p.meeting.task_id == task_id and code_is_live(p.meeting)
        for p in seated_participants()
    )


def may_see(sample: WorkSample) -> bool:
    return may_see_task_pictures(sample.team_id, sample.task_id)


def sample_for_viewer(sample_id: int) -> WorkSample:
    sample = db.session.get(WorkSample, sample_id)
    if sample is None or not may_see(sample):
        abort(404)
    return sample
