"""Seed two units for the unit-page benchmark and count each page's queries.

    python -m bench.review_setup [--create-all] SORTS SAMPLES GROUPS > units.json

A "big" unit holds SORTS closed sorts of SAMPLES samples in GROUPS groups (half of them
linked to the team's vocabulary, so both kinds of bar segment are drawn), a "small" unit
holds one such sort. Prints the facilitator's session cookie, both unit ids, and the
number of SQL statements each unit page runs (counted through the Flask test client, on
the same code path as the server).
"""
from __future__ import annotations

from sqlalchemy import event

from bench.seeding import bench_user, cookie_name, loaded_protocols, seeding_app, setup_main, user_cookie
from plc import storage
from plc.cli import demo_team
from plc.extensions import db
from plc.meetings import services as meetings
from plc.sort import commands as sorts, queries
from plc.teams.models import Strategy, Task, Unit
from plc.work.models import WorkSample

STRATEGIES = ["Counts all", "Skip counts", "Repeated addition", "Uses a fact", "Doubles", "Makes a ten",
              "Splits by place value", "Uses an array"]


def closed_sort(team, user, unit, protocols, index: int, samples: int, groups: int,
                thumbnail: bytes | None = None) -> None:
    """A task of `unit` with a closed sort of `samples` samples in `groups` groups; each sample
    gets a thumbnail file holding `thumbnail` (a JPEG), if given."""
    task = Task(unit=unit, title=f"Task {index + 1}", context="A rich task.")
    db.session.add(task)
    db.session.add_all(WorkSample(team_id=team.id, task=task, student_label=f"S{n + 1}", source_kind="png",
                                  status="done", ocr_text=f"work of student {n + 1}",
                                  thumb_name=_thumbnail_file(thumbnail)) for n in range(samples))
    db.session.commit()
    meeting = meetings.start_meeting(team, task, user, protocols, ["work-sort"])
    sort = sorts.sort_for_meeting(meeting)
    made = [sorts.add_group(sort, STRATEGIES[(index + g) % len(STRATEGIES)] + ("" if g % 2 else " (new)"), user.name)
            for g in range(groups)]
    for n, sample in enumerate(queries.sort_samples(sort)):
        sorts.move_card(sort, sample.id, made[(n * 7 + index) % groups].id, 99, 0, user.name)
    sorts.add_next_step(sort, meeting, {"group_id": made[0].id, "move": "Number talk", "audience": "whole_class",
                                        "owner": f"member:{user.id}", "prediction": "More will use arrays.",
                                        "evidence": "The next task's work"}, user.name)
    sorts.close_sort(sort, user.name)
    meetings.end_meeting(meeting)


def _thumbnail_file(content: bytes | None) -> str | None:
    if content is None:
        return None
    name = storage.new_name("work", ".jpg")
    storage.path_of(name).parent.mkdir(parents=True, exist_ok=True)
    storage.path_of(name).write_bytes(content)
    return name


def count_queries(app, user_id: int, url: str) -> int:
    """Statements of one request, outside the seeding's app context: nothing is cached."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return len(statements)


def seed(create_all: bool, argv: list[str]) -> dict:
    n_sorts, n_samples, n_groups = (int(a) for a in argv)
    with seeding_app(create_all) as app:
        user = bench_user("Bench Coach", "coach@bench.example")
        team, task = demo_team(user, "Bench team")
        db.session.add_all(Strategy(team_id=team.id, name=s, key=queries.name_key(s), definition="") for s in STRATEGIES)
        big, small = task.unit, Unit(team=team, title="A unit with one sort")
        db.session.add(small)
        db.session.commit()
        loaded = loaded_protocols(app)
        for index in range(n_sorts):
            closed_sort(team, user, big, loaded, index, n_samples, n_groups)
        closed_sort(team, user, small, loaded, 0, n_samples, n_groups)
        cookie = user_cookie(app, user)
        user_id, units = user.id, {"big": big.id, "small": small.id}
    return {
        "cookie_name": cookie_name(app),
        "cookie": cookie,
        "units": units,
        "queries": {key: count_queries(app, user_id, f"/units/{unit_id}") for key, unit_id in units.items()},
    }


if __name__ == "__main__":
    setup_main(seed)
