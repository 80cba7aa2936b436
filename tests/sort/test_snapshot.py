"""The snapshot of a closed sort: one typed shape, stored as the JSON it always was."""
from plc.extensions import db
from plc.sort import commands
from plc.sort.models import Sort
from plc.sort.snapshot import load_snapshot
from tests.conftest import gen_team, gen_user
from tests.sort.conftest import gen_sample, gen_sort_meeting

# A snapshot as the app stored it before the shape was typed (card ids are JSON object keys).
STORED = {
    "version": 1,
    "groups": [{"id": 7, "name": "Counts on", "kind": "added", "strategy_id": None, "definition": None,
                "tier_name_kept_by": None, "showing": "Starts at 6", "telling": "", "build_on": "", "issues": "",
                "strategy_name": None}],
    "next_steps": [{"id": 3, "group_id": 7, "move": "Ten-frame warm-up", "audience": "whole_class",
                    "audience_label": "Whole class", "owner_role": "classroom_teacher",
                    "owner_label": "Classroom teacher", "due_on": "2026-11-30", "student_label": None,
                    "student_note": None, "status": "planned"}],
    "samples": [{"id": 11, "label": "S1", "text": "6 + 6 + 6 = 18", "image_name": "work/a.jpg",
                 "thumb_name": "work/a-thumb.jpg"},
                {"id": 12, "label": "S2", "text": "", "image_name": None, "thumb_name": None}],
    "columns": [{"group_id": None, "sample_ids": [12]}, {"group_id": 7, "sample_ids": [11]}],
    "cards": {"11": {"version": 1, "moved_by": "Ana"}},
    "share": [12, 11],
    "patterns": {"counts": [{"group_id": 7, "name": "Counts on", "count": 1}], "unsorted": 1, "nobody_used": [],
                 "unanticipated": ["Counts on"], "in_unanticipated": 0},
}


# The same snapshot as it reads today: what later versions added, empty (nothing known about it then).
AS_READ_NOW = {
    **STORED,
    "groups": [{**STORED["groups"][0], "anticipated_as": None, "anticipated_by": None}],
    "patterns": {**STORED["patterns"], "critical": [], "critical_nobody_used": []},
    "dropped_anticipations": [], "critical": [],
}


def test_a_stored_snapshot_loads_typed_and_dumps_back_as_it_was():
    snapshot = load_snapshot(STORED)
    assert snapshot.cards[11].moved_by == "Ana" and snapshot.board() == {None: [12], 7: [11]}
    assert snapshot.dump() == AS_READ_NOW
    assert load_snapshot(AS_READ_NOW).dump() == AS_READ_NOW
    assert snapshot.without_samples(set()).dump() == AS_READ_NOW  # the patterns count the same, in one place


def test_taking_samples_out_leaves_the_rest_and_recounts(app):
    snapshot = load_snapshot(STORED).without_samples({11})
    assert [s.id for s in snapshot.samples] == [12] and snapshot.board() == {None: [12], 7: []}
    assert snapshot.cards == {} and snapshot.share == [12]
    assert (snapshot.patterns.counts[0].count, snapshot.patterns.unanticipated) == (0, [])
    assert load_snapshot(STORED).files_of({11}) == ["work/a.jpg", "work/a-thumb.jpg"]
    assert snapshot.groups == load_snapshot(STORED).groups and snapshot.next_steps == load_snapshot(STORED).next_steps


def test_closing_stores_the_snapshot_of_the_board_as_clients_saw_it(app):
    facilitator = gen_user()
    meeting = gen_sort_meeting(gen_team(facilitator), facilitator)
    first, second = gen_sample(meeting.task, "S1"), gen_sample(meeting.task, "S2")
    sort = commands.sort_for_meeting(meeting)
    group = commands.add_group(sort, "Counts on", "Pat")
    commands.move_card(sort, second.id, group.id, 0, 0, "Ana")
    commands.close_sort(sort, "Pat")

    stored = db.session.get(Sort, sort.id).snapshot
    assert stored["columns"] == [{"group_id": None, "sample_ids": [first.id]},
                                 {"group_id": group.id, "sample_ids": [second.id]}]
    assert stored["cards"] == {str(second.id): {"version": 1, "moved_by": "Ana"}}
    assert load_snapshot(stored).dump() == stored
