"""The district database: every migration and the core meeting flow on a real PostgreSQL."""
from __future__ import annotations

import pytest
from flask import current_app

from plc.extensions import db
from plc.meetings import services
from plc.meetings.models import Meeting, Participant, Response
from plc.protocols import flatten_agenda, load_protocols
from tests.conftest import (
    events_named,
    gen_meeting,
    gen_task,
    gen_team,
    gen_user,
    join_as,
    live_client,
    login,
)
from tests.district.conftest import ROOT, app_env, flask_cli


def _tables(postgres, url: str) -> set[str]:
    with postgres.connect(url.rsplit("/", 1)[1]) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    return {name for (name,) in rows}


def _model_tables() -> set[str]:
    from plc import models  # noqa: F401  (registers every table)

    return set(db.metadata.tables)


def _head_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return set(ScriptDirectory.from_config(config).get_heads())


def _current_revisions(postgres, url: str) -> set[str]:
    with postgres.connect(url.rsplit("/", 1)[1]) as conn:
        return {rev for (rev,) in conn.execute("SELECT version_num FROM alembic_version").fetchall()}


def test_migrations_upgrade_check_downgrade_and_upgrade_again_on_postgresql(postgres, tmp_path):
    url = postgres.create_database("migrations")
    env = app_env(tmp_path, url)
    heads = _head_revisions()
    assert heads, "no migration heads found"

    flask_cli(env, "db", "upgrade")
    assert _tables(postgres, url) == _model_tables() | {"alembic_version"}
    assert _current_revisions(postgres, url) == heads
    # The migrated PostgreSQL schema is exactly what the models describe: nothing left to migrate.
    flask_cli(env, "db", "check")

    flask_cli(env, "db", "downgrade", "base")
    assert _tables(postgres, url) == {"alembic_version"}
    assert _current_revisions(postgres, url) == set()

    flask_cli(env, "db", "upgrade")
    assert _tables(postgres, url) == _model_tables() | {"alembic_version"}
    assert _current_revisions(postgres, url) == heads


def _pos(meeting, activity) -> int:
    return next(i for i, step in enumerate(meeting.agenda) if step["activity"] == activity)


def _last(client, name):
    found = events_named(client, name)
    assert found, f"no {name!r} event received"
    return found[-1]


def test_live_meeting_flow_on_postgresql(pg_app):
    facilitator = gen_user()
    team = gen_team(facilitator)
    meeting = gen_meeting(team, facilitator)
    meeting_id, code = meeting.id, meeting.code
    http = pg_app.test_client()
    login(http, facilitator)

    projector = live_client(pg_app, http, meeting)
    assert projector.is_connected()
    ana_http = join_as(pg_app, meeting, "Ana")
    ana = live_client(pg_app, ana_http, meeting)
    ben = live_client(pg_app, join_as(pg_app, meeting, "Ben", role="coach"), meeting)
    assert ana.is_connected() and ben.is_connected()
    assert [p["name"] for p in _last(projector, "participants")] == ["Ana", "Ben"]
    for client in (projector, ana, ben):
        client.clear()

    # Steps, timer and flags, seen by everyone.
    pos = _pos(meeting, "responses")
    assert projector.emit("step:goto", {"pos": pos}, callback=True) == {"ok": True}
    assert projector.emit("timer:start", callback=True) == {"ok": True}
    assert projector.emit("timer:add", {"seconds": 60}, callback=True) == {"ok": True}
    for client in (projector, ana, ben):
        state = _last(client, "state")
        assert state["step"]["pos"] == pos and state["timer"]["running"] is True
    assert ana.emit("step:goto", {"pos": 0}, callback=True)["ok"] is False

    # Responses: add, edit, someone else's edit refused, withdraw.
    ack = ana.emit("response:add", {"text": "Counts by sixes ÷ ½ 🍎"}, callback=True)
    assert ack["ok"] is True
    upsert = _last(ben, "response:upsert")
    assert upsert["text"] == "Counts by sixes ÷ ½ 🍎" and upsert["author"] == "Ana"
    assert ben.emit("response:edit", {"id": ack["id"], "text": "Hijack"}, callback=True)["ok"] is False
    assert ana.emit("response:edit", {"id": ack["id"], "text": "Groups of six"}, callback=True) == {"ok": True}
    assert _last(projector, "response:upsert")["text"] == "Groups of six"
    ben_ack = ben.emit("response:add", {"text": "Arrays"}, callback=True)
    assert ben_ack["ok"] is True
    assert projector.emit("response:spotlight", {"response_id": ben_ack["id"]}, callback=True) == {"ok": True}
    assert _last(ana, "state")["spotlight_id"] == ben_ack["id"]
    assert ana.emit("response:withdraw", {"id": ack["id"]}, callback=True) == {"ok": True}
    assert _last(projector, "response:removed") == {"id": ack["id"]}

    # The anticipation step files answers under one of its questions.
    anticipate = _pos(meeting, "anticipate")
    projector.emit("step:goto", {"pos": anticipate}, callback=True)
    assert ana.emit("response:add", {"text": "Make a ten"}, callback=True)["ok"] is False
    assert ana.emit("response:add", {"text": "Repeated addition", "field": "strategies"}, callback=True)["ok"]
    assert _last(ben, "response:upsert")["field"] == "strategies"

    # A reload: the same participant comes back and gets the whole state.
    ana.disconnect()
    assert ana_http.get(f"/j/{code}").status_code == 302
    again = live_client(pg_app, ana_http, meeting)
    state = _last(again, "state")
    assert state["step"]["pos"] == anticipate
    assert [r["text"] for r in state["responses"]] == ["Repeated addition"]

    assert projector.emit("meeting:end", callback=True) == {"ok": True}
    assert _last(ben, "state")["meeting"]["ended"] is True
    assert ben.emit("response:add", {"text": "Late"}, callback=True)["error"] == "This meeting has ended."

    # What PostgreSQL holds.
    db.session.remove()
    stored = db.session.get(Meeting, meeting_id)
    assert stored.step_pos == anticipate and stored.ended_at is not None and stored.timer_running is False
    people = db.session.execute(
        db.select(Participant).filter_by(meeting_id=meeting_id).order_by(Participant.id)
    ).scalars().all()
    assert [(p.name, p.role) for p in people] == [("Ana", "classroom_teacher"), ("Ben", "coach")]
    responses = db.session.execute(
        db.select(Response).filter_by(meeting_id=meeting_id).order_by(Response.id)
    ).scalars().all()
    assert [(r.participant.name, r.step_pos, r.field, r.text) for r in responses] == [
        ("Ben", pos, None, "Arrays"), ("Ana", anticipate, "strategies", "Repeated addition"),
    ]
    with pytest.raises(services.MeetingError, match="ended"):
        services.meeting_for_code(code)


def test_join_code_collision_is_retried_on_postgresql(pg_app, monkeypatch):
    """A taken code fails the unique constraint; PostgreSQL aborts that transaction, and
    start_meeting must roll back and draw another code on the same session."""
    facilitator = gen_user()
    team = gen_team(facilitator)
    taken = gen_meeting(team, facilitator).code
    task = gen_task(team)
    codes = iter([taken, "ZZZZZ2" if taken != "ZZZZZ2" else "ZZZZZ3"])
    monkeypatch.setattr(services, "new_code", lambda: next(codes))
    protocols = load_protocols(current_app.config["PROTOCOLS_DIR"])
    meeting = services.start_meeting(team, task, facilitator, protocols, ["doing-math-together"])
    assert meeting.code in ("ZZZZZ2", "ZZZZZ3")
    db.session.remove()
    assert db.session.execute(db.select(db.func.count()).select_from(Meeting).filter_by(code=taken)).scalar() == 1


def test_json_agenda_round_trips_on_postgresql(pg_app, postgres, district_db):
    facilitator = gen_user()
    team = gen_team(facilitator)
    protocols = load_protocols(current_app.config["PROTOCOLS_DIR"])
    ids = sorted(protocols)
    meeting = gen_meeting(team, facilitator, protocol_ids=ids, protocols=protocols)
    meeting_id = meeting.id
    expected = flatten_agenda(protocols, ids)

    db.session.remove()
    assert db.session.get(Meeting, meeting_id).agenda == expected

    # Stored as real JSON that PostgreSQL itself can read.
    with postgres.connect(district_db.rsplit("/", 1)[1]) as conn:
        (data_type,) = conn.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'meeting' AND column_name = 'agenda'"
        ).fetchone()
        kind, length, first_activity = conn.execute(
            "SELECT json_typeof(agenda), json_array_length(agenda), agenda->0->>'activity' FROM meeting WHERE id = %s",
            (meeting_id,),
        ).fetchone()
    assert data_type == "json"
    assert (kind, length, first_activity) == ("array", len(expected), expected[0]["activity"])

    # Nested values, unicode, numbers, booleans and nulls come back as they went in.
    edited = [dict(step) for step in expected]
    edited[0] = {**edited[0], "title": "Estimate — ½ of 84 ÷ 6 🍎", "minutes": 2.5,
                 "extra": {"nested": [1, None, True, "x"], "empty": {}}}
    stored = db.session.get(Meeting, meeting_id)
    stored.agenda = edited
    db.session.commit()
    db.session.remove()
    assert db.session.get(Meeting, meeting_id).agenda == edited
