"""Behind HAProxy (PLC_PROXY_HOPS=1) rate limits count each phone's address from X-Forwarded-For;
without it the header is ignored, so nobody escapes a limit by sending one."""
import pytest

from plc import create_app
from plc.extensions import db

WRONG = ["ZZABCZ", "ZZABDZ", "ZZABEZ", "ZZABFZ"]


def _join(client, code, forwarded_for):
    return client.post("/join", data={"code": code, "name": "Ana", "role": "classroom_teacher"},
                       environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"X-Forwarded-For": forwarded_for})


@pytest.fixture
def proxied_app(app, tmp_path):
    proxied = create_app({**{k: app.config[k] for k in ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI",
                                                        "WTF_CSRF_ENABLED", "UPLOADS_DIR", "RATELIMIT_ENABLED")},
                          "PROXY_HOPS": 1, "JOIN_ATTEMPTS_LIMIT": "2 per minute"},
                         instance_path=str(tmp_path / "instance-proxied"))
    with proxied.app_context():
        yield proxied
        db.session.remove()


def test_behind_the_proxy_each_phone_has_its_own_limit(proxied_app):
    client = proxied_app.test_client()
    assert [_join(client, code, "10.0.0.1").status_code for code in WRONG[:3]] == [400, 400, 429]
    assert _join(client, WRONG[3], "10.0.0.2").status_code == 400


def test_without_a_proxy_the_header_is_ignored(app):
    app.config["JOIN_ATTEMPTS_LIMIT"] = "2 per minute"
    client = app.test_client()
    assert [_join(client, code, "10.0.0.1").status_code for code in WRONG[:3]] == [400, 400, 429]
    assert _join(client, WRONG[3], "10.0.0.2").status_code == 429
