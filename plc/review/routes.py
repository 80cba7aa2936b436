"""Coach review pages: a unit, a closed sort, two sorts side by side, and exports; and the
Work Sorts section review adds to a task's page (teams' `task_page` signal).

Members of the unit's team only (coaches included); anyone else, logged in or not, gets
404: not even a login page reveals that the unit exists.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from plc.errors import UserError
from plc.extensions import db
from plc.review import exports, followup, services
from plc.sort.labels import KIND_LABELS, NOTE_LABELS
from plc.sort.models import NextStep, Sort
from plc.teams.access import can_facilitate, team_for_member, unit_for_member
from plc.teams.models import Task
from plc.teams.signals import task_page
from plc.urls import id_arg

bp = Blueprint("review", __name__)

# What the pages that show a closed sort (templates/review/_sort.html) call its notes and groups' kinds.
SORT_WORDS = {"note_labels": NOTE_LABELS, "kind_labels": KIND_LABELS}


def _closed_sort_for_member(sort_id: int) -> Sort:
    sort = db.get_or_404(Sort, sort_id)
    team_for_member(sort.team_id)
    if sort.is_open:
        abort(404)
    return sort


@task_page.connect
def work_sorts_section(task: Task, membership) -> Markup:
    """The task page's "Work Sorts" section: every version of its sort, with View and Delete."""
    return Markup(render_template("review/_task_sorts.html", task=task, sorts=services.sorts_of_task(task.id),
                                  can_facilitate=can_facilitate(membership)))


@bp.get("/units/<id:unit_id>")
def unit(unit_id: int):
    unit, _ = unit_for_member(unit_id)
    return render_template("review/unit.html", review=services.unit_review(unit),
                           decisions=followup.DECISION_CHOICES, reflection_max_chars=followup.REFLECTION_MAX_CHARS)


@bp.get("/sorts/<id:sort_id>")
def sort(sort_id: int):
    sort = _closed_sort_for_member(sort_id)
    _, membership = team_for_member(sort.team_id)
    view = services.sort_for_member_view(sort)
    return render_template("review/sort.html", view=view, unit=view.task.unit,
                           can_facilitate=can_facilitate(membership), **SORT_WORDS)


@bp.get("/units/<id:unit_id>/compare")
def compare(unit_id: int):
    unit, _ = unit_for_member(unit_id)
    ids = request.args.getlist("sort", type=id_arg)
    if len(ids) != 2 or ids[0] == ids[1]:
        flash("Choose two different sorts to put side by side.", "error")
        return redirect(url_for(".unit", unit_id=unit.id) + "#sorts")
    views = []
    for sort_id in ids:
        sort = _closed_sort_for_member(sort_id)
        if db.session.get(Task, sort.task_id).unit_id != unit.id:
            abort(404)
        views.append(services.sort_for_member_view(sort))
    return render_template("review/compare.html", unit=unit, views=views, **SORT_WORDS)


@bp.post("/next-steps/<id:step_id>/status")
def set_status(step_id: int):
    step = db.get_or_404(NextStep, step_id)
    team_for_member(step.sort.team_id)
    unit_id = db.session.get(Task, step.sort.task_id).unit_id
    try:
        followup.record(step, request.form.get("what_happened"), request.form.get("decision") or None,
                        current_user.name)
    except UserError as exc:
        flash(str(exc), "error")
    else:
        flash("Next step updated.", "success")
    return redirect(url_for(".unit", unit_id=unit_id) + f"#step-{step_id}")


# --- exports ---------------------------------------------------------------------------

def _csv(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/units/<id:unit_id>/samples.csv")
def samples_csv(unit_id: int):
    unit, _ = unit_for_member(unit_id)
    return _csv(exports.samples_csv(services.unit_review(unit)), f"unit-{unit.id}-samples.csv")


@bp.get("/units/<id:unit_id>/closing-check.csv")
def closing_checks_csv(unit_id: int):
    unit, _ = unit_for_member(unit_id)
    return _csv(exports.closing_checks_csv(services.unit_review(unit)), f"unit-{unit.id}-closing-check.csv")


@bp.get("/units/<id:unit_id>/next-steps.csv")
def next_steps_csv(unit_id: int):
    unit, _ = unit_for_member(unit_id)
    return _csv(exports.next_steps_csv(unit), f"unit-{unit.id}-next-steps.csv")


@bp.get("/units/<id:unit_id>/summary")
@bp.get("/units/<id:unit_id>/summary.pdf", endpoint="unit_summary_pdf")
def unit_summary(unit_id: int):
    unit, _ = unit_for_member(unit_id)
    html = render_template("review/unit_summary.html", review=services.unit_review(unit),
                           statuses=followup.STATUS_LABELS, for_pdf=request.path.endswith(".pdf"), **SORT_WORDS)
    if request.path.endswith(".pdf"):
        return exports.pdf_response(html, f"unit-{unit.id}-summary.pdf", unit.team_id)
    return html


@bp.get("/sorts/<id:sort_id>/summary")
@bp.get("/sorts/<id:sort_id>/summary.pdf", endpoint="sort_summary_pdf")
def sort_summary(sort_id: int):
    view = services.sort_for_member_view(_closed_sort_for_member(sort_id))
    html = render_template("review/sort_summary.html", view=view, unit=view.task.unit,
                           for_pdf=request.path.endswith(".pdf"), **SORT_WORDS)
    if request.path.endswith(".pdf"):
        return exports.pdf_response(html, f"sort-{sort_id}-summary.pdf", view.sort.team_id)
    return html
