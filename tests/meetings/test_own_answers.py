"""A phone learns which answers are its own only from the server, and an answer's id is never
given to another answer, so a withdrawn answer can never come back as someone else's."""
from plc.extensions import db
from plc.meetings.models import Response
from tests.conftest import events_named, join_as, live_client
from tests.meetings.test_live import goto_step, last


def test_withdrawing_a_spotlighted_answer_sends_a_removal_and_its_id_is_never_reused(app, room):
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    projector.emit("step:goto", {"pos": goto_step(room, "responses")}, callback=True)
    ana = live_client(app, join_as(app, meeting, "Ana"), meeting)
    ben = live_client(app, join_as(app, meeting, "Ben"), meeting)
    first = ana.emit("response:add", {"text": "Arrays"}, callback=True)["id"]
    projector.emit("response:spotlight", {"response_id": first}, callback=True)
    for client in (projector, ana, ben):
        client.clear()

    assert ana.emit("response:withdraw", {"id": first}, callback=True) == {"ok": True}
    for client in (projector, ana, ben):
        assert events_named(client, "response:removed") == [{"id": first}]
        assert events_named(client, "state") == []  # a removal, not the whole room again
    # SQLite would hand the largest id out again once its row is gone: the table says never.
    second = ben.emit("response:add", {"text": "Equal groups"}, callback=True)["id"]
    assert second != first and second > first
    # Ben's phone learns it is his from the acknowledgement alone: nobody is sent its id as theirs.
    assert not [e for client in (projector, ana, ben) for e in client.events() if e["name"] == "response:mine"]


def test_a_phone_knows_its_own_answers_on_every_step_and_a_step_change_sends_it_none(app, room):
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    responses_step = goto_step(room, "responses")
    projector.emit("step:goto", {"pos": responses_step}, callback=True)
    ana_http = join_as(app, meeting, "Ana")
    ana = live_client(app, ana_http, meeting)
    ben = live_client(app, join_as(app, meeting, "Ben"), meeting)
    mine = [ana.emit("response:add", {"text": text}, callback=True)["id"] for text in ("Arrays", "Groups")]
    ben.emit("response:add", {"text": "Skip counting"}, callback=True)
    projector.emit("step:goto", {"pos": 0}, callback=True)
    ana.clear()
    ben.clear()

    projector.emit("step:goto", {"pos": responses_step}, callback=True)
    assert last(ana, "state")["step"]["pos"] == responses_step
    # Only the room's state: no message to each phone (the phone kept the ids its answers were acknowledged with).
    assert [e["name"] for e in ana.events()] == [e["name"] for e in ben.events()]
    assert not [e for client in (ana, ben) for e in client.events() if e["name"].startswith("responses:")]
    # A phone that (re)connects while the room is on another step still learns its answers of every step.
    projector.emit("step:goto", {"pos": 0}, callback=True)
    assert last(live_client(app, ana_http, meeting), "hello")["own_response_ids"] == mine
    assert db.session.query(Response).count() == 3
