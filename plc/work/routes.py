"""Uploading student work, viewing it (private to its team and room), correcting and blurring it."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, request, send_file
from flask_login import current_user, login_required

from plc.errors import UserError
from plc.extensions import db
from plc.meetings.models import Meeting
from plc.meetings.seats import seated_participant
from plc.meetings.services import code_is_live
from plc.teams.access import task_for_member
from plc.work import labels, name_check, services
from plc.work.access import sample_for_viewer
from plc.work.errors import AlreadyUploaded, WorkRejected
from plc.work.notify import emit_sample
from plc.work.state import sample_payload
from plc import storage

bp = Blueprint("work", __name__)


def _receive_files(**owner) -> tuple[dict, int]:
    files = request.files.getlist("files")
    labels = request.form.getlist("labels")
    # per file, like labels: "keep" uploads a picture that is already a sample of the task again
    duplicates = request.form.getlist("duplicates")
    if not files or all(not f.filename for f in files):
        return {"error": "Choose at least one photo or PDF."}, 400
    if len(files) > current_app.config["UPLOAD_MAX_FILES"]:
        return {"error": f"Upload at most {current_app.config['UPLOAD_MAX_FILES']} files at a time."}, 400
    results = []
    for index, upload in enumerate(files):
        label = labels[index] if index < len(labels) else None
        keep = index < len(duplicates) and duplicates[index] == "keep"
        try:
            samples = services.accept_upload(upload, label=label, keep_duplicate=keep, **owner)
        except AlreadyUploaded as exc:
            results.append({"file": upload.filename, "ok": False, "skipped": True, "already_as": exc.label,
                            "error": str(exc)})
        except UserError as exc:
            results.append({"file": upload.filename, "ok": False, "error": str(exc)})
        else:
            results.append({"file": upload.filename, "ok": True, "samples": [sample_payload(s) for s in samples]})
            for sample in samples:
                emit_sample(sample)
    status = 200 if any(r["ok"] or r.get("skipped") for r in results) else 400
    return {"results": results}, status


@bp.route("/tasks/<id:task_id>/work", methods=["GET"])
@login_required
def task_work(task_id):
    task, membership = task_for_member(task_id)
    return render_template("work/task_work.html", task=task,
                           samples=[sample_payload(s) for s in services.samples_of_task(task.id)],
                           constants={"samples": labels.page_constants()})


@bp.route("/tasks/<id:task_id>/work.json")
@login_required
def task_work_json(task_id):
    task, _ = task_for_member(task_id)
    return {"samples": [sample_payload(s) for s in services.samples_of_task(task.id)]}


@bp.route("/tasks/<id:task_id>/work", methods=["POST"])
@login_required
def upload_for_task(task_id):
    task, _ = task_for_member(task_id)
    body, status = _receive_files(task=task, user=current_user)
    return jsonify(body), status


@bp.route("/live/<id:meeting_id>/work", methods=["POST"])
def upload_in_meeting(meeting_id):
    participant = seated_participant(meeting_id)
    if participant is None:
        abort(404)
    meeting = db.session.get(Meeting, meeting_id)
    if not code_is_live(meeting):
        return jsonify({"error": "This meeting has ended."}), 400
    if meeting.input_locked:
        return jsonify({"error": "Input is locked by the facilitator for now."}), 400
    body, status = _receive_files(task=meeting.task, meeting=meeting, participant=participant)
    return jsonify(body), status


@bp.route("/work/<id:sample_id>/<any(thumb, image):kind>")
def file(sample_id, kind):
    sample = sample_for_viewer(sample_id)
    name = sample.thumb_name if kind == "thumb" else sample.image_name
    if not name or sample.private:
        abort(404)
    return send_file(storage.path_of(name), mimetype="image/jpeg")


def _change(sample_id, action):
    sample = sample_for_viewer(sample_id)
    try:
        action(sample, request.get_json(silent=True) or {})
    except WorkRejected as exc:
        db.session.rollback()
        return jsonify({"error": str(exc)}), 400
    emit_sample(sample)
    return jsonify({"sample": sample_payload(sample)})


@bp.route("/work/<id:sample_id>/retry", methods=["POST"])
def retry(sample_id):
    return _change(sample_id, lambda sample, data: services.retry(sample))


@bp.route("/work/<id:sample_id>/text", methods=["POST"])
def correct_text(sample_id):
    def action(sample, data):
        if not isinstance(data.get("text"), str):
            raise WorkRejected("Send the corrected text.")
        services.correct_text(sample, data["text"])
    return _change(sample_id, action)


@bp.route("/work/<id:sample_id>/blur", methods=["POST"])
def blur(sample_id):
    def action(sample, data):
        box = data.get("box")
        if not (isinstance(box, list) and len(box) == 4 and all(isinstance(v, (int, float)) for v in box)):
            raise WorkRejected("Send the box as four numbers between 0 and 1.")
        services.add_blur_box(sample, tuple(float(v) for v in box))
    return _change(sample_id, action)


def _waiting_for_check(sample_id):
    sample = sample_for_viewer(sample_id)
    if sample.name_check != "waiting" or not sample.check_image_name:
        abort(404)
    return sample


@bp.route("/work/<id:sample_id>/check")
def check_page(sample_id):
    """The private check view: the unblurred page, only to the person who opens it."""
    sample = sample_for_viewer(sample_id)
    if sample.name_check != "waiting":
        return render_template("work/check_name.html", sample=sample, done=True)
    return render_template("work/check_name.html", sample=sample, done=False,
                           suggestion=_fractions(sample, sample.name_suggestion))


def _fractions(sample, box):
    if not box or not sample.width:
        return None
    return [box[0] / sample.width, box[1] / sample.height, box[2] / sample.width, box[3] / sample.height]


@bp.route("/work/<id:sample_id>/check/image")
def check_image(sample_id):
    sample = _waiting_for_check(sample_id)
    return send_file(storage.path_of(sample.check_image_name), mimetype="image/jpeg")


@bp.route("/work/<id:sample_id>/check", methods=["POST"])
def check_name_done(sample_id):
    def action(sample, data):
        box = data.get("box")
        if box is not None and not (isinstance(box, list) and len(box) == 4
                                    and all(isinstance(v, (int, float)) for v in box)):
            raise WorkRejected("Send the box as four numbers between 0 and 1.")
        if not isinstance(data.get("choice"), str):
            raise WorkRejected("Choose: no name on this page, accept the box, or draw a box.")
        name_check.check_name(sample, data["choice"], tuple(float(v) for v in box) if box else None)
    return _change(sample_id, action)
