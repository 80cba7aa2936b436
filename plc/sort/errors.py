"""What the Work Sort refuses, in words for the person who asked."""
from __future__ import annotations

from plc.errors import UserError
from plc.sort.naming import TierFamily


class SortError(UserError):
    """A sort change that cannot be made; the message is for the person who asked."""


class MoveConflict(SortError):
    """Someone else moved the card first: says where it went and who moved it."""

    def __init__(self, sample_id: int, student_label: str, group_name: str, moved_by: str | None):
        self.sample_id = sample_id
        self.student_label = student_label
        self.group_name = group_name
        self.moved_by = moved_by or "Someone"
        super().__init__(f"{self.moved_by} moved {student_label} to “{group_name}” just before you.")

    def without_name(self) -> "MoveConflict":
        """The same conflict told where names are hidden."""
        return MoveConflict(self.sample_id, self.student_label, self.group_name, None)


class TierName(SortError):
    """A tier-like group name: the team is asked to name the thinking instead."""

    def __init__(self, family: TierFamily, message: str):
        self.family = family
        super().__init__(message)
