"""Demo student work: pages drawn in a handwriting font, so a new team has work to sort.

Each page shows one of the ways Grade 3 students solve a division story: skip counting,
making tens, a known fact, repeated subtraction, equal groups, or subtracting once by
mistake. The pages go through the same pipeline as uploaded photos (checks, upright,
name blurred, OCR), run at once rather than in the background worker.
"""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from werkzeug.datastructures import FileStorage

from plc.extensions import db
from plc.jobs import huey

FONTS = [
    "/usr/share/fonts/opentype/comic-neue/ComicNeue-Regular.otf",
    "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]

STICKERS_TASK = ("Sticker pages", "Maya has 72 stickers. She puts 6 stickers on each page of her book.\n"
                 "How many pages can she fill?")

# (student code, the name written on the page, lines of work)
PAGES = [
    ("AB", "Ava", ["6 12 18 24 30 36", "42 48 54 60 66 72", "I counted 12 jumps", "12 pages"]),
    ("CD", "Leo", ["6 12 18 24 30 36 42", "48 54 60 66 72", "12 pages"]),
    ("EF", "Mia", ["10 pages = 60", "72 - 60 = 12", "2 pages = 12", "10 + 2 = 12 pages"]),
    ("GH", "Sam", ["6 x 10 = 60", "6 x 2 = 12", "60 + 12 = 72", "so 12 pages"]),
    ("JK", "Zoe", ["72 / 6 = 12", "because 6 x 12 = 72"]),
    ("LM", "Eli", ["72 - 6 = 66", "66 - 6 = 60", "60 - 6 = 54 ...", "I took away 6 twelve times"]),
    ("NP", "Ivy", ["I made groups of 6", "OOOOOO OOOOOO OOOOOO", "12 groups"]),
    ("QR", "Max", ["72 - 6 = 66", "66 pages"]),
]


def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def draw_page(name: str, lines: list[str]) -> bytes:
    """A page of lined paper with 'Name: ...' at the top and the work below, as PNG bytes."""
    page = Image.new("RGB", (1200, 900), "white")
    pen = ImageDraw.Draw(page)
    for y in range(150, 900, 90):
        pen.line([(40, y), (1160, y)], fill=(170, 200, 235), width=2)
    font = _font(56)
    pen.text((60, 70), f"Name: {name}", font=font, fill=(30, 30, 60))
    for row, line in enumerate(lines):
        pen.text((60, 185 + row * 90), line, font=font, fill=(25, 25, 25))
    out = io.BytesIO()
    page.save(out, "PNG")
    return out.getvalue()


def add_demo_work(task_id: int) -> int:
    """Upload the demo pages for a task through the real pipeline; returns how many."""
    from plc.teams.models import Task
    from plc.work.services import accept_upload

    immediate = huey.immediate
    huey.immediate = True
    try:
        for label, name, lines in PAGES:
            upload = FileStorage(io.BytesIO(draw_page(name, lines)), filename=f"{label}.png")
            # Each job ends its database session: load the task again for every page.
            accept_upload(upload, task=db.session.get(Task, task_id), label=label)
    finally:
        huey.immediate = immediate
    return len(PAGES)


ANTICIPATED = {
    "strategies": ["Skip counts by 6", "Makes 10 pages first", "Uses a multiplication fact", "Draws equal groups"],
    "stuck": ["Subtracts 6 once and stops"],
    "successful": ["Most can skip count by 6"],
}


def add_demo_anticipation(team, task, facilitator) -> None:
    """A finished Doing Math Together meeting on the task: its strategies start the Work Sort's groups."""
    from plc.meetings import services as meetings
    from plc.protocols import available_protocols

    protocols, _ = available_protocols()
    meeting = meetings.start_meeting(team, task, facilitator, protocols, ["doing-math-together"])
    meetings.goto_step(meeting, next(i for i, s in enumerate(meeting.agenda) if s["activity"] == "anticipate"))
    teacher = meetings.join_meeting(meeting, "Ms. Rivera", "classroom_teacher")
    for field, answers in ANTICIPATED.items():
        for text in answers:
            meetings.add_response(meeting, teacher, text, field)
    meetings.end_meeting(meeting)
