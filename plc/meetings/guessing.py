"""Guessing join codes stays slow, and a school behind one address still gets in.

Only wrong codes count: per address (JOIN_ATTEMPTS_LIMIT, high enough that a full room mistyping
does not reach it) and per code tried (JOIN_CODE_GUESSES_LIMIT: many addresses trying one code).
Right codes never count, and opening the join page or a QR link is never refused. Once an
address has used its tries, its codes are not looked up until the window passes, so a right
guess tells it nothing either. Counts live in Flask-Limiter's storage (RATELIMIT_STORAGE_URI),
shared by every server process.
"""
from __future__ import annotations

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse

from plc.extensions import limiter
from plc.meetings.services import MeetingError


class TooManyGuesses(MeetingError):
    def __init__(self):
        super().__init__("Too many wrong codes from this network. Wait a minute, then check the code on the screen.")


def _from_this_address():
    return parse(current_app.config["JOIN_ATTEMPTS_LIMIT"]), ("join-wrong-codes-from", get_remote_address())


def _of_code(code: str):
    return parse(current_app.config["JOIN_CODE_GUESSES_LIMIT"]), ("join-tries-of-code", code)


def guessing_blocked(code: str) -> bool:
    """This address has used its wrong codes for now, or this code has been tried too often."""
    return limiter.enabled and any(
        not limiter.limiter.test(item, *key) for item, key in (_from_this_address(), _of_code(code)))


def count_wrong_code(code: str) -> None:
    if limiter.enabled:
        for item, key in (_from_this_address(), _of_code(code)):
            limiter.limiter.hit(item, *key)
