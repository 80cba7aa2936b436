"""Accounts: creating users, checking passwords and where to go after logging in."""
from __future__ import annotations

import re
from functools import cache

from flask import session
from flask_login import user_logged_in
from sqlalchemy import bindparam, select
from werkzeug.security import check_password_hash, generate_password_hash

from plc.accounts.models import User
from plc.accounts.signals import sessions_ended
from plc.database import MAX_ID
from plc.extensions import db

SESSION_VERSION = "_session_version"

# A path on this site: one leading slash, no backslash, whitespace or control
# characters that a browser could turn into "//other.host".
_LOCAL_PATH = re.compile(r"/(?![/\\])[^\s\\\x00-\x1f\x7f]*")


def normalise_email(email: str | None) -> str | None:
    return email.strip().lower() if email else email


def user_by_email(email: str) -> User | None:
    return db.session.execute(
        db.select(User).filter_by(email=normalise_email(email))
    ).scalar_one_or_none()


def create_user(name: str, email: str, password: str) -> User:
    user = User(name=name.strip(), email=normalise_email(email))
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not a real password")


def authenticate(email: str, password: str) -> User | None:
    """The user with these credentials, or None.

    An unknown email still costs one hash check, so response times do not
    reveal which emails have accounts.
    """
    user = user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if user.check_password(password) else None


@user_logged_in.connect
def _remember_session_version(app, user: User, **_) -> None:
    session[SESSION_VERSION] = user.session_version


def load_user(user_id: str) -> User | None:
    """The user a session logs in, unless they logged out (anywhere) since it was made."""
    try:
        user_id = int(user_id)
    except ValueError:
        return None
    user = db.session.get(User, user_id) if 1 <= user_id <= MAX_ID else None
    return user if user is not None and _is_current(user.session_version) else None


def _is_current(session_version: int) -> bool:
    """Whether this session was made since the user last logged out. A session from before
    session versions holds none: it counts as the first."""
    return session_version == session.get(SESSION_VERSION, 0)


_SESSION_VERSION_OF = select(User.session_version).where(User.id == bindparam("user_id"))


def still_logged_in(user_id: int) -> bool:
    """Whether this session still logs the user in, as `load_user` decides, from one column: a
    live connection's session is fixed when it connects, so only a logout can change the answer,
    and every event of a member asks."""
    version = db.session.connection().execute(_SESSION_VERSION_OF, {"user_id": user_id}).scalar()
    return version is not None and _is_current(version)


def end_sessions(user: User) -> None:
    """Log the user out everywhere: every session made so far stops working, and so does every
    live connection opened with one."""
    user.session_version += 1
    db.session.commit()
    sessions_ended.send(user.id)


def safe_next_url(target: str | None) -> str | None:
    """target if it is a relative path on this site, else None (never an open redirect)."""
    if target and _LOCAL_PATH.fullmatch(target):
        return target
    return None
