"""Seed the benchmark database with the app's own models and services, then print
what the clients need: for each meeting its id, the signed session cookie of its
facilitator and of each phone, and the agenda positions of its "responses" steps.

Run in a subprocess with the same PLC_* environment as the server under test:
    python -m tests.bench.setup_data [--create-all] ROOMSxPHONES [ROOMSxPHONES ...] > rooms.json

--create-all makes the tables from the models (db.create_all) instead of relying on
`flask db upgrade` having run: the fallback when the migrations lag behind the models.
"""
from __future__ import annotations

import json
import sys

from plc import create_app
from plc.accounts.models import User
from plc.cli import demo_team
from plc.extensions import db
from plc.meetings import services
from plc.meetings.state import room_state
from plc.protocols import load_protocols

PROTOCOL_IDS = ["doing-math-together"]
ROLES = ["classroom_teacher", "interventionist", "special_educator", "coach", "other"]
FIRST_NAMES = ["Ana", "Ben", "Cy", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea"]


def _meeting(app, protocols, index: int, phones: int) -> dict:
    user = User(name=f"Facilitator {index}", email=f"facilitator{index}@bench.example")
    user.password_hash = "!"  # never logs in with a password; the cookie is signed below
    team, task = demo_team(user, f"Grade {3 + index % 3} - Bench School {index}")

    meeting = services.start_meeting(team, task, user, protocols, PROTOCOL_IDS)
    response_steps = [i for i, s in enumerate(meeting.agenda) if s["activity"] == "responses"]
    if len(response_steps) < 2:
        raise SystemExit(f"The agenda of {PROTOCOL_IDS} has fewer than two 'responses' steps.")
    services.goto_step(meeting, response_steps[0])

    signer = app.session_interface.get_signing_serializer(app)
    phone_cookies = []
    for n in range(phones):
        name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {n + 1}"
        participant = services.join_meeting(meeting, name, ROLES[n % len(ROLES)])
        phone_cookies.append(signer.dumps({"seats": {str(meeting.id): participant.token}}))
    state_bytes = len(json.dumps(room_state(meeting), separators=(",", ":")).encode())
    return {
        "meeting_id": meeting.id,
        "facilitator_cookie": signer.dumps({"_user_id": str(user.id), "_fresh": True}),
        "phone_cookies": phone_cookies,
        "response_steps": response_steps,
        "start_pos": response_steps[0],
        "initial_state_bytes": state_bytes,
    }


def main(argv: list[str]) -> None:
    create_all = "--create-all" in argv
    argv = [a for a in argv if a != "--create-all"]
    app = create_app()
    cookie_name = app.config.get("SESSION_COOKIE_NAME", "session")
    scenarios = []
    with app.app_context():
        if create_all:
            from plc import models  # noqa: F401  (every table)

            db.create_all()
        protocols = load_protocols(app.config["PROTOCOLS_DIR"])
        index = 0
        for spec in argv:
            rooms, phones = (int(x) for x in spec.lower().split("x"))
            meetings = []
            for _ in range(rooms):
                index += 1
                meetings.append(_meeting(app, protocols, index, phones))
            scenarios.append({"spec": spec, "meetings": meetings})
        db.session.remove()
    json.dump({"cookie_name": cookie_name, "scenarios": scenarios}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
