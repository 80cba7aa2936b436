"""CPU work off the event loop (plc/offload.py): in another thread, a bounded few at a time, and
under gevent the loop keeps running while it works."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from plc import offload
from tests.conftest import REPO_ROOT


def test_the_work_runs_in_another_thread_and_gives_back_its_result(app):
    here = threading.get_ident()
    assert offload.off_loop(lambda a, b=0: (threading.get_ident(), a + b), 2, b=3)[1] == 5
    assert offload.off_loop(threading.get_ident) != here


@pytest.mark.skipif(sys.platform != "linux", reason="a nice value per thread is Linux's")
def test_the_work_yields_the_cpu_to_the_thread_that_serves(app):
    def niceness():
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    assert offload.off_loop(niceness) == min(19, niceness() + offload.NICER_BY)
    assert niceness() == os.getpriority(os.PRIO_PROCESS, os.getpid()), "the calling thread keeps its priority"


def test_an_error_in_the_work_is_raised_to_the_caller(app):
    def fails():
        raise ValueError("a damaged picture")

    with pytest.raises(ValueError, match="a damaged picture"):
        offload.off_loop(fails)


def test_no_more_than_cpu_threads_run_at_once(app):
    assert app.config["OFFLOAD_AT_ONCE"] >= 1
    running, most = [0], [0]
    lock = threading.Lock()

    def work():
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1

    callers = [threading.Thread(target=lambda: offload.off_loop(work)) for _ in range(app.config["OFFLOAD_AT_ONCE"] + 3)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert most[0] == app.config["OFFLOAD_AT_ONCE"]


GEVENT_SCRIPT = textwrap.dedent("""
    from gevent import monkey
    monkey.patch_all()
    import gevent
    from gevent.monkey import get_original
    from plc import create_app
    from plc.offload import off_loop

    real_sleep = get_original("time", "sleep")
    ran = []

    def cpu_work():
        # Holds its native thread as decoding would, until a greenlet has run meanwhile.
        for _ in range(500):
            if ran:
                return True
            real_sleep(0.01)
        return False

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SOCKETIO_ASYNC_MODE"] == "gevent"
    with app.app_context():
        other = gevent.spawn(lambda: ran.append(1))
        print("loop ran during the work" if off_loop(cpu_work) else "loop was blocked")
""")


def test_under_gevent_the_loop_runs_on_while_the_work_runs(tmp_path):
    done = subprocess.run([sys.executable, "-c", GEVENT_SCRIPT], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=60, env={"PLC_INSTANCE_PATH": str(tmp_path), "PATH": ""})
    assert done.stdout.strip() == "loop ran during the work", done.stderr[-2000:]


def test_a_child_process_gives_back_its_output_or_its_failure(app, tmp_path):
    script = tmp_path / "child.py"
    script.write_text("import os, sys\n"
                      "data = sys.stdin.buffer.read()\n"
                      "if data == b'fail': sys.exit('could not render')\n"
                      "sys.stdout.buffer.write(data.upper() + str(os.nice(0)).encode())\n")
    lower = min(19, os.nice(0) + offload.NICER_BY)  # the child yields the CPU to the server
    assert offload.in_child_process(script, b"pdf", timeout=30) == b"PDF" + str(lower).encode()
    with pytest.raises(offload.ChildFailed, match="could not render"):
        offload.in_child_process(script, b"fail", timeout=30)
