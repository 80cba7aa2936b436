"""The "Since last time" step in the live room: the team's open next steps, updated live. Where names
are hidden the room is not told who followed a step up; on an anonymous step nobody's name is kept."""
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

SINCE_LAST_TIME = "since-last-time"

add_room_constants("follow_up", {"statuses": list(followup.STATUS_LABELS.items()),
                                 "reflection_max_chars": followup.REFLECTION_MAX_CHARS})


class StatusUpdate(Payload):
    id: Id
    status: Annotated[str, Field(max_length=10)]
    reflection: Optional[Text] = None


@agenda_opener
def since_last_time(team) -> list[str]:
    return [SINCE_LAST_TIME] if followup.has_open_next_steps(team.id) else []


@state_part("follow_up")
def follow_up_for_room(meeting) -> list[dict] | None:
    """On a follow-up step: the open next steps, and those followed up during this meeting."""
    if meeting.current_step["activity"] != "follow_up":
        return None
    steps = followup.team_next_steps(meeting.team_id, since=meeting.started_at)
    return steps if authors_shown(meeting) else [{**step, "status_by": None} for step in steps]


@live_event("followup:update", StatusUpdate)
def on_followup_update(meeting, seat, data):
    if meeting.current_step["activity"] != "follow_up":
        raise UserError("Next steps are followed up on the “Since last time” step.")
    if meeting.input_locked and not seat.can_control:
        raise UserError("Input is locked by the facilitator for now.")
    step = followup.step_of_team(meeting.team_id, data.id)
    if step is None:
        raise UserError("That next step is not one of this team's.")
    followup.set_status(step, data.status, data.reflection, name_to_record(meeting, seat.name))
    socketio.emit("follow_up", follow_up_for_room(meeting), to=room(meeting.id))
