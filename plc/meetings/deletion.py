"""What deleting takes from meetings: a meeting's participants and their responses; and a
running meeting keeps what its room may be showing (plc/deletion.py)."""
from __future__ import annotations

from sqlalchemy import or_, select

from plc.deletion import MEETING, SORT, UNIT, Part, count, day, delete_rows, rows_where
from plc.extensions import db
from plc.meetings.models import Meeting, Participant, Response

MEETING_RUNNING = "This meeting is still running. End it first (from its controls), then delete it."


@MEETING.finder
def find_meeting(meeting_id: int) -> Meeting | None:
    return db.session.get(Meeting, meeting_id)


def _running_on(task_ids: list[int]) -> int:
    return rows_where(Meeting.task_id.in_(task_ids), Meeting.ended_at.is_(None))


def _meetings_on(task_ids: list[int]) -> list[int]:
    return list(db.session.execute(select(Meeting.id).where(Meeting.task_id.in_(task_ids))).scalars())


def _delete_meetings(meeting_ids: list[int]) -> None:
    """The meetings with their participants and responses (nothing of theirs is on disk)."""
    participants = select(Participant.id).where(Participant.meeting_id.in_(meeting_ids)).scalar_subquery()
    delete_rows(Response, or_(Response.meeting_id.in_(meeting_ids), Response.participant_id.in_(participants)))
    delete_rows(Participant, Participant.meeting_id.in_(meeting_ids))
    delete_rows(Meeting, Meeting.id.in_(meeting_ids))


# --- a meeting ---------------------------------------------------------------------------

@MEETING.describing.connect_via(MEETING)
def describe_meeting(_, thing: Meeting) -> Part:
    protocols = ", ".join(thing.protocol_titles)
    responses = rows_where(Response.meeting_id == thing.id)
    return Part(f"Meeting on “{thing.task.title}” of {day(thing.started_at)} ({protocols})",
                [count(len(thing.participants), "participant") + " (names and roles)",
                 count(responses, "response") + " and who wrote them"],
                blocked=MEETING_RUNNING if thing.ended_at is None else None)


@MEETING.deleting.connect_via(MEETING)
def delete_meeting(_, thing: Meeting) -> None:
    _delete_meetings([thing.id])


# --- a sort: its board may be on a screen right now ----------------------------------------

@SORT.describing.connect_via(MEETING)
def keep_a_shown_sort(_, thing) -> Part | None:
    if _running_on([thing.task_id]):
        return Part(blocked="A meeting on this task is still running. End the meeting first, then delete the sort.")
    return None


# --- a unit ------------------------------------------------------------------------------

@UNIT.describing.connect_via(MEETING)
def describe_unit(_, thing) -> Part:
    task_ids = [task.id for task in thing.tasks]
    meeting_ids = _meetings_on(task_ids)
    part = Part()
    if meeting_ids:
        participants = rows_where(Participant.meeting_id.in_(meeting_ids))
        responses = rows_where(Response.meeting_id.in_(meeting_ids))
        part.goes.append(f"{count(len(meeting_ids), 'meeting')} with {count(participants, 'participant')} "
                         f"and {count(responses, 'response')}")
    if _running_on(task_ids):
        part.blocked = "A meeting on a task of this unit is still running. End it first, then delete the unit."
    return part


@UNIT.deleting.connect_via(MEETING)
def delete_units_meetings(_, thing) -> None:
    _delete_meetings(_meetings_on([task.id for task in thing.tasks]))
