"""Who may delete what. Anyone else gets 404, as if the thing did not exist: members of other
teams, phones in a meeting (they have no account), visitors who are not logged in, and, for
sorts, meetings and units, the team's members who do not facilitate it."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from plc.extensions import db
from plc.meetings.models import Meeting
from plc.sort.models import Sort
from plc.teams.access import membership_of, team_for_facilitator, unit_for_facilitator
from plc.teams.models import Unit
from plc.work.models import WorkSample


def sample_for_deleter(sample_id: int) -> WorkSample:
    """Any member of the sample's team may delete it."""
    sample = db.session.get(WorkSample, sample_id)
    if sample is None or membership_of(current_user, sample.team_id) is None:
        abort(404)
    return sample


def sort_for_deleter(sort_id: int) -> Sort:
    sort = db.get_or_404(Sort, sort_id)
    team_for_facilitator(sort.team_id)
    return sort


def meeting_for_deleter(meeting_id: int) -> Meeting:
    meeting = db.get_or_404(Meeting, meeting_id)
    team_for_facilitator(meeting.team_id)
    return meeting


def unit_for_deleter(unit_id: int) -> Unit:
    return unit_for_facilitator(unit_id)
