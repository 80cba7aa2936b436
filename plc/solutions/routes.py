"""A phone sends its teacher's photo of their solution; the photos are served only to those
who may see the task's student work (plc/work/access.py), to anyone else they do not exist."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request, send_file

from plc import storage
from plc.errors import UserError
from plc.extensions import db
from plc.meetings.seats import seated_participant
from plc.solutions import services
from plc.solutions.events import announce_photo
from plc.solutions.models import SolutionPhoto
from plc.solutions.state import photo_payload
from plc.work.access import may_see_task_pictures

bp = Blueprint("solutions", __name__)


@bp.route("/live/<id:meeting_id>/solution", methods=["POST"])
def upload(meeting_id):
    participant = seated_participant(meeting_id) or abort(404)
    upload = request.files.get("photo")
    try:
        photo = services.save_photo(participant.meeting, participant.id, upload)
    except UserError as exc:
        db.session.rollback()
        return jsonify({"error": str(exc)}), 400
    announce_photo(participant.meeting, photo)
    return jsonify({"photo": photo_payload(participant.meeting, photo)})


@bp.route("/solutions/<id:photo_id>/<any(thumb, image):kind>")
def file(photo_id, kind):
    photo = db.session.get(SolutionPhoto, photo_id)
    if photo is None or not may_see_task_pictures(photo.meeting.team_id, photo.meeting.task_id):
        abort(404)
    return send_file(storage.path_of(photo.thumb_name if kind == "thumb" else photo.image_name),
                     mimetype="image/jpeg")
