from sqlalchemy import and_

from plc.extensions import db
from plc.timeutil import utcnow

# Beside the job's status (plc/work/lifecycle.py), the name check: "clear" (a name found with
# confidence and blurred), "waiting" (the OCR was unsure: nothing of the sample reaches the room
# until a person checks the page), "checked" (a person checked it).
NAME_CHECKS = ("clear", "waiting", "checked")


class WorkSample(db.Model):
    """One page of one student's work for a task. Files are named by the app under uploads/."""

    __table_args__ = (db.Index("ix_work_sample_updated", "updated_at"),)

    id = db.Column(db.Integer, primary_key=True)
    team_id = db.Column(db.Integer, db.ForeignKey("team.id"), nullable=False, index=True)
    task_id = db.Column(db.Integer, db.ForeignKey("task.id"), nullable=False, index=True)
    meeting_id = db.Column(db.Integer, db.ForeignKey("meeting.id"), index=True)
    uploaded_by_user_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    uploaded_by_participant_id = db.Column(db.Integer, db.ForeignKey("participant.id"))
    # A short code or initials chosen by the teacher; never a student's full name.
    student_label = db.Column(db.String(12), nullable=False)
    source_kind = db.Column(db.String(8), nullable=False)
    page = db.Column(db.Integer, nullable=False, default=1)
    incoming_name = db.Column(db.String(80))  # the upload as sent, until processed
    original_name = db.Column(db.String(80))  # upright, unblurred; only if the team keeps originals
    image_name = db.Column(db.String(80))  # what people see: names blurred
    thumb_name = db.Column(db.String(80))
    width = db.Column(db.Integer)
    height = db.Column(db.Integer)
    # The job's state, tries and lease: plc/work/lifecycle.py says what each means and who moves it.
    status = db.Column(db.String(12), nullable=False, default="queued")
    error = db.Column(db.String(300))
    attempts = db.Column(db.Integer, nullable=False, default=0)
    lease_until = db.Column(db.DateTime)
    ocr_text = db.Column(db.Text)
    ocr_confidence = db.Column(db.Float)
    ocr_words = db.Column(db.JSON)
    ocr_engine = db.Column(db.String(20))
    corrected_text = db.Column(db.Text)  # a teacher's correction; the OCR text is kept beside it
    blur_boxes = db.Column(db.JSON, nullable=False, default=list)
    name_check = db.Column(db.String(8), nullable=False, default="clear", server_default="clear")
    name_boxes = db.Column(db.JSON, nullable=False, default=list)  # pixels; their lines are left out of the text
    name_suggestion = db.Column(db.JSON)  # a box the OCR was unsure of, offered on the check view
    check_image_name = db.Column(db.String(80))  # upright, unblurred; only while the name check waits
    content_hash = db.Column(db.String(64), index=True)  # sha256 of the uploaded bytes
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    task = db.relationship("Task")
    meeting = db.relationship("Meeting")

    @property
    def private(self) -> bool:
        """Nothing of it reaches the room: its name check waits, or the checked page's blurred
        views and text are still being made (or their job failed, for "Try again")."""
        return self.name_check == "waiting" or self.check_image_name is not None

    @property
    def text(self) -> str | None:
        return self.corrected_text if self.corrected_text is not None else self.ocr_text


def shown_to_room():
    """The SQL twin of ``not WorkSample.private``, for queries that build what the room sees."""
    return and_(WorkSample.name_check != "waiting", WorkSample.check_image_name.is_(None))
