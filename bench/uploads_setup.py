"""Seed the student-work benchmark's meeting: a team, a task and a Work Sort meeting moved
to its upload step, with PHONES participants; prints the signed session cookies of the
facilitator and of each phone.

    python -m bench.uploads_setup [--create-all] PHONES > seeded.json
"""
from __future__ import annotations

from bench.seeding import bench_user, cookie_name, join_phones, loaded_protocols, seeding_app, setup_main, user_cookie
from plc.extensions import db
from plc.meetings import services
from plc.teams.models import Membership, Task, Team, Unit


def seed(create_all: bool, argv: list[str]) -> dict:
    (phones,) = (int(a) for a in argv)
    with seeding_app(create_all) as app:
        user = bench_user("Facilitator", "facilitator@bench.example")
        team = Team(name="Grade 3 - Bench School")
        unit = Unit(team=team, title="Grade 3, Unit 2: Addition and subtraction")
        task = Task(unit=unit, title="Make a ten", context="Solve and show your thinking: 8 + 5, 6 x 7, 48 + 37.")
        db.session.add_all([user, team, Membership(team=team, user=user, role="facilitator"), unit, task])
        db.session.commit()
        meeting = services.start_meeting(team, task, user, loaded_protocols(app), ["work-sort"])
        upload_step = next(i for i, s in enumerate(meeting.agenda) if s["activity"] == "upload")
        services.goto_step(meeting, upload_step)
        return {
            "cookie_name": cookie_name(app),
            "meeting_id": meeting.id,
            "step": {"pos": upload_step, "title": meeting.agenda[upload_step]["title"]},
            "facilitator_cookie": user_cookie(app, user),
            "phone_cookies": join_phones(app, meeting, [f"Teacher {n + 1}" for n in range(phones)]),
        }


if __name__ == "__main__":
    setup_main(seed)
