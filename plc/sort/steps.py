"""The Work Sort's place in a meeting: the steps that show the board, and what each allows."""
from __future__ import annotations

from plc.meetings.models import Meeting

BOARD_ACTIVITIES = ("sort", "next_steps")
STILL_MODES = {
    "look": "Look first: cards cannot be moved during “Look before sorting”.",
    "close": "The sort is being closed: cards stay where they are.",
}


def shows_board(meeting: Meeting) -> bool:
    return meeting.current_step["activity"] in BOARD_ACTIVITIES


def board_mode(meeting: Meeting) -> str:
    """What the board allows on the current step: look, sort, describe, patterns, sequence or plan."""
    step = meeting.current_step
    if step["activity"] == "next_steps":
        return "plan"
    return step.get("board") or "sort"
