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

STICKERS_TASK = ("Sticker pages", "Maya has 72 stickers. She puts 6 stickers on each page of her book.",
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


def add_demo_work(task_id: int, pages=PAGES) -> int:
    """Upload demo pages for a task through the real pipeline; returns how many."""
    from plc.teams.models import Task
    from plc.work.services import accept_upload

    immediate = huey.immediate
    huey.immediate = True
    try:
        for label, name, lines in pages:
            upload = FileStorage(io.BytesIO(draw_page(name, lines)), filename=f"{label}.png")
            # Each job ends its database session: load the task again for every page.
            accept_upload(upload, task=db.session.get(Task, task_id), label=label)
    finally:
        huey.immediate = immediate
    return len(pages)


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
            meetings.add_response(meeting, teacher.id, text, field)
    meetings.end_meeting(meeting)


# --- a finished unit: two earlier tasks, sorted and closed, with next steps followed up ------

VOCABULARY = {
    "Counts all": "Makes every object and counts them one by one",
    "Skip counts": "Counts by the size of a group: 6, 12, 18, ...",
    "Repeated addition": "Adds the same number again and again",
    "Uses a multiplication fact": "Knows or derives the product, e.g. 4 x 6 = 24",
    "Doubles": "Doubles a known product: 4 x 8 is double 2 x 8",
}
NAMES = {"AB": "Ava", "CD": "Leo", "EF": "Mia", "GH": "Sam", "JK": "Zoe", "LM": "Eli", "NP": "Ivy", "QR": "Max"}

# The teachers who join the earlier meetings from their phones, and own their next steps.
TEACHERS = {"interventionist": "Rosa", "classroom_teacher": "Dev", "special_educator": "Kim"}
# (title, text, days ago, {group: [(code, lines)]}, notes per group, next steps: (group, move, audience, owner,
#  due in days, prediction, evidence, decision, what happened, student, note))
HISTORY = [
    ("Chairs in rows", "The class sets out 4 rows of chairs with 6 chairs in each row.\nHow many chairs are there?", 28, {
        "Counts all": [("AB", ["I drew all the chairs", "1 2 3 4 5 6 7 8 9 10 ...", "24 chairs"]),
                       ("NP", ["I counted them", "23 chairs"]), ("QR", ["I drew dots and counted", "24"])],
        "Skip counts": [("CD", ["6 12 18 24", "24 chairs"]), ("LM", ["6, 12, 18, 24"])],
        "Repeated addition": [("EF", ["6 + 6 + 6 + 6 = 24"]), ("GH", ["6 + 6 = 12", "12 + 6 + 6 = 24"])],
        "Uses a multiplication fact": [("JK", ["4 x 6 = 24", "24 chairs"])],
    }, {
        "Counts all": ("Draws every chair and counts one by one.", "They see the rows, not yet the equal groups.",
                       "One-to-one counting is solid.", "Loses track past 20 (NP got 23)."),
        "Repeated addition": ("Writes 6 four times and adds.", "They know the rows are the same size.",
                              "Fluent adding of 6s.", "No link yet to 4 x 6."),
    }, [
        ("Counts all", "Skip-count along a row on a number line, by 2s, 5s, then 6s", "small_group", "interventionist",
         -20, "They will count rows by 6 instead of one by one.", "Friday's exit ticket: 3 rows of 6",
         "adopted", "All three skip count by 2s and 5s now; 6s still slow.", None, None),
        ("Repeated addition", "Number talk: connect 6 + 6 + 6 + 6 to 4 x 6", "whole_class", "classroom_teacher",
         -18, "Most will write 4 x 6 beside the repeated addition.", "Next task's written work",
         "adapted", "Started; few wrote 4 x 6. Repeat it with 3 x 8 next week.", None, None),
    ]),
    ("Pencil packs", "A pack holds 8 pencils.\nHow many pencils are in 5 packs?", 14, {
        "Counts all": [("QR", ["I drew 5 packs", "and counted 40"])],
        "Skip counts": [("AB", ["8 16 24 32 40", "40 pencils"]), ("NP", ["8, 16, 24, 32, 40"]),
                        ("LM", ["8 16 24 32 40", "40"])],
        "Repeated addition": [("EF", ["8 + 8 + 8 + 8 + 8 = 40"])],
        "Uses a multiplication fact": [("CD", ["5 x 8 = 40"]), ("JK", ["5 x 8 = 40", "because 8 x 5 = 40"])],
        "Doubles": [("GH", ["2 x 8 = 16", "4 x 8 = 32", "32 + 8 = 40"])],
    }, {
        "Skip counts": ("Skip counts by 8 to 40.", "They see the packs as equal groups now.",
                        "Skip counting by 8 is reliable.", "Counting by 8 beyond 40 is slow."),
        "Doubles": ("Doubles 2 x 8 to get 4 x 8, then adds one more 8.", "Uses known facts to build new ones.",
                    "Doubling strategy to share with the class.", ""),
    }, [
        ("Skip counts", "Use 5s and 10s facts to reach 8s and 9s", "small_group", "classroom_teacher",
         3, "They will start from 5 x 8 = 40 rather than skip count from 8.", "Tuesday's warm-up: 6 x 8",
         "planned", "", None, None),
        ("Counts all", "Build equal groups with counters, then skip count them", "individual", "special_educator",
         5, "QR will make groups of 8 and count them by 8s.", "QR's counters work on Wednesday",
         "planned", "", "QR", "Uses ten-frames; build up to groups of 8"),
        ("Doubles", "Share GH's doubling in a class discussion", "whole_class", "classroom_teacher",
         -7, "Some students will try doubling on their own.", "The exit ticket after the discussion",
         "adopted", "Several students tried doubling on the exit ticket.", None, None),
    ]),
]


def add_demo_history(team, unit, facilitator) -> None:
    """Two earlier tasks of the unit, each sorted and closed weeks ago, for the coach's review."""
    from datetime import timedelta

    from plc.accounts.models import User
    from plc.meetings import services as meetings
    from plc.protocols import available_protocols
    from plc.review.followup import record
    from plc.sort import commands as sorts
    from plc.sort.models import Sort
    from plc.sort.queries import name_key
    from plc.teams.models import Strategy, Task, Team
    from plc.timeutil import utcnow
    from plc.work.models import WorkSample

    # Each page's job ends the database session: keep ids, load objects again after the uploads.
    team_id, unit_id, user_id, by = team.id, unit.id, facilitator.id, facilitator.name
    db.session.add_all(Strategy(team_id=team_id, name=name, key=name_key(name), definition=definition)
                       for name, definition in VOCABULARY.items())
    db.session.commit()
    protocols, _ = available_protocols()
    for title, text, days_ago, groups, notes, steps in HISTORY:
        when = utcnow() - timedelta(days=days_ago)
        context, question = text.split("\n")  # each history task: its context, then its question
        task = Task(unit_id=unit_id, title=title, context=context, question=question, created_at=when - timedelta(days=1))
        db.session.add(task)
        db.session.commit()
        task_id = task.id
        add_demo_work(task_id, [(code, NAMES[code], lines) for members in groups.values() for code, lines in members])
        team, task, facilitator = db.session.get(Team, team_id), db.session.get(Task, task_id), db.session.get(User, user_id)
        meeting = meetings.start_meeting(team, task, facilitator, protocols, ["work-sort"])
        owners = {role: f"participant:{meetings.join_meeting(meeting, name, role).id}" for role, name in TEACHERS.items()}
        sort = sorts.sort_for_meeting(meeting)
        codes = {s.student_label: s.id for s in db.session.execute(
            db.select(WorkSample).filter_by(task_id=task_id)).scalars()}
        by_name = {}
        for name, members in groups.items():
            group = sorts.add_group(sort, name, by)
            by_name[name] = group.id
            for code, _ in members:
                sorts.move_card(sort, codes[code], group.id, 99, 0, by)
        for name, (showing, telling, build_on, issues) in notes.items():
            sorts.update_notes(sort, by_name[name], {"showing": showing, "telling": telling,
                                                     "build_on": build_on, "issues": issues})
        planned = []
        for group, move, audience, owner, due, prediction, evidence, decision, happened, student, note in steps:
            planned.append((sorts.add_next_step(sort, meeting, {
                "group_id": by_name[group], "move": move, "audience": audience, "owner": owners[owner],
                "due_on": (utcnow() + timedelta(days=due)).date(), "prediction": prediction, "evidence": evidence,
                "student_label": student, "student_note": note,
            }, by, today=when.date()), decision, happened))
        sorts.close_sort(sort, by)
        for step, decision, happened in planned:
            if decision != "planned":
                record(step, happened, decision, by)
        meetings.end_meeting(meeting)
        meeting.started_at = when
        meeting.ended_at = when + timedelta(minutes=45)
        db.session.execute(db.update(Sort).where(Sort.id == sort.id).values(
            created_at=when, closed_at=when + timedelta(minutes=44)))
        db.session.commit()
