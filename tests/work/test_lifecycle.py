"""A sample's job after a crash at any point: recovery brings every sample to done, or to failed
with "Try again" working, and removes every file no sample names. Jobs run in this process
(run_queued_jobs); a crash is a job that stops where it is, and time passing makes leases run out."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from plc import storage
from plc.accounts.models import User
from plc.extensions import db
from plc.jobs import huey
from plc.retention.services import delete_sample
from plc.work import lifecycle, processing
from plc.work.lifecycle import DONE, FAILED, LeaseLost, MAX_ATTEMPTS, PROCESSING, QUEUED
from plc.work.models import WorkSample
from plc.work.services import accept_upload
from plc.work.tasks import recover
from tests.conftest import gen_task, gen_team, gen_user, login


def upload(photo) -> tuple[int, int]:
    """A teacher's upload of one photo: the sample's id and the teacher's (jobs end the session
    that loaded them, as a worker's would)."""
    user = gen_user()
    task = gen_task(gen_team(user))
    with open(photo["path"], "rb") as f:
        [sample] = accept_upload(FileStorage(f, filename=photo["path"].name), task=task, user=user, label="S1")
    return sample.id, user.id


def log_in(client, user_id: int) -> None:
    login(client, db.session.get(User, user_id))


def run_queued_jobs() -> int:
    """Run what the task queue holds now, as a worker would; returns how many jobs ran."""
    ran = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


def lose_queued_jobs() -> None:
    """What a worker had taken from the queue dies with it."""
    while huey.dequeue() is not None:
        pass


def time_passes(app, hours: float = 1) -> None:
    """Every lease runs out, and every row and file looks that much older."""
    past = timedelta(hours=hours)
    for sample in db.session.execute(db.select(WorkSample)).scalars():
        sample.lease_until = sample.lease_until and sample.lease_until - past
        sample.updated_at -= past
    db.session.commit()
    for path in files_on_disk(app):
        then = path.stat().st_mtime - past.total_seconds()
        os.utime(path, (then, then))


def files_on_disk(app) -> list[Path]:
    return [p for p in Path(app.config["UPLOADS_DIR"]).rglob("*") if p.is_file()]


def fresh(sample_id: int) -> WorkSample:
    db.session.expire_all()
    return db.session.get(WorkSample, sample_id)


def assert_read_and_clean(app, sample_id: int) -> None:
    """Done, and on disk only the two views the row names: no upload, no original, no stray view."""
    sample = fresh(sample_id)
    assert sample.status == DONE, sample.error
    assert sample.incoming_name is None and sample.ocr_text
    assert sorted(files_on_disk(app)) == sorted([storage.path_of(sample.image_name),
                                                 storage.path_of(sample.thumb_name)])


def test_a_sample_claimed_when_its_worker_died_is_read_after_recovery(app, client, phone_photos):
    """The issue's case: the job claimed the sample and died before it marked it."""
    sample_id, user_id = upload(phone_photos[0])
    lose_queued_jobs()
    assert lifecycle.claim(sample_id) is not None  # ... and the worker dies here
    assert fresh(sample_id).status == PROCESSING

    time_passes(app)
    assert recover() == 1
    assert run_queued_jobs() >= 1
    assert_read_and_clean(app, sample_id)
    assert fresh(sample_id).attempts == 2


def test_a_job_lost_before_any_worker_claimed_it_is_sent_again(app, phone_photos):
    sample_id, _ = upload(phone_photos[0])
    lose_queued_jobs()  # the worker took the job from the queue and died, or the server died first
    assert recover() == 0, "a sample queued a moment ago is waiting, not lost"

    time_passes(app)
    assert recover() == 1
    run_queued_jobs()
    assert_read_and_clean(app, sample_id)


def test_a_worker_that_died_after_saving_the_row_leaves_no_upload_behind(app, phone_photos, monkeypatch):
    sample_id, _ = upload(phone_photos[1])
    upload_path = storage.path_of(fresh(sample_id).incoming_name)
    # The row is saved done, and the worker dies before it removes the upload.
    monkeypatch.setattr(processing, "_drop_incoming_if_unused", lambda name: None)
    run_queued_jobs()
    monkeypatch.undo()
    assert fresh(sample_id).status == DONE and upload_path.exists()

    recover()
    assert upload_path.exists(), "a file a moment old may be about to be named: it stays for a lease"
    time_passes(app)
    recover()
    assert_read_and_clean(app, sample_id)


def test_files_no_sample_names_go_once_they_are_older_than_a_lease(app, phone_photos):
    sample_id, _ = upload(phone_photos[0])
    uploads = Path(app.config["UPLOADS_DIR"])
    strays = [uploads / "incoming" / "deadbeef", uploads / "originals" / "deadbeef.jpg",
              uploads / "work" / "deadbeef.jpg", uploads / "work" / ".deadbeef.jpg.0a1b2c.tmp"]
    for path in strays:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"student work")
    task_picture = uploads / "tasks" / "deadbeef.jpg"  # not student work: plc/teams owns it
    task_picture.parent.mkdir(parents=True)
    task_picture.write_bytes(b"a task's picture")
    time_passes(app)

    recover()
    assert not any(path.exists() for path in strays)
    assert task_picture.exists()
    assert storage.path_of(fresh(sample_id).incoming_name).exists(), "the queued sample's upload stays"


def test_a_page_that_kills_its_worker_every_time_ends_failed_and_try_again_works(app, client, phone_photos):
    sample_id, user_id = upload(phone_photos[0])
    lose_queued_jobs()
    for _ in range(MAX_ATTEMPTS):
        assert lifecycle.claim(sample_id) is not None  # ... and the worker dies on this page
        time_passes(app)
        recover()
        lose_queued_jobs()
    assert lifecycle.claim(sample_id) is None
    failed = fresh(sample_id)
    assert failed.status == FAILED and "Try again" in failed.error
    assert failed.incoming_name and storage.path_of(failed.incoming_name).exists()

    log_in(client, user_id)
    response = client.post(f"/work/{sample_id}/retry", json={})
    assert response.status_code == 200, response.get_json()
    assert fresh(sample_id).status == QUEUED and fresh(sample_id).attempts == 0
    run_queued_jobs()
    assert_read_and_clean(app, sample_id)


def test_a_worker_whose_lease_ran_out_can_no_longer_save(app, phone_photos):
    sample_id, _ = upload(phone_photos[0])
    lose_queued_jobs()
    slow = lifecycle.claim(sample_id)
    time_passes(app)
    recover()
    taken_over = lifecycle.claim(sample_id)
    assert taken_over is not None and taken_over.attempt == slow.attempt + 1

    with pytest.raises(LeaseLost):
        lifecycle.keep_hold(slow, DONE)
    lifecycle.keep_hold(taken_over, DONE)  # the new holder may


def test_an_error_with_tries_left_queues_the_sample_again_at_once(app, phone_photos):
    sample_id, _ = upload(phone_photos[0])
    lose_queued_jobs()
    job = lifecycle.claim(sample_id)
    lifecycle.release(job, "tesseract crashed")
    assert fresh(sample_id).status == QUEUED and fresh(sample_id).lease_until is None
    assert lifecycle.claim(sample_id) is not None, "the queue's next try takes it without waiting for recovery"


def test_a_queued_sample_can_be_deleted_and_its_job_then_does_nothing(app, phone_photos):
    sample_id, user_id = upload(phone_photos[0])
    delete_sample(fresh(sample_id), db.session.get(User, user_id))
    run_queued_jobs()
    assert db.session.get(WorkSample, sample_id) is None
    assert files_on_disk(app) == []


def test_only_a_failed_sample_can_be_tried_again(app, client, phone_photos):
    sample_id, user_id = upload(phone_photos[0])
    log_in(client, user_id)
    response = client.post(f"/work/{sample_id}/retry", json={})
    assert response.status_code == 400 and "failed" in response.get_json()["error"]
    assert fresh(sample_id).status == QUEUED
