"""Builders for teachers' photos of their solutions: real pictures made with Pillow, phones that
joined a Doing Math Together meeting, and the meeting moved to its solve step."""
from __future__ import annotations

import io
from pathlib import Path

from flask import current_app
from PIL import ExifTags, Image

from plc.extensions import db
from plc.meetings.services import goto_step


def solve_step(meeting) -> int:
    return next(pos for pos, step in enumerate(meeting.agenda) if step["solution_photos"])


def go_to_solve_step(meeting, *, anonymous: bool = False) -> int:
    pos = solve_step(meeting)
    if anonymous:  # a copy of the agenda: the JSON column sees the change
        meeting.agenda = [{**step, "anonymous": step_pos == pos} for step_pos, step in enumerate(meeting.agenda)]
    goto_step(meeting, pos)
    return pos


def phone_photo(width: int = 1200, height: int = 900, fmt: str = "JPEG", colour="white") -> bytes:
    """A photo as a phone sends it: stored sideways with EXIF orientation 6, a camera and a GPS
    position in its EXIF; a dark stroke at the stored top-left corner, to see it turned upright."""
    image = Image.new("RGB", (width, height), colour)
    image.paste((20, 20, 20), (0, 0, width // 4, height // 10))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (40.0, 26.0, 46.0),
                                  ExifTags.GPS.GPSLongitudeRef: "W", ExifTags.GPS.GPSLongitude: (79.0, 58.0, 56.0)}
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def send_photo(phone, meeting, data: bytes, filename: str = "solution.jpg"):
    return phone.post(f"/live/{meeting.id}/solution", data={"photo": (io.BytesIO(data), filename)},
                      content_type="multipart/form-data")


def stored_files() -> list[Path]:
    root = Path(current_app.config["UPLOADS_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def refreshed(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)
