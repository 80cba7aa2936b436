"""The one kind of error meant for a person to read.

Every feature raises `UserError` (or a subclass of its own); routes and Socket.IO events
turn it into a message for whoever asked, and nothing is changed.
"""


class UserError(Exception):
    """What was asked cannot be done; the message says why and what to do, in the user's words."""
