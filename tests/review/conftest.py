from plc.meetings import services as meetings
from plc.sort import commands as sorts
from tests.sort.conftest import CYCLE
from tests.sort.conftest import gen_sample, gen_sort_meeting


def gen_closed_sort(team, facilitator, task=None, placements=(("Counts on", ("S1", "S2")), ("Makes a ten", ("S3",))),
                    next_steps=(("Counts on", "Number talk: make a ten first", "small_group", ("Rosa", "interventionist")),)):
    """A Work Sort meeting on `task` (or a new task) whose sort is closed with these groups,
    cards and next steps; returns (meeting, sort)."""
    meeting = gen_sort_meeting(team, facilitator, task=task)
    labels = [label for _, labels in placements for label in labels]
    samples = {label: gen_sample(meeting.task, label) for label in labels}
    sort = sorts.sort_for_meeting(meeting)
    for name, group_labels in placements:
        group = sorts.add_group(sort, name, "Pat")
        for label in group_labels:
            sorts.move_card(sort, samples[label].id, group.id, 99, 0, "Pat")
    by_name = {g.name: g for g in sort.groups}
    for group, move, audience, owner in next_steps:
        owner_key = f"participant:{meetings.join_meeting(meeting, owner[0], owner[1]).id}"
        sorts.add_next_step(sort, meeting, {"group_id": by_name[group].id, "move": move, "audience": audience,
                                            "owner": owner_key, **CYCLE}, "Pat")
    sorts.close_sort(sort, "Pat")
    return meeting, sort
