"""The live room over Socket.IO, with several test clients in one meeting."""
from plc.extensions import db
from plc.meetings.models import Meeting, Participant, Response
from tests.conftest import events_named, gen_team, gen_user, join_as, live_client, login


def last(sio, name):
    found = events_named(sio, name)
    assert found, f"no {name!r} event received"
    return found[-1]


def goto_step(room, activity):
    meeting = room["meeting"]
    return next(i for i, s in enumerate(meeting.agenda) if s["activity"] == activity)


def test_every_client_sees_the_same_step_timer_and_responses(app, room):
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    phones = [live_client(app, join_as(app, meeting, name), meeting) for name in ("Ana", "Ben", "Cy")]
    for client in [projector, *phones]:
        client.clear()

    pos = goto_step(room, "responses")
    ack = projector.emit("step:goto", {"pos": pos}, callback=True)
    assert ack == {"ok": True}
    projector.emit("timer:start", callback=True)
    phones[0].emit("response:add", {"text": "Counts by sixes"}, callback=True)

    states = [last(c, "state") for c in [projector, *phones]]
    assert {s["step"]["pos"] for s in states} == {pos}
    # Broadcasts after a change leave out what only joining changes.
    assert not {"agenda", "participants"} & set(states[0])
    assert all(s["timer"]["running"] for s in states)
    assert max(s["timer"]["seconds_left"] for s in states) - min(s["timer"]["seconds_left"] for s in states) < 1
    for client in [projector, *phones]:
        [response] = events_named(client, "response:upsert")
        assert response["text"] == "Counts by sixes" and response["author"] == "Ana"
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).step_pos == pos


def test_reconnecting_client_gets_full_state_and_stays_the_same_participant(app, room):
    meeting = room["meeting"]
    phone_http = join_as(app, meeting, "Ana")
    phone = live_client(app, phone_http, meeting)
    projector = live_client(app, room["http"], meeting)
    pos = goto_step(room, "responses")
    projector.emit("step:goto", {"pos": pos}, callback=True)
    ack = phone.emit("response:add", {"text": "Skip count"}, callback=True)
    projector.emit("timer:add", {"seconds": 90}, callback=True)
    phone.disconnect()

    # The reload: the join link and a new connection with the same cookie.
    assert phone_http.get(f"/j/{meeting.code}").status_code == 302
    again = live_client(app, phone_http, meeting)
    state = last(again, "state")
    hello = last(again, "hello")
    assert state["step"]["pos"] == pos
    assert [r["text"] for r in state["responses"]] == ["Skip count"]
    assert state["timer"]["seconds_left"] == meeting.agenda[pos]["minutes"] * 60 + 90
    assert hello["own_response_ids"] == [ack["id"]]
    assert db.session.query(Participant).filter_by(meeting_id=meeting.id).count() == 1


def test_state_survives_a_restarted_server(app, room, tmp_path):
    """Nothing lives only in memory: a new app over the same database resumes the room."""
    from plc import create_app

    meeting = room["meeting"]
    phone_http = join_as(app, meeting, "Ana")
    projector = live_client(app, room["http"], meeting)
    projector.emit("step:goto", {"pos": 3}, callback=True)
    projector.emit("names:hide", {"value": True}, callback=True)
    fresh = create_app(dict(app.config), instance_path=app.instance_path)
    with fresh.app_context():
        client = fresh.test_client()
        client.set_cookie("session", phone_http.get_cookie("session").value)
        state = last(live_client(fresh, client, meeting), "state")
    assert state["step"]["pos"] == 3 and state["names_hidden"] is True
    assert [p["name"] for p in state["participants"]] == ["Ana"]


def test_anonymous_step_sends_no_author_to_anyone(app, tmp_path):
    protocols = tmp_path / "protocols"
    protocols.mkdir()
    (protocols / "anon.yaml").write_text(
        "id: anon\ntitle: Anonymous check-in\npurpose: How is it going?\nsources: [{title: Team}]\n"
        "steps:\n  - {id: feel, title: How do you feel, minutes: 2, activity: responses, anonymous: true, prompt: One word}\n"
    )
    app.config["PROTOCOLS_DIR"] = str(protocols)
    from tests.conftest import gen_meeting

    facilitator = gen_user()
    team = gen_team(facilitator)
    meeting = gen_meeting(team, facilitator, ["anon"])
    http = app.test_client()
    login(http, facilitator)
    projector = live_client(app, http, meeting)
    ana_http = join_as(app, meeting, "Ana Secret")
    ana = live_client(app, ana_http, meeting)
    ben = live_client(app, join_as(app, meeting, "Ben"), meeting)
    ack = ana.emit("response:add", {"text": "Curious"}, callback=True)
    ana.emit("response:edit", {"id": ack["id"], "text": "Very curious"}, callback=True)
    projector.emit("response:spotlight", {"response_id": ack["id"]}, callback=True)
    reconnected = live_client(app, ana_http, meeting)

    def response_payloads(client):
        for event in client.events():
            args = event["args"][0] if event["args"] else {}
            if event["name"] == "state":
                yield from args["responses"]
            elif event["name"] == "response:upsert":
                yield args

    for client in (projector, ana, ben, reconnected):
        payloads = list(response_payloads(client))
        assert payloads, "the response reached every client"
        for payload in payloads:
            assert set(payload) == {"id", "field", "text"}
            assert "Ana Secret" not in str(payload)
    # Ana's own phone still knows which response is hers, from the private event only.
    assert last(reconnected, "hello")["own_response_ids"] == [ack["id"]]


def test_hidden_names_remove_authors_from_payloads(app, room):
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    phone = live_client(app, join_as(app, meeting, "Ana"), meeting)
    projector.emit("step:goto", {"pos": goto_step(room, "responses")}, callback=True)
    phone.emit("response:add", {"text": "Arrays"}, callback=True)
    projector.clear()
    projector.emit("names:hide", {"value": True}, callback=True)
    state = last(projector, "state")
    assert state["names_hidden"] is True
    assert state["responses"] == [{"id": state["responses"][0]["id"], "field": None, "text": "Arrays"}]


def test_non_members_cannot_connect(app, room):
    stranger = gen_user(name="Stranger")
    gen_team(stranger, name="Another school")
    http = app.test_client()
    login(http, stranger)
    assert not live_client(app, http, room["meeting"]).is_connected()
    assert not live_client(app, app.test_client(), room["meeting"]).is_connected()
    # A participant of another meeting holds no seat in this one.
    other_meeting_phone = join_as(app, other_meeting(app), "Eve")
    assert not live_client(app, other_meeting_phone, room["meeting"]).is_connected()


def other_meeting(app):
    from tests.conftest import gen_meeting

    user = gen_user()
    return gen_meeting(gen_team(user, name="Other team"), user)


def test_authors_edit_and_withdraw_only_their_own_responses(app, room):
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    ana = live_client(app, join_as(app, meeting, "Ana"), meeting)
    ben = live_client(app, join_as(app, meeting, "Ben"), meeting)
    projector.emit("step:goto", {"pos": goto_step(room, "responses")}, callback=True)
    ack = ana.emit("response:add", {"text": "Draft"}, callback=True)
    assert ben.emit("response:edit", {"id": ack["id"], "text": "Hijack"}, callback=True)["ok"] is False
    assert ben.emit("response:withdraw", {"id": ack["id"]}, callback=True)["ok"] is False
    assert ana.emit("response:edit", {"id": ack["id"], "text": "Final"}, callback=True) == {"ok": True}
    assert last(projector, "response:upsert")["text"] == "Final"
    assert ana.emit("response:withdraw", {"id": ack["id"]}, callback=True) == {"ok": True}
    assert last(projector, "response:removed") == {"id": ack["id"]}
    assert db.session.query(Response).count() == 0


def test_locked_input_and_ended_meeting_refuse_responses(app, room):
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    phone = live_client(app, join_as(app, meeting, "Ana"), meeting)
    projector.emit("step:goto", {"pos": goto_step(room, "responses")}, callback=True)
    projector.emit("input:lock", {"value": True}, callback=True)
    assert phone.emit("response:add", {"text": "Hi"}, callback=True)["error"].startswith("Input is locked")
    projector.emit("input:lock", {"value": False}, callback=True)
    assert phone.emit("response:add", {"text": "Hi"}, callback=True)["ok"] is True
    assert projector.emit("meeting:end", callback=True) == {"ok": True}
    assert last(phone, "state")["meeting"]["ended"] is True
    assert phone.emit("response:add", {"text": "Late"}, callback=True)["error"] == "This meeting has ended."
    assert projector.emit("step:goto", {"pos": 0}, callback=True)["ok"] is False
    assert db.session.query(Response).count() == 1


def test_anticipation_answers_go_under_one_of_four_questions(app, room):
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    phone = live_client(app, join_as(app, meeting, "Ana"), meeting)
    projector.emit("step:goto", {"pos": goto_step(room, "anticipate")}, callback=True)
    assert phone.emit("response:add", {"text": "Make a ten"}, callback=True)["ok"] is False
    assert phone.emit("response:add", {"text": "Repeated addition", "field": "strategies"}, callback=True)["ok"]
    state = last(projector, "state")
    assert list(state["step"]["questions"]) == ["successful", "strategies", "stuck", "questions"]
    assert last(projector, "response:upsert")["field"] == "strategies"


def test_spotlight_and_script_reach_only_who_they_should(app, room):
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    phone = live_client(app, join_as(app, meeting, "Ana"), meeting)
    assert events_named(projector, "control")[0]["script"].startswith("We are learners here")
    assert events_named(phone, "control") == []
    projector.emit("step:goto", {"pos": goto_step(room, "responses")}, callback=True)
    ack = phone.emit("response:add", {"text": "Groups of six"}, callback=True)
    projector.emit("response:spotlight", {"response_id": ack["id"]}, callback=True)
    assert last(phone, "state")["spotlight_id"] == ack["id"]
    assert all("script" not in str(s["step"]) for s in events_named(phone, "state"))


def test_phones_joining_at_once_share_one_update_of_the_names(app, room):
    """Outside tests the room hears of joins once per LIVE_PARTICIPANTS_DELAY, not once per phone."""
    import time

    meeting = room["meeting"]
    phones_http = [join_as(app, meeting, name) for name in ("Ana", "Ben", "Cy")]
    projector = live_client(app, room["http"], meeting)
    app.config.update(TESTING=False, LIVE_PARTICIPANTS_DELAY=0.2)
    try:
        phones = [live_client(app, http, meeting) for http in phones_http]
        assert events_named(projector, "participants") == []
        deadline = time.monotonic() + 5
        while not events_named(projector, "participants") and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # nothing more follows
    finally:
        app.config["TESTING"] = True
    [people] = events_named(projector, "participants")
    assert [p["name"] for p in people] == ["Ana", "Ben", "Cy"]
    # A phone that connected first hears of those after it too.
    assert [p["name"] for p in last(phones[0], "participants")] == ["Ana", "Ben", "Cy"]
