"""`python wsgi.py` as `make run` starts it: up, with its task-queue workers, and nothing in its log
but the greeting and requests (no traceback from a greenlet, the workers' start included)."""
from __future__ import annotations

import os
import subprocess
import time

from tests.browser.conftest import PYTHON, ROOT, _free_port, _run, _server_env, _stop, _wait_until_up

WORKER_START_SECONDS = 3.0


def test_the_server_starts_its_workers_and_logs_no_error(tmp_path):
    env = _server_env(tmp_path)
    _run(["-m", "flask", "db", "upgrade"], env)
    port = _free_port()
    env.update(PLC_HOST="127.0.0.1", PLC_PORT=str(port))
    log_path = tmp_path / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(PYTHON), "wsgi.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", process, log_path)
        time.sleep(WORKER_START_SECONDS)  # the workers start, look for stale jobs, and wait
        workers = subprocess.run(["pgrep", "-s", str(process.pid), "-f", "huey_consumer"],
                                 capture_output=True, text=True, check=False).stdout.split()
        # They yield the CPU to the live room: the lowest priority, and preempted at once.
        policies = {os.sched_getscheduler(int(pid)) for pid in workers}
        niceness = {os.getpriority(os.PRIO_PROCESS, int(pid)) for pid in workers}
    finally:
        _stop(process)
    log = log_path.read_text(errors="replace")
    assert workers, "no task-queue worker was started"
    assert policies == {os.SCHED_IDLE} and niceness == {19}
    assert "Math PLC on http://localhost:" in log
    for sign in ("Traceback", "Error", "failed"):
        assert sign not in log, log
