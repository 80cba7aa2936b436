"""Work Sort events. Moves go out as small `sort:moved` deltas carrying the new order of the
columns they touched; every other change sends the whole sort (`sort`). Each carries the
sort's id and revision, so a client that missed one asks for the whole sort again
(`sort:sync`). A task has one open sort: every live meeting on the task hears its changes.
On an anonymous step nobody's name is kept with what they do; where names are hidden, none is sent."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Optional

from flask import request
from flask_socketio import emit
from pydantic import Field

from plc.extensions import socketio
from plc.meetings.audience import emit_to_rooms
from plc.meetings.models import Meeting
from plc.meetings.page_constants import add_room_constants
from plc.meetings.signals import answers_changed, showing_step
from plc.meetings.state import authors_shown, name_to_record, state_part
from plc.realtime.gate import live_event
from plc.realtime.payloads import Empty, Id, Payload, Text
from plc.realtime.rooms import room
from plc.realtime.seat import Seat
from plc.sort import coedit, commands, labels, queries
from plc.sort.errors import MoveConflict, SortError, TierName
from plc.sort.models import Sort
from plc.sort.naming import THINKING_EXAMPLES
from plc.sort.payloads import ANTICIPATIONS_SHOWN, KEPT_BY_A_FACILITATOR, sort_payload, undo_notice
from plc.sort.steps import shows_board

Note = Optional[Text]


class MovePayload(Payload):
    sample_id: Id
    group_id: Optional[Id] = None  # None: the unsorted tray
    index: Annotated[int, Field(ge=0, le=10_000)]
    card_version: Annotated[int, Field(ge=0)]


class NewGroup(Payload):
    name: Text
    keep_tier_name: bool = False


class RenameGroup(NewGroup):
    group_id: Id


class GroupId(Payload):
    group_id: Id


class Notes(GroupId):
    showing: Note = None
    telling: Note = None
    build_on: Note = None
    issues: Note = None


class Link(GroupId):
    strategy_id: Optional[Id] = None
    definition: Optional[Text] = None


class SharedTextId(Payload):
    kind: Annotated[str, Field(max_length=20)]
    id: Id
    field: Annotated[str, Field(max_length=20)]


class SharedTextUpdate(SharedTextId):
    doc_id: Annotated[str, Field(max_length=40)]
    update: Annotated[str, Field(min_length=1, max_length=coedit.MAX_UPDATE_CHARS)]


DueOn = Optional[Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]]


def due_date(text: str | None) -> date | None:
    """A form's "by when" (YYYY-MM-DD, or nothing) as a date; SortError for a date that is not one."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise SortError("Give a real date for “by when”.")


class NextStepFields(Payload):
    group_id: Id
    move: Text
    audience: Annotated[str, Field(max_length=20)]
    owner: Annotated[str, Field(max_length=40)]  # a key of the board's `owners`
    due_on: DueOn = None
    prediction: Text
    evidence: Text
    student_label: Optional[Text] = None
    student_note: Optional[Text] = None

    def fields(self) -> dict:
        return {**self.model_dump(), "due_on": due_date(self.due_on)}


class EditNextStep(NextStepFields):
    id: Id
    owner: Optional[Annotated[str, Field(max_length=40)]] = None  # None keeps who does it


class NextStepOwner(Payload):
    id: Id
    owner: Annotated[str, Field(max_length=40)]  # a key of the board's `owners`


class PlanCycle(Payload):
    """A carried-over step's prediction, evidence and date, filled in again."""

    id: Id
    prediction: Text
    evidence: Text
    due_on: DueOn = None


class NextStepId(Payload):
    id: Id


class ShareOrder(Payload):
    sample_ids: Annotated[list[Id], Field(max_length=100)]


class Flag(Payload):
    value: bool


def broadcast_sort(sort: Sort) -> None:
    """The whole sort to every meeting on its task, each with the board mode of its own step."""
    for meeting in queries.live_meetings_on(sort.task_id):
        if shows_board(meeting):
            socketio.emit("sort", sort_payload(sort, meeting), to=room(meeting.id))


def refresh_open_board(task_id: int) -> None:
    """After a change made away from the board (a sample deleted), the task's open sort again."""
    sort = queries.open_sort(task_id)
    if sort is not None:
        broadcast_sort(sort)


def send_moved(moved: dict, task_id: int, notices: tuple[str, str] | None = None) -> None:
    """A card's move to every meeting on the task: without the mover's name where names are hidden.
    `notices`: what the room is told with it (an undo), with names and without. Each move goes
    out at once: moves come steadily while a room sorts, and batching them (as answers are,
    plc/realtime/batching.py) doubled the board's p95 in `python -m bench.sort`."""
    named, nameless = [], []
    for meeting in queries.live_meetings_on(task_id):
        (named if authors_shown(meeting) else nameless).append(room(meeting.id))
    with_names, without_names = notices or (None, None)
    emit_to_rooms("sort:moved", {**moved, "notice": with_names}, named)
    emit_to_rooms("sort:moved", {**moved, "moved_by": None, "notice": without_names}, nameless)


def mover_of(seat: Seat) -> str:
    """Who a seat is, for undoing one's own moves: a phone's participant, or a member's account."""
    return f"participant:{seat.participant_id}" if seat.participant_id is not None else f"user:{seat.user_id}"


def sort_change(name: str, payload: type[Payload], change, *, control: bool = False, moving: bool = False):
    """An event that changes the sort, then sends everyone the whole sort."""

    def handler(meeting, seat, data):
        sort = commands.sort_to_change(meeting, seat.can_control, moving=moving)
        try:
            result = change(sort, data, seat, meeting)
        except TierName as tier:
            message = str(tier)
            emit("error", {"event": name, "message": message}, to=request.sid)
            return {"ok": False, "error": message, "tier_name": {
                "family": tier.family.label, "examples": THINKING_EXAMPLES}}
        sort = result if isinstance(result, Sort) else sort  # closing and reopening give the sort to show
        broadcast_sort(sort)
        return {"ok": True, "revision": sort.revision}

    handler.__name__ = f"on_{name.replace(':', '_')}"
    live_event(name, payload, control=control)(handler)


@live_event("sort:move", MovePayload)
def on_move(meeting, seat, data):
    sort = commands.sort_to_change(meeting, seat.can_control, moving=True)
    try:
        result = commands.move_card(sort, data.sample_id, data.group_id, data.index, data.card_version,
                                    name_to_record(meeting, seat.name), mover_of(seat))
    except MoveConflict as conflict:
        if not authors_shown(meeting):
            conflict = conflict.without_name()
        emit("error", {"event": "sort:move", "message": str(conflict)}, to=request.sid)
        return {"ok": False, "error": str(conflict), "conflict": {
            "sample_id": conflict.sample_id, "group": conflict.group_name, "moved_by": conflict.moved_by}}
    send_moved(result, meeting.task_id)
    return {"ok": True, "revision": result["revision"]}


@live_event("sort:undo", Empty)
def on_undo(meeting, seat, data):
    """Undo one's own last move; the facilitator undoes anyone's. The room is told who undid what."""
    sort = commands.sort_to_change(meeting, seat.can_control, moving=True)
    by = name_to_record(meeting, seat.name)
    result, undone = commands.undo_move(sort, by, mover_of(seat), anyone=seat.can_control)
    send_moved(result, meeting.task_id, tuple(undo_notice(undone, by, seat.can_control, names)
                                              for names in (True, False)))
    return {"ok": True, "revision": result["revision"]}


@live_event("sort:text:sync", SharedTextId)
def on_text_sync(meeting, seat, data):
    """A shared text's whole document, for a client that starts (or starts again) to edit it."""
    sort = commands.sort_to_change(meeting, seat.can_control)
    return {"ok": True, **coedit.text_state(sort, data.kind, data.id, data.field)}


@live_event("sort:text:update", SharedTextUpdate)
def on_text_update(meeting, seat, data):
    """A client's edit of a shared text: merged, stored as plain text, and passed on to everyone
    else (with no name: who typed what is not kept)."""
    sort = commands.sort_to_change(meeting, seat.can_control)
    try:
        update, text = coedit.apply_text_update(sort, data.kind, data.id, data.field, data.doc_id, data.update)
    except coedit.StaleText as stale:
        return {"ok": False, "error": str(stale), "reload": True}
    edit = {"sort_id": sort.id, "kind": data.kind, "id": data.id, "field": data.field, "doc_id": data.doc_id,
            "update": update, "text": text}
    for live in queries.live_meetings_on(sort.task_id):
        if shows_board(live):
            socketio.emit("sort:text", edit, to=room(live.id), skip_sid=request.sid)
    return {"ok": True}


@live_event("sort:sync", Empty)
def on_sync(meeting, seat, data):
    return {"ok": True, "sort": sort_for_room(meeting)}


def _keeper(meeting: Meeting, seat) -> str:
    """Who keeps a tier-like name (only a facilitator can): on an anonymous step, not by name."""
    return name_to_record(meeting, seat.name) or KEPT_BY_A_FACILITATOR


sort_change("sort:group:add", NewGroup, lambda sort, data, seat, meeting: commands.add_group(
    sort, data.name, _keeper(meeting, seat), data.keep_tier_name, seat.can_control))
sort_change("sort:group:rename", RenameGroup, lambda sort, data, seat, meeting: commands.rename_group(
    sort, data.group_id, data.name, _keeper(meeting, seat), data.keep_tier_name, seat.can_control))
sort_change("sort:group:remove", GroupId, lambda sort, data, seat, meeting: commands.remove_group(
    sort, data.group_id, seat.can_control))
sort_change("sort:group:notes", Notes, lambda sort, data, seat, meeting: commands.update_notes(
    sort, data.group_id, {k: v for k, v in data.model_dump(exclude={"group_id"}).items() if v is not None}))
sort_change("sort:group:link", Link, lambda sort, data, seat, meeting: commands.link_group(
    sort, data.group_id, data.strategy_id, data.definition))
sort_change("sort:next:add", NextStepFields, lambda sort, data, seat, meeting: commands.add_next_step(
    sort, meeting, data.fields(), name_to_record(meeting, seat.name)))
sort_change("sort:next:edit", EditNextStep, lambda sort, data, seat, meeting: commands.edit_next_step(
    sort, meeting, data.id, {k: v for k, v in data.fields().items() if k != "id"}))
sort_change("sort:next:owner", NextStepOwner, lambda sort, data, seat, meeting: commands.change_next_step_owner(
    sort, meeting, data.id, data.owner))
sort_change("sort:next:cycle", PlanCycle, lambda sort, data, seat, meeting: commands.plan_cycle(
    queries.next_step_of(sort, data.id), data.prediction, data.evidence, due_date(data.due_on)))
sort_change("sort:next:remove", NextStepId, lambda sort, data, seat, meeting: commands.remove_next_step(sort, data.id))
sort_change("sort:share", ShareOrder, lambda sort, data, seat, meeting: commands.set_share_order(
    sort, data.sample_ids), control=True)
sort_change("sort:lock", Flag, lambda sort, data, seat, meeting: commands.set_locked(sort, data.value), control=True)
sort_change("sort:close", Empty, lambda sort, data, seat, meeting: commands.close_sort(
    sort, name_to_record(meeting, seat.name)), control=True)
sort_change("sort:reopen", Empty, lambda sort, data, seat, meeting: commands.reopen_sort(sort, meeting),
            control=True)


add_room_constants("sort", labels.page_constants())


@showing_step.connect
def open_board(meeting: Meeting, **_) -> None:
    """A meeting about to show a board step opens its task's sort, if the task has none yet."""
    if shows_board(meeting):
        commands.sort_for_meeting(meeting)


@answers_changed.connect
def carry_anticipations(meeting: Meeting, field: str | None = None, **_) -> None:
    """An anticipation answered, changed or withdrawn after the task's sort opened: a new strategy
    joins its open board as an anticipated group, and the stuck points and prepared questions the
    board shows are sent again."""
    if field not in ("strategies", *ANTICIPATIONS_SHOWN):
        return
    sort = queries.open_sort(meeting.task_id)
    if sort is None:
        return
    if field != "strategies" or commands.add_late_anticipations(sort):
        broadcast_sort(sort)


@state_part("sort")
def sort_for_room(meeting: Meeting) -> dict | None:
    """On board steps the room's state carries the sort the board shows (opened by `open_board`)."""
    if not shows_board(meeting):
        return None
    sort = queries.latest_sort(meeting)
    return sort_payload(sort, meeting) if sort is not None else None
