"""Fixtures: an app over a fresh SQLite database per test, and small gen_* builders."""
from __future__ import annotations

import itertools
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

# Jobs queued by tests go to a throwaway queue (no worker runs unless a test starts one).
os.environ["PLC_TASK_QUEUE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='plc-jobs-')}/jobs.sqlite3"

import pytest  # noqa: E402
from flask import g  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import event  # noqa: E402

from plc import create_app  # noqa: E402
from plc.extensions import db  # noqa: E402
from plc.accounts.models import User  # noqa: E402
from plc.teams.models import Membership, Task, Team, Unit  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
"""Beside the repository: test data and the generator of synthetic student work."""
STUDENT_WORK_GENERATOR = SHARED / "tools" / "make_student_work.py"

_seq = itertools.count(1)


def forget_cached_user() -> None:
    """Tests keep one app context open, so Flask's `g` outlives a request; Flask-Login
    caches the user there. Forget it before each request or event, as a server would."""
    g.pop("_login_user", None)


class FreshUserClient(FlaskClient):
    def open(self, *args, **kwargs):
        forget_cached_user()
        return super().open(*args, **kwargs)


# What every in-process test app sets (the district tests' apps too).
TEST_SETTINGS = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": True,
    # Every broadcast at once, so that a test reads it right after the event that sent it
    # (tests/realtime/test_batching.py turns batching on).
    "LIVE_BATCH_SECONDS": 0,
}


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            **TEST_SETTINGS,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "UPLOADS_DIR": str(tmp_path / "uploads"),
        },
        instance_path=str(tmp_path / "instance"),
    )
    app.test_client_class = FreshUserClient
    from plc.jobs import huey

    huey.flush()
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


@contextmanager
def statements():
    """The SQL statements the app runs inside the block, whitespace collapsed."""
    ran: list[str] = []

    def record(conn, cursor, statement, *args):
        ran.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield ran
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def wait_for(predicate, timeout: float = 5.0) -> None:
    """Wait until predicate() holds (another thread's work), failing after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, user) -> None:
    """Log a test client in as user, as the login form would."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def gen_user(name="Pat Facilitator", email=None, password="a-long-password") -> User:
    user = User(name=name, email=email or f"user{next(_seq)}@example.org")
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def gen_team(owner: User | None = None, name="Grade 3 - Lincoln Elementary", role="facilitator") -> Team:
    team = Team(name=name)
    db.session.add(team)
    if owner is not None:
        db.session.add(Membership(team=team, user=owner, role=role))
    db.session.commit()
    return team


def gen_task(team: Team, title="Apple boxes", context="A store packs 6 apples in a box.",
             question="How many boxes for 84 apples?") -> Task:
    unit = Unit(team=team, title="Unit 4: Multiplication and division")
    task = Task(unit=unit, title=title, context=context, question=question)
    db.session.add_all([unit, task])
    db.session.commit()
    return task


def gen_meeting(team: Team, facilitator: User, protocol_ids=("doing-math-together",), protocols=None):
    from flask import current_app

    from plc.meetings.services import start_meeting
    from plc.protocols import load_protocols

    task = gen_task(team)
    protocols = protocols or load_protocols(current_app.config["PROTOCOLS_DIR"])
    return start_meeting(team, task, facilitator, protocols, list(protocol_ids))


def join_as(app, meeting, name="Ana", role="classroom_teacher"):
    """A phone: a Flask test client that joined through the join form."""
    phone = app.test_client()
    response = phone.post("/join", data={"code": meeting.code, "name": name, "role": role})
    assert response.status_code == 302, response.get_data(as_text=True)
    return phone


class LiveClient:
    """A Socket.IO test client that keeps every event it received, to look at more than once."""

    def __init__(self, sio):
        self.sio = sio
        self.log = []

    def __getattr__(self, name):
        return getattr(self.sio, name)

    def emit(self, *args, **kwargs):
        forget_cached_user()
        return self.sio.emit(*args, **kwargs)

    def events(self):
        if self.sio.is_connected():
            self.log += self.sio.get_received()
        return self.log

    def clear(self):
        self.events()
        self.log = []


def live_client(app, http_client, meeting) -> LiveClient:
    """A Socket.IO test client connected to the meeting with the cookies of http_client."""
    from plc.extensions import socketio

    forget_cached_user()
    return LiveClient(socketio.test_client(app, flask_test_client=http_client, auth={"meeting_id": meeting.id}))


def task_page(app, http_client, auth):
    """A Socket.IO test client of a task's student-work page (namespace /tasks) with the cookies of http_client."""
    from plc.extensions import socketio
    from plc.work.pages import TASK_PAGES

    forget_cached_user()
    return socketio.test_client(app, namespace=TASK_PAGES, flask_test_client=http_client, auth=auth)


def events_named(client: LiveClient, name):
    return [e["args"][0] if e["args"] else None for e in client.events() if e["name"] == name]


@pytest.fixture
def room(app):
    """A running Doing Math Together meeting with its facilitator logged in."""
    facilitator = gen_user()
    team = gen_team(facilitator)
    meeting = gen_meeting(team, facilitator)
    http = app.test_client()
    login(http, facilitator)
    return {"meeting": meeting, "facilitator": facilitator, "team": team, "http": http}
