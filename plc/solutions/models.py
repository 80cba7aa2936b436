from plc.extensions import db
from plc.timeutil import utcnow


class SolutionPhoto(db.Model):
    """One teacher's photo of their own solution on one step of a meeting: at most one each,
    which they may replace or remove. Files are clean copies named by the app under uploads/."""

    __table_args__ = (db.UniqueConstraint("meeting_id", "participant_id", "step_pos",
                                          name="uq_solution_photo_meeting_participant_step"),)

    id = db.Column(db.Integer, primary_key=True)
    meeting_id = db.Column(db.Integer, db.ForeignKey("meeting.id"), nullable=False, index=True)
    participant_id = db.Column(db.Integer, db.ForeignKey("participant.id"), nullable=False, index=True)
    step_pos = db.Column(db.Integer, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    # The shown copy (upright, scaled, no metadata) and its thumbnail, and the copy's pixel size.
    image_name = db.Column(db.String(80), nullable=False)
    thumb_name = db.Column(db.String(80), nullable=False)
    width = db.Column(db.Integer, nullable=False)
    height = db.Column(db.Integer, nullable=False)

    meeting = db.relationship("Meeting")
    participant = db.relationship("Participant")

    @property
    def team_id(self) -> int:
        return self.meeting.team_id

    @property
    def files(self) -> list[str]:
        return [self.image_name, self.thumb_name]
