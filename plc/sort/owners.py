"""Who does a next step: a person on the team, with their role. The choices are the meeting's
participants (with the role they joined with) and the team's members (with their team role);
a member who also joined from a phone is listed once, as the participant. Where the meeting
hides names (an anonymous step, or names hidden), nobody is named: the choices are roles."""
from __future__ import annotations

from dataclasses import dataclass

from plc.accounts.models import User
from plc.extensions import db
from plc.meetings.models import Meeting, Participant
from plc.meetings.state import authors_shown
from plc.roles import PARTICIPANT_ROLES, TEAM_ROLES
from plc.sort.errors import SortError
from plc.teams.models import Membership

ROLE_LABELS = {**TEAM_ROLES, **PARTICIPANT_ROLES}


@dataclass(frozen=True)
class Owner:
    key: str  # "participant:<id>" or "member:<user id>": what a form sends
    name: str
    role: str

    def as_choice(self) -> dict:
        return {"key": self.key, "name": self.name, "role": self.role, "label": owner_label(self.name, self.role)}


def owner_label(name: str | None, role: str) -> str:
    """"Ana (Interventionist)"; a step planned before owners were people shows its role only."""
    role_label = ROLE_LABELS.get(role, role)
    return f"{name} ({role_label})" if name else role_label


def owner_choices(meeting: Meeting) -> list[Owner]:
    """The people who can own a next step planned in this meeting now, in the order they joined
    (the roles, where names are hidden)."""
    if not authors_shown(meeting):
        return [Owner(f"role:{role}", "", role) for role in PARTICIPANT_ROLES if role != "other"]
    participants = [Owner(f"participant:{p.id}", p.name, p.role) for p in db.session.execute(
        db.select(Participant.id, Participant.name, Participant.role)
        .where(Participant.meeting_id == meeting.id).order_by(Participant.id))]
    seated = {p.name.casefold() for p in participants}
    members = db.session.execute(
        db.select(User.id, User.name, Membership.role).join(Membership, Membership.user_id == User.id)
        .where(Membership.team_id == meeting.team_id).order_by(Membership.id)
    ).all()
    return participants + [Owner(f"member:{user_id}", name, role) for user_id, name, role in members
                           if name.casefold() not in seated]


def owner_of(meeting: Meeting, key: str) -> Owner:
    """The owner a form chose, if it is one of the meeting's choices; SortError otherwise."""
    owner = next((o for o in owner_choices(meeting) if o.key == key), None)
    if owner is None:
        raise SortError("Choose who does it: a person on the team.")
    return owner
