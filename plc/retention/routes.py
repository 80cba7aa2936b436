"""Deleting for good, after a confirmation page that says exactly what goes.

GET shows the confirmation; POST (CSRF-protected) deletes and redirects with a message.
Who may: any team member for a sample; the team's facilitators for sorts, meetings and
units. Everyone else gets 404 (plc/retention/access.py).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from plc.deletion import MEETING, SAMPLE, SORT, UNIT, CannotDelete, Deletable
from plc.retention import services
from plc.retention.access import (
    meeting_for_deleter,
    sample_for_deleter,
    sort_for_deleter,
    unit_for_deleter,
)
from plc.retention.forms import DeleteForm

bp = Blueprint("retention", __name__)

HEADINGS = {
    "sample": "Delete this student work?",
    "sort": "Delete this sort?",
    "meeting": "Delete this meeting?",
    "unit": "Delete this unit?",
}


def _confirm_or_delete(what: Deletable, thing, *, back: str, done_url: str | None = None, done: str):
    """GET: the confirmation page (Cancel goes `back`); POST: delete, then go to `done_url`
    (else `back`) saying `done`."""
    form = DeleteForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            services.delete(what, thing, current_user)
        except CannotDelete as exc:
            flash(str(exc), "error")
            return redirect(request.path)
        flash(done, "success")
        return redirect(done_url or back)
    removal = services.removal_of(what, thing)
    return render_template("retention/confirm.html", removal=removal, heading=HEADINGS[removal.kind],
                           form=form, cancel_url=back)


@bp.route("/work/<id:sample_id>/delete", methods=["GET", "POST"])
def delete_sample(sample_id: int):
    sample = sample_for_deleter(sample_id)
    return _confirm_or_delete(SAMPLE, sample, back=url_for("work.task_work", task_id=sample.task_id),
                              done=f"The work of {sample.student_label} was deleted, with its images and text.")


@bp.route("/sorts/<id:sort_id>/delete", methods=["GET", "POST"])
def delete_sort(sort_id: int):
    sort = sort_for_deleter(sort_id)
    return _confirm_or_delete(SORT, sort, back=url_for("teams.show_task", task_id=sort.task_id),
                              done=f"Version {sort.version} of the sort was deleted.")


@bp.route("/meetings/<id:meeting_id>/delete", methods=["GET", "POST"])
def delete_meeting(meeting_id: int):
    meeting = meeting_for_deleter(meeting_id)
    team_page = url_for("teams.show", team_id=meeting.team_id)
    return _confirm_or_delete(MEETING, meeting, back=f"{team_page}#meetings-heading", done_url=team_page,
                              done="The meeting was deleted, with its participants and their responses.")


@bp.route("/units/<id:unit_id>/delete", methods=["GET", "POST"])
def delete_unit(unit_id: int):
    unit = unit_for_deleter(unit_id)
    team_page = url_for("teams.show", team_id=unit.team_id)
    return _confirm_or_delete(UNIT, unit, back=f"{team_page}#unit-{unit.id}", done_url=team_page,
                              done=f"The unit “{unit.title}” was deleted, with everything in it.")
