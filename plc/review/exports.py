"""Exports for leadership: CSV files, and PDFs made by WeasyPrint from the print pages.

Both keep the privacy choices: students appear by their codes only, and images are the
blurred display thumbnails, never the originals.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from flask import Response, current_app

from plc import storage
from plc.extensions import db
from plc.offload import in_child_process
from plc.review.followup import STATUS_LABELS
from plc.review.services import UnitReview
from plc.sort.models import AUDIENCES, NextStep, Sort
from plc.sort.owners import owner_label
from plc.teams.models import Task, Unit
from plc.work.models import WorkSample, shown_to_room

THUMB_IN_PAGE = re.compile(r"/work/(\d+)/thumb")
RENDERER = Path(__file__).with_name("pdf_render.py")
RENDER_TIMEOUT_SECONDS = 120


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        # A cell starting with =, +, - or @ would run as a formula in a spreadsheet.
        writer.writerow(["'" + c if isinstance(c, str) and c.startswith(("=", "+", "-", "@")) else c for c in row])
    return out.getvalue()


def samples_csv(review: UnitReview) -> str:
    """One row per sample per closed sort: where it landed and under which strategy."""
    strategies = {s.id: s.name for s in review.vocabulary}
    rows = []
    for view in review.sorts:
        closed = view.sort.closed_at.date().isoformat()
        for group in view.groups:
            strategy = strategies.get(group.strategy_id) or group.strategy_name or ""
            rows += [[view.task.title, view.sort.version, closed, view.samples[sid].label, group.name, strategy]
                     for sid in view.cards_in(group)]
        rows += [[view.task.title, view.sort.version, closed, view.samples[sid].label, "Unsorted", ""]
                 for sid in view.unsorted]
    return _csv(["task", "sort_version", "closed_on", "student", "group", "strategy"], rows)


def closing_checks_csv(review: UnitReview) -> str:
    """The answers to the closing check, meeting by meeting: the text only, never who wrote it."""
    return _csv(["task", "meeting_on", "answer"],
                [[check.task_title, check.started_at.date().isoformat(), answer]
                 for check in review.closing_checks for answer in check.answers])


def next_steps_csv(unit: Unit) -> str:
    """Every next step planned in the unit's sorts (latest version of each), with its status."""
    latest = db.select(db.func.max(Sort.id)).join(Task, Task.id == Sort.task_id).where(
        Task.unit_id == unit.id).group_by(Sort.task_id)
    steps = db.session.execute(
        db.select(NextStep, Task.title).join(Sort, Sort.id == NextStep.sort_id).join(Task, Task.id == Sort.task_id)
        .where(Sort.id.in_(latest)).order_by(Task.id, NextStep.id)
    ).all()
    return _csv(
        ["task", "group", "move", "for", "who", "by_when", "prediction", "evidence", "what_happened", "decision",
         "adapts", "student", "note"],
        [[title, s.group.name, s.move, AUDIENCES[s.audience], owner_label(s.owner_name, s.owner_role),
          s.due_on.isoformat() if s.due_on else "", s.prediction, s.evidence, s.reflection, STATUS_LABELS[s.status],
          s.adapts.move if s.adapts else "", s.student_label or "", s.student_note or ""] for s, title in steps])


def pdf_response(html: str, filename: str, team_id: int) -> Response:
    """The page as a PDF, rendered in a child process (plc/review/pdf_render.py), so that the
    live rooms keep their timing while it renders; it gets the files it may show from here."""
    page = {"html": html, "static": str(Path(current_app.static_folder).resolve()),
            "thumbs": {str(sample_id): str(path) for sample_id, path in _thumbs_of(html, team_id).items()}}
    pdf = in_child_process(RENDERER, json.dumps(page).encode(), timeout=RENDER_TIMEOUT_SECONDS)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _thumbs_of(html: str, team_id: int) -> dict[int, Path]:
    """The blurred thumbnails of this team's samples that the page shows, by sample id (never
    the originals, never another team's, never a page private for its name check)."""
    ids = {int(found) for found in THUMB_IN_PAGE.findall(html)}
    rows = db.session.execute(db.select(WorkSample.id, WorkSample.thumb_name).where(
        WorkSample.id.in_(ids), WorkSample.team_id == team_id, WorkSample.thumb_name.is_not(None),
        shown_to_room())).all()
    return {sample_id: storage.path_of(name) for sample_id, name in rows}
