"""The snapshot of a closed sort: what a coach reviews later, copied when the team closes it.

Its shape is `Snapshot`, stored as JSON in `Sort.snapshot`: `take_snapshot` copies it from an
open sort, `load_snapshot` reads it back from the column, `Snapshot.dump` gives the JSON to
store, and `Snapshot.without_samples` takes deleted student work out of it. Nothing else reads
or writes the JSON itself.
"""
from __future__ import annotations

from collections.abc import Collection

from pydantic import BaseModel, ConfigDict

from plc.sort import queries
from plc.sort.models import Sort
from plc.sort.payloads import board_payload, group_payload, next_step_payload

TEXT_EXCERPT_CHARS = 300


class Entry(BaseModel):
    # A closed sort's snapshot never changes: new snapshots are made, never edited.
    model_config = ConfigDict(frozen=True)


class SampleEntry(Entry):
    """A card as it was: the student's code, the start of its text, its blurred image files."""

    id: int
    label: str
    text: str = ""
    image_name: str | None = None
    thumb_name: str | None = None


class GroupEntry(Entry):
    """A group as the board showed it, with its notes and the vocabulary name it was linked to."""

    id: int
    name: str
    kind: str  # anticipated, unanticipated or added (see SortGroup.kind)
    strategy_id: int | None = None
    definition: str | None = None
    tier_name_kept_by: str | None = None
    anticipated_as: str | None = None  # an anticipated group's wording, kept through renames
    anticipated_by: str | None = None
    showing: str = ""
    telling: str = ""
    build_on: str = ""
    issues: str = ""
    strategy_name: str | None = None


class NextStepEntry(Entry):
    """A next step as planned; what became of it lives on in the NextStep row."""

    id: int
    group_id: int
    move: str
    audience: str
    audience_label: str
    owner_role: str
    owner_label: str
    due_on: str | None = None  # ISO date
    student_label: str | None = None
    student_note: str | None = None
    status: str = "planned"


class Column(Entry):
    group_id: int | None  # None: the unsorted tray
    sample_ids: list[int]


class Card(Entry):
    version: int
    moved_by: str | None = None


class GroupCount(Entry):
    group_id: int
    name: str
    count: int


class Patterns(Entry):
    """What the Patterns step showed (see plc.sort.queries.patterns_of)."""

    counts: list[GroupCount]
    unsorted: int
    nobody_used: list[str]
    unanticipated: list[str]
    in_unanticipated: int
    critical: list[str] = []  # snapshots taken before critical strategies have none
    critical_nobody_used: list[str] = []


class CriticalEntry(Entry):
    """A strategy the team counted as critical for the unit when the sort closed."""

    id: int
    name: str


class Snapshot(Entry):
    version: int
    groups: list[GroupEntry]
    next_steps: list[NextStepEntry]
    samples: list[SampleEntry]
    columns: list[Column]  # the tray first, then the groups, cards in board order
    cards: dict[int, Card]  # the cards that were moved or shared
    share: list[int]  # the samples shared in the class discussion, in order
    patterns: Patterns
    # Anticipated groups the facilitator removed (their wording), and the unit's critical
    # strategies: what the patterns are counted from besides the groups.
    dropped_anticipations: list[str] = []
    critical: list[CriticalEntry] = []

    def dump(self) -> dict:
        """The JSON to store (card ids become strings as JSON object keys)."""
        return self.model_dump(mode="json")

    def board(self) -> dict[int | None, list[int]]:
        """Sample ids per group id (None: the tray), in board order."""
        return {column.group_id: column.sample_ids for column in self.columns}

    def shows_any(self, sample_ids: Collection[int]) -> bool:
        return any(entry.id in sample_ids for entry in self.samples)

    def files_of(self, sample_ids: Collection[int] | None = None) -> list[str]:
        """The image files these samples' entries name (every entry's, without `sample_ids`)."""
        return [name for entry in self.samples if sample_ids is None or entry.id in sample_ids
                for name in (entry.image_name, entry.thumb_name) if name]

    def without_samples(self, sample_ids: Collection[int]) -> Snapshot:
        """The snapshot as if these samples had never been sorted: their entries, cards, places in
        the columns and in the share order are gone, and the patterns count what is left."""
        columns = [Column(group_id=c.group_id, sample_ids=[sid for sid in c.sample_ids if sid not in sample_ids])
                   for c in self.columns]
        board = {c.group_id: c.sample_ids for c in columns}
        return self.model_copy(update={
            "samples": [entry for entry in self.samples if entry.id not in sample_ids],
            "columns": columns,
            "cards": {sid: card for sid, card in self.cards.items() if sid not in sample_ids},
            "share": [sid for sid in self.share if sid not in sample_ids],
            "patterns": Patterns.model_validate(queries.patterns_of(self.groups, board, self.dropped_anticipations,
                                                                    self.critical)),
        })


def take_snapshot(sort: Sort) -> Snapshot:
    """Everything a coach needs later, copied from the open sort as its clients see it: later
    edits to samples or names change nothing here."""
    return Snapshot(
        version=sort.version,
        groups=[GroupEntry(**group_payload(g), strategy_name=g.strategy.name if g.strategy else None)
                for g in sort.groups],
        next_steps=[NextStepEntry(**next_step_payload(s)) for s in sort.next_steps],
        samples=[SampleEntry(id=s.id, label=s.student_label, text=(s.text or "")[:TEXT_EXCERPT_CHARS],
                             image_name=s.image_name, thumb_name=s.thumb_name)
                 for s in queries.sort_samples(sort)],
        **board_payload(sort),
        dropped_anticipations=[d["name"] for d in sort.dropped],
        critical=[CriticalEntry(id=c.id, name=c.name) for c in queries.critical_strategies(sort.task_id)],
    )


def load_snapshot(data: dict) -> Snapshot:
    """A stored snapshot (the JSON of `Sort.snapshot`), typed."""
    return Snapshot.model_validate(data)
