"""Teachers' photos of their solutions in the live room: the list (and which one is the phone's
own), and removing one's own. Photos arrive through the upload route (routes.py)."""
from __future__ import annotations

from plc.extensions import socketio
from plc.realtime.gate import live_event
from plc.realtime.payloads import Empty, Id, Payload
from plc.realtime.rooms import room
from plc.solutions import services
from plc.solutions.state import photo_payload, photos_for_room


class PhotoId(Payload):
    id: Id


def announce_photo(meeting, photo) -> None:
    """A new or replaced photo reaches everyone in the room at once."""
    socketio.emit("solution:photo", photo_payload(meeting, photo), to=room(meeting.id))


@live_event("solutions:get", Empty)
def on_solutions_get(meeting, seat, data):
    """The step's photos as they are now (after names were hidden or shown), and the phone's own."""
    mine = services.own_photo(meeting, seat.participant_id) if seat.participant_id else None
    return {"ok": True, "photos": photos_for_room(meeting), "mine": mine.id if mine else None}


@live_event("solution:remove", PhotoId, participant=True)
def on_solution_remove(meeting, seat, data):
    services.remove_photo(meeting, seat.participant_id, data.id)
    socketio.emit("solution:removed", {"id": data.id}, to=room(meeting.id))
