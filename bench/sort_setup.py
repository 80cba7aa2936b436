"""Seed the Work Sort benchmark's database, and read the board back from it afterwards.

    python -m bench.sort_setup seed [--create-all] PHONES CARDS > seeded.json
    python -m bench.sort_setup dump SORT_ID > board.json

`seed` makes one team and task with CARDS processed student-work samples, starts a
Work Sort meeting on its "Sort" step, opens the sort with a few groups named by
thinking, joins PHONES phones, and prints what the clients need: the meeting id, the
signed session cookies (facilitator, then each phone) and each seat's name (the
`moved_by` of its moves).

`dump` prints the sort as the database has it: revision, the columns in board order
(queries.columns), each card's version and the number of stored moves.
"""
from __future__ import annotations

from bench.seeding import (
    bench_user, cookie_name, join_phones, loaded_protocols, phone_name, seeding_app, setup_main, user_cookie,
)
from plc.cli import demo_team
from plc.extensions import db
from plc.meetings import services as meetings
from plc.sort import commands, queries
from plc.sort.models import Move, Sort
from plc.work.models import WorkSample

GROUP_NAMES = ["Counts on", "Makes a ten", "Skip counts", "Uses doubles"]
FACILITATOR = "Sort Facilitator"
WORK_TEXTS = [
    "84 / 6 = 14 boxes",
    "6, 12, 18, 24, 30, 36, 42, 48, 54, 60, 66, 72, 78, 84: 14 jumps",
    "60 + 24 = 84, 10 boxes and 4 boxes",
    "6 x 14 = 84",
    "drew 84 dots in groups of 6",
    "84 - 6 - 6 - 6 ... 14 times",
    "42 is 7 boxes so 84 is 14",
]


def seed(phones: int, cards: int, create_all: bool) -> dict:
    with seeding_app(create_all) as app:
        user = bench_user(FACILITATOR, "sort-facilitator@bench.example")
        team, task = demo_team(user, "Grade 3 - Sort Bench School")
        for n in range(cards):
            db.session.add(WorkSample(
                team_id=team.id, task_id=task.id, student_label=f"S{n + 1:02d}", source_kind="jpeg",
                status="done", ocr_text=WORK_TEXTS[n % len(WORK_TEXTS)], thumb_name=None, image_name=None))
        db.session.commit()

        meeting = meetings.start_meeting(team, task, user, loaded_protocols(app), ["work-sort"])
        sort_steps = [i for i, s in enumerate(meeting.agenda)
                      if s["activity"] == "sort" and s.get("board") == "sort"]
        if not sort_steps:
            raise SystemExit("The work-sort agenda has no step with the board in 'sort' mode.")
        meetings.goto_step(meeting, sort_steps[0])

        sort = commands.sort_for_meeting(meeting)
        for name in GROUP_NAMES:
            commands.add_group(sort, name, FACILITATOR, can_control=True)

        phone_names = [phone_name(n) for n in range(phones)]
        phone_cookies = join_phones(app, meeting, phone_names)
        result = {
            "cookie_name": cookie_name(app),
            "meeting_id": meeting.id,
            "task_id": task.id,
            "sort_id": sort.id,
            "step": sort_steps[0],
            "cards": cards,
            "groups": [g.id for g in sort.groups],
            "facilitator_cookie": user_cookie(app, user),
            "facilitator_name": user.name,
            "phone_cookies": phone_cookies,
            "phone_names": phone_names,
        }
    return result


def dump(sort_id: int) -> dict:
    with seeding_app(create_all=False):
        sort = db.session.get(Sort, sort_id)
        if sort is None:
            raise SystemExit(f"no sort {sort_id}")
        board = queries.columns(sort)
        result = {
            "sort_id": sort.id,
            "revision": sort.revision,
            "columns": [{"group_id": g, "sample_ids": ids} for g, ids in board.items()],
            "versions": {str(p.sample_id): p.version for p in sort.placements if p.version},
            "moves": db.session.query(Move).filter_by(sort_id=sort.id).count(),
            "moves_undone": db.session.query(Move).filter_by(sort_id=sort.id, undone=True).count(),
        }
    return result


def main(create_all: bool, argv: list[str]) -> dict:
    if argv[:1] == ["seed"] and len(argv) == 3:
        return seed(int(argv[1]), int(argv[2]), create_all)
    if argv[:1] == ["dump"] and len(argv) == 2:
        return dump(int(argv[1]))
    raise SystemExit(__doc__)


if __name__ == "__main__":
    setup_main(main)
