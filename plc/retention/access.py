"""Who may delete what. Anyone else gets 404, as if the thing did not exist: members of other
teams, phones in a meeting (they have no account), visitors who are not logged in, and, for
sorts, meetings and units, the team's members who do not facilitate it.

The things are found by the features that own them (plc/deletion.py)."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from plc.deletion import MEETING, SAMPLE, SORT, Deletable
from plc.teams.access import membership_of, team_for_facilitator, unit_for_facilitator
from plc.teams.models import Unit


def _found(what: Deletable, thing_id: int):
    thing = what.find(thing_id)
    if thing is None:
        abort(404)
    return thing


def sample_for_deleter(sample_id: int):
    """Any member of the sample's team may delete it."""
    sample = _found(SAMPLE, sample_id)
    if membership_of(current_user, sample.team_id) is None:
        abort(404)
    return sample


def sort_for_deleter(sort_id: int):
    sort = _found(SORT, sort_id)
    team_for_facilitator(sort.team_id)
    return sort


def meeting_for_deleter(meeting_id: int):
    meeting = _found(MEETING, meeting_id)
    team_for_facilitator(meeting.team_id)
    return meeting


def unit_for_deleter(unit_id: int) -> Unit:
    return unit_for_facilitator(unit_id)
