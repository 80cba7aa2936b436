"""The one kind of error meant for a person to read.

Every feature raises `UserError` (or a subclass of its own); routes and Socket.IO events
turn it into a message for whoever asked, and nothing is changed.
"""


class UserError(Exception):
    """What was asked cannot be done; the message says why and what to do, in the user's words."""


def too_long(what: str, length: int, limit: int, advice: str = "Shorten it.") -> str:
    """The message for text over its limit: how long it is, the limit, and what to do about it.
    e.g. "Your answer is 2,000 characters; the limit is 500. Shorten it or split it into two answers." """
    return f"{what} is {length:,} characters; the limit is {limit:,}. {advice}"
