"""Student work in the live room: the room's state carries the task's samples on work steps."""
from plc.meetings.page_constants import add_room_constants
from plc.meetings.state import state_part
from plc.work import labels
from plc.work.services import samples_of_task
from plc.work.state import sample_payload

WORK_ACTIVITIES = ("upload", "sort", "next_steps")

add_room_constants("samples", labels.page_constants())


@state_part("samples")
def samples_for_room(meeting) -> list[dict] | None:
    if meeting.current_step["activity"] not in WORK_ACTIVITIES:
        return None
    return [sample_payload(s) for s in samples_of_task(meeting.task_id)]
