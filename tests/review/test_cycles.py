"""Next steps as improvement cycles: planned with a prediction and its evidence by a person on the
team, closed at a later meeting with what happened and a decision; "adapt" carries a step into its
next cycle; the coach's review shows each cycle and where its students' work landed later."""
from datetime import date, timedelta

import pytest

from plc.errors import UserError
from plc.extensions import db
from plc.meetings import services as meetings
from plc.meetings.models import Meeting
from plc.review import followup, services
from plc.sort import commands as sorts
from plc.sort import queries
from plc.sort.errors import SortError
from plc.sort.models import NextStep
from plc.teams.models import Task, Unit
from tests.conftest import events_named, gen_meeting, gen_task, gen_team, gen_user, join_as, live_client, login
from tests.review.conftest import gen_closed_sort
from tests.sort.conftest import CYCLE, gen_sample, gen_sort_meeting, participant_key

NEXT_STEPS_STEP = 6  # Work Sort: purpose, gather, look, sort, name groups, patterns, next steps, sequence, close
CLOSE_STEP = 8


def later_task(team, unit_id, title="Cookie trays"):
    task = gen_task(team, title=title)
    task.unit_id = unit_id
    db.session.commit()
    return task


# --- planning ------------------------------------------------------------------------------

def test_a_next_steps_owner_is_a_person_of_the_team_with_their_role(app):
    user = gen_user()
    team = gen_team(user)
    meeting = gen_sort_meeting(team, user, step=NEXT_STEPS_STEP)
    rosa = meetings.join_meeting(meeting, "Rosa", "interventionist")
    meetings.join_meeting(meeting, "Pat Facilitator", "classroom_teacher")  # the facilitator, also on a phone
    sort = sorts.sort_for_meeting(meeting)
    group = sorts.add_group(sort, "Counts on", "Pat")

    from plc.sort.owners import owner_choices
    assert [(o.name, o.role) for o in owner_choices(meeting)] == [
        ("Rosa", "interventionist"), ("Pat Facilitator", "classroom_teacher")]  # a member once, as joined
    step = sorts.add_next_step(sort, meeting, {"group_id": group.id, "move": "Number talk", "audience": "small_group",
                                               "owner": f"participant:{rosa.id}", **CYCLE}, "Pat")
    assert (step.owner_name, step.owner_role) == ("Rosa", "interventionist")
    other_team_user = gen_user(email="kim@example.org")
    gen_team(other_team_user, name="Other team")
    with pytest.raises(SortError, match="a person on the team"):
        sorts.add_next_step(sort, meeting, {"group_id": group.id, "move": "Number talk", "audience": "small_group",
                                            "owner": f"member:{other_team_user.id}", **CYCLE}, "Pat")


def test_a_due_date_in_the_past_is_refused_and_a_kept_one_is_not(app):
    user = gen_user()
    team = gen_team(user)
    meeting = gen_sort_meeting(team, user, step=NEXT_STEPS_STEP)
    sort = sorts.sort_for_meeting(meeting)
    group = sorts.add_group(sort, "Counts on", "Pat")
    today = date(2026, 12, 1)
    fields = {"group_id": group.id, "move": "Number talk", "audience": "small_group",
              "owner": f"member:{user.id}", **CYCLE}
    with pytest.raises(SortError, match=r"“By when” is in the past \(2026-11-29\): choose today or a later day."):
        sorts.add_next_step(sort, meeting, {**fields, "due_on": date(2026, 11, 29)}, "Pat", today=today)
    # The day before is still today west of Greenwich: accepted.
    step = sorts.add_next_step(sort, meeting, {**fields, "due_on": date(2026, 11, 30)}, "Pat", today=today)
    # Days later, the move can still be edited while its date, now past, stays as it was.
    sorts.edit_next_step(sort, meeting, step.id, {**fields, "move": "Number talk on tens", "owner": None,
                                                  "due_on": date(2026, 11, 30)}, today=date(2026, 12, 9))
    assert (step.move, step.owner_name, step.due_on) == ("Number talk on tens", "Pat Facilitator", date(2026, 11, 30))
    with pytest.raises(SortError, match="in the past"):
        sorts.edit_next_step(sort, meeting, step.id, {**fields, "due_on": date(2026, 12, 3)}, today=date(2026, 12, 9))


# --- deciding ------------------------------------------------------------------------------

def test_adapt_carries_the_step_into_a_linked_next_cycle_to_plan_again(app):
    user = gen_user()
    team = gen_team(user)
    _, sort = gen_closed_sort(team, user)
    [step] = sort.next_steps

    with pytest.raises(UserError, match="Say what happened before deciding"):
        followup.record(step, None, "adapted", "Ana")
    follow_on = followup.record(step, "Two of three counted on; S2 still counts all", "adapted", "Ana")

    assert (step.status, step.status_by) == ("adapted", "Ana")
    assert follow_on.adapts is step and follow_on.sort is sort and follow_on.group is step.group
    assert (follow_on.move, follow_on.owner_name, follow_on.owner_role, follow_on.status) == (
        step.move, "Rosa", "interventionist", "planned")
    assert (follow_on.prediction, follow_on.evidence, follow_on.due_on) == ("", "", None)
    assert [s["id"] for s in followup.team_next_steps(team.id)] == [follow_on.id]
    assert followup.team_next_steps(team.id)[0]["adapts"] == step.move

    with pytest.raises(UserError, match="already decided: adapted"):
        followup.record(step, "Changed our minds", "adopted", "Ana")
    followup.record(step, "Two of three counted on; S2 still counts all.", "adapted", "Ana")  # a correction
    assert db.session.query(NextStep).count() == 2  # no second next cycle

    with pytest.raises(SortError, match="what evidence"):
        sorts.plan_cycle(follow_on, "S2 will count on from the larger number", " ", None)
    with pytest.raises(SortError, match="in the past"):
        sorts.plan_cycle(follow_on, "S2 will count on", "Monday's exit ticket", date.today() - timedelta(days=3))
    sorts.plan_cycle(follow_on, "S2 will count on", "Monday's exit ticket", date.today() + timedelta(days=4))
    assert (follow_on.prediction, follow_on.evidence) == ("S2 will count on", "Monday's exit ticket")


def test_adapt_puts_the_next_cycle_on_the_tasks_open_board(app):
    user = gen_user()
    team = gen_team(user)
    meeting, sort = gen_closed_sort(team, user)
    newer = sorts.reopen_sort(sort, meeting)
    [step] = newer.next_steps
    sorts.remove_group(newer, step.group.id)  # its group is gone from the open board: made again
    step = sort.next_steps[0]  # the closed version's step, as an older list may hold it
    follow_on = followup.record(step, "Half counted on", "adapted", "Ana")
    assert follow_on.sort is newer and follow_on.group.name == "Counts on" and follow_on.group.sort is newer
    assert follow_on.adapts is step


def test_reopening_a_sort_keeps_each_next_cycle_linked_to_the_step_it_adapts(app):
    user = gen_user()
    team = gen_team(user)
    meeting, sort = gen_closed_sort(team, user)
    [step] = sort.next_steps
    follow_on = followup.record(step, "Half counted on", "adapted", "Ana")
    newer = sorts.reopen_sort(sort, meeting)
    first, second = newer.next_steps
    assert (first.move, first.status, first.reflection) == (step.move, "adapted", "Half counted on")
    assert second.adapts is first and second.prediction == follow_on.prediction == ""


# --- the review ----------------------------------------------------------------------------

def test_the_review_shows_each_cycle_and_where_its_students_landed_later(app):
    user = gen_user(name="Cam Coach", email="cam@example.org")
    team = gen_team(user)
    meeting, first = gen_closed_sort(team, user)  # "Counts on": S1, S2 - the step is for them
    [step] = first.next_steps
    follow_on = followup.record(step, "S1 counted on; S2 did not", "adapted", "Ana")
    sorts.plan_cycle(follow_on, "S2 will count on", "Monday's exit ticket", None)
    # The next task's sort, at a meeting after the one that adapted the step: it tells of cycle 2.
    later_meeting, _ = gen_closed_sort(team, user, task=later_task(team, meeting.task.unit_id), placements=(
        ("Makes a ten", ("S1", "S3")), ("Counts all", ("S2",))), next_steps=())
    later_meeting.started_at = follow_on.created_at + timedelta(days=3)
    db.session.commit()

    review = services.unit_review(db.session.get(Unit, meeting.task.unit_id))
    [cycle] = review.cycles
    assert (cycle.step.id, cycle.decision_label, cycle.owner_label) == (step.id, "Adapted", "Rosa (Interventionist)")
    assert cycle.students == ["S1", "S2"]
    assert cycle.next_cycle.step.id == follow_on.id and cycle.next_cycle.next_cycle is None
    assert cycle.later == []  # shown once: on the cycle it tells of
    assert [(later.title, later.places) for later in cycle.next_cycle.later] == [
        ("Cookie trays", [("S1", "Makes a ten"), ("S2", "Counts all")])]

    http = app.test_client()
    login(http, user)
    html = http.get(f"/units/{meeting.task.unit_id}").get_data(as_text=True)
    cycles = html[html.index('id="cycles"'):]
    for text in ("Improvement cycles", CYCLE["prediction"], CYCLE["evidence"], "S1 counted on; S2 did not",
                 "Adapted", "Cycle 2", "S2 will count on", "Monday&#39;s exit ticket", "Later, in"):
        assert text in cycles, text
    assert cycles.index(CYCLE["prediction"]) < cycles.index("S1 counted on") < cycles.index("Cycle 2")
    later = cycles[cycles.index("Later, in"):]
    assert later.index("S1") < later.index("Makes a ten") < later.index("S2") < later.index("Counts all")
    assert cycles.count("Later, in") == 1 and cycles.index("Cycle 2") < cycles.index("Later, in")


def test_a_later_sort_of_the_meeting_that_adapted_a_step_shows_once_on_the_step_it_tells_of(app):
    """Meeting 2 adapts the step in "Since last time", then sorts the next task's work - done
    before that decision, after the first move: its places show under cycle 1 only, not again
    under cycle 2 (planned during that meeting); a sort at meeting 3 shows under cycle 2 only."""
    user = gen_user(name="Cam Coach", email="cam@example.org")
    team = gen_team(user)
    meeting, first = gen_closed_sort(team, user)  # "Counts on": S1, S2
    [step] = first.next_steps
    unit_id = meeting.task.unit_id
    second, _ = gen_closed_sort(team, user, task=later_task(team, unit_id), placements=(
        ("Makes a ten", ("S1",)), ("Counts all", ("S2",))), next_steps=())
    follow_on = followup.record(step, "S1 made a ten; S2 counted all", "adapted", "Ana")
    second.started_at = follow_on.created_at - timedelta(minutes=5)  # the decision came in that meeting
    third, _ = gen_closed_sort(team, user, task=later_task(team, unit_id, "Egg cartons"), placements=(
        ("Makes a ten", ("S1", "S2")),), next_steps=())
    third.started_at = follow_on.created_at + timedelta(days=7)
    db.session.commit()

    [cycle] = services.unit_review(db.session.get(Unit, unit_id)).cycles
    assert [(later.title, later.places) for later in cycle.later] == [
        ("Cookie trays", [("S1", "Makes a ten"), ("S2", "Counts all")])]
    assert [(later.title, later.places) for later in cycle.next_cycle.later] == [
        ("Egg cartons", [("S1", "Makes a ten"), ("S2", "Makes a ten")])]

    http = app.test_client()
    login(http, user)
    html = http.get(f"/units/{unit_id}").get_data(as_text=True)
    cycles = html[html.index('id="cycles"'):]
    cycles = cycles[:cycles.index("</section>")]
    assert cycles.count("Later, in") == 2 and cycles.count("Cookie trays") == 1 and cycles.count("Egg cartons") == 1
    assert cycles.index("Cookie trays") < cycles.index("Cycle 2") < cycles.index("Egg cartons")


# --- live: two meetings ---------------------------------------------------------------------

def test_a_next_step_goes_round_a_full_cycle_across_two_meetings(app):
    """Meeting 1: phones plan a next step with a prediction on the Work Sort; the sort closes.
    Meeting 2 (the unit's next task): "Since last time" opens it; Ana says what happened and decides
    to adapt; every screen sees the next cycle at once; Ben fills in its prediction and evidence."""
    facilitator = gen_user()
    team = gen_team(facilitator)
    first = gen_sort_meeting(team, facilitator)
    first_id, unit_id = first.id, first.task.unit_id
    s1, s2 = gen_sample(first.task, "S1").id, gen_sample(first.task, "S2").id
    http = app.test_client()
    login(http, facilitator)
    projector = live_client(app, http, first)
    ana = live_client(app, join_as(app, db.session.get(Meeting, first_id), name="Ana"), db.session.get(Meeting, first_id))
    ben = live_client(app, join_as(app, db.session.get(Meeting, first_id), name="Ben", role="interventionist"),
                      db.session.get(Meeting, first_id))
    assert projector.emit("sort:group:add", {"name": "Counts on"}, callback=True)["ok"]
    [group] = events_named(projector, "sort")[-1]["groups"]
    for sid in (s1, s2):
        assert ana.emit("sort:move", {"sample_id": sid, "group_id": group["id"], "index": 0, "card_version": 0},
                        callback=True)["ok"]
    assert projector.emit("step:goto", {"pos": NEXT_STEPS_STEP}, callback=True) == {"ok": True}
    owners = events_named(ben, "state")[-1]["sort"]["owners"]
    assert [o["label"] for o in owners] == ["Ana (Classroom teacher)", "Ben (Interventionist)",
                                            "Pat Facilitator (Facilitator)"]
    planned = {"group_id": group["id"], "move": "Number talk: make a ten first", "audience": "small_group",
               "owner": participant_key(first_id, "Ben"), "due_on": (date.today() + timedelta(days=2)).isoformat(),
               **CYCLE}
    assert ana.emit("sort:next:add", planned, callback=True)["ok"]
    for client in (projector, ben):
        [shown] = events_named(client, "sort")[-1]["next_steps"]
        assert (shown["owner_label"], shown["prediction"], shown["evidence"]) == (
            "Ben (Interventionist)", CYCLE["prediction"], CYCLE["evidence"])
    assert projector.emit("step:goto", {"pos": CLOSE_STEP}, callback=True) == {"ok": True}
    assert projector.emit("sort:close", callback=True)["ok"]
    meetings.end_meeting(db.session.get(Meeting, first_id))
    step_id = db.session.query(NextStep).one().id

    # The next meeting, on the unit's next task.
    task = later_task(db.session.get(Meeting, first_id).team, unit_id)
    second = gen_meeting(db.session.get(Meeting, first_id).team, facilitator, protocol_ids=("work-sort",))
    second.task_id = task.id
    db.session.commit()
    second_id = second.id
    assert second.current_step["activity"] == "follow_up"
    projector = live_client(app, http, db.session.get(Meeting, second_id))
    ana = live_client(app, join_as(app, db.session.get(Meeting, second_id), name="Ana"), db.session.get(Meeting, second_id))
    ben = live_client(app, join_as(app, db.session.get(Meeting, second_id), name="Ben", role="interventionist"),
                      db.session.get(Meeting, second_id))
    [opening] = events_named(ana, "state")[-1]["follow_up"]
    assert (opening["id"], opening["owner_label"], opening["prediction"]) == (
        step_id, "Ben (Interventionist)", CYCLE["prediction"])

    assert ana.emit("followup:update", {"id": step_id, "what_happened": "S1 started from ten; S2 counted all",
                                        "decision": "adapted"}, callback=True) == {"ok": True}
    for client in (projector, ana, ben):
        decided, next_cycle = events_named(client, "follow_up")[-1]
        assert (decided["id"], decided["status"], decided["status_by"]) == (step_id, "adapted", "Ana")
        assert (next_cycle["adapts"], next_cycle["status"], next_cycle["prediction"]) == (
            "Number talk: make a ten first", "planned", "")
        assert next_cycle["owner_label"] == "Ben (Interventionist)"

    bad = ben.emit("followup:plan", {"id": next_cycle["id"], "prediction": "S2 will count on", "evidence": ""},
                   callback=True)
    assert bad["ok"] is False and "what evidence" in bad["error"]
    assert ben.emit("followup:plan", {"id": next_cycle["id"], "prediction": "S2 will count on from ten",
                                      "evidence": "Friday's exit ticket", "due_on": None}, callback=True) == {"ok": True}
    for client in (projector, ana):
        planned_again = events_named(client, "follow_up")[-1][1]
        assert (planned_again["prediction"], planned_again["evidence"]) == (
            "S2 will count on from ten", "Friday's exit ticket")
    stored = db.session.get(NextStep, next_cycle["id"])
    assert (stored.adapts_id, stored.prediction) == (step_id, "S2 will count on from ten")

    # The coach's review: the cycle from plan to decision, and its next cycle.
    html = http.get(f"/units/{unit_id}").get_data(as_text=True)
    cycles = html[html.index('id="cycles"'):]
    assert cycles.index(CYCLE["prediction"]) < cycles.index("S1 started from ten") < cycles.index(
        "S2 will count on from ten")


def test_an_adapted_step_shows_on_the_open_board_to_plan_again(app):
    """The task's sort is open in one meeting while another follows up: the next cycle reaches the
    board at once, and a phone there fills in its prediction."""
    facilitator = gen_user()
    team = gen_team(facilitator)
    meeting, sort = gen_closed_sort(team, facilitator)
    step_id = sort.next_steps[0].id
    board_meeting = gen_sort_meeting(team, facilitator, task=meeting.task, step=NEXT_STEPS_STEP)
    sorts.reopen_sort(sort, board_meeting)
    [open_step] = queries.open_sort(meeting.task_id).next_steps
    follow = gen_meeting(team, facilitator)
    follow_id, board_id, open_id = follow.id, board_meeting.id, open_step.id
    http = app.test_client()
    login(http, facilitator)
    board_phone = live_client(app, join_as(app, db.session.get(Meeting, board_id), name="Cy"),
                              db.session.get(Meeting, board_id))
    follow_phone = live_client(app, join_as(app, db.session.get(Meeting, follow_id), name="Ana"),
                               db.session.get(Meeting, follow_id))
    assert [s["id"] for s in events_named(follow_phone, "state")[-1]["follow_up"]] == [open_id]

    assert follow_phone.emit("followup:update", {"id": open_id, "what_happened": "Half did",
                                                 "decision": "adapted"}, callback=True) == {"ok": True}
    board = events_named(board_phone, "sort")[-1]
    original, next_cycle = board["next_steps"]
    assert (original["status"], next_cycle["adapts_id"], next_cycle["prediction"]) == ("adapted", open_id, "")
    refused = board_phone.emit("sort:next:cycle", {"id": next_cycle["id"], "prediction": "", "evidence": "x"},
                               callback=True)
    assert "what you predict" in refused["error"]
    assert board_phone.emit("sort:next:cycle", {"id": next_cycle["id"], "prediction": "All will count on",
                                                "evidence": "Tuesday's warm-up"}, callback=True)["ok"]
    assert events_named(board_phone, "sort")[-1]["next_steps"][1]["prediction"] == "All will count on"
    assert events_named(follow_phone, "follow_up")[-1][1]["id"] == next_cycle["id"]
