"""Fixtures: an app over a fresh SQLite database per test, and small gen_* builders."""
from __future__ import annotations

import itertools

import pytest

from plc import create_app
from plc.extensions import db
from plc.accounts.models import User
from plc.teams.models import Membership, Task, Team, Unit

_seq = itertools.count(1)


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "WTF_CSRF_ENABLED": False,
            "UPLOADS_DIR": str(tmp_path / "uploads"),
            "RATELIMIT_ENABLED": True,
        },
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


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


def gen_task(team: Team, title="Apple boxes", text="A store packs 6 apples in a box. How many boxes for 84 apples?") -> Task:
    unit = Unit(team=team, title="Unit 4: Multiplication and division")
    task = Task(unit=unit, title=title, text=text)
    db.session.add_all([unit, task])
    db.session.commit()
    return task
