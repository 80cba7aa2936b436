"""Accounts: creating users, checking passwords and where to go after logging in."""
from __future__ import annotations

import re
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from plc.accounts.models import User
from plc.extensions import db

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


def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def safe_next_url(target: str | None) -> str | None:
    """target if it is a relative path on this site, else None (never an open redirect)."""
    if target and _LOCAL_PATH.fullmatch(target):
        return target
    return None
