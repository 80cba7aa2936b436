"""Next steps followed up: the "Since last time" step opens the next meeting and changes live."""
from plc.extensions import db
from plc.meetings import services as meetings
from plc.meetings.models import Meeting
from plc.review import followup
from plc.sort.models import NextStep
from plc.sort import commands as sorts
from tests.conftest import events_named, gen_meeting, gen_team, gen_user, join_as, live_client, login
from tests.review.conftest import gen_closed_sort


def titles(meeting):
    return [s["title"] for s in meeting.agenda]


def test_the_next_meeting_opens_with_since_last_time_while_next_steps_are_open(app):
    user = gen_user()
    team = gen_team(user)
    assert "Since last time" not in titles(gen_meeting(team, user))

    _, sort = gen_closed_sort(team, user)
    meeting = gen_meeting(team, user)
    assert titles(meeting)[0] == "Since last time"
    assert meeting.agenda[0]["activity"] == "follow_up"

    followup.set_status(sort.next_steps[0], "done", "Worked for 4 of 5", "Ana")
    assert "Since last time" not in titles(gen_meeting(team, user))


def test_only_the_latest_version_of_a_sort_counts_and_other_teams_never(app):
    user = gen_user()
    team = gen_team(user)
    meeting, sort = gen_closed_sort(team, user)
    newer = sorts.reopen_sort(sort, meeting)
    other = gen_team(gen_user(email="kim@example.org"), name="Other team")

    steps = followup.team_next_steps(team.id)
    assert [s["id"] for s in steps] == [newer.next_steps[0].id]
    assert steps[0]["group"] == "Counts on" and steps[0]["owner_label"] == "Interventionist"
    assert followup.team_next_steps(other.id) == []
    assert followup.step_of_team(other.id, newer.next_steps[0].id) is None


def test_a_phone_marks_a_step_done_and_every_screen_sees_it_at_once(app):
    user = gen_user()
    team = gen_team(user)
    _, sort = gen_closed_sort(team, user)
    step_id = sort.next_steps[0].id
    meeting = gen_meeting(team, user)
    meeting_id = meeting.id
    http = app.test_client()
    login(http, user)
    projector = live_client(app, http, meeting)
    phone = live_client(app, join_as(app, db.session.get(Meeting, meeting_id), name="Ana"), db.session.get(Meeting, meeting_id))

    [opening] = [e for e in events_named(phone, "state") if e.get("follow_up") is not None][-1:]
    assert [s["id"] for s in opening["follow_up"]] == [step_id]

    ack = phone.emit("followup:update", {"id": step_id, "status": "done", "reflection": "All five made a ten"},
                     callback=True)
    assert ack == {"ok": True}
    [shown] = events_named(projector, "follow_up")[-1]
    assert (shown["status"], shown["reflection"], shown["status_by"]) == ("done", "All five made a ten", "Ana")
    stored = db.session.get(NextStep, step_id)
    assert (stored.status, stored.status_by) == ("done", "Ana")


def test_bad_follow_up_updates_are_refused_and_change_nothing(app):
    user = gen_user()
    team = gen_team(user)
    _, sort = gen_closed_sort(team, user)
    step_id = sort.next_steps[0].id
    other_user = gen_user(email="kim@example.org")
    _, other_sort = gen_closed_sort(gen_team(other_user, name="Other team"), other_user)
    other_step = other_sort.next_steps[0].id
    meeting = gen_meeting(team, user)
    meeting_id = meeting.id
    phone = live_client(app, join_as(app, meeting, name="Ana"), db.session.get(Meeting, meeting_id))

    for payload, message in [({"id": step_id, "status": "finished"}, "Choose planned"),
                             ({"id": other_step, "status": "done"}, "not one of this team's"),
                             ({"id": step_id, "status": "done", "reflection": "x" * 501},
                              "The reflection is 501 characters; the limit is 500."),
                             ({"id": "1", "status": "done"}, "Bad request")]:
        ack = phone.emit("followup:update", payload, callback=True)
        assert ack["ok"] is False and message in ack["error"], (payload, ack)
    meetings.goto_step(db.session.get(Meeting, meeting_id), 1)
    ack = phone.emit("followup:update", {"id": step_id, "status": "done"}, callback=True)
    assert "Since last time" in ack["error"]
    assert db.session.get(NextStep, step_id).status == "planned"
    assert db.session.get(NextStep, other_step).status == "planned"
