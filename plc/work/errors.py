class WorkRejected(Exception):
    """A file or request about student work that cannot be used; the message says why, for the teacher."""
