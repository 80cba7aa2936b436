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

    followup.record(sort.next_steps[0], "Worked for 4 of 5", "adopted", "Ana")
    assert "Since last time" not in titles(gen_meeting(team, user))


def test_only_the_latest_version_of_a_sort_counts_and_other_teams_never(app):
    user = gen_user()
    team = gen_team(user)
    meeting, sort = gen_closed_sort(team, user)
    newer = sorts.reopen_sort(sort, meeting)
    other = gen_team(gen_user(email="kim@example.org"), name="Other team")

    steps = followup.team_next_steps(team.id)
    assert [s["id"] for s in steps] == [newer.next_steps[0].id]
    assert steps[0]["group"] == "Counts on" and steps[0]["owner_label"] == "Rosa (Interventionist)"
    assert followup.team_next_steps(other.id) == []
    assert followup.step_of_team(other.id, newer.next_steps[0].id) is None


def test_a_phone_decides_adopt_and_every_screen_sees_it_at_once(app):
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

    ack = phone.emit("followup:update", {"id": step_id, "what_happened": "All five made a ten",
                                         "decision": "adopted"}, callback=True)
    assert ack == {"ok": True}
    [shown] = events_named(projector, "follow_up")[-1]
    assert (shown["status"], shown["reflection"], shown["status_by"]) == ("adopted", "All five made a ten", "Ana")
    stored = db.session.get(NextStep, step_id)
    assert (stored.status, stored.status_by) == ("adopted", "Ana")


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

    for payload, message in [({"id": step_id, "what_happened": "It worked", "decision": "finished"},
                              "Choose adopt, adapt or abandon."),
                             ({"id": other_step, "what_happened": "It worked", "decision": "adopted"},
                              "not one of this team's"),
                             ({"id": step_id, "what_happened": "x" * 501, "decision": "adopted"},
                              "What happened is 501 characters; the limit is 500."),
                             ({"id": step_id, "what_happened": "  ", "decision": "adapted"},
                              "Say what happened before deciding"),
                             ({"id": step_id, "status": "done"}, "Bad request"),
                             ({"id": "1", "decision": "adopted"}, "Bad request")]:
        ack = phone.emit("followup:update", payload, callback=True)
        assert ack["ok"] is False and message in ack["error"], (payload, ack)
    meetings.goto_step(db.session.get(Meeting, meeting_id), 1)
    ack = phone.emit("followup:update", {"id": step_id, "what_happened": "It worked", "decision": "adopted"},
                     callback=True)
    assert "Since last time" in ack["error"]
    assert db.session.get(NextStep, step_id).status == "planned"
    assert db.session.get(NextStep, other_step).status == "planned"
    assert db.session.query(NextStep).count() == 2  # nothing adapted
