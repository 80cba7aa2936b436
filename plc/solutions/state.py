"""What clients receive about teachers' photos of their solutions: on a step that takes them,
every photo of the step, with its teacher's name only where the room shows authors."""
from __future__ import annotations

from plc.meetings.state import authors_shown, state_part
from plc.solutions.models import SolutionPhoto
from plc.solutions.services import photos_of_step, takes_photos


def _version(name: str) -> str:
    # File names are random and change when a photo is replaced: a cache-proof version.
    return name.rsplit("/", 1)[-1][:8]


def photo_payload(meeting, photo: SolutionPhoto) -> dict:
    payload = {"id": photo.id, "width": photo.width, "height": photo.height,
               "thumb_url": f"/solutions/{photo.id}/thumb?v={_version(photo.thumb_name)}",
               "image_url": f"/solutions/{photo.id}/image?v={_version(photo.image_name)}"}
    if authors_shown(meeting):
        payload["author"] = photo.participant.name
    return payload


@state_part("solution_photos")
def photos_for_room(meeting) -> list[dict] | None:
    if not takes_photos(meeting):
        return None
    return [photo_payload(meeting, photo) for photo in photos_of_step(meeting)]
