"""The real server (`python wsgi.py`, with the task-queue worker it starts) killed with SIGKILL
at each stage of a sample's life, then started again: every sample ends done, or failed with
"Try again" working, and no upload or other unblurred file is left on disk.

The job pauses at the stage named by PLC_TEST_PAUSE_JOB_AT (plc/work/lifecycle.py) and leaves
a mark in the instance folder; the test then kills the server's whole process group. Leases
last LEASE_SECONDS, so that recovery takes the dead worker's samples up soon after the restart.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from plc.extensions import db
from plc.work.lifecycle import DONE, FAILED, STAGES
from plc.work.models import WorkSample
from tests.browser.conftest import PYTHON, ROOT, _free_port, _server_env, _stop, _wait_until_up
from tests.conftest import gen_task, gen_team, gen_user
from tests.work.conftest import generate

LEASE_SECONDS = 2
PAUSE_TIMEOUT = 60.0
FINISH_TIMEOUT = 90.0


@pytest.fixture(scope="module")
def small_photos(tmp_path_factory) -> list[dict]:
    """Two small phone photos: each is read in about a second."""
    return generate(tmp_path_factory.mktemp("small"), "--photo", count=2, megapixels=0.5)


class Server:
    """`python wsgi.py` over the test app's database and uploads folder, in its own process group."""

    def __init__(self, app, tmp: Path):
        self.env = _server_env(tmp)
        self.env.update(PLC_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], PLC_UPLOADS_DIR=app.config["UPLOADS_DIR"],
                        PLC_JOB_LEASE_SECONDS=str(LEASE_SECONDS), PLC_WORKERS="1", PLC_HOST="127.0.0.1")
        self.instance = Path(self.env["PLC_INSTANCE_PATH"])
        self.log_path = tmp / "server.log"
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self, **extra_env: str) -> None:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(PYTHON), "wsgi.py"], cwd=ROOT, env={**self.env, "PLC_PORT": str(port), **extra_env},
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        _wait_until_up(self.url, self.process, self.log_path)

    def kill(self) -> None:
        """SIGKILL to the server and its worker at once, as a power cut or the OOM killer would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)


def csrf_header(http: requests.Session, server: Server, page: str) -> dict:
    html = http.get(f"{server.url}{page}", timeout=10).text
    return {"X-CSRFToken": re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)}


def logged_in(server: Server, email: str, password: str) -> requests.Session:
    http = requests.Session()
    response = http.post(f"{server.url}/login", data={"email": email, "password": password},
                         headers=csrf_header(http, server, "/login"), timeout=10)
    assert response.ok and "/login" not in response.url, response.text[-2000:]
    return http


def samples_now() -> list[dict]:
    rows = db.session.execute(select(WorkSample.__table__)).mappings().all()
    db.session.commit()  # no read transaction stays open while the server writes
    return [dict(row) for row in rows]


def wait_for(predicate, timeout: float, what: str, server: Server):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}:\n{server.log_path.read_text(errors='replace')[-3000:]}")


def finished(ids: list[int]):
    samples = [s for s in samples_now() if s["id"] in ids]
    return samples if len(samples) == len(ids) and all(s["status"] in (DONE, FAILED) for s in samples) else None


def files_under(uploads: Path) -> set[str]:
    return {p.relative_to(uploads).as_posix() for p in uploads.rglob("*") if p.is_file()}


@pytest.mark.parametrize("stage", STAGES)
def test_a_server_killed_at_any_stage_of_a_job_loses_no_work_and_leaves_no_upload(app, tmp_path, stage,
                                                                                   small_photos):
    user = gen_user()
    task = gen_task(gen_team(user))
    email, task_id = user.email, task.id
    db.session.commit()
    server = Server(app, tmp_path)
    uploads = Path(app.config["UPLOADS_DIR"])
    try:
        server.start(PLC_TEST_PAUSE_JOB_AT=stage)
        http = logged_in(server, email, "a-long-password")
        files = [("files", (p["file"], p["path"].read_bytes(), "image/jpeg")) for p in small_photos]
        response = http.post(f"{server.url}/tasks/{task_id}/work", files=files, data={"labels": ["S1", "S2"]},
                             headers=csrf_header(http, server, f"/tasks/{task_id}/work"), timeout=30)
        assert response.status_code == 200, response.text
        ids = [s["id"] for r in response.json()["results"] for s in r["samples"]]
        wait_for(lambda: (server.instance / f"job-paused-at-{stage}").exists(), PAUSE_TIMEOUT,
                 f"the job to reach {stage}", server)
        server.kill()
        assert not finished(ids), "the crash came before the work was done"

        time.sleep(LEASE_SECONDS + 0.5)  # the dead worker's lease runs out
        server.start()
        samples = wait_for(lambda: finished(ids), FINISH_TIMEOUT, "every sample to end", server)
        failed = [s["id"] for s in samples if s["status"] == FAILED]
        if failed:  # "Try again" must work on whatever recovery gave up on
            http = logged_in(server, email, "a-long-password")
            headers = csrf_header(http, server, f"/tasks/{task_id}/work")
            for sample_id in failed:
                retried = http.post(f"{server.url}/work/{sample_id}/retry", json={}, headers=headers, timeout=10)
                assert retried.status_code == 200, retried.text
            samples = wait_for(lambda: finished(ids), FINISH_TIMEOUT, "the retried samples to end", server)
    finally:
        server.stop()

    assert [s["status"] for s in samples] == [DONE, DONE], [s["error"] for s in samples]
    assert all(s["incoming_name"] is None and s["original_name"] is None and s["ocr_text"] for s in samples)
    named = {s[key] for s in samples for key in ("image_name", "thumb_name")}
    assert files_under(uploads) == named, "only the blurred views are on disk: no upload, original or stray"
