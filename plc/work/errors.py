from plc.errors import UserError


class WorkRejected(UserError):
    """A file or request about student work that cannot be used; the message says why, for the teacher."""
