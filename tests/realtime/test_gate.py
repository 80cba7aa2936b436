"""The gate every live event goes through (plc/realtime/gate.py), seen through the live room's events:
payloads checked, roles and seats enforced, and a rejected event changes nothing."""
from plc.extensions import db
from plc.meetings.models import Meeting, Participant, Response
from tests.conftest import gen_user, join_as, live_client, login
from tests.meetings.test_live import goto_step, last, other_meeting


def test_participants_cannot_use_facilitator_controls(app, room):
    meeting = room["meeting"]
    phone = live_client(app, join_as(app, meeting, "Ana"), meeting)
    phone.clear()
    for event, payload in [("step:goto", {"pos": 1}), ("timer:start", {}), ("meeting:end", {}),
                           ("names:hide", {"value": True}), ("input:lock", {"value": True}),
                           ("response:spotlight", {"response_id": None}), ("timer:add", {"seconds": 60})]:
        ack = phone.emit(event, payload, callback=True)
        assert ack == {"ok": False, "error": "Only the facilitator can do that."}
        assert last(phone, "error")["event"] == event
    db.session.expire_all()
    stored = db.session.get(Meeting, meeting.id)
    assert (stored.step_pos, stored.timer_running, stored.ended_at, stored.names_hidden, stored.input_locked) == (
        0, False, None, False, False)


def test_non_facilitator_team_member_cannot_control(app, room):
    coach = gen_user(name="Cora Coach")
    from plc.teams.models import Membership

    db.session.add(Membership(team=room["team"], user=coach, role="coach"))
    db.session.commit()
    http = app.test_client()
    login(http, coach)
    viewer = live_client(app, http, room["meeting"])
    assert viewer.is_connected()
    assert viewer.emit("step:goto", {"pos": 1}, callback=True)["ok"] is False
    assert viewer.emit("response:add", {"text": "hi"}, callback=True)["ok"] is False


def test_events_with_a_bad_payload_are_rejected_and_change_nothing(app, room):
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    phone = live_client(app, join_as(app, meeting, "Ana"), meeting)
    projector.emit("step:goto", {"pos": goto_step(room, "responses")}, callback=True)
    bad = [
        (projector, "step:goto", {"pos": "2"}),
        (projector, "step:goto", {"pos": 999}),
        (projector, "step:goto", {}),
        (projector, "step:goto", {"pos": 1, "extra": True}),
        (projector, "timer:add", {"seconds": 10 ** 9}),
        (projector, "names:hide", {"value": "yes"}),
        (projector, "response:spotlight", {"response_id": 123456}),
        (phone, "response:add", {"text": ""}),
        (phone, "response:add", {"text": "x" * 501}),
        (phone, "response:add", {"text": 5}),
        (phone, "response:add", {"text": "ok", "field": "stuck"}),
        (phone, "response:add", ["not", "a", "dict"]),
        (phone, "response:edit", {"id": 99999, "text": "mine now"}),
        (phone, "response:withdraw", {"id": 99999}),
    ]
    before = db.session.get(Meeting, meeting.id).step_pos
    for client, event, payload in bad:
        ack = client.emit(event, payload, callback=True)
        assert ack["ok"] is False and ack["error"], (event, payload)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).step_pos == before
    assert db.session.query(Response).count() == 0


def test_a_participant_of_another_meeting_cannot_answer_here(app, room):
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    projector.emit("step:goto", {"pos": goto_step(room, "responses")}, callback=True)
    phone = live_client(app, join_as(app, meeting, "Ana"), meeting)
    other = other_meeting(app)
    join_as(app, other, "Eve")
    eve = db.session.query(Participant).filter_by(meeting_id=other.id).one()
    # The connection's seat now names a participant of another meeting, as a forged session would.
    environ = phone.sio.socketio.server.environ[phone.sio.eio_sid]
    environ["saved_session"]["live_seat"]["participant_id"] = eve.id
    ack = phone.emit("response:add", {"text": "Not mine to give"}, callback=True)
    assert ack == {"ok": False, "error": "Only participants who joined with the code can do that."}
    assert db.session.query(Response).count() == 0
