"""Every change to a Work Sort: opening it, moving cards and undoing moves, groups and their
notes, links to the team's vocabulary, next steps, the share order, the lock, closing and reopening.

Each change first bumps the sort's revision with a conditional UPDATE, which takes the
write lock (SQLite) or the row lock (PostgreSQL): changes to one sort are applied one at
a time, in one order, by every server process. Functions commit, and raise SortError with
a message fit for the person who asked.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from plc.errors import too_long
from plc.extensions import db
from plc.meetings.models import Meeting
from plc.sort import coedit, owners, queries
from plc.sort.errors import MoveConflict, SortError, TierName
from plc.sort.models import AUDIENCES, NOTE_FIELDS, TEXT_LIMITS, Move, NextStep, Placement, Sort, SortGroup
from plc.sort.naming import TierFamily, tier_family, tier_prompt
from plc.sort.ordering import UNPLACED, position_at, spread
from plc.sort.payloads import moved_payload
from plc.sort.queries import name_key
from plc.sort.snapshot import take_snapshot
from plc.sort.steps import BOARD_ACTIVITIES, STILL_MODES, board_mode
from plc.teams.models import Strategy
from plc.timeutil import utcnow

# --- opening --------------------------------------------------------------------

def sort_for_meeting(meeting: Meeting) -> Sort:
    """The sort this meeting works on: the task's latest (open or closed), or a new one opened
    now with the strategies anticipated for the task as its first groups. An anticipated name
    that sounds like a tier is seeded as it was written; the board flags it (see
    payloads.group_payload) until someone renames it or the facilitator keeps it."""
    sort = queries.latest_sort(meeting)
    if sort is not None:
        return sort
    sort = Sort(team_id=meeting.team_id, task_id=meeting.task_id, meeting_id=meeting.id)
    db.session.add(sort)
    for position, anticipation in enumerate(queries.anticipations(meeting.task_id)):
        sort.groups.append(_anticipated_group(meeting.team_id, anticipation, position))
    if sort.groups:
        sort.groups.append(SortGroup(name=queries.UNANTICIPATED, position=len(sort.groups), kind="unanticipated"))
    try:
        db.session.commit()
    except IntegrityError:  # another connection opened it at the same moment
        db.session.rollback()
        return queries.latest_sort(meeting)
    return sort


def sort_to_change(meeting: Meeting, can_control: bool, *, moving: bool = False) -> Sort:
    """The meeting's sort, if someone (the facilitator: `can_control`) may change it now;
    SortError says why not."""
    if meeting.current_step["activity"] not in BOARD_ACTIVITIES:
        raise SortError("The sort board is not open on this step.")
    if moving and board_mode(meeting) in STILL_MODES:
        raise SortError(STILL_MODES[board_mode(meeting)])
    sort = sort_for_meeting(meeting)
    if not can_control:
        if sort.board_locked:
            raise SortError("The facilitator has locked the board for now.")
        if meeting.input_locked:
            raise SortError("Input is locked by the facilitator for now.")
    return sort


def _new_group(team_id: int, name: str, position: int, kind: str) -> SortGroup:
    return SortGroup(name=name, position=position, kind=kind, strategy=queries.strategy_named(team_id, name))


def _anticipated_group(team_id: int, anticipation: queries.Answer, position: int) -> SortGroup:
    """An anticipated strategy's group, which keeps its wording and who anticipated it for good."""
    group = _new_group(team_id, anticipation.text, position, "anticipated")
    group.anticipated_as, group.anticipated_by = anticipation.text, anticipation.by
    return group


def _new_anticipations(sort: Sort) -> list[queries.Answer]:
    """The task's anticipated strategies that no group of the sort holds, by its name or by the
    wording it was anticipated as, and that the facilitator has not removed."""
    known = {name_key(n) for g in sort.groups for n in (g.name, g.anticipated_as) if n}
    known |= {name_key(d["name"]) for d in sort.dropped}
    return [a for a in queries.anticipations(sort.task_id) if name_key(a.text) not in known]


def add_late_anticipations(sort: Sort) -> bool:
    """Strategies anticipated after the sort opened join it as anticipated groups, before the
    “Unanticipated” catch-all. Says whether the sort changed (its revision moved on: broadcast it),
    which it does not when nothing new was anticipated."""
    if not sort.is_open or not _new_anticipations(sort):
        return False
    _begin_change(sort)
    db.session.expire(sort, ["groups", "dropped_anticipations"])  # as they are now that the change is ours
    late = _new_anticipations(sort)
    for anticipation in late:
        sort.groups.append(_anticipated_group(sort.team_id, anticipation, len(sort.groups)))
    for position, group in enumerate(sorted(sort.groups, key=lambda g: g.kind == "unanticipated")):
        group.position = position  # the catch-all stays last
    db.session.commit()
    db.session.expire(sort, ["groups"])  # read back in board order
    return True


_NEXT_REVISION = (db.update(Sort).where(Sort.id == bindparam("sort_id"), Sort.closed_at.is_(None))
                  .values(revision=Sort.revision + 1).returning(Sort.revision))


def _begin_change(sort: Sort) -> None:
    """Serialise changes to one sort and refuse them once it is closed. Call it before reading
    the sort's groups or cards: from here on nobody else changes them until the commit."""
    revision = db.session.execute(_NEXT_REVISION, {"sort_id": sort.id}).scalar_one_or_none()
    if revision is None:
        db.session.rollback()
        raise SortError("This sort is closed. Reopen it to make changes.")
    set_committed_value(sort, "revision", revision)


# --- moving cards -------------------------------------------------------------------

def _placement(sort: Sort, sample_id: int, placed: dict | None = None) -> Placement:
    """The card's placement, made (in the tray) on its first move; `placed` maps sample ids
    to the sort's placements when the caller looks up many."""
    placement = (placed.get(sample_id) if placed is not None
                 else next((p for p in sort.placements if p.sample_id == sample_id), None))
    if placement is None:
        placement = Placement(sample_id=sample_id, group_id=None, position=UNPLACED, version=0)
        sort.placements.append(placement)
    return placement


def _place(sort: Sort, placement: Placement, group_id: int | None, index: int,
           sample_ids: Iterable[int]) -> tuple[dict, list, int]:
    """Put the card at index in group_id (`sample_ids`: the board's cards). A move normally
    writes the moved card's row only; a column with no gap left is renumbered. Returns the board
    after the move, the columns it touched, and where the card was in the one it left."""
    board = queries.columns(sort, sample_ids)
    old = placement.group_id if placement.group_id in board else None
    old_index = board[old].index(placement.sample_id)
    board[old].remove(placement.sample_id)
    target = board[group_id]
    index = max(0, min(index, len(target)))
    placed = {p.sample_id: p for p in sort.placements}
    position = position_at(target, index, placed)
    target.insert(index, placement.sample_id)
    placement.group_id = group_id
    if position is None:
        for sid, renumbered in zip(target, spread(len(target))):
            _placement(sort, sid, placed).position = renumbered
    else:
        placement.position = position
    touched = [old] if old == group_id else [old, group_id]
    return board, touched, old_index


def move_card(sort: Sort, sample_id: int, group_id: int | None, index: int, card_version: int,
              moved_by: str | None, mover: str | None = None) -> dict:
    """Move a card; `card_version` is the card's version the mover saw, `moved_by` the name kept
    with it and `mover` who moved it (for undoing one's own moves). Returns the `sort:moved` payload."""
    _begin_change(sort)
    try:
        cards = queries.cards(sort)
        label = queries.card_label(cards, sample_id)
        queries.group_of(sort, group_id)
        placement = _placement(sort, sample_id)
        if placement.version != card_version:
            raise MoveConflict(sample_id, label, queries.group_name(sort, placement.group_id), placement.moved_by)
        from_group = placement.group_id
        board, touched, from_position = _place(sort, placement, group_id, index, cards)
        placement.version += 1
        placement.moved_by = moved_by
        db.session.add(Move(sort_id=sort.id, sample_id=sample_id, from_group_id=from_group,
                            from_position=from_position, to_group_id=group_id, moved_by=moved_by,
                            mover=mover))
        db.session.commit()
    except SortError:
        db.session.rollback()
        raise
    return moved_payload(sort, placement, board, touched, can_undo=True)


@dataclass(frozen=True)
class Undone:
    """What an undo took back, for the room's notice (payloads.undo_notice)."""

    student_label: str
    moved_by: str | None  # the name kept with the move (none on an anonymous step)
    own: bool  # the undoer's own move


def undo_move(sort: Sort, undone_by: str | None, mover: str, anyone: bool = False) -> tuple[dict, Undone]:
    """Put back the card of `mover`'s last move (anyone's, for the facilitator: `anyone`), if it
    is still where that move put it. Returns the `sort:moved` payload and what was undone."""
    _begin_change(sort)
    try:
        move = queries.last_move(sort, None if anyone else mover)
        if move is None:
            raise SortError("There is no move to undo." if anyone or not queries.can_undo(sort) else
                            "You have no move to undo. “Undo” takes back your own last move; "
                            "the facilitator can take back anyone's.")
        placement = _placement(sort, move.sample_id)
        if placement.group_id != move.to_group_id:
            raise SortError("That card is no longer where the last move put it; move it by hand.")
        cards = queries.cards(sort)
        undone = Undone(queries.card_label(cards, move.sample_id), move.moved_by, own=move.mover == mover)
    except SortError:
        db.session.rollback()
        raise
    group_id = move.from_group_id if any(g.id == move.from_group_id for g in sort.groups) else None
    board, touched, _ = _place(sort, placement, group_id, move.from_position, cards)
    placement.version += 1
    placement.moved_by = undone_by
    move.undone = True
    db.session.commit()
    return moved_payload(sort, placement, board, touched, queries.can_undo(sort)), undone


# --- groups ---------------------------------------------------------------------

def _check_length(what: str, text: str, field: str, advice: str) -> None:
    """Refuse text over its field's limit (TEXT_LIMITS), saying how long it is and what to do."""
    if len(text) > TEXT_LIMITS[field]:
        raise SortError(too_long(what, len(text), TEXT_LIMITS[field], advice))


def _check_name(name: str, keep_tier_name: bool = False, can_control: bool = False) -> TierFamily | None:
    """The tier-name rule, for every way a group gets a name: a name that sounds like a tier is
    refused with the prompt, unless the facilitator keeps it. Returns its family, None for a
    name of thinking."""
    family = tier_family(name)
    if family and not keep_tier_name:
        raise TierName(family, tier_prompt(family))
    if family and not can_control:
        raise SortError("Only the facilitator can keep a name like this. Try naming the thinking instead.")
    return family


def _clean_group_name(sort: Sort, name: str, keep_tier_name: bool, can_control: bool,
                      group: SortGroup | None = None) -> tuple[str, TierFamily | None]:
    """The name as stored, and its tier family when the facilitator keeps a tier-like name."""
    name = re.sub(r"\s+", " ", name).strip()
    if not name:
        raise SortError("Give the group a name: the thinking it shows.")
    _check_length("The group's name", name, "group_name", "Name the thinking in a few words.")
    if any(name_key(g.name) == name_key(name) and g is not group for g in sort.groups):
        raise SortError(f"There is already a group called “{name}”.")
    return name, _check_name(name, keep_tier_name, can_control)


def add_group(sort: Sort, name: str, by: str, keep_tier_name: bool = False, can_control: bool = False) -> SortGroup:
    name, family = _clean_group_name(sort, name, keep_tier_name, can_control)
    _begin_change(sort)
    group = _new_group(sort.team_id, name, len(sort.groups), "added")
    group.tier_name_kept_by = by if family else None
    sort.groups.append(group)
    db.session.commit()
    return group


def rename_group(sort: Sort, group_id: int, name: str, by: str, keep_tier_name: bool = False,
                 can_control: bool = False) -> SortGroup:
    group = queries.group_of(sort, group_id)
    name, family = _clean_group_name(sort, name, keep_tier_name, can_control, group)
    _begin_change(sort)
    group.name = name
    group.tier_name_kept_by = by if family else None
    if group.strategy is None or group.strategy.key != name_key(name):
        group.strategy = queries.strategy_named(sort.team_id, name)
    db.session.commit()
    return group


def remove_group(sort: Sort, group_id: int, can_control: bool = False) -> None:
    """Delete a group; its cards go back to the unsorted tray. Only the facilitator (`can_control`)
    removes an anticipated group, and the sort remembers it: it still counts as anticipated."""
    group = queries.group_of(sort, group_id)
    if group.kind == "anticipated" and not can_control:
        raise SortError("Only the facilitator can remove a group we anticipated. Leave it empty: "
                        "at “Patterns” it shows as anticipated, but nobody used.")
    _begin_change(sort)
    if group.kind == "anticipated":
        sort.dropped_anticipations = [*sort.dropped, {"name": group.anticipated_as or group.name,
                                                      "by": group.anticipated_by}]
    board = queries.columns(sort)
    placed = {p.sample_id: p for p in sort.placements}
    for sid in board[group.id]:
        placed[sid].version += 1
    # The tray, then the group's cards in their order: renumbered, so they come after every tray card.
    tray = board[None] + board[group.id]
    for sid, position in zip(tray, spread(len(tray))):
        placement = _placement(sort, sid, placed)
        placement.group_id, placement.position = None, position
    sort.groups.remove(group)
    for position, g in enumerate(sort.groups):
        g.position = position
    db.session.commit()  # its notes' documents go with it (ON DELETE CASCADE)


def update_notes(sort: Sort, group_id: int, notes: dict[str, str]) -> SortGroup:
    group = queries.group_of(sort, group_id)
    for field, text in notes.items():
        if field not in NOTE_FIELDS:
            raise SortError("Unknown note.")
        _check_length("This note", text.strip(), "note", "Shorten it, or put part of it in another note.")
    _begin_change(sort)
    for field, text in notes.items():
        setattr(group, field, text.strip())
        coedit.forget("group", group.id, field)
    db.session.commit()
    return group


# --- the team's vocabulary ------------------------------------------------------------

def link_group(sort: Sort, group_id: int, strategy_id: int | None = None, definition: str | None = None) -> SortGroup:
    """Link a group to a vocabulary entry (renaming it to the entry's name), or add the
    group's name to the vocabulary with a one-line definition. None unlinks."""
    group = queries.group_of(sort, group_id)
    if group.kind == "unanticipated":
        raise SortError("“Unanticipated” holds work to name later; make a group for the strategy instead.")
    strategy = None
    if definition is not None:
        definition = definition.strip()
        if not definition:
            raise SortError("Write a one-line definition (up to 200 characters).")
        _check_length("The definition", definition, "definition", "Keep it to one line.")
        _check_name(group.name)  # the vocabulary holds names of thinking only, kept or not
        strategy = queries.strategy_named(sort.team_id, group.name)
        if strategy is None:
            strategy = Strategy(team_id=sort.team_id, name=group.name, key=name_key(group.name), definition=definition)
            db.session.add(strategy)
        else:
            strategy.definition = definition
    elif strategy_id is not None:
        strategy = db.session.get(Strategy, strategy_id)
        if strategy is None or strategy.team_id != sort.team_id:
            raise SortError("That strategy is not in this team's vocabulary.")
        _check_name(strategy.name)  # an entry made before the rule read the whole phrase
        clash = next((g for g in sort.groups if g is not group and name_key(g.name) == strategy.key), None)
        if clash:
            raise SortError(f"“{clash.name}” already uses that name; move its cards here or link that group.")
    _begin_change(sort)
    group.strategy = strategy
    if strategy is not None:
        group.name, group.tier_name_kept_by = strategy.name, None
    db.session.commit()
    return group


# --- next steps, sharing, the lock ------------------------------------------------------

def earliest_due_date(today: date | None = None) -> date:
    """The earliest "by when" a next step may have: today. The server's today is UTC, and a team
    west of Greenwich may still be on the day before, so that day is accepted too."""
    return (today or utcnow().date()) - timedelta(days=1)


def _check_due_on(due_on, today: date | None, unchanged: date | None = None) -> None:
    if due_on is None or due_on == unchanged:  # a date kept from before may have passed since
        return
    if not isinstance(due_on, date):
        raise SortError("Give the date as YYYY-MM-DD.")
    if due_on < earliest_due_date(today):
        raise SortError(f"“By when” is in the past ({due_on.isoformat()}): choose today or a later day.")


def _clean_cycle(prediction: str, evidence: str) -> dict:
    """A cycle's prediction and evidence, both needed: without them there is nothing to study."""
    prediction, evidence = prediction.strip(), evidence.strip()
    if not prediction:
        raise SortError("Say what you predict will happen: what students will do after this move.")
    if not evidence:
        raise SortError("Say what evidence will show it, e.g. “the exit ticket on Thursday”.")
    _check_length("The prediction", prediction, "prediction", "Keep it to what you expect students to do.")
    _check_length("The evidence", evidence, "evidence", "Name the piece of work or the moment, briefly.")
    return {"prediction": prediction, "evidence": evidence}


def _owner_fields(meeting: Meeting, key: str) -> dict:
    """Who does a next step, as stored: one of the meeting's owner choices (plc/sort/owners.py);
    the one rule for planning a step and for changing who does it."""
    owner = owners.owner_of(meeting, key)
    return {"owner_name": owner.name or None, "owner_role": owner.role}


def _clean_next_step(sort: Sort, meeting: Meeting, fields: dict, today: date | None,
                     step: NextStep | None = None) -> dict:
    """A next step's fields as stored: `fields` as a form sends them, `owner` a key of the meeting's
    owner choices (None keeps the owner of `step`, when editing it)."""
    queries.group_of(sort, fields["group_id"])
    move = fields["move"].strip()
    if not move:
        raise SortError("Describe the instructional move.")
    if fields["audience"] not in AUDIENCES:
        raise SortError("Choose whole class, small group or individual students.")
    if fields.get("owner") is None and step is not None:
        owner_fields = {}
    else:
        owner_fields = _owner_fields(meeting, fields.get("owner") or "")
    _check_due_on(fields.get("due_on"), today, step.due_on if step else None)
    _check_length("The instructional move", move, "move", "Shorten it, or split it into two next steps.")
    label = (fields.get("student_label") or "").strip() or None
    note = (fields.get("student_note") or "").strip() or None
    _check_length("The student code", label or "", "student_label", "Use the student's initials or code.")
    _check_length("The note on the student", note or "", "student_note", "Shorten it.")
    if note and not label:
        raise SortError("Say which student (initials or code) the note is about.")
    cycle = _clean_cycle(fields.get("prediction") or "", fields.get("evidence") or "")
    kept = {key: fields[key] for key in ("group_id", "audience", "due_on") if key in fields}
    return {**kept, **owner_fields, **cycle, "move": move, "student_label": label, "student_note": note}


def add_next_step(sort: Sort, meeting: Meeting, fields: dict, by: str | None, today: date | None = None) -> NextStep:
    """Plan a next step: the move, for whom, who does it (`fields["owner"]`, see plc/sort/owners.py),
    by when (not in the past), and what the team predicts and what evidence will show it."""
    fields = _clean_next_step(sort, meeting, fields, today)
    _begin_change(sort)
    step = NextStep(created_by=by, **fields)
    sort.next_steps.append(step)
    db.session.commit()
    return step


def edit_next_step(sort: Sort, meeting: Meeting, step_id: int, fields: dict, today: date | None = None) -> NextStep:
    step = queries.next_step_of(sort, step_id)
    fields = _clean_next_step(sort, meeting, fields, today, step)
    _begin_change(sort)
    if fields["move"] != step.move:
        coedit.forget("next_step", step.id, "move")
    for key, value in fields.items():
        setattr(step, key, value)
    db.session.commit()
    return step


def change_next_step_owner(sort: Sort, meeting: Meeting, step_id: int, owner_key: str) -> NextStep:
    """Hand a next step to another person on the team (by role only, where names are hidden)."""
    step = queries.next_step_of(sort, step_id)
    fields = _owner_fields(meeting, owner_key)
    _begin_change(sort)
    step.owner_name, step.owner_role = fields["owner_name"], fields["owner_role"]
    db.session.commit()
    return step


def remove_next_step(sort: Sort, step_id: int) -> None:
    step = queries.next_step_of(sort, step_id)
    _begin_change(sort)
    sort.next_steps.remove(step)
    db.session.commit()


def plan_cycle(step: NextStep, prediction: str, evidence: str, due_on: date | None,
               today: date | None = None) -> NextStep:
    """Fill in a step's prediction, evidence and date for its cycle: a step carried over by "adapt"
    starts without them. On the board's open sort, or in "Since last time" on a closed one."""
    cycle = _clean_cycle(prediction, evidence)
    _check_due_on(due_on, today, step.due_on)
    if step.sort.is_open:
        _begin_change(step.sort)
    step.prediction, step.evidence, step.due_on = cycle["prediction"], cycle["evidence"], due_on
    db.session.commit()
    return step


def adapt_next_step(step: NextStep, by: str | None) -> NextStep:
    """The next cycle of a step decided "adapt": the same move, for the same students, owner and
    group, its prediction, evidence and date left to fill in again. It goes on the task's open
    sort, if there is one (in the group of the same name, made if it is missing), otherwise
    beside the step, where reopening the sort carries it on to the board."""
    target = queries.open_sort(step.sort.task_id) or step.sort
    if target.is_open:
        _begin_change(target)
    group = step.group
    if target is not step.sort:
        group = next((g for g in target.groups if name_key(g.name) == name_key(step.group.name)), None)
        if group is None:
            group = SortGroup(name=step.group.name, position=len(target.groups), kind="added",
                              strategy_id=step.group.strategy_id, tier_name_kept_by=step.group.tier_name_kept_by)
            target.groups.append(group)
    follow_on = NextStep(group=group, adapts=step, created_by=by, move=step.move, audience=step.audience,
                         owner_name=step.owner_name, owner_role=step.owner_role,
                         student_label=step.student_label, student_note=step.student_note)
    target.next_steps.append(follow_on)
    return follow_on


def set_share_order(sort: Sort, sample_ids: list[int]) -> None:
    """The samples to share in the class discussion, in order; the rest are not shared."""
    if len(set(sample_ids)) != len(sample_ids):
        raise SortError("Each sample can be shared once.")
    cards = queries.cards(sort)
    for sample_id in sample_ids:
        queries.card_label(cards, sample_id)
    _begin_change(sort)
    rank = {sid: n for n, sid in enumerate(sample_ids)}
    for sample_id in sample_ids:
        _placement(sort, sample_id)
    for placement in sort.placements:
        placement.share_rank = rank.get(placement.sample_id)
    db.session.commit()


def set_locked(sort: Sort, locked: bool) -> None:
    _begin_change(sort)
    sort.board_locked = locked
    db.session.commit()


# --- closing and reopening -------------------------------------------------------------

def close_sort(sort: Sort, closed_by: str | None) -> Sort:
    """Freeze the sort: the snapshot keeps names, cards and next steps as they are now."""
    _begin_change(sort)
    sort.snapshot = take_snapshot(sort).dump()
    sort.closed_at = utcnow()
    sort.closed_by = closed_by
    db.session.commit()
    return sort


def reopen_sort(sort: Sort, meeting: Meeting) -> Sort:
    """Continue a closed sort in a new version, starting from its groups, cards and next steps."""
    if sort.is_open:
        raise SortError("This sort is already open.")
    if queries.open_sort(meeting.task_id) is not None:
        raise SortError("This task already has an open sort.")
    new = Sort(team_id=sort.team_id, task_id=sort.task_id, meeting_id=meeting.id, version=sort.version + 1,
               board_locked=sort.board_locked, dropped_anticipations=sort.dropped_anticipations)
    copies = {}
    for group in sort.groups:
        copies[group.id] = SortGroup(
            name=group.name, position=group.position, kind=group.kind, strategy_id=group.strategy_id,
            tier_name_kept_by=group.tier_name_kept_by, anticipated_as=group.anticipated_as,
            anticipated_by=group.anticipated_by,
            **{field: getattr(group, field) for field in NOTE_FIELDS})
        new.groups.append(copies[group.id])
    db.session.add(new)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise SortError("This task already has an open sort.")
    for p in sort.placements:
        new.placements.append(Placement(sample_id=p.sample_id, position=p.position, share_rank=p.share_rank,
                                        group_id=copies[p.group_id].id if p.group_id in copies else None))
    steps = {}
    for s in sort.next_steps:  # in order: a step adapted in this sort comes before its next cycle
        steps[s.id] = NextStep(
            group_id=copies[s.group_id].id, move=s.move, audience=s.audience, owner_name=s.owner_name,
            owner_role=s.owner_role, due_on=s.due_on, student_label=s.student_label, student_note=s.student_note,
            prediction=s.prediction, evidence=s.evidence, status=s.status, reflection=s.reflection,
            status_by=s.status_by, status_at=s.status_at, created_by=s.created_by)
        steps[s.id].adapts = steps.get(s.adapts_id) or s.adapts
        new.next_steps.append(steps[s.id])
    db.session.commit()
    return new
