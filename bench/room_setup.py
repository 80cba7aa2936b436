"""Seed the live-room benchmark's meetings, then print what the clients need: for each
meeting its id, the signed session cookie of its facilitator and of each phone, and the
agenda positions of its "responses" steps.

    python -m bench.room_setup [--create-all] ROOMSxPHONES [ROOMSxPHONES ...] > rooms.json
"""
from __future__ import annotations

import json

from flask import Flask

from bench.seeding import (
    bench_user, cookie_name, join_phones, loaded_protocols, phone_name, seeding_app, setup_main, user_cookie,
)
from plc.cli import demo_team
from plc.meetings import services
from plc.meetings.state import room_state

PROTOCOL_IDS = ["doing-math-together"]


def _meeting(app: Flask, loaded: dict, index: int, phones: int) -> dict:
    user = bench_user(f"Facilitator {index}", f"facilitator{index}@bench.example")
    team, task = demo_team(user, f"Grade {3 + index % 3} - Bench School {index}")

    meeting = services.start_meeting(team, task, user, loaded, PROTOCOL_IDS)
    response_steps = [i for i, s in enumerate(meeting.agenda) if s["activity"] == "responses"]
    if len(response_steps) < 2:
        raise SystemExit(f"The agenda of {PROTOCOL_IDS} has fewer than two 'responses' steps.")
    services.goto_step(meeting, response_steps[0])

    phone_cookies = join_phones(app, meeting, [phone_name(n) for n in range(phones)])
    state_bytes = len(json.dumps(room_state(meeting), separators=(",", ":")).encode())
    return {
        "meeting_id": meeting.id,
        "facilitator_cookie": user_cookie(app, user),
        "phone_cookies": phone_cookies,
        "response_steps": response_steps,
        "start_pos": response_steps[0],
        "initial_state_bytes": state_bytes,
    }


def seed(create_all: bool, specs: list[str]) -> dict:
    scenarios = []
    with seeding_app(create_all) as app:
        loaded = loaded_protocols(app)
        index = 0
        for spec in specs:
            rooms, phones = (int(x) for x in spec.lower().split("x"))
            meetings = []
            for _ in range(rooms):
                index += 1
                meetings.append(_meeting(app, loaded, index, phones))
            scenarios.append({"spec": spec, "meetings": meetings})
    return {"cookie_name": cookie_name(app), "scenarios": scenarios}


if __name__ == "__main__":
    setup_main(seed)
