"""What clients receive about a sort, and the snapshot kept when it closes."""
from __future__ import annotations

from plc.meetings.models import Meeting
from plc.roles import PARTICIPANT_ROLES
from plc.sort import services
from plc.sort.models import AUDIENCES, Sort
from plc.teams.services import vocabulary

OWNER_ROLES = {key: label for key, label in PARTICIPANT_ROLES.items() if key != "other"}
TEXT_EXCERPT_CHARS = 300


def board_mode(meeting: Meeting) -> str:
    """What the board allows on the current step: look, sort, describe, patterns, sequence or plan."""
    step = meeting.current_step
    if step["activity"] == "next_steps":
        return "plan"
    return step.get("board") or "sort"


def group_payload(group) -> dict:
    return {
        "id": group.id,
        "name": group.name,
        "kind": group.kind,
        "strategy_id": group.strategy_id,
        "definition": group.strategy.definition if group.strategy else None,
        "tier_name_kept_by": group.tier_name_kept_by,
        **{field: getattr(group, field) for field in services.NOTE_FIELDS},
    }


def next_step_payload(step) -> dict:
    return {
        "id": step.id,
        "group_id": step.group_id,
        "move": step.move,
        "audience": step.audience,
        "audience_label": AUDIENCES[step.audience],
        "owner_role": step.owner_role,
        "owner_label": OWNER_ROLES.get(step.owner_role, step.owner_role),
        "due_on": step.due_on.isoformat() if step.due_on else None,
        "student_label": step.student_label,
        "student_note": step.student_note,
        "status": step.status,
    }


def _board(sort: Sort) -> dict:
    board = services.columns(sort)
    placed = [p for p in sort.placements if p.version or p.share_rank is not None]
    return {
        "columns": [{"group_id": g, "sample_ids": ids} for g, ids in board.items()],
        "cards": {p.sample_id: {"version": p.version, "moved_by": p.moved_by} for p in placed},
        "share": [p.sample_id for p in sorted(sort.placements, key=lambda p: p.share_rank or 0)
                  if p.share_rank is not None],
        "patterns": services.patterns(sort, board),
    }


def sort_payload(sort: Sort, meeting: Meeting) -> dict:
    return {
        "id": sort.id,
        "version": sort.version,
        "revision": sort.revision,
        "open": sort.is_open,
        "closed_by": sort.closed_by,
        "locked": sort.board_locked,
        "mode": board_mode(meeting),
        "groups": [group_payload(g) for g in sort.groups],
        "next_steps": [next_step_payload(s) for s in sort.next_steps],
        "vocabulary": [{"id": s.id, "name": s.name, "definition": s.definition}
                       for s in vocabulary(sort.team_id)],
        "can_undo": services.can_undo(sort),
        "audiences": AUDIENCES,
        "owner_roles": OWNER_ROLES,
        **_board(sort),
    }


def snapshot_of(sort: Sort) -> dict:
    """Everything a coach needs later, copied: later edits to samples or names change nothing here."""
    samples = services.sort_samples(sort)
    return {
        "version": sort.version,
        "groups": [{**group_payload(g), "strategy_name": g.strategy.name if g.strategy else None}
                   for g in sort.groups],
        "next_steps": [next_step_payload(s) for s in sort.next_steps],
        "samples": [{"id": s.id, "label": s.student_label, "text": (s.text or "")[:TEXT_EXCERPT_CHARS],
                     "image_name": s.image_name, "thumb_name": s.thumb_name} for s in samples],
        **_board(sort),
    }
