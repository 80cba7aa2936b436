"""Builders for deletion tests: samples with real files under the uploads folder, meetings with
people and responses, sorts closed into snapshots through the Work Sort's own services."""
from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from flask import current_app
from PIL import Image

from plc import storage
from plc.extensions import db
from plc.meetings import services as meetings
from plc.meetings.models import Response
from plc.protocols import load_protocols
from plc.sort import commands as sorting
from plc.teams.models import Membership, Task, Unit
from plc.timeutil import utcnow
from plc.work.models import WorkSample


def gen_file(folder: str = "work") -> str:
    """A small JPEG stored under the uploads folder, as the app names its files."""
    name = storage.new_name(folder, ".jpg")
    path = storage.path_of(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (60, 80), "white").save(path, "JPEG")
    return name


def on_disk(*names: str | None) -> list[bool]:
    return [bool(name) and storage.path_of(name).exists() for name in names]


def stored_files() -> set[Path]:
    root = Path(current_app.config["UPLOADS_DIR"])
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def gen_sample(task: Task, label: str = "S1", *, original: bool = False, days_old: float = 0, meeting=None,
               participant=None, text: str = "6 + 6 + 6 = 18", status: str = "done") -> WorkSample:
    """A processed sample with its display image and thumbnail (and original) on disk."""
    sample = WorkSample(
        team_id=task.unit.team_id, task_id=task.id, meeting_id=meeting.id if meeting else None,
        uploaded_by_participant_id=participant.id if participant else None,
        student_label=label, source_kind="jpeg", status=status, ocr_text=text,
        ocr_words=[{"text": w, "confidence": 90.0, "box": [0, 0, 1, 1], "line": 0} for w in text.split()],
        image_name=gen_file(), thumb_name=gen_file(), original_name=gen_file("originals") if original else None,
        width=60, height=80, created_at=utcnow() - timedelta(days=days_old))
    db.session.add(sample)
    db.session.commit()
    return sample


def gen_member(team, name: str = "Mo Member", role: str = "member"):
    from tests.conftest import gen_user

    user = gen_user(name=name)
    db.session.add(Membership(team=team, user=user, role=role))
    db.session.commit()
    return user


def gen_unit_task(team, unit_title: str = "Unit 5: Fractions", title: str = "Pizza shares", unit=None) -> Task:
    unit = unit or Unit(team=team, title=unit_title)
    task = Task(unit=unit, title=title, context="Share 3 pizzas among 4 friends.")
    db.session.add_all([unit, task])
    db.session.commit()
    return task


def start_on(task: Task, facilitator, protocol_ids=("work-sort",)):
    protocols = load_protocols(current_app.config["PROTOCOLS_DIR"])
    return meetings.start_meeting(task.unit.team, task, facilitator, protocols, list(protocol_ids))


def gen_people(meeting, *answers: str, name: str = "Ana"):
    """A participant with a response per answer; returns the participant."""
    participant = meetings.join_meeting(meeting, name, "classroom_teacher")
    db.session.add_all([Response(meeting_id=meeting.id, participant_id=participant.id, step_pos=0, text=a)
                        for a in answers])
    db.session.commit()
    return participant


def gen_closed_sort(meeting, samples: list[WorkSample]):
    """A sort on the meeting's task: the first sample in "Makes groups of 6", every sample shared,
    a next step for the group, closed by Pat. Returns (sort, group)."""
    sort = sorting.sort_for_meeting(meeting)
    group = sorting.add_group(sort, "Makes groups of 6", "Pat")
    sorting.move_card(sort, samples[0].id, group.id, 0, 0, "Pat")
    sorting.set_share_order(sort, [s.id for s in samples])
    sorting.add_next_step(sort, meeting, {"group_id": group.id, "move": "Compare with an array",
                                          "audience": "small_group", "owner": f"member:{meeting.facilitator_id}",
                                          "prediction": "They will see the rows.", "evidence": "Friday's task"}, "Pat")
    sorting.close_sort(sort, "Pat")
    return sort, group


def jpeg_upload(size=(600, 800)):
    from werkzeug.datastructures import FileStorage

    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "JPEG")
    out.seek(0)
    return FileStorage(out, filename="work.jpg")
