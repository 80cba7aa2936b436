"""What clients receive about a sort: the whole sort (`sort`), and a move's delta (`sort:moved`).
A meeting that hides names (an anonymous step, or names hidden) receives them without any."""
from __future__ import annotations

from plc.meetings.models import Meeting
from plc.meetings.state import authors_shown
from plc.roles import PARTICIPANT_ROLES
from plc.sort import queries
from plc.sort.models import AUDIENCES, NOTE_FIELDS, Placement, Sort
from plc.sort.naming import tier_family
from plc.sort.steps import board_mode
from plc.teams.services import vocabulary

OWNER_ROLES = {key: label for key, label in PARTICIPANT_ROLES.items() if key != "other"}
# Only a facilitator can keep a tier-like group name: who, where names are hidden.
KEPT_BY_A_FACILITATOR = "the facilitator"
# The anticipation questions whose answers the board shows: stuck points beside "Issues we see",
# prepared questions beside the next steps.
ANTICIPATIONS_SHOWN = ("stuck", "questions")


def _attributes(row, *names: str) -> dict:
    return {name: getattr(row, name) for name in names}


def group_payload(group, names: bool = True) -> dict:
    """A group; `tier_like` names the tier family of a tier-like name nobody kept (an anticipated
    strategy seeds its group as written), for the board to flag until it is renamed or kept.
    Without `names`, who kept a tier-like name is not said."""
    family = None if group.tier_name_kept_by else tier_family(group.name)
    payload = {
        **_attributes(group, "id", "name", "kind", "strategy_id", "tier_name_kept_by", "anticipated_as",
                      "anticipated_by", *NOTE_FIELDS),
        "definition": group.strategy.definition if group.strategy else None,
        "tier_like": family.label if family else None,
    }
    if not names and group.tier_name_kept_by:
        payload["tier_name_kept_by"] = KEPT_BY_A_FACILITATOR
    if not names:
        payload["anticipated_by"] = None
    return payload


def anticipations_payload(sort: Sort, names: bool) -> dict:
    """What the team anticipated students might get stuck on, and the questions it prepared (from
    Doing Math Together), for "Issues we see" and the next steps; with who said each only where
    names show and it was not said on an anonymous step."""
    answers = queries.anticipation_answers(sort.task_id, *ANTICIPATIONS_SHOWN)
    return {field: [{"text": a.text, "by": a.by if names else None} for a in answers[field]]
            for field in ANTICIPATIONS_SHOWN}


def next_step_payload(step) -> dict:
    return {
        **_attributes(step, "id", "group_id", "move", "audience", "owner_role", "student_label", "student_note",
                      "status"),
        "audience_label": AUDIENCES[step.audience],
        "owner_label": OWNER_ROLES.get(step.owner_role, step.owner_role),
        "due_on": step.due_on.isoformat() if step.due_on else None,
    }


def board_payload(sort: Sort, names: bool = True) -> dict:
    """The columns, the cards that moved (their version and mover), the share order and the patterns."""
    board = queries.columns(sort)
    placed = [p for p in sort.placements if p.version or p.share_rank is not None]
    return {
        "columns": [{"group_id": g, "sample_ids": ids} for g, ids in board.items()],
        "cards": {p.sample_id: {"version": p.version, "moved_by": p.moved_by if names else None} for p in placed},
        "share": [p.sample_id for p in sorted(sort.placements, key=lambda p: p.share_rank or 0)
                  if p.share_rank is not None],
        "patterns": queries.patterns(sort, board),
    }


def sort_payload(sort: Sort, meeting: Meeting) -> dict:
    """The whole sort, as a meeting on its task shows it (the board mode and whether names show are
    that meeting's)."""
    names = authors_shown(meeting)
    return {
        "id": sort.id,
        "version": sort.version,
        "revision": sort.revision,
        "open": sort.is_open,
        "closed_by": sort.closed_by if names else None,
        "locked": sort.board_locked,
        "mode": board_mode(meeting),
        "groups": [group_payload(g, names) for g in sort.groups],
        "next_steps": [next_step_payload(s) for s in sort.next_steps],
        "vocabulary": [{"id": s.id, "name": s.name, "definition": s.definition}
                       for s in vocabulary(sort.team_id)],
        "anticipations": anticipations_payload(sort, names),
        "can_undo": queries.can_undo(sort),
        "audiences": AUDIENCES,
        "owner_roles": OWNER_ROLES,
        **board_payload(sort, names),
    }


def moved_payload(sort: Sort, placement: Placement, board: dict, touched: list[int | None],
                  can_undo: bool) -> dict:
    """A card's move (or its undoing): the new order of the columns it touched, and the patterns."""
    return {
        "sort_id": sort.id,
        "revision": sort.revision,
        "sample_id": placement.sample_id,
        "version": placement.version,
        "moved_by": placement.moved_by,
        "columns": [{"group_id": g, "sample_ids": board[g]} for g in touched],
        "patterns": queries.patterns(sort, board),
        "can_undo": can_undo,
    }


def undo_notice(undone, by: str | None, by_facilitator: bool, names: bool) -> str:
    """What the room is told about an undo (`undone`: a commands.Undone; `by`: the undoer's name
    as kept): who undid whose move of which card, without names where names are hidden."""
    undoer = "The facilitator" if by_facilitator else (by if names and by else "Someone")
    if undone.own:
        whose = "their own"
    else:
        whose = f"{undone.moved_by}'s" if names and undone.moved_by else "someone's"
    return f"{undoer} undid {whose} move of {undone.student_label}."
