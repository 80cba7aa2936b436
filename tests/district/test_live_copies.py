"""Each process's copies of its live meetings (plc/meetings/live.py) against the database, with
changes coming from several processes at once.

Three processes serve one meeting over one PostgreSQL database and one Redis: the real servers
A and B (gevent), and this test's own app, C, served from a thread, whose copies the test can
look at. The
facilitator on A changes the room as fast as acknowledgements come back (step, lock, names,
timer) while phones on B and C answer all the while.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, fields

from werkzeug.serving import make_server

from deploy.district import REDIS_SOCKETIO
from plc.extensions import db
from plc.meetings.live import LiveMeeting, live_meetings
from plc.meetings.models import Meeting, Response
from tests.district.conftest import logs_on_failure, make_pg_app, seed_room
from tests.district.live import WAIT_SECONDS, Recorder, close_all

ROUNDS = 12


@contextmanager
def served(app):
    """The app served from a thread of this process (Werkzeug, as Flask-SocketIO's threading mode runs)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=WAIT_SECONDS)


def as_in_database(meeting_id: int) -> dict:
    db.session.rollback()  # read what is committed now
    row = db.session.get(Meeting, meeting_id)
    db.session.refresh(row)
    return {f.name: getattr(row, f.name) for f in fields(LiveMeeting)}


def test_copies_never_disagree_with_the_database_through_a_burst_of_changes_from_two_processes(
        district_servers, district_db, redis_server, tmp_path):
    server_a, server_b = district_servers
    room = seed_room(district_db, tmp_path, phones=("Ben", "Cy"))
    meeting_id, agenda = room["meeting_id"], room["agenda"]
    answering = [i for i, s in enumerate(agenda) if s["activity"] == "responses"]
    talking = [i for i, s in enumerate(agenda) if s["activity"] == "discuss"]
    steps = [pos for pair in zip(answering, talking) for pos in pair]
    assert len(steps) >= 4

    app_c = make_pg_app(district_db, tmp_path / "c", SOCKETIO_MESSAGE_QUEUE=redis_server.url(REDIS_SOCKETIO))
    facilitator, phone_b, phone_c = Recorder("facilitator on A"), Recorder("phone on B"), Recorder("phone on C")
    acked: list[tuple[str, int]] = []
    refused: list[str] = []
    stop = threading.Event()

    def answer_from_b():
        n = 0
        while not stop.is_set():
            ack = phone_b.call("response:add", {"text": f"B {n}"})
            (acked.append(("B", ack["id"])) if ack["ok"] else refused.append(ack["error"]))
            n += 1

    with app_c.app_context(), served(app_c) as url_c, logs_on_failure(server_a, server_b):
        copies_c = live_meetings()
        phone_c.connect(url_c, room["phone_cookies"]["Cy"], meeting_id)
        facilitator.connect(server_a.url, room["facilitator_cookie"], meeting_id)
        phone_b.connect(server_b.url, room["phone_cookie"], meeting_id)
        answers_b = threading.Thread(target=answer_from_b)
        try:
            answers_b.start()
            for n in range(ROUNDS):
                for event, data in (("step:goto", {"pos": steps[n % len(steps)]}),
                                    ("input:lock", {"value": n % 3 == 1}),
                                    ("names:hide", {"value": n % 2 == 0}),
                                    ("timer:start" if n % 2 == 0 else "timer:pause", None)):
                    assert facilitator.call(event, data) == {"ok": True}, event
                    ack = phone_c.call("response:add", {"text": f"C {n} after {event}"})
                    (acked.append(("C", ack["id"])) if ack["ok"] else refused.append(ack["error"]))
            final = next(pos for pos in reversed(answering) if not agenda[pos]["anonymous"])
            for event, data in (("step:goto", {"pos": final}), ("input:lock", {"value": False}),
                                ("names:hide", {"value": False})):
                assert facilitator.call(event, data) == {"ok": True}, event
            # At once, from both processes: an answer on the open step is taken and lands there.
            after = [phone_c.call("response:add", {"text": "C at the end"}),
                     phone_b.call("response:add", {"text": "B at the end"})]
            # A change that refuses nothing: C must know of it without being refused first, or
            # its next answer would go to every screen with a name the room has hidden.
            assert facilitator.call("names:hide", {"value": True}) == {"ok": True}
            mark = facilitator.mark()
            hidden = phone_c.call("response:add", {"text": "C with names hidden"})
            assert hidden["ok"] is True
            shown = facilitator.wait_for("response:upsert", lambda r: r["id"] == hidden["id"], after=mark)
            assert "author" not in shown and "participant_id" not in shown, shown
        finally:
            stop.set()
            answers_b.join(timeout=WAIT_SECONDS)
            close_all(facilitator, phone_b, phone_c)

        assert all(ack["ok"] for ack in after), after
        for ack in after:
            assert db.session.get(Response, ack["id"]).step_pos == final
        # Answers were taken and refused all through the burst ...
        assert len(acked) >= ROUNDS and refused, (len(acked), refused[:3])
        assert set(refused) <= {"This step takes no written responses.", "Input is locked by the facilitator for now.",
                                "The meeting has just moved on; your answer was not saved. Check the screen and "
                                "send it again."}, set(refused)
        # ... every one taken is stored, on a step that takes answers, never on one the room had left for talk.
        stored = dict(db.session.execute(db.select(Response.id, Response.step_pos)
                                         .where(Response.id.in_([i for _, i in acked]))).all())
        assert set(stored) == {i for _, i in acked}
        assert set(stored.values()) <= set(answering)

        # C's copy, once the news of A's last change has come round, is the database's row.
        deadline = time.monotonic() + WAIT_SECONDS
        while copies_c._copies.get(meeting_id) not in (None, LiveMeeting(**as_in_database(meeting_id))) \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        held = copies_c._copies.get(meeting_id)
        assert held is None or asdict(held) == as_in_database(meeting_id)
        assert asdict(copies_c.get(meeting_id)) == as_in_database(meeting_id)
