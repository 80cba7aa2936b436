"""A Work Sort: groups named by thinking, where each sample sits, next steps, and the
snapshot kept when the team closes it.

A task has at most one open sort; closing freezes it (`snapshot`), reopening starts the
next version from that snapshot. Every change bumps the sort's `revision`, so a client
can tell whether it missed a broadcast.
"""
from sqlalchemy.orm import validates

from plc.extensions import db
from plc.timeutil import utcnow

AUDIENCES = {"whole_class": "Whole class", "small_group": "Small group", "individual": "Individual students"}
NEXT_STEP_STATUSES = ("planned", "tried", "done", "dropped")
# A group's notes, the four questions the team answers about it (columns of SortGroup).
NOTE_FIELDS = ("showing", "telling", "build_on", "issues")
# The longest text each typed field keeps, in characters: checked by commands, shown by the board.
TEXT_LIMITS = {"group_name": 60, "note": 2000, "definition": 200, "move": 1000, "student_label": 12,
               "student_note": 300}


class Sort(db.Model):
    # At most one open sort per task.
    __table_args__ = (db.Index("uq_sort_open_task", "task_id", unique=True,
                               sqlite_where=db.text("closed_at IS NULL"),
                               postgresql_where=db.text("closed_at IS NULL")),)

    id = db.Column(db.Integer, primary_key=True)
    team_id = db.Column(db.Integer, db.ForeignKey("team.id"), nullable=False, index=True)
    task_id = db.Column(db.Integer, db.ForeignKey("task.id"), nullable=False, index=True)
    meeting_id = db.Column(db.Integer, db.ForeignKey("meeting.id"), index=True)  # where it was opened
    version = db.Column(db.Integer, nullable=False, default=1)
    revision = db.Column(db.Integer, nullable=False, default=0)
    board_locked = db.Column(db.Boolean, nullable=False, default=False)  # facilitator-only moves
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    closed_at = db.Column(db.DateTime)
    closed_by = db.Column(db.String(80))
    snapshot = db.Column(db.JSON)
    # Anticipated groups the facilitator removed: [{"name": wording, "by": who anticipated it}]. They
    # still count in "anticipated, but nobody used", and late anticipations never bring them back.
    dropped_anticipations = db.Column(db.JSON)

    # A group or next step taken out of its list while sorting is deleted (delete-orphan, which
    # SQLAlchemy allows only with "all"). Deleting a whole sort is plc/sort/deletion.py's.
    groups = db.relationship("SortGroup", back_populates="sort", cascade="all, delete-orphan",
                             order_by="SortGroup.position")
    placements = db.relationship("Placement", back_populates="sort")
    next_steps = db.relationship("NextStep", back_populates="sort", cascade="all, delete-orphan",
                                 order_by="NextStep.id")
    moves = db.relationship("Move", order_by="Move.id")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def dropped(self) -> list[dict]:
        return list(self.dropped_anticipations or [])

    @validates("snapshot")
    def _snapshot_once(self, key, value):
        if self.snapshot is not None:
            raise ValueError("A closed sort's snapshot never changes.")
        return value


class SortGroup(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    sort_id = db.Column(db.Integer, db.ForeignKey("sort.id"), nullable=False, index=True)
    name = db.Column(db.String(60), nullable=False)
    position = db.Column(db.Integer, nullable=False, default=0)
    # "anticipated" (from Doing Math Together), "unanticipated" (the catch-all) or "added" during the sort.
    kind = db.Column(db.String(14), nullable=False, default="added")
    strategy_id = db.Column(db.Integer, db.ForeignKey("strategy.id"))
    # An anticipated group's wording as anticipated, and who anticipated it first (None on an
    # anonymous step): kept through renames and links to the vocabulary.
    anticipated_as = db.Column(db.String(60))
    anticipated_by = db.Column(db.String(80))
    # A tier-like name kept on purpose: who confirmed it (None for names of thinking).
    tier_name_kept_by = db.Column(db.String(80))
    showing = db.Column(db.Text, nullable=False, default="")  # What are they showing us?
    telling = db.Column(db.Text, nullable=False, default="")  # What are they telling us?
    build_on = db.Column(db.Text, nullable=False, default="")  # Understandings to build on
    issues = db.Column(db.Text, nullable=False, default="")  # Issues seen

    sort = db.relationship("Sort", back_populates="groups")
    strategy = db.relationship("Strategy")


class Placement(db.Model):
    """Where one sample sits in a sort: a group (or the unsorted tray) and a position."""

    __table_args__ = (db.UniqueConstraint("sort_id", "sample_id"),)

    id = db.Column(db.Integer, primary_key=True)
    sort_id = db.Column(db.Integer, db.ForeignKey("sort.id"), nullable=False, index=True)
    # A deleted sample's cards go with it, in the database (plc/work/deletion.py deletes samples).
    sample_id = db.Column(db.Integer, db.ForeignKey("work_sample.id", ondelete="CASCADE"), nullable=False)
    group_id = db.Column(db.Integer, db.ForeignKey("sort_group.id", ondelete="SET NULL"))
    position = db.Column(db.Integer, nullable=False, default=0)
    version = db.Column(db.Integer, nullable=False, default=0)  # bumped by every move of this card
    moved_by = db.Column(db.String(80))
    share_rank = db.Column(db.Integer)  # order in the class discussion, if selected to share

    sort = db.relationship("Sort", back_populates="placements")


class Move(db.Model):
    """One card move, kept so the last moves can be undone while the sort is open."""

    id = db.Column(db.Integer, primary_key=True)
    sort_id = db.Column(db.Integer, db.ForeignKey("sort.id"), nullable=False, index=True)
    sample_id = db.Column(db.Integer, nullable=False)
    from_group_id = db.Column(db.Integer)
    from_position = db.Column(db.Integer, nullable=False)
    to_group_id = db.Column(db.Integer)
    moved_by = db.Column(db.String(80))
    # Whose move it is, to undo only one's own (see commands.mover_key); kept on anonymous steps
    # too, where no name is, and never sent to anyone.
    mover = db.Column(db.String(40))
    undone = db.Column(db.Boolean, nullable=False, default=False)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)


class NextStep(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    sort_id = db.Column(db.Integer, db.ForeignKey("sort.id"), nullable=False, index=True)
    group_id = db.Column(db.Integer, db.ForeignKey("sort_group.id", ondelete="CASCADE"), nullable=False)
    move = db.Column(db.Text, nullable=False)  # the instructional move
    audience = db.Column(db.String(20), nullable=False)
    owner_role = db.Column(db.String(30), nullable=False)
    due_on = db.Column(db.Date)
    student_label = db.Column(db.String(12))  # optional note on a single student
    student_note = db.Column(db.String(300))
    status = db.Column(db.String(10), nullable=False, default="planned")
    reflection = db.Column(db.String(500), nullable=False, default="")
    status_by = db.Column(db.String(80))  # who last set the status or reflection
    status_at = db.Column(db.DateTime)
    created_by = db.Column(db.String(80))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    sort = db.relationship("Sort", back_populates="next_steps")
    group = db.relationship("SortGroup")


class SharedText(db.Model):
    """The Yjs document of one text that several people edit at once (plc/sort/coedit.py): its id
    and whole state, in the database so that every server process merges into the same one. The
    text itself stays in its own column. It goes with its group or next step (ON DELETE CASCADE),
    and is deleted when the text is changed another way, so the next editor starts from the text."""

    id = db.Column(db.Integer, primary_key=True)
    key = db.Column(db.String(60), nullable=False, unique=True)  # "kind:row id:field"
    group_id = db.Column(db.Integer, db.ForeignKey("sort_group.id", ondelete="CASCADE"), index=True)
    next_step_id = db.Column(db.Integer, db.ForeignKey("next_step.id", ondelete="CASCADE"), index=True)
    doc_id = db.Column(db.String(32), nullable=False)
    state = db.Column(db.LargeBinary, nullable=False)
