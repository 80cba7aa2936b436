"""Socket.IO room names: who hears a broadcast."""


def room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def control_room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:control"


def task_room(task_id: int) -> str:
    """Everyone in a live meeting on this task: they see its student work as it arrives."""
    return f"task:{task_id}"


def participant_room(participant_id: int) -> str:
    return f"participant:{participant_id}"


def user_room(user_id: int) -> str:
    """Every live connection of a team member, in each namespace: a logout closes them."""
    return f"user:{user_id}"


def meeting_of_room(name: str) -> int | None:
    """The meeting whose room (not control room) this is, else None."""
    prefix, _, rest = name.partition(":")
    return int(rest) if prefix == "meeting" and rest.isdigit() else None
