"""Pages of a meeting: starting it, the projector, the facilitator's controls, joining, the phone."""
from __future__ import annotations

import segno
from flask import (
    Blueprint, abort, flash, redirect, render_template, request, url_for,
)
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from plc.extensions import db
from plc.meetings import services
from plc.meetings.codes import looks_like_code, normalize_code
from plc.meetings.forms import JoinForm, StartMeetingForm
from plc.meetings.guessing import TooManyGuesses, count_wrong_code, guessing_blocked
from plc.meetings.models import Meeting
from plc.meetings.page_constants import room_constants
from plc.meetings.seats import keep_seat, seat_token, seated_meeting_with_code, seated_participant
from plc.meetings.state import question_revealed
from plc.protocols import available_protocols
from plc.teams.access import can_facilitate, team_for_facilitator, team_for_member
from plc.teams.models import Task, Unit
from plc.teams.signals import question_hold
from plc.urls import id_arg, public_url

bp = Blueprint("meetings", __name__)


@question_hold.connect
def question_held_by_a_meeting(task: Task) -> bool:
    """The task's page leaves its question out while a meeting on the task has not revealed it."""
    running = db.session.execute(
        db.select(Meeting).filter_by(task_id=task.id, ended_at=None)).scalars()
    return any(services.code_is_live(meeting) and not question_revealed(meeting) for meeting in running)


@bp.route("/teams/<id:team_id>/meetings/new", methods=["GET", "POST"])
@login_required
def new(team_id):
    team, _ = team_for_facilitator(team_id)
    protocols, protocol_error = available_protocols()
    tasks = db.session.execute(
        db.select(Task).join(Unit).filter(Unit.team_id == team.id).order_by(Unit.id, Task.id)
    ).scalars().all()
    form = StartMeetingForm(task_id=request.args.get("task_id", type=id_arg))
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


@bp.route("/meetings/<id:meeting_id>/projector")
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


@bp.route("/meetings/<id:meeting_id>/control")
@login_required
def control(meeting_id):
    meeting, membership = _meeting_for_member(meeting_id)
    if not can_facilitate(membership):
        abort(404)
    return render_template("meetings/control.html", meeting=meeting, constants=room_constants())


def _meeting_to_join(code: str) -> Meeting:
    """The meeting with this code: one this browser has a seat in needs no guess; any other code
    is a guess, limited (plc/meetings/guessing.py). Raises MeetingError."""
    meeting = seated_meeting_with_code(code)
    if meeting is not None:
        return meeting
    if not looks_like_code(code):  # not a code at all: nothing to look up, nothing to count
        raise services.MeetingError(services.NO_SUCH_CODE)
    if guessing_blocked(code):
        raise TooManyGuesses()
    try:
        return services.meeting_for_code(code)
    except services.MeetingError:
        count_wrong_code(code)
        raise


def _join_page(form: JoinForm, error: services.MeetingError, status: int):
    form.code.errors = [*form.code.errors, str(error)]  # a tuple until the form is validated
    return render_template("meetings/join.html", form=form), status


@bp.route("/join", methods=["GET", "POST"])
def join():
    """The join form: opening it is never refused; wrong codes sent are counted."""
    form = JoinForm(code=request.args.get("code", ""))
    if form.validate_on_submit():
        try:
            meeting = _meeting_to_join(form.code.data)
        except TooManyGuesses as exc:
            return _join_page(form, exc, 429)
        except services.MeetingError as exc:
            return _join_page(form, exc, 400)
        participant = services.join_meeting(meeting, form.name.data, form.role.data, seat_token(meeting.id))
        keep_seat(meeting.id, participant.token)
        return redirect(url_for(".phone", meeting_id=meeting.id))
    return render_template("meetings/join.html", form=form), (200 if request.method == "GET" else 400)


@bp.route("/j/<code>")
def join_code(code):
    """The QR code's link: back into the room if this phone already has a seat there, else to the
    join form. Never refused: while this address may not guess, it goes to the form unchecked."""
    code = normalize_code(code)
    try:
        meeting = _meeting_to_join(code)
    except TooManyGuesses:
        return redirect(url_for(".join", code=code), code=303)
    except services.MeetingError as exc:
        return _join_page(JoinForm(code=code), exc, 404)
    if seated_participant(meeting.id):
        return redirect(url_for(".phone", meeting_id=meeting.id))
    return redirect(url_for(".join", code=meeting.code), code=303)


@bp.route("/live/<id:meeting_id>")
def phone(meeting_id):
    participant = seated_participant(meeting_id)
    if participant is None:
        return redirect(url_for(".join"))
    return render_template("meetings/phone.html", meeting=participant.meeting, participant=participant,
                           constants=room_constants())
