"""Exports for leadership: CSV files, and PDFs made by WeasyPrint from the print pages.

Both keep the privacy choices: students appear by their codes only, and images are the
blurred display thumbnails, never the originals.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from flask import Response, current_app

from plc import storage
from plc.extensions import db
from plc.review.followup import STATUS_LABELS
from plc.review.services import UnitReview
from plc.sort.models import AUDIENCES, NextStep, Sort
from plc.sort.payloads import OWNER_ROLES
from plc.teams.models import Task, Unit
from plc.work.models import WorkSample

THUMB_URL = re.compile(r"^/work/(\d+)/thumb(?:\?.*)?$")


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


def next_steps_csv(unit: Unit) -> str:
    """Every next step planned in the unit's sorts (latest version of each), with its status."""
    latest = db.select(db.func.max(Sort.id)).join(Task, Task.id == Sort.task_id).where(
        Task.unit_id == unit.id).group_by(Sort.task_id)
    steps = db.session.execute(
        db.select(NextStep, Task.title).join(Sort, Sort.id == NextStep.sort_id).join(Task, Task.id == Sort.task_id)
        .where(Sort.id.in_(latest)).order_by(Task.id, NextStep.id)
    ).all()
    return _csv(
        ["task", "group", "move", "for", "who", "by_when", "status", "reflection", "student", "note"],
        [[title, s.group.name, s.move, AUDIENCES[s.audience], OWNER_ROLES.get(s.owner_role, s.owner_role),
          s.due_on.isoformat() if s.due_on else "", STATUS_LABELS[s.status], s.reflection,
          s.student_label or "", s.student_note or ""] for s, title in steps])


def _weasyprint():
    """WeasyPrint, imported on first use. Importing it turns on Pillow's LOAD_TRUNCATED_IMAGES
    for the whole process, which would let truncated uploads through: turn it back off."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return weasyprint.HTML, URLFetcher, URLFetcherResponse


def pdf_response(html: str, filename: str, team_id: int) -> Response:
    HTML, _, _ = _weasyprint()
    pdf = HTML(string=html, base_url="http://localhost/", url_fetcher=_fetcher(team_id)).write_pdf()
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _fetcher(team_id: int):
    """Fetches only this app's static files and the team's blurred thumbnails, from disk:
    a PDF never reaches the network or another team's work."""
    _, URLFetcher, URLFetcherResponse = _weasyprint()
    static = Path(current_app.static_folder).resolve()

    class TeamFiles(URLFetcher):
        def fetch(self, url, headers=None):
            path = re.sub(r"^https?://[^/]+", "", url)
            if match := THUMB_URL.match(path):
                sample = db.session.get(WorkSample, int(match.group(1)))
                if sample is None or sample.team_id != team_id or not sample.thumb_name:
                    raise ValueError("not this team's image")
                body = storage.path_of(sample.thumb_name).read_bytes()
                return URLFetcherResponse(url, body, {"Content-Type": "image/jpeg"})
            if path.startswith("/static/"):
                target = (static / path.removeprefix("/static/").split("?")[0]).resolve()
                if static in target.parents and target.is_file():
                    kind = "text/css" if target.suffix == ".css" else "application/octet-stream"
                    return URLFetcherResponse(url, target.read_bytes(), {"Content-Type": kind})
            raise ValueError(f"{url} is not fetched into a PDF")

    return TeamFiles()
