"""District fixtures: a real PostgreSQL and a real Redis, each on a free localhost port in a
temp folder, started once per test session and always stopped at its end.

On one machine the app runs on SQLite; for a district the same code runs on PostgreSQL and
Redis across several processes, chosen by configuration (PLC_DATABASE_URL,
PLC_SOCKETIO_MESSAGE_QUEUE, PLC_RATELIMIT_STORAGE_URI). These tests run that setup for real.
The servers are skipped, with the reason, only when their binaries are not installed.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

from deploy import district as setup
from deploy.district import Postgres, Redis, stop_process_group
from tests.conftest import TEST_SETTINGS

ROOT = setup.ROOT
SECRET_KEY = "district-test-secret"

@contextmanager
def as_test_failure():
    """A server of deploy/district.py that does not start fails the test, with its log."""
    try:
        yield
    except setup.DistrictError as exc:
        pytest.fail(str(exc))


@contextmanager
def started(server):
    """Enter a server's context (deploy/district.py) for the block, as a test failure if it does not start."""
    with as_test_failure(), server as running:
        yield running


# --- PostgreSQL and Redis ------------------------------------------------------------

@pytest.fixture(scope="session")
def postgres():
    if (why := setup.missing_postgres()) is not None:
        pytest.skip(why)
    with started(setup.postgres_server()) as server:
        yield server


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    if (why := setup.missing_redis()) is not None:
        pytest.skip(why)
    with started(setup.redis_server(tmp_path_factory.mktemp("redis"))) as server:
        yield server


# --- the app over PostgreSQL -------------------------------------------------------

def app_env(tmp: Path, database_url: str, redis: Redis | None = None, **extra: str) -> dict:
    """The environment of a real app process (or a `flask` command) over database_url (and Redis)."""
    return setup.app_env(tmp, database_url, redis, SECRET_KEY, **extra)


def flask_cli(env: dict, *args: str) -> str:
    with as_test_failure():
        return setup.run_flask(env, *args, timeout=120)


@pytest.fixture(scope="session")
def district_db(postgres, tmp_path_factory) -> str:
    """A PostgreSQL database brought up to date by `flask db upgrade`, shared by the session."""
    url = postgres.create_database("district")
    flask_cli(app_env(tmp_path_factory.mktemp("migrate"), url), "db", "upgrade")
    return url


def make_pg_app(database_url: str, tmp: Path, **overrides):
    from plc import create_app

    config = {
        **TEST_SETTINGS,
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOADS_DIR": str(tmp / "uploads"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "SOCKETIO_MESSAGE_QUEUE": None,
        "SOCKETIO_ASYNC_MODE": "threading",
    }
    config.update(overrides)
    return create_app(config, instance_path=str(tmp / "instance"))


def seed_room(database_url: str, tmp: Path, phones=("Ana",)) -> dict:
    """A running meeting with a seat for each phone named, stored in-process in the servers'
    database, and session cookies signed as the servers sign them (same secret key)."""
    from plc.extensions import db
    from plc.meetings import services
    from tests.conftest import gen_meeting, gen_team, gen_user

    app = make_pg_app(database_url, tmp)
    with app.app_context():
        facilitator = gen_user(name="Fran Facilitator")
        team = gen_team(facilitator)
        meeting = gen_meeting(team, facilitator)
        seats = {name: services.join_meeting(meeting, name, "classroom_teacher").token for name in phones}
        signer = app.session_interface.get_signing_serializer(app)
        cookies = {name: signer.dumps({"seats": {str(meeting.id): token}}) for name, token in seats.items()}
        room = {
            "meeting_id": meeting.id,
            "agenda": meeting.agenda,
            "responses_pos": next(i for i, s in enumerate(meeting.agenda) if s["activity"] == "responses"),
            "facilitator_cookie": signer.dumps({"_user_id": str(facilitator.id), "_fresh": True}),
            "phone_cookies": cookies,
            "phone_cookie": cookies[phones[0]],
        }
        db.session.remove()
        db.engine.dispose()
    return room


@pytest.fixture
def pg_app(district_db, tmp_path):
    """The app in-process over the migrated PostgreSQL database, with an app context pushed
    (so tests/conftest.py's gen_* helpers, login, join_as and live_client work on it)."""
    from plc.extensions import db
    from tests.conftest import FreshUserClient

    app = make_pg_app(district_db, tmp_path)
    app.test_client_class = FreshUserClient
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        yield app
        db.session.remove()
        db.engine.dispose()


# --- real app server processes ------------------------------------------------------

@pytest.fixture(scope="session")
def district_servers(district_db, redis_server, tmp_path_factory):
    """Two real app processes (gevent, as `python wsgi.py` serves) over the same PostgreSQL
    database, sharing Socket.IO rooms and rate limits through Redis."""
    tmp = tmp_path_factory.mktemp("servers")
    env = app_env(tmp, district_db, redis_server, PLC_JOIN_ATTEMPTS_LIMIT="4 per minute")
    servers = []
    try:
        for name in ("A", "B"):
            servers.append(setup.start_app(name, env, tmp))
        with as_test_failure():
            for server in servers:
                setup.wait_serving(server)
        yield tuple(servers)
    finally:
        for server in servers:
            stop_process_group(server.process)


@contextmanager
def district_set_up(district_db: str, redis: Redis, postgres: Postgres, tmp: Path, **extra_env: str):
    """The whole district set-up over the session's database and Redis: 2 app processes, the
    worker and HAProxy (deploy/district.py), stopped at the block's end."""
    with started(setup.district_apps(tmp, postgres, redis, district_db, SECRET_KEY, apps=2, **extra_env)) as running:
        yield running


@pytest.fixture(scope="session")
def district(district_db, redis_server, postgres, tmp_path_factory):
    """The district set-up shared by the tests that leave every process running."""
    with district_set_up(district_db, redis_server, postgres, tmp_path_factory.mktemp("district")) as running:
        yield running


@contextmanager
def logs_on_failure(*servers: setup.Server):
    """Fail with the servers' logs attached when the block fails."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001  (any failure gets the logs)
        logs = "\n".join(f"--- {s.name} log ---\n{s.log_tail()}" for s in servers)
        pytest.fail(f"{type(exc).__name__}: {exc}\n{logs}")
