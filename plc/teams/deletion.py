"""What deleting a unit takes from teams: the unit, its tasks and their pictures (plc/deletion.py)."""
from __future__ import annotations

from plc.deletion import UNIT, Part, count, delete_rows
from plc.teams.models import CriticalStrategy, Task, Unit


@UNIT.describing.connect_via(UNIT)
def describe_unit(_, thing: Unit) -> Part:
    pictures = sum(1 for task in thing.tasks if task.image_name)
    return Part(f"Unit “{thing.title}”",
                [count(len(thing.tasks), "task") + (f" ({count(pictures, 'picture')})" if pictures else "")],
                ["The team's strategies and models stay (no longer marked critical for this unit)."])


@UNIT.deleting.connect_via(UNIT)
def delete_unit(_, thing: Unit) -> list[str]:
    pictures = [task.image_name for task in thing.tasks if task.image_name]
    delete_rows(CriticalStrategy, CriticalStrategy.unit_id == thing.id)
    delete_rows(Task, Task.id.in_([task.id for task in thing.tasks]))
    delete_rows(Unit, Unit.id == thing.id)
    return pictures
