"""Signals through which features above teams add to the teams' pages: teams imports none of them.

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
