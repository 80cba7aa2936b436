from plc.errors import UserError


class WorkRejected(UserError):
    """A file or request about student work that cannot be used; the message says why, for the teacher."""


class AlreadyUploaded(WorkRejected):
    """The same file (same bytes) is already a sample of the task: skipped unless kept on purpose."""

    def __init__(self, label: str):
        super().__init__(f"This picture is already here as {label}.")
        self.label = label
