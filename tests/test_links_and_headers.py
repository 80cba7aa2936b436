"""Links shown to people never come from an arbitrary Host header; pages with a team's or a
student's data are never cached; HTTPS brings secure cookies and HSTS."""
from __future__ import annotations

import re

import pytest

from plc import create_app, storage
from plc.extensions import db
from tests.conftest import gen_meeting, gen_task, gen_team, gen_user, join_as, login
from tests.sort.conftest import gen_sample


def at_host(client, user, host: str):
    """The client logged in as `user`, sending `host` in its Host header (the WSGI server's own name
    stays "localhost", as a server's does whatever a request claims)."""
    with client.session_transaction(base_url=f"http://{host}") as session:
        session["_user_id"] = str(user.id)

    def get(path: str):
        return client.get(path, environ_overrides={"HTTP_HOST": host})
    return get


def links_on(get, meeting, team) -> str:
    """The projector's join address and QR link, and the team page's invite link."""
    projector = get(f"/meetings/{meeting.id}/projector")
    team_page = get(f"/teams/{team.id}")
    assert projector.status_code == team_page.status_code == 200
    return projector.get_data(as_text=True) + team_page.get_data(as_text=True)


def same_database(app) -> dict:
    """Settings for a second app, made from the environment, over the test app's database."""
    return {k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "WTF_CSRF_ENABLED")}


@pytest.fixture
def world(app):
    user = gen_user()
    team = gen_team(user)
    return {"user": user, "team": team, "meeting": gen_meeting(team, user)}


def test_a_forged_host_never_reaches_a_link(app, world):
    get = at_host(app.test_client(), world["user"], "evil.example")
    html = links_on(get, world["meeting"], world["team"])
    assert "evil.example" not in html
    assert "http://localhost/invite/" in html  # the server's own name instead


@pytest.mark.parametrize("host", ["192.168.1.20:5000", "localhost:5000", "127.0.0.1"])
def test_an_address_asked_on_is_used_for_links(app, world, host):
    html = links_on(at_host(app.test_client(), world["user"], host), world["meeting"], world["team"])
    assert f"http://{host}/invite/" in html and f"{host}/join" in html


def test_the_public_url_wins(app, world):
    app.config["PUBLIC_URL"] = "https://plc.school.org"
    html = links_on(at_host(app.test_client(), world["user"], "evil.example"), world["meeting"], world["team"])
    assert "https://plc.school.org/invite/" in html and "evil.example" not in html


def test_allowed_hosts_refuse_any_other_host(app, world, monkeypatch, tmp_path):
    monkeypatch.setenv("PLC_ALLOWED_HOSTS", "plc.school.org, 10.0.0.5")
    allowed = create_app(same_database(app), instance_path=str(tmp_path / "allowed"))
    assert allowed.config["TRUSTED_HOSTS"] == ["plc.school.org", "10.0.0.5"]
    with allowed.app_context():
        client = allowed.test_client()
        assert client.get("/join", environ_overrides={"HTTP_HOST": "evil.example"}).status_code == 400
        html = links_on(at_host(client, world["user"], "plc.school.org"), world["meeting"], world["team"])
        assert "http://plc.school.org/invite/" in html


def test_pages_and_pictures_of_team_and_student_work_are_never_cached(app, world):
    client = app.test_client()
    login(client, world["user"])
    task = gen_task(world["team"])
    sample = gen_sample(task, "S1")
    sample.thumb_name = storage.new_name("thumbs", ".jpg")
    storage.path_of(sample.thumb_name).parent.mkdir(parents=True, exist_ok=True)
    storage.path_of(sample.thumb_name).write_bytes(b"\xff\xd8\xff\xd9")
    db.session.commit()
    meeting, team = world["meeting"], world["team"]
    phone = join_as(app, meeting, "Ana")
    unit_id = task.unit_id
    for who, path in [(client, f"/teams/{team.id}"), (client, f"/tasks/{task.id}"), (client, f"/tasks/{task.id}/work"),
                      (client, f"/meetings/{meeting.id}/projector"), (client, f"/meetings/{meeting.id}/control"),
                      (client, f"/units/{unit_id}"), (client, f"/units/{unit_id}/samples.csv"),
                      (client, f"/work/{sample.id}/thumb"), (phone, f"/live/{meeting.id}"), (client, "/")]:
        response = who.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "private, no-store", path
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


def test_https_brings_secure_cookies_and_hsts(app, world, monkeypatch, tmp_path):
    monkeypatch.setenv("PLC_PUBLIC_URL", "https://plc.school.org")
    secure = create_app(same_database(app), instance_path=str(tmp_path / "secure"))
    with secure.app_context():
        response = secure.test_client().post("/login", data={"email": world["user"].email,
                                                             "password": "a-long-password"},
                                             base_url="https://plc.school.org")
        assert response.status_code == 302
        assert re.search(r"session=[^;]+;.*Secure", response.headers["Set-Cookie"])
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = app.test_client().get("/join")
    assert "Strict-Transport-Security" not in plain.headers
