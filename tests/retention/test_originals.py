"""The team's retention setting removes kept original photos, and nothing else, after N days."""
from datetime import datetime, timedelta

from plc.extensions import db
from plc.jobs import huey
from plc.retention import services, tasks
from plc.sort.models import Sort
from plc.teams.models import DeletionRecord
from plc.timeutil import utcnow
from plc.work.models import WorkSample
from tests.conftest import gen_task, gen_team, gen_user
from tests.retention.conftest import gen_closed_sort, gen_sample, on_disk, start_on


def keeping_for(days, name="Grade 3"):
    owner = gen_user()
    team = gen_team(owner, name=name)
    team.keep_originals, team.originals_retention_days = True, days
    db.session.commit()
    return team, owner


def originals_records(team):
    return db.session.execute(db.select(DeletionRecord).filter_by(team_id=team.id, kind="originals")).scalars().all()


def test_the_retention_setting_removes_old_originals_only(app):
    team, owner = keeping_for(30)
    meeting = start_on(gen_task(team), owner)
    old = gen_sample(meeting.task, "S1", original=True, days_old=31, text="7 x 4 = 28")
    recent = gen_sample(meeting.task, "S2", original=True, days_old=29)
    sort, _ = gen_closed_sort(meeting, [old, recent])
    snapshot = db.session.get(Sort, sort.id).snapshot
    old_files = {"original": old.original_name, "image": old.image_name, "thumb": old.thumb_name}
    updated_at = old.updated_at

    assert services.remove_expired_originals(team) == 1

    old = db.session.get(WorkSample, old.id)
    assert old.original_name is None and on_disk(old_files["original"]) == [False]
    # The blurred display image, the thumbnail, the text and the sort all stay.
    assert (old.image_name, old.thumb_name) == (old_files["image"], old_files["thumb"])
    assert on_disk(old.image_name, old.thumb_name) == [True, True]
    assert old.text == "7 x 4 = 28" and old.ocr_words
    assert db.session.get(Sort, sort.id).snapshot == snapshot
    assert old.updated_at == updated_at  # the room has nothing new to be told
    recent = db.session.get(WorkSample, recent.id)
    assert recent.original_name and on_disk(recent.original_name) == [True]
    [record] = originals_records(team)
    assert (record.by_name, record.user_id) == ("Retention setting", None)
    assert record.description == ("1 original photo of student work older than 30 days "
                                  "(blurred images, text and sorts kept)")

    # Nothing left to remove: no second record.
    assert services.remove_expired_originals(team) == 0
    assert len(originals_records(team)) == 1
    # Two days later the other one has passed the period too.
    assert services.remove_expired_originals(team, now=utcnow() + timedelta(days=2)) == 1
    assert on_disk(recent.original_name) == [False]


def test_without_a_period_or_without_kept_originals_nothing_is_removed(app):
    forever, _ = keeping_for(None, "Keeps forever")
    stopped, _ = keeping_for(1, "Stopped keeping")
    stopped.keep_originals = False
    db.session.commit()
    samples = [gen_sample(gen_task(team), original=True, days_old=400) for team in (forever, stopped)]

    assert services.remove_all_expired_originals() == {}
    assert all(on_disk(s.original_name) == [True] for s in samples)
    assert db.session.execute(db.select(DeletionRecord)).first() is None


def test_work_still_being_processed_keeps_its_original_until_it_is_done(app):
    team, _ = keeping_for(1)
    sample = gen_sample(gen_task(team), original=True, days_old=3, status="reading")

    assert services.remove_expired_originals(team) == 0
    assert on_disk(sample.original_name) == [True]


def test_the_hourly_job_applies_every_teams_own_period(app):
    short, _ = keeping_for(7, "Short")
    long_, _ = keeping_for(90, "Long")
    ten_days = [gen_sample(gen_task(team), original=True, days_old=10) for team in (short, long_)]
    names = [s.original_name for s in ten_days]
    short_id, long_id = short.id, long_.id

    assert tasks.remove_expired_originals_hourly.call_local() == {short_id: 1, long_id: 0}

    assert on_disk(*names) == [False, True]
    assert [len(originals_records(t)) for t in (db.session.get(type(short), short_id),
                                                db.session.get(type(long_), long_id))] == [1, 0]


def test_the_job_is_scheduled_every_hour(app):
    def scheduled(at):
        return [t.name for t in huey.read_periodic(at)]

    assert "remove_expired_originals_hourly" in scheduled(datetime(2026, 3, 2, 9, 17))
    assert "remove_expired_originals_hourly" in scheduled(datetime(2026, 3, 2, 23, 17))
    assert "remove_expired_originals_hourly" not in scheduled(datetime(2026, 3, 2, 9, 18))


def test_a_task_queue_worker_started_on_its_own_knows_the_job(tmp_path):
    import os
    import subprocess
    import sys

    code = "from plc.worker import huey; print(sorted(t.name for t in huey._registry.periodic_tasks))"
    env = dict(os.environ, PLC_TASK_QUEUE_URL=f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert "remove_expired_originals_hourly" in out.stdout
