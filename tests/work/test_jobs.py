"""Jobs run by a real Huey consumer: retried after a failure, and finished after a worker dies."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from werkzeug.datastructures import FileStorage

from plc import jobs
from plc.extensions import db
from plc.jobs import huey
from plc.work.models import WorkSample
from plc.ocr.registry import register_engine
from plc.ocr.tesseract import TesseractEngine
from plc.work.services import accept_upload
from tests.conftest import REPO_ROOT, gen_task, gen_team, gen_user
from tests.work.conftest import generate


class FailsOnce(TesseractEngine):
    """The real engine, except that its very first read fails, as a passing fault would."""

    name = "fails-once"
    failures = 0

    def read(self, image, region=None):
        if FailsOnce.failures == 0:
            FailsOnce.failures += 1
            raise RuntimeError("the OCR process was killed")
        return super().read(image, region)


def wait_for(predicate, timeout=60.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError("timed out waiting")


def status_of(sample_id) -> WorkSample:
    db.session.expire_all()
    return db.session.get(WorkSample, sample_id)


def queue(task, user, path) -> int:
    with open(path, "rb") as f:
        [sample] = accept_upload(FileStorage(f, filename=path.name), task=task, user=user, label="S1")
    return sample.id


@pytest.fixture
def consumer(app):
    """A consumer in this process, with worker threads running jobs in the test's app."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    jobs.use_app(app)
    running = huey.create_consumer(workers=1, worker_type="thread", periodic=False,
                                   initial_delay=0.05, max_delay=0.2, check_worker_health=False)
    yield running
    running.stop(graceful=True)
    jobs.use_app(None)
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_a_job_that_fails_once_is_retried_and_succeeds(app, consumer, phone_photos):
    register_engine(FailsOnce.name, FailsOnce)
    FailsOnce.failures = 0
    app.config["OCR_ENGINE"] = FailsOnce.name
    user = gen_user()
    sample_id = queue(gen_task(gen_team(user)), user, phone_photos[0]["path"])
    consumer.start()
    done = wait_for(lambda: (s := status_of(sample_id)).status in ("done", "failed") and s)
    assert done.status == "done", done.error
    assert FailsOnce.failures == 1 and done.attempts == 2 and done.ocr_text


def test_a_job_fails_visibly_after_its_last_retry_and_the_retry_button_works(app, consumer, client, phone_photos):
    from tests.conftest import login

    class AlwaysFails(TesseractEngine):
        name = "always-fails"

        def read(self, image, region=None):
            raise RuntimeError("tesseract crashed")

    register_engine(AlwaysFails.name, AlwaysFails)
    app.config["OCR_ENGINE"] = AlwaysFails.name
    user = gen_user()
    sample_id = queue(gen_task(gen_team(user)), user, phone_photos[1]["path"])
    consumer.start()
    failed = wait_for(lambda: (s := status_of(sample_id)).status == "failed" and s)
    assert "tesseract crashed" in failed.error and failed.attempts == 3
    assert failed.incoming_name, "the upload stays for a retry"

    app.config["OCR_ENGINE"] = "tesseract"
    login(client, user)
    assert client.post(f"/work/{sample_id}/retry", json={}).status_code == 200
    assert wait_for(lambda: status_of(sample_id).status == "done")


def test_a_worker_killed_mid_job_is_finished_after_restart(app, tmp_path):
    """A real consumer process is killed with SIGKILL while it works; a new one finishes the job."""
    user = gen_user()
    [photo] = generate(tmp_path / "big", "--photo", count=1, megapixels=12)
    sample_id = queue(gen_task(gen_team(user)), user, photo["path"])
    env = dict(os.environ,
               PLC_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               PLC_UPLOADS_DIR=app.config["UPLOADS_DIR"],
               PLC_INSTANCE_PATH=app.instance_path,
               PLC_SECRET_KEY="test-secret",
               PLC_JOB_LEASE_SECONDS="2")

    def start():
        return subprocess.Popen(
            [sys.executable, "-m", "huey.bin.huey_consumer", "plc.worker.huey", "-w", "1", "-k", "thread",
             "-d", "0.05", "-m", "0.2"],
            cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    first = start()
    try:
        wait_for(lambda: status_of(sample_id).status in ("processing", "reading"), interval=0.02)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    assert status_of(sample_id).status in ("processing", "reading")
    time.sleep(2.2)  # the dead worker's lease runs out
    second = start()
    try:
        done = wait_for(lambda: (s := status_of(sample_id)).status in ("done", "failed") and s, timeout=120)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)
    assert done.status == "done", done.error
    assert done.attempts == 2
