"""Retention orchestrates and each feature deletes what it owns, through plc/deletion.py."""
import ast
from datetime import timedelta
from pathlib import Path

import pytest

from plc import deletion
from plc.deletion import MEETING, SAMPLE, SOLUTION_PHOTO, SORT, TURNS, UNIT, CannotDelete
from plc.errors import UserError
from plc.extensions import db
from plc.retention import services
from plc.sort import commands as sorting
from plc.sort.models import Move, Sort
from plc.teams.models import DeletionRecord
from plc.timeutil import utcnow
from plc.work.models import WorkSample
from tests.conftest import gen_team, gen_user
from tests.retention.conftest import gen_closed_sort, gen_sample, gen_unit_task, on_disk, start_on

RETENTION = Path(__file__).resolve().parents[2] / "plc" / "retention"
# The features retention asks, through signals; teams is below it and may be imported.
FEATURES_ABOVE_TEAMS = ("plc.meetings", "plc.work", "plc.sort", "plc.review", "plc.solutions")
OWNERS = {UNIT: "plc.teams.deletion", MEETING: "plc.meetings.deletion", SAMPLE: "plc.work.deletion",
          SORT: "plc.sort.deletion", SOLUTION_PHOTO: "plc.solutions.deletion"}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_retention_imports_no_other_features_models_or_services():
    for path in sorted(RETENTION.glob("*.py")):
        upward = sorted(m for m in imported_modules(path) if m.startswith(FEATURES_ABOVE_TEAMS))
        assert upward == [], path.name


def test_each_feature_answers_on_its_own_turn_only(app):
    for what in TURNS:
        for signal in (what.describing, what.deleting, what.deleted):
            for turn in TURNS:
                modules = {receiver.__module__ for receiver in signal.receivers_for(turn)}
                assert modules <= {OWNERS[turn]}, (what, signal.name, turn)
        owner_parts = list(what.describing.receivers_for(what))
        assert [r.__module__ for r in owner_parts] == [OWNERS[what]], what  # the owner names the thing


def test_the_owners_find_what_retention_deletes(app):
    owner = gen_user()
    sample = gen_sample(gen_unit_task(gen_team(owner)))

    assert SAMPLE.find(sample.id) is sample
    assert SAMPLE.find(sample.id + 1) is None and SORT.find(1) is None and MEETING.find(1) is None


def test_a_refusal_is_a_message_for_the_user():
    assert issubclass(CannotDelete, UserError)
    assert services.CannotDelete is deletion.CannotDelete


def test_a_feature_that_cannot_delete_after_all_rolls_every_features_part_back(app):
    owner = gen_user()
    team = gen_team(owner)
    meeting = start_on(gen_unit_task(team), owner)
    sample, other = gen_sample(meeting.task, "S1"), gen_sample(meeting.task, "S2")
    closed, _ = gen_closed_sort(meeting, [sample, other])
    reopened = sorting.reopen_sort(closed, meeting)
    before = {"snapshot": closed.snapshot, "revision": reopened.revision,
              "moves": db.session.execute(db.select(Move.id).filter_by(sample_id=sample.id)).scalars().all()}
    assert before["moves"]
    files = [sample.image_name, sample.thumb_name]

    def a_job_takes_it(_, thing):
        # Between the confirmation and the deletion of the sample itself, a job leases it.
        db.session.execute(db.update(WorkSample).where(WorkSample.id == thing.id)
                           .values(lease_until=utcnow() + timedelta(minutes=2)))

    with SAMPLE.deleting.connected_to(a_job_takes_it, sender=SORT):
        with pytest.raises(CannotDelete, match="being read right now"):
            services.delete_sample(sample, owner)

    assert db.session.get(WorkSample, sample.id) is not None and on_disk(*files) == [True, True]
    assert db.session.get(Sort, closed.id).snapshot == before["snapshot"]
    assert db.session.get(Sort, reopened.id).revision == before["revision"]
    assert db.session.execute(db.select(Move.id).filter_by(sample_id=sample.id)).scalars().all() == before["moves"]
    assert db.session.execute(db.select(DeletionRecord)).first() is None
