"""Seed the stall benchmark: a unit whose PDF summary is worth exporting (SORTS closed sorts of
SAMPLES samples, each with a thumbnail), and a Work Sort meeting of PHONES phones on its upload
step: the room that is measured. Prints the session cookies, the meeting and the unit.

    python -m bench.stalls_setup [--create-all] PHONES SORTS SAMPLES > seeded.json
"""
from __future__ import annotations

import io

from PIL import Image, ImageDraw

from bench.review_setup import closed_sort
from bench.seeding import bench_user, cookie_name, join_phones, loaded_protocols, seeding_app, setup_main, user_cookie
from plc.cli import demo_team
from plc.meetings import services as meetings

GROUPS = 5


def thumbnail() -> bytes:
    """A thumbnail as the app makes them: a 360 x 480 JPEG of a page of work."""
    page = Image.new("RGB", (360, 480), "white")
    draw = ImageDraw.Draw(page)
    for line in range(12):
        draw.text((20, 30 + line * 36), f"{6 * (line + 1)} + 6 = {6 * (line + 2)}", fill="black")
    out = io.BytesIO()
    page.save(out, "JPEG", quality=85)
    return out.getvalue()


def seed(create_all: bool, argv: list[str]) -> dict:
    phones, n_sorts, n_samples = (int(a) for a in argv)
    with seeding_app(create_all) as app:
        user = bench_user("Facilitator", "facilitator@bench.example")
        team, task = demo_team(user, "Grade 3 - Bench School")
        protocols = loaded_protocols(app)
        picture = thumbnail()
        for index in range(n_sorts):
            closed_sort(team, user, task.unit, protocols, index, n_samples, GROUPS, thumbnail=picture)
        meeting = meetings.start_meeting(team, task, user, protocols, ["work-sort"])
        upload_step = next(i for i, s in enumerate(meeting.agenda) if s["activity"] == "upload")
        meetings.goto_step(meeting, upload_step)
        return {
            "cookie_name": cookie_name(app),
            "meeting_id": meeting.id,
            "unit_id": task.unit_id,
            "facilitator_cookie": user_cookie(app, user),
            "phone_cookies": join_phones(app, meeting, [f"Teacher {n + 1}" for n in range(phones)]),
        }


if __name__ == "__main__":
    setup_main(seed)
