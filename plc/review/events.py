"""The "Since last time" step in the live room: the team's open next steps, each closed with what
happened and a decision (adopt, adapt, abandon); an adapted step's next cycle appears at once, to
fill in its prediction and evidence. Updated live. Where names are hidden the room is not told who
followed a step up; on an anonymous step nobody's name is kept."""
from __future__ import annotations

from typing import Annotated, Optional

from pydantic import Field

from plc.errors import UserError
from plc.extensions import socketio
from plc.meetings.page_constants import add_room_constants
from plc.meetings.services import agenda_opener
from plc.meetings.state import authors_shown, name_to_record, state_part
from plc.realtime.gate import live_event
from plc.realtime.payloads import Id, Payload, Text
from plc.realtime.rooms import room
from plc.review import followup
from plc.sort import commands
from plc.sort.events import DueOn, due_date, refresh_open_board
from plc.sort.models import TEXT_LIMITS
from plc.sort.owners import owner_label

SINCE_LAST_TIME = "since-last-time"

add_room_constants("follow_up", {"decisions": [[value, *words] for value, words in followup.DECISION_CHOICES.items()],
                                 "limits": {"what_happened": TEXT_LIMITS["what_happened"],
                                            "prediction": TEXT_LIMITS["prediction"],
                                            "evidence": TEXT_LIMITS["evidence"]}})


class FollowUpdate(Payload):
    id: Id
    what_happened: Optional[Text] = None
    decision: Optional[Annotated[str, Field(max_length=10)]] = None


class PlanNextCycle(Payload):
    id: Id
    prediction: Text
    evidence: Text
    due_on: DueOn = None


@agenda_opener
def since_last_time(team) -> list[str]:
    return [SINCE_LAST_TIME] if followup.has_open_next_steps(team.id) else []


@state_part("follow_up")
def follow_up_for_room(meeting) -> list[dict] | None:
    """On a follow-up step: the open next steps, and those followed up during this meeting."""
    if meeting.current_step["activity"] != "follow_up":
        return None
    steps = followup.team_next_steps(meeting.team_id, since=meeting.started_at)
    if authors_shown(meeting):
        return steps
    return [{**step, "status_by": None, "owner_name": None, "owner_label": owner_label(None, step["owner_role"])}
            for step in steps]


def _step_to_follow_up(meeting, seat, step_id: int):
    if meeting.current_step["activity"] != "follow_up":
        raise UserError("Next steps are followed up on the “Since last time” step.")
    if meeting.input_locked and not seat.can_control:
        raise UserError("Input is locked by the facilitator for now.")
    step = followup.step_of_team(meeting.team_id, step_id)
    if step is None:
        raise UserError("That next step is not one of this team's.")
    return step


def _changed(meeting, task_id: int) -> None:
    """The room's list again; and the task's open board, where an adapted step's next cycle lands."""
    socketio.emit("follow_up", follow_up_for_room(meeting), to=room(meeting.id))
    refresh_open_board(task_id)


@live_event("followup:update", FollowUpdate)
def on_followup_update(meeting, seat, data):
    step = _step_to_follow_up(meeting, seat, data.id)
    followup.record(step, data.what_happened, data.decision, name_to_record(meeting, seat.name))
    _changed(meeting, step.sort.task_id)


@live_event("followup:plan", PlanNextCycle)
def on_followup_plan(meeting, seat, data):
    """The prediction, evidence and date of a step's next cycle, filled in where it was adapted."""
    step = _step_to_follow_up(meeting, seat, data.id)
    commands.plan_cycle(step, data.prediction, data.evidence, due_date(data.due_on))
    _changed(meeting, step.sort.task_id)
