"""Several app processes: Socket.IO rooms and join-code rate limits shared through Redis.

Two real servers (`python wsgi.py`, gevent) over one PostgreSQL database: a facilitator on
server A and a phone on server B are in the same live room.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import requests

from tests.conftest import wait_for
from tests.district.conftest import logs_on_failure, seed_room
from tests.district.live import WAIT_SECONDS, Recorder, close_all, csrf_token


@pytest.fixture
def seeded_room(district_db, tmp_path):
    return seed_room(district_db, tmp_path)


def test_events_cross_between_server_processes_through_redis(district_servers, seeded_room):
    server_a, server_b = district_servers
    meeting_id = seeded_room["meeting_id"]
    facilitator, phone = Recorder("facilitator on A"), Recorder("phone on B")
    try:
        with logs_on_failure(server_a, server_b):
            facilitator.connect(server_a.url, seeded_room["facilitator_cookie"], meeting_id)
            assert facilitator.wait_for("hello")["can_control"] is True
            facilitator.wait_for("state")

            phone.connect(server_b.url, seeded_room["phone_cookie"], meeting_id)
            assert phone.wait_for("hello")["participant_id"]
            assert phone.wait_for("state")["step"]["pos"] == 0
            # B announced the phone to the room; A's facilitator heard it through Redis.
            facilitator.wait_for("participants", lambda people: [p["name"] for p in people] == ["Ana"])

            pos = seeded_room["responses_pos"]
            assert facilitator.call("step:goto", {"pos": pos}) == {"ok": True}
            state = phone.wait_for("state", lambda s: s["step"]["pos"] == pos)
            assert state["step"]["activity"] == "responses"

            ack = phone.call("response:add", {"text": "Counts by sixes"})
            assert ack["ok"] is True
            upsert = facilitator.wait_for("response:upsert", lambda r: r["id"] == ack["id"])
            assert upsert["text"] == "Counts by sixes" and upsert["author"] == "Ana"

            assert phone.call("response:edit", {"id": ack["id"], "text": "Groups of six"}) == {"ok": True}
            facilitator.wait_for("response:upsert", lambda r: r["id"] == ack["id"] and r["text"] == "Groups of six")
            assert phone.call("response:withdraw", {"id": ack["id"]}) == {"ok": True}
            facilitator.wait_for("response:removed", lambda r: r == {"id": ack["id"]})
    finally:
        close_all(facilitator, phone)


def test_a_logout_on_one_process_closes_that_users_live_connections_on_both(district_servers, seeded_room):
    server_a, server_b = district_servers
    meeting_id, cookie = seeded_room["meeting_id"], seeded_room["facilitator_cookie"]
    projector, laptop, phone = Recorder("facilitator on A"), Recorder("facilitator on B"), Recorder("phone on B")
    try:
        with logs_on_failure(server_a, server_b):
            projector.connect(server_a.url, cookie, meeting_id)
            laptop.connect(server_b.url, cookie, meeting_id)
            phone.connect(server_b.url, seeded_room["phone_cookie"], meeting_id)
            for client in (projector, laptop, phone):
                client.wait_for("state")

            # Pat logs out on A, in a browser that holds the session.
            http = requests.Session()
            http.cookies.set("session", cookie, domain=urlsplit(server_a.url).hostname)
            logout = http.post(server_a.url + "/logout", data={"csrf_token": csrf_token(http, server_a.url + "/")},
                               timeout=WAIT_SECONDS, allow_redirects=False)
            assert logout.status_code == 302, logout.text[:500]

            # B heard of the logout through Redis and closed its connection of Pat's too.
            wait_for(lambda: not projector.sio.connected and not laptop.sio.connected, timeout=WAIT_SECONDS)
            assert phone.sio.connected
    finally:
        close_all(projector, laptop, phone)


CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]+)"')


def _csrf_token(http: requests.Session, url: str) -> str:
    page = http.get(url + "/join", timeout=WAIT_SECONDS)
    assert page.status_code == 200, page.text[:500]
    tag = CSRF_INPUT.search(page.text)
    assert tag, "the join form has no csrf_token input"
    return VALUE.search(tag.group(0)).group(1)


def test_join_code_rate_limit_is_shared_by_both_processes(district_servers):
    """PLC_JOIN_ATTEMPTS_LIMIT is "4 per minute": two wrong guesses on each server use it up."""
    server_a, server_b = district_servers
    with logs_on_failure(server_a, server_b):
        sessions = {server.url: requests.Session() for server in (server_a, server_b)}
        tokens = {url: _csrf_token(http, url) for url, http in sessions.items()}

        def guess(server):
            return sessions[server.url].post(
                server.url + "/join", timeout=WAIT_SECONDS, allow_redirects=False,
                data={"csrf_token": tokens[server.url], "code": "YYYYY9", "name": "Mallory",
                      "role": "classroom_teacher"},
            )

        for server in (server_a, server_b, server_a, server_b):
            wrong = guess(server)
            assert wrong.status_code == 400, (server.name, wrong.status_code, wrong.text[:500])
            # A real wrong code, not a missing CSRF token or a bad form.
            assert "No meeting has that code" in wrong.text, (server.name, wrong.text[:1000])
        # Each server saw only two guesses itself: the count lives in Redis.
        for server in (server_a, server_b):
            assert guess(server).status_code == 429, server.name
        # Opening the join page is never refused: only codes sent are counted.
        assert sessions[server_a.url].get(server_a.url + "/join", timeout=WAIT_SECONDS).status_code == 200
