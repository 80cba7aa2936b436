"""Typed text over its limit is refused whole, never cut, with a message that says how long it is,
what the limit is and what to do; the text stored stays as it was."""
from plc.extensions import db
from plc.meetings.models import Response
from tests.conftest import join_as, live_client


def test_a_2000_character_answer_is_refused_with_what_to_do(app, room):
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    phone = live_client(app, join_as(app, meeting, "Ana"), meeting)
    pos = next(i for i, s in enumerate(meeting.agenda) if s["activity"] == "responses")
    assert projector.emit("step:goto", {"pos": pos}, callback=True) == {"ok": True}

    ack = phone.emit("response:add", {"text": "x" * 2000}, callback=True)

    assert ack == {"ok": False, "error": "Your answer is 2,000 characters; the limit is 500. "
                                         "Shorten it or split it into two answers."}
    assert db.session.query(Response).count() == 0
    assert phone.emit("response:add", {"text": "x" * 500}, callback=True)["ok"] is True
    [mine] = db.session.execute(db.select(Response.id)).scalars()
    edited = phone.emit("response:edit", {"id": mine, "text": "y" * 501}, callback=True)
    assert edited["error"].startswith("Your answer is 501 characters; the limit is 500.")
    assert db.session.get(Response, mine).text == "x" * 500
