"""When another server process of the district dies, this one resends the whole state of each
live room it serves, to its own phones only: a change the dead process stored but had not yet
broadcast reaches them now. (The dead process's phones reconnect here and get it on connect.)"""
from __future__ import annotations

from plc.extensions import db, socketio
from plc.meetings.models import Meeting
from plc.meetings.services import code_is_live
from plc.meetings.state import control_state, room_state, step_responses
from plc.realtime.batching import outbox
from plc.realtime.liveness import local_meeting_rooms, process_lost
from plc.realtime.rooms import control_room, room


def _to_own_phones(event: str, data, to: str) -> None:
    # ignore_queue: every surviving process resends to its own phones, each once.
    socketio.emit(event, data, to=to, ignore_queue=True)


@process_lost.connect
def resend_local_rooms(app, lost: set[str], **_) -> None:
    try:
        for meeting_id in local_meeting_rooms():
            meeting = db.session.get(Meeting, meeting_id)
            if meeting is None or not code_is_live(meeting):
                continue
            outbox.flush(room(meeting_id))  # news this process holds back goes before the state
            state = room_state(meeting)
            _to_own_phones("state", state, room(meeting_id))
            _to_own_phones("control", control_state(meeting), control_room(meeting_id))
            # A phone replaces its answers with the state's. An answer stored after the state was
            # read may have reached it first (its broadcast went round the message queue while
            # the state was made): it comes again now, after the state.
            sent = {response["id"] for response in state["responses"]}
            for response in step_responses(meeting):
                if response["id"] not in sent:
                    _to_own_phones("response:upsert", response, room(meeting_id))
            db.session.commit()  # the next room is read as it is then
            socketio.sleep(0)  # one room at a time: events keep flowing in between
    finally:
        db.session.remove()
