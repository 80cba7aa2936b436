from plc.extensions import db
from plc.timeutil import utcnow


class Meeting(db.Model):
    """A live room. Its agenda is a copy of the protocol steps taken when it started,
    so later edits to protocol files never change a meeting in progress."""

    id = db.Column(db.Integer, primary_key=True)
    team_id = db.Column(db.Integer, db.ForeignKey("team.id"), nullable=False, index=True)
    task_id = db.Column(db.Integer, db.ForeignKey("task.id"), nullable=False, index=True)
    facilitator_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    code = db.Column(db.String(6), nullable=False, unique=True)
    agenda = db.Column(db.JSON, nullable=False)
    step_pos = db.Column(db.Integer, nullable=False, default=0)
    # The timer is an end time while it runs, a remainder while paused.
    timer_running = db.Column(db.Boolean, nullable=False, default=False)
    timer_ends_at = db.Column(db.Float)
    timer_remaining = db.Column(db.Float, nullable=False, default=0.0)
    names_hidden = db.Column(db.Boolean, nullable=False, default=False)
    input_locked = db.Column(db.Boolean, nullable=False, default=False)
    spotlight_response_id = db.Column(db.Integer)
    started_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    ended_at = db.Column(db.DateTime)

    team = db.relationship("Team", backref=db.backref("meetings", order_by="Meeting.id.desc()"))
    task = db.relationship("Task")
    facilitator = db.relationship("User")
    participants = db.relationship("Participant", back_populates="meeting", order_by="Participant.id")

    @property
    def protocol_titles(self) -> list[str]:
        """The agenda's protocols in order (an included protocol counts as part of its host)."""
        titles = [step["protocol_title"].split(" · ")[0] for step in self.agenda]
        return list(dict.fromkeys(titles))

    @property
    def current_step(self) -> dict:
        return self.agenda[self.step_pos]


class Participant(db.Model):
    """Someone in the room from a phone; no account needed. The token lives in their
    session cookie so a reload or a dropped network brings back the same participant."""

    id = db.Column(db.Integer, primary_key=True)
    meeting_id = db.Column(db.Integer, db.ForeignKey("meeting.id"), nullable=False, index=True)
    token = db.Column(db.String(64), nullable=False, unique=True)
    name = db.Column(db.String(40), nullable=False)
    role = db.Column(db.String(30), nullable=False)
    joined_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    meeting = db.relationship("Meeting", back_populates="participants")


class Response(db.Model):
    # AUTOINCREMENT: SQLite would otherwise give a withdrawn answer's id to the next answer, which a
    # phone that still remembered the old one would take for its own (PostgreSQL never reuses ids).
    __table_args__ = (db.Index("ix_response_meeting_step", "meeting_id", "step_pos"), {"sqlite_autoincrement": True})

    id = db.Column(db.Integer, primary_key=True)
    meeting_id = db.Column(db.Integer, db.ForeignKey("meeting.id"), nullable=False)
    participant_id = db.Column(
        db.Integer, db.ForeignKey("participant.id"), nullable=False, index=True
    )
    step_pos = db.Column(db.Integer, nullable=False)
    # For steps with several questions (the four anticipation questions), which one.
    field = db.Column(db.String(40))
    text = db.Column(db.Text, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    participant = db.relationship("Participant")
