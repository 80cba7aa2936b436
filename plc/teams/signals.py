"""Signals through which features above teams add to the teams' pages: teams imports none of them.

`question_hold` is sent as a task's page is drawn, with the task as sender; a receiver returns
True while the task's question must stay hidden (meetings: a meeting on the task has not yet
reached the step that reveals it).

`agreements_changed` is sent after a team's norms or key words are saved, with the team as sender
and `what` ("norms" or "key_words"): meetings show them at once in the team's running meetings.

`task_page` is sent as a task's page is drawn, with the task as sender and the viewer's
`membership`; a receiver returns a section of the page (HTML rendered from its own
template) or None. Receivers connect when their module is imported, e.g. in review:

    @task_page.connect
    def work_sorts_section(task, membership): ...
"""
from __future__ import annotations

from blinker import Namespace
from markupsafe import Markup

_signals = Namespace()

task_page = _signals.signal("task-page", doc="A task's page is drawn: return a section to add to it, or None.")


def task_page_sections(task, membership) -> list[Markup]:
    """The sections features add to the task's page, in the order they connected."""
    return [section for _, section in task_page.send(task, membership=membership) if section]


question_hold = _signals.signal("question-hold", doc="Is a task's question held back now? Return True if so.")


def question_held_back(task) -> bool:
    """Whether the task's page must leave out its question for now."""
    return bool(task.question) and any(held for _, held in question_hold.send(task))


agreements_changed = _signals.signal(
    "agreements-changed", doc="A team's norms or key words were saved: `what` is \"norms\" or \"key_words\".")
