import secrets

from plc.extensions import db
from plc.timeutil import utcnow


def new_invite_token() -> str:
    return secrets.token_urlsafe(16)


class Team(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False)
    invite_token = db.Column(db.String(40), nullable=False, unique=True, default=new_invite_token)
    # Student work: the unblurred original photo is thrown away unless the team keeps it.
    keep_originals = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    # Kept originals are removed after this many days (None: kept until deleted by hand).
    originals_retention_days = db.Column(db.Integer)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # The team's own norms, one a line: shown on the protocols' norms steps instead of their fixed text.
    norms = db.Column(db.Text, nullable=False, default="", server_default="")
    norms_changed_by = db.Column(db.String(80))  # the account's name then
    norms_changed_at = db.Column(db.DateTime)

    memberships = db.relationship("Membership", back_populates="team", cascade="all, delete-orphan")
    units = db.relationship("Unit", back_populates="team", order_by="Unit.id")


class Membership(db.Model):
    __table_args__ = (db.UniqueConstraint("team_id", "user_id"),)

    id = db.Column(db.Integer, primary_key=True)
    team_id = db.Column(db.Integer, db.ForeignKey("team.id"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    role = db.Column(db.String(20), nullable=False, default="member")
    joined_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    team = db.relationship("Team", back_populates="memberships")
    user = db.relationship("User", back_populates="memberships")


class Unit(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    team_id = db.Column(db.Integer, db.ForeignKey("team.id"), nullable=False, index=True)
    title = db.Column(db.String(160), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    team = db.relationship("Team", back_populates="units")
    tasks = db.relationship("Task", back_populates="unit", order_by="Task.id")


class Task(db.Model):
    """A rich math problem the team solves, anticipates and then sorts student work for."""

    id = db.Column(db.Integer, primary_key=True)
    unit_id = db.Column(db.Integer, db.ForeignKey("unit.id"), nullable=False, index=True)
    title = db.Column(db.String(160), nullable=False)
    # The story or situation, and apart from it the question: Problem Introduction holds the
    # question back until its step "The question"; every other protocol shows both.
    context = db.Column(db.Text, nullable=False)
    question = db.Column(db.Text, nullable=False, default="", server_default="")
    # Generated file name under the uploads folder; served only to the team.
    image_name = db.Column(db.String(80))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    unit = db.relationship("Unit", back_populates="tasks")


class Strategy(db.Model):
    """An entry of the team's shared vocabulary of strategies and models."""

    __table_args__ = (db.UniqueConstraint("team_id", "key"),)

    id = db.Column(db.Integer, primary_key=True)
    team_id = db.Column(db.Integer, db.ForeignKey("team.id"), nullable=False, index=True)
    name = db.Column(db.String(60), nullable=False)
    key = db.Column(db.String(60), nullable=False)  # the name folded, so "Makes a Ten" is "makes a ten"
    definition = db.Column(db.String(200), nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class CriticalStrategy(db.Model):
    """A strategy of the team's vocabulary the team counts as critical for a unit: the Work Sort's
    patterns name those nobody used."""

    __table_args__ = (db.UniqueConstraint("unit_id", "strategy_id"),)

    id = db.Column(db.Integer, primary_key=True)
    unit_id = db.Column(db.Integer, db.ForeignKey("unit.id", ondelete="CASCADE"), nullable=False, index=True)
    strategy_id = db.Column(db.Integer, db.ForeignKey("strategy.id", ondelete="CASCADE"), nullable=False)

    strategy = db.relationship("Strategy")


class KeyWord(db.Model):
    """A word the team agreed to use in one sense ("fluency", "reasoning"): what it looks like
    in student work. Shown wherever the word appears in a meeting, and beside the vocabulary."""

    __table_args__ = (db.UniqueConstraint("team_id", "key"),)

    id = db.Column(db.Integer, primary_key=True)
    team_id = db.Column(db.Integer, db.ForeignKey("team.id"), nullable=False, index=True)
    word = db.Column(db.String(40), nullable=False)
    key = db.Column(db.String(40), nullable=False)  # the word folded, so "Fluency" is "fluency"
    meaning = db.Column(db.String(400), nullable=False)
    changed_by = db.Column(db.String(80), nullable=False)  # the account's name then
    changed_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class DeletionRecord(db.Model):
    """Who deleted what, and when: kept after the thing itself is gone for good."""

    id = db.Column(db.Integer, primary_key=True)
    team_id = db.Column(db.Integer, db.ForeignKey("team.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="SET NULL"))
    by_name = db.Column(db.String(80), nullable=False)  # the account's name then, or "Retention setting"
    kind = db.Column(db.String(20), nullable=False)  # sample, sort, meeting, unit, originals
    description = db.Column(db.String(300), nullable=False)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
