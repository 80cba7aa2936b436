"""A connection's events are handled in the order it sent them (`async_handlers=False` in
plc/__init__.py), on a real gevent server over PostgreSQL: there each event waits on the
database, and with a greenlet per event a later one could overtake it. (With a greenlet per
event, 8 step changes reached the room as steps 1, 6, 4, 3, 2, 5, ...; 40 of them all waited on
the meeting's row lock and the connection pool, and none was acknowledged within 10 s.)
"""
from __future__ import annotations

import threading

from plc.extensions import db
from plc.meetings.models import Meeting
from tests.district.conftest import logs_on_failure, seed_room
from tests.district.live import WAIT_SECONDS, Recorder, close_all

CHANGES = 40


def test_step_changes_sent_without_waiting_land_and_reach_the_room_in_the_order_sent(
        district_servers, district_db, pg_app, tmp_path):
    server_a, _ = district_servers
    room = seed_room(district_db, tmp_path)
    steps = [n % len(room["agenda"]) for n in range(1, CHANGES + 1)]  # never the step it is on
    facilitator = Recorder("facilitator on A")
    acks: list[dict] = []
    all_acked = threading.Event()

    def acked(reply):
        acks.append(reply)
        if len(acks) == len(steps):
            all_acked.set()

    try:
        with logs_on_failure(server_a):
            facilitator.connect(server_a.url, room["facilitator_cookie"], room["meeting_id"])
            facilitator.wait_for("state")
            start = facilitator.mark()
            for pos in steps:  # as fast as the socket takes them: no waiting for acknowledgements
                facilitator.sio.emit("step:goto", {"pos": pos}, callback=acked)
            assert all_acked.wait(WAIT_SECONDS), f"{len(acks)} of {len(steps)} step changes acknowledged"
            assert acks == [{"ok": True}] * len(steps)
            facilitator.wait_for("state", lambda s: len(broadcast_steps(facilitator, start)) == len(steps))
            assert broadcast_steps(facilitator, start) == steps
    finally:
        close_all(facilitator)
    assert db.session.get(Meeting, room["meeting_id"]).step_pos == steps[-1]


def broadcast_steps(client: Recorder, after: int) -> list[int]:
    """The step of every room state the client received since `after`."""
    return [data["step"]["pos"] for name, data in client.events[after:] if name == "state"]
