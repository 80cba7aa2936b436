"""Pages of a meeting: starting it, the projector, the facilitator's controls, joining, the phone."""
from __future__ import annotations

import segno
from flask import (
    Blueprint, abort, current_app, flash, redirect, render_template, request, url_for,
)
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from plc.extensions import db, limiter
from plc.meetings import services
from plc.meetings.forms import JoinForm, StartMeetingForm
from plc.meetings.models import Meeting
from plc.meetings.page_constants import room_constants
from plc.meetings.seats import keep_seat, seat_token, seated_participant
from plc.protocols import available_protocols
from plc.teams.access import can_facilitate, team_for_facilitator, team_for_member
from plc.teams.models import Task, Unit
from plc.urls import public_url

bp = Blueprint("meetings", __name__)

def _join_limit() -> str:
    return current_app.config["JOIN_ATTEMPTS_LIMIT"]


# Guessing codes is rate-limited: only failed attempts count.
join_limit = limiter.shared_limit(
    _join_limit, scope="join", deduct_when=lambda response: response.status_code in (400, 404)
)


@bp.route("/teams/<int:team_id>/meetings/new", methods=["GET", "POST"])
@login_required
def new(team_id):
    team, _ = team_for_facilitator(team_id)
    protocols, protocol_error = available_protocols()
    tasks = db.session.execute(
        db.select(Task).join(Unit).filter(Unit.team_id == team.id).order_by(Unit.id, Task.id)
    ).scalars().all()
    form = StartMeetingForm(task_id=request.args.get("task_id", type=int))
    form.task_id.choices = [SelectChoice(value=t.id, label=f"{t.unit.title} — {t.title}") for t in tasks]
    form.protocols.choices = [SelectChoice(value=p.id, label=p.title) for p in protocols.values()]
    if form.validate_on_submit():
        task = next(t for t in tasks if t.id == form.task_id.data)
        try:
            meeting = services.start_meeting(team, task, current_user, protocols, form.protocols.data)
        except services.MeetingError as exc:
            flash(str(exc), "error")
        else:
            return redirect(url_for(".projector", meeting_id=meeting.id))
    return render_template(
        "meetings/new.html", form=form, team=team, protocols=protocols, protocol_error=protocol_error
    )


def _meeting_for_member(meeting_id: int):
    meeting = db.session.get(Meeting, meeting_id) or abort(404)
    _, membership = team_for_member(meeting.team_id)
    return meeting, membership


def _join_url(meeting: Meeting) -> str:
    return public_url(".join_code", code=meeting.code)


@bp.route("/meetings/<int:meeting_id>/projector")
@login_required
def projector(meeting_id):
    meeting, membership = _meeting_for_member(meeting_id)
    join_url = _join_url(meeting)
    qr_svg = segno.make(join_url, error="m").svg_inline(border=2, dark="#111", light="#fff", omitsize=True)
    join_page = public_url(".join").split("://", 1)[-1]
    return render_template(
        "meetings/projector.html", meeting=meeting, join_page=join_page, qr_svg=qr_svg,
        can_control=can_facilitate(membership), constants=room_constants(),
    )


@bp.route("/meetings/<int:meeting_id>/control")
@login_required
def control(meeting_id):
    meeting, membership = _meeting_for_member(meeting_id)
    if not can_facilitate(membership):
        abort(404)
    return render_template("meetings/control.html", meeting=meeting, constants=room_constants())


@bp.route("/join", methods=["GET", "POST"])
@join_limit
def join():
    form = JoinForm(code=request.args.get("code", ""))
    if form.validate_on_submit():
        try:
            meeting = services.meeting_for_code(form.code.data)
        except services.MeetingError as exc:
            form.code.errors.append(str(exc))
        else:
            participant = services.join_meeting(
                meeting, form.name.data, form.role.data, seat_token(meeting.id)
            )
            keep_seat(meeting.id, participant.token)
            return redirect(url_for(".phone", meeting_id=meeting.id))
    return render_template("meetings/join.html", form=form), (200 if request.method == "GET" else 400)


@bp.route("/j/<code>")
@join_limit
def join_code(code):
    """The QR code's link: back into the room if this phone already has a seat there."""
    try:
        meeting = services.meeting_for_code(code.upper())
    except services.MeetingError as exc:
        form = JoinForm(code=code.upper())
        form.code.errors = [str(exc)]
        return render_template("meetings/join.html", form=form), 404
    if seated_participant(meeting.id):
        return redirect(url_for(".phone", meeting_id=meeting.id))
    return redirect(url_for(".join", code=meeting.code), code=303)


@bp.route("/live/<int:meeting_id>")
def phone(meeting_id):
    participant = seated_participant(meeting_id)
    if participant is None:
        return redirect(url_for(".join"))
    return render_template("meetings/phone.html", meeting=participant.meeting, participant=participant,
                           constants=room_constants())
