"""The answers to the protocols' closing check ("Did today match what we say we value? What got
in the way?") across a unit, for the coach. They were given on an anonymous step, and stay so:
only each answer's text is read, never who wrote it, and within a meeting the answers are in
alphabetical order, not in the order people wrote them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, tuple_

from plc.extensions import db
from plc.meetings.models import Meeting, Response


@dataclass(frozen=True)
class ClosingCheck:
    """One meeting's answers to its closing check."""

    meeting_id: int
    task_title: str
    started_at: datetime
    answers: list[str]


def closing_step(meeting: Meeting) -> int | None:
    """The position of the meeting's closing check in its agenda, if it has one."""
    return next((pos for pos, step in enumerate(meeting.agenda) if step.get("closing")), None)


def closing_checks(meetings: list[Meeting], task_titles: dict[int, str]) -> list[ClosingCheck]:
    """The meetings' closing checks that got answers, in the meetings' order."""
    steps = {m.id: pos for m in meetings if (pos := closing_step(m)) is not None}
    if not steps:
        return []
    answers: dict[int, list[str]] = {}
    for meeting_id, text in db.session.execute(
            select(Response.meeting_id, Response.text)
            .where(tuple_(Response.meeting_id, Response.step_pos).in_(list(steps.items())))):
        answers.setdefault(meeting_id, []).append(text)
    return [ClosingCheck(m.id, task_titles[m.task_id], m.started_at, sorted(answers[m.id], key=str.casefold))
            for m in meetings if m.id in answers]
