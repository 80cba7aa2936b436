"""Seed the Work Sort benchmark's database, and read the board back from it afterwards.

Run in a subprocess with the same PLC_* environment as the server under test:

    python -m tests.bench.sort_setup seed [--create-all] PHONES CARDS > seeded.json
    python -m tests.bench.sort_setup dump SORT_ID > board.json

`seed` makes one team and task with CARDS processed student-work samples, starts a
Work Sort meeting on its "Sort" step, opens the sort with a few groups named by
thinking, joins PHONES phones, and prints what the clients need: the meeting id, the
signed session cookies (facilitator, then each phone) and each seat's name (the
`moved_by` of its moves). --create-all makes the tables from the models
(db.create_all) when the migrations lag behind them.

`dump` prints the sort as the database has it: revision, the columns in board order
(queries.columns), each card's version and the number of stored moves.
"""
from __future__ import annotations

import json
import sys

GROUP_NAMES = ["Counts on", "Makes a ten", "Skip counts", "Uses doubles"]
ROLES = ["classroom_teacher", "interventionist", "special_educator", "coach", "other"]
FIRST_NAMES = ["Ana", "Ben", "Cy", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea"]
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
SORT_STEP_TITLE = "Sort"


def seed(phones: int, cards: int, create_all: bool) -> dict:
    from plc import create_app
    from plc.accounts.models import User
    from plc.cli import demo_team
    from plc.extensions import db
    from plc.meetings import services as meetings
    from plc.protocols import load_protocols
    from plc.sort import commands
    from plc.work.models import WorkSample

    app = create_app()
    with app.app_context():
        if create_all:
            from plc import models  # noqa: F401  (every table)

            db.create_all()
        protocols = load_protocols(app.config["PROTOCOLS_DIR"])
        user = User(name=FACILITATOR, email="sort-facilitator@bench.example")
        user.password_hash = "!"  # never logs in with a password; the cookie is signed below
        team, task = demo_team(user, "Grade 3 - Sort Bench School")
        for n in range(cards):
            db.session.add(WorkSample(
                team_id=team.id, task_id=task.id, student_label=f"S{n + 1:02d}", source_kind="jpeg",
                status="done", ocr_text=WORK_TEXTS[n % len(WORK_TEXTS)], thumb_name=None, image_name=None))
        db.session.commit()

        meeting = meetings.start_meeting(team, task, user, protocols, ["work-sort"])
        sort_steps = [i for i, s in enumerate(meeting.agenda)
                      if s["activity"] == "sort" and s.get("board") == "sort"]
        if not sort_steps:
            raise SystemExit("The work-sort agenda has no step with the board in 'sort' mode.")
        meetings.goto_step(meeting, sort_steps[0])

        sort = commands.sort_for_meeting(meeting)
        for name in GROUP_NAMES:
            commands.add_group(sort, name, FACILITATOR, can_control=True)

        signer = app.session_interface.get_signing_serializer(app)
        phone_cookies, phone_names = [], []
        for n in range(phones):
            name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {n + 1}"
            participant = meetings.join_meeting(meeting, name, ROLES[n % len(ROLES)])
            phone_cookies.append(signer.dumps({"seats": {str(meeting.id): participant.token}}))
            phone_names.append(name)
        result = {
            "cookie_name": app.config.get("SESSION_COOKIE_NAME", "session"),
            "meeting_id": meeting.id,
            "task_id": task.id,
            "sort_id": sort.id,
            "step": sort_steps[0],
            "cards": cards,
            "groups": [g.id for g in sort.groups],
            "facilitator_cookie": signer.dumps({"_user_id": str(user.id), "_fresh": True}),
            "facilitator_name": user.name,
            "phone_cookies": phone_cookies,
            "phone_names": phone_names,
        }
        db.session.remove()
    return result


def dump(sort_id: int) -> dict:
    from plc import create_app
    from plc.extensions import db
    from plc.sort import queries
    from plc.sort.models import Move, Sort

    app = create_app()
    with app.app_context():
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
        db.session.remove()
    return result


def main(argv: list[str]) -> None:
    if argv[:1] == ["seed"]:
        rest = argv[1:]
        create_all = "--create-all" in rest
        phones, cards = (int(x) for x in [a for a in rest if a != "--create-all"])
        json.dump(seed(phones, cards, create_all), sys.stdout)
    elif argv[:1] == ["dump"] and len(argv) == 2:
        json.dump(dump(int(argv[1])), sys.stdout)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
