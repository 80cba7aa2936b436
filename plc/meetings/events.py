"""Live room events. Each handler stores through services, then broadcasts."""
from __future__ import annotations

from typing import Annotated, Optional

from flask import current_app, request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, emit, join_room
from pydantic import Field

from plc.extensions import db, socketio
from plc.meetings import services
from plc.meetings.audience import close_meeting_rooms, emit_to_rooms, running_meetings_of_team
from plc.meetings.models import Meeting
from plc.meetings.seats import seated_participant
from plc.meetings.signals import showing_step
from plc.meetings.state import (
    control_state, key_words_payload, own_response_ids, participants_payload,
    response_payload, room_state,
)
from plc.realtime.batching import outbox
from plc.realtime.gate import ENDED, live_event
from plc.realtime.payloads import Empty, Id, Payload, Text, checked_auth
from plc.realtime.rooms import control_room, participant_room, room, user_room
from plc.realtime.seat import Seat, take_seat
from plc.teams.access import can_facilitate, membership_of
from plc.teams.signals import agreements_changed


class ConnectAuth(Payload):
    meeting_id: Id


class GotoStep(Payload):
    pos: int


class AddTime(Payload):
    seconds: Annotated[int, Field(ge=-3600, le=3600)]


class Flag(Payload):
    value: bool


class Spotlight(Payload):
    response_id: Optional[Id]


class NewResponse(Payload):
    text: Text
    field: Optional[Annotated[str, Field(max_length=40)]] = None


class EditResponse(Payload):
    id: Id
    text: Text


class ResponseId(Payload):
    id: Id


def broadcast_room(meeting: Meeting, parts: bool = False) -> None:
    outbox.flush(room(meeting.id))  # answers sent before the state that follows them
    socketio.emit("state", room_state(meeting, full=False, parts=parts), to=room(meeting.id))
    socketio.emit("control", control_state(meeting), to=control_room(meeting.id))


@agreements_changed.connect
def share_agreements(team, what: str, **_) -> None:
    """The team's norms or key words saved on its page: every one of its running meetings shows them
    at once (norms in the room's state, key words as `key_words`), not only after a reconnect."""
    meetings = running_meetings_of_team(team.id)
    if what == "key_words":
        emit_to_rooms("key_words", key_words_payload(team.id), [room(m.id) for m in meetings])
    elif what == "norms":
        for meeting in meetings:
            broadcast_room(meeting)


NOT_IN_MEETING = "You are not in this meeting."


def _seat_for(meeting: Meeting | None) -> Seat:
    """A phone's seat while the meeting's code works; a team member's while the meeting runs."""
    if meeting is None:
        raise ConnectionRefusedError(NOT_IN_MEETING)
    participant = seated_participant(meeting.id)
    if participant is not None:
        if not services.code_is_live(meeting):
            raise ConnectionRefusedError(ENDED)
        return Seat(meeting_id=meeting.id, participant_id=participant.id, name=participant.name)
    membership = membership_of(current_user, meeting.team_id)
    if membership is None:
        raise ConnectionRefusedError(NOT_IN_MEETING)
    if meeting.ended_at is not None:
        raise ConnectionRefusedError(ENDED)
    return Seat(meeting_id=meeting.id, user_id=current_user.id, can_control=can_facilitate(membership),
                name=current_user.name)


@socketio.on("connect")
def on_connect(auth=None):
    """Every (re)connect joins the rooms again and receives the whole state of the room. Only a
    running meeting's own rooms: news of its task reaches them while it runs (plc/meetings/audience.py)."""
    try:
        meeting_id = checked_auth(ConnectAuth, auth, "Say which meeting to connect to.").meeting_id
        meeting = db.session.get(Meeting, meeting_id)
        seat = _seat_for(meeting)
        take_seat(seat)
        # Flask-SocketIO serves this connection's events from its own copy of the session, made
        # just now: drop the cookie so that Flask does not decode and verify it for every event.
        request.environ.pop("HTTP_COOKIE", None)
        join_room(room(meeting.id))
        if seat.can_control:
            join_room(control_room(meeting.id))
            emit("control", control_state(meeting))
        if seat.user_id is not None:
            join_room(user_room(seat.user_id))
        mine = []
        if seat.participant_id:
            join_room(participant_room(seat.participant_id))
            mine = own_response_ids(meeting, seat.participant_id)
        showing_step.send(meeting)
        state = room_state(meeting)
        emit("hello", {**seat.as_dict(), "own_response_ids": mine})
        emit("state", state)
        if seat.participant_id:
            # Someone joined or came back: the projector's list of names may change.
            _announce_participants(meeting.id, state["participants"])
    finally:
        db.session.remove()


# Meetings whose list of names goes out shortly: a team joining at once (a room full of phones
# scanning the code) gets one list per meeting and moment, rather than one per phone to every
# phone (which grows with the square of the room).
_participants_due: set[int] = set()


def _announce_participants(meeting_id: int, participants: list[dict]) -> None:
    """Send the room its list of names: at once in tests, else once per LIVE_PARTICIPANTS_DELAY."""
    delay = current_app.config["LIVE_PARTICIPANTS_DELAY"]
    if current_app.testing or delay <= 0:
        socketio.emit("participants", participants, to=room(meeting_id), skip_sid=request.sid)
    elif meeting_id not in _participants_due:
        _participants_due.add(meeting_id)
        socketio.start_background_task(_announce_later, current_app._get_current_object(), meeting_id, delay)


def _announce_later(app, meeting_id: int, delay: float) -> None:
    socketio.sleep(delay)
    _participants_due.discard(meeting_id)  # who connects from now on is announced again
    with app.app_context():
        try:
            meeting = db.session.get(Meeting, meeting_id)
            if meeting is not None:
                socketio.emit("participants", participants_payload(meeting), to=room(meeting_id))
        finally:
            db.session.remove()


def control_event(name: str, payload: type[Payload], change, parts: bool = False) -> None:
    """A facilitator's control: store the change, then send everyone the new state (with the
    features' parts too when `parts`: what they show depends on the change)."""

    def handler(meeting, seat, data):
        change(meeting, data)
        broadcast_room(meeting, parts=parts)

    handler.__name__ = f"on_{name.replace(':', '_')}"
    live_event(name, payload, control=True)(handler)


@live_event("step:goto", GotoStep, control=True)
def on_step_goto(meeting, seat, data):
    services.goto_step(meeting, data.pos)
    showing_step.send(meeting)
    broadcast_room(meeting, parts=True)  # phones know their own answers on every step (hello, acks)


control_event("timer:start", Empty, lambda meeting, data: services.start_timer(meeting))
control_event("timer:pause", Empty, lambda meeting, data: services.pause_timer(meeting))
control_event("timer:add", AddTime, lambda meeting, data: services.add_time(meeting, data.seconds))
# Hiding names changes what the features' parts say (who does a next step, who may own one).
control_event("names:hide", Flag, lambda meeting, data: services.set_names_hidden(meeting, data.value), parts=True)
control_event("input:lock", Flag, lambda meeting, data: services.set_input_locked(meeting, data.value))
control_event("response:spotlight", Spotlight, lambda meeting, data: services.spotlight(meeting, data.response_id))


@live_event("meeting:end", Empty, control=True)
def on_meeting_end(meeting, seat, data):
    """Everyone sees the meeting end; then its rooms close, and its phones hear nothing more."""
    services.end_meeting(meeting)
    broadcast_room(meeting)
    close_meeting_rooms(meeting)


@live_event("response:add", NewResponse, participant=True)
def on_response_add(meeting, seat, data):
    response = services.add_response(meeting, seat.participant_id, data.text, data.field)
    # The acknowledgement tells the phone that the answer is its own (no message of its own:
    # in a burst, and through a district's message queue, every message counts).
    outbox.to_room(room(meeting.id), "response:upsert", response_payload(meeting, response, author=seat.name))
    return {"ok": True, "id": response.id}


@live_event("response:edit", EditResponse, participant=True)
def on_response_edit(meeting, seat, data):
    response = services.edit_response(meeting, seat.participant_id, data.id, data.text)
    outbox.to_room(room(meeting.id), "response:upsert", response_payload(meeting, response, author=seat.name))


@live_event("response:withdraw", ResponseId, participant=True)
def on_response_withdraw(meeting, seat, data):
    # Only the removal goes out, spotlighted or not: clients drop a withdrawn answer's spotlight too.
    services.withdraw_response(meeting, seat.participant_id, data.id)
    outbox.to_room(room(meeting.id), "response:removed", {"id": data.id})
