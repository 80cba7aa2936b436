"""What the benchmarks' setup modules share. Each runs in a subprocess with the PLC_*
environment of the server under test (bench.harness.seed_database starts it), seeds the
database with the app's own models and services, and prints JSON for the harness: the
signed session cookies that seat the facilitator and the phones without logging in.

--create-all, anywhere on a setup's command line, makes the tables from the models
(db.create_all) instead of relying on `flask db upgrade`: the fallback when the
migrations lag behind the models.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask

from plc import create_app
from plc import models  # noqa: F401  (every table, for db.create_all)
from plc.accounts.models import User
from plc.extensions import db
from plc.meetings import services as meetings
from plc.protocols import load_protocols

ROLES = ["classroom_teacher", "interventionist", "special_educator", "coach", "other"]
FIRST_NAMES = ["Ana", "Ben", "Cy", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea"]


def setup_main(seed: Callable[[bool, list[str]], dict]) -> None:
    """A setup module's command line: `seed(create_all, the other arguments)`, printed as JSON."""
    argv = sys.argv[1:]
    json.dump(seed("--create-all" in argv, [a for a in argv if a != "--create-all"]), sys.stdout)


@contextmanager
def seeding_app(create_all: bool) -> Iterator[Flask]:
    """The app, inside its app context, with its tables (db.create_all with create_all)."""
    app = create_app()
    with app.app_context():
        if create_all:
            db.create_all()
        yield app
        db.session.remove()


def loaded_protocols(app: Flask) -> dict:
    return load_protocols(app.config["PROTOCOLS_DIR"])


def bench_user(name: str, email: str) -> User:
    """A facilitator who never logs in with a password: its session cookie is signed instead."""
    user = User(name=name, email=email)
    user.password_hash = "!"
    return user


def cookie_name(app: Flask) -> str:
    return app.config.get("SESSION_COOKIE_NAME", "session")


def signed_session(app: Flask, session: dict) -> str:
    """The session cookie's value, signed as the app signs it."""
    return app.session_interface.get_signing_serializer(app).dumps(session)


def user_cookie(app: Flask, user: User) -> str:
    return signed_session(app, {"_user_id": str(user.id), "_fresh": True})


def phone_name(n: int) -> str:
    return f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {n + 1}"


def join_phones(app: Flask, meeting, names: list[str]) -> list[str]:
    """Seat one phone per name in the meeting (roles taking turns); their session cookies."""
    cookies = []
    for n, name in enumerate(names):
        participant = meetings.join_meeting(meeting, name, ROLES[n % len(ROLES)])
        cookies.append(signed_session(app, {"seats": {str(meeting.id): participant.token}}))
    return cookies
