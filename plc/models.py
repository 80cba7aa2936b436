"""Imports every model so Flask-Migrate and create_all see all tables."""
from plc.accounts.models import User  # noqa: F401
from plc.meetings.models import Meeting, Participant, Response  # noqa: F401
from plc.sort.models import Move, NextStep, Placement, Sort, SortGroup  # noqa: F401
from plc.teams.models import DeletionRecord, Membership, Strategy, Task, Team, Unit  # noqa: F401
from plc.work.models import WorkSample  # noqa: F401
from plc.solutions.models import SolutionPhoto  # noqa: F401
