"""Deleting for good, and removing kept original photos after the team's retention period.

Retention confirms, orchestrates and records; each feature deletes what it owns, answering the
signals of plc/deletion.py in its own `deletion` module. Each deletion runs in one transaction
together with its DeletionRecord (who, what, when); files are removed only once that
transaction has committed, so a deletion that fails leaves everything as it was, and live
rooms are told last.

What goes with what:
- a sample: its files (upload, kept original, blurred image, thumbnail), its text, its
  cards in every sort, and its entry in every closed sort's snapshot (privacy beats the
  snapshot's immutability);
- a sort: that version, with its groups, placements, moves and next steps;
- a meeting: the meeting, its participants and their responses; samples and sorts belong
  to the task and stay (they only forget the meeting);
- a unit: its tasks and their pictures, their meetings, samples (with files) and sorts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select

from plc import storage
from plc.deletion import MEETING, SAMPLE, SORT, TURNS, UNIT, CannotDelete, Deletable, count, originals_expired
from plc.extensions import db
from plc.teams.models import DeletionRecord, Team
from plc.timeutil import utcnow

RETENTION_BY = "Retention setting"
NOTHING_ELSE = "its record"


@dataclass
class Removal:
    """What a deletion takes away, in words: shown on the confirmation page, kept in the record."""

    kind: str
    title: str
    goes: list[str]
    stays: list[str] = field(default_factory=list)
    blocked: str | None = None

    @property
    def description(self) -> str:
        text = f"{self.title}: {', '.join(self.goes)}" if self.goes else self.title
        return text if len(text) <= 300 else text[:299] + "…"


def _record(team_id: int, kind: str, description: str, by=None) -> DeletionRecord:
    record = DeletionRecord(team_id=team_id, kind=kind, description=description[:300],
                            user_id=by.id if by is not None else None,
                            by_name=(by.name if by is not None else RETENTION_BY)[:80])
    db.session.add(record)
    return record


def removal_of(what: Deletable, thing) -> Removal:
    """Every feature's part of deleting `thing`, in turn order; the first refusal wins."""
    parts = [part for turn in TURNS for _, part in what.describing.send(turn, thing=thing) if part is not None]
    title = next((part.title for part in parts if part.title), None)
    if title is None:
        raise LookupError(f"no feature describes a {what.kind}: is its deletion module imported?")
    return Removal(what.kind, title, [line for part in parts for line in part.goes] or [NOTHING_ELSE],
                   [line for part in parts for line in part.stays],
                   next((part.blocked for part in parts if part.blocked), None))


def delete(what: Deletable, thing, by) -> Removal:
    """Refuse a blocked removal; else have every feature delete its part (the last turn first),
    record it in the same transaction, commit, and only then remove the files and tell the
    live rooms. A feature that finds it cannot delete after all rolls everything back."""
    removal = removal_of(what, thing)
    if removal.blocked:
        raise CannotDelete(removal.blocked)
    team_id = thing.team_id
    try:
        files = [name for turn in reversed(TURNS)
                 for _, names in what.deleting.send(turn, thing=thing) for name in names or ()]
        _record(team_id, removal.kind, removal.description, by)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    storage.delete(*files)
    for turn in TURNS:
        what.deleted.send(turn, thing=thing)
    return removal


sample_removal = partial(removal_of, SAMPLE)
sort_removal = partial(removal_of, SORT)
meeting_removal = partial(removal_of, MEETING)
unit_removal = partial(removal_of, UNIT)
delete_sample = partial(delete, SAMPLE)
delete_sort = partial(delete, SORT)
delete_meeting = partial(delete, MEETING)
delete_unit = partial(delete, UNIT)


# --- kept originals ------------------------------------------------------------------

def remove_expired_originals(team: Team, now: datetime | None = None) -> int:
    """Remove the team's kept original photos older than its retention period.

    Only the unblurred originals go: the blurred image, thumbnail, text and sorts stay.
    One DeletionRecord per run that removed anything. Returns how many were removed."""
    days = team.originals_retention_days
    if not team.keep_originals or not days:
        return 0
    before = (now or utcnow()) - timedelta(days=days)
    removed = [name for _, names in originals_expired.send(team, before=before) for name in names]
    if not removed:
        db.session.rollback()
        return 0
    _record(team.id, "originals",
            f"{count(len(removed), 'original photo')} of student work older than {count(days, 'day')} "
            "(blurred images, text and sorts kept)")
    db.session.commit()
    storage.delete(*removed)
    return len(removed)


def remove_all_expired_originals(now: datetime | None = None) -> dict[int, int]:
    """remove_expired_originals for every team with a retention period; {team id: originals removed}."""
    teams = db.session.execute(
        select(Team).where(Team.keep_originals.is_(True), Team.originals_retention_days.is_not(None))
        .order_by(Team.id)
    ).scalars().all()
    return {team.id: remove_expired_originals(team, now) for team in teams}
