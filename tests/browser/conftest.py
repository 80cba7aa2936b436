"""Browser tests: the real server (gevent, as `make run` serves it) in a subprocess, and Debian's Chromium.

Every test in this folder carries the `browser` marker: `pytest -m "not browser"` skips them.
Screenshots go to test-artifacts/ at the repository root (git ignores it); when a test fails,
every page it opened is saved there too, under failures/.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from plc import create_app

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARTIFACTS = ROOT / "test-artifacts"
PYTHON = ROOT / ".venv" / "bin" / "python"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
SERVER_START_SECONDS = 30

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
# An iPhone 13's user agent and touch screen, with its whole 390x844 screen as the viewport.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "screen": {"width": 390, "height": 844},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/15.0 Mobile/15E148 Safari/604.1"
    ),
}


def pytest_collection_modifyitems(config, items):
    """Mark everything collected from this folder as a browser test."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@dataclass
class LiveServer:
    url: str
    email: str
    password: str
    log_path: Path
    env: dict  # the server's environment: where its database and files are

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLC_", "FLASK_"))}
    env.update(
        FLASK_APP="wsgi.py",
        PLC_INSTANCE_PATH=str(tmp / "instance"),
        PLC_DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        PLC_UPLOADS_DIR=str(tmp / "uploads"),
        # Every test logs in from 127.0.0.1; the real limit (10 a minute) would refuse the suite.
        PLC_LOGIN_ATTEMPTS_LIMIT="600 per minute",
        # What a room sets off within 150 ms goes out as one batch (plc/realtime/batching.py): long
        # enough that people acting one after another in a test are batched, so every test with
        # several people goes through the pages' handling of batches.
        PLC_LIVE_BATCH_MS="150",
        PYTHONUNBUFFERED="1",
    )
    return env


def _run(args: list[str], env: dict) -> str:
    done = subprocess.run(
        [str(PYTHON), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        pytest.fail(f"`python {' '.join(args)}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _wait_until_up(url: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The server exited with {process.returncode}:\n{log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/join", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"The server did not answer within {SERVER_START_SECONDS} s:\n{log_path.read_text(errors='replace')}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    # The server runs in its own process group (start_new_session): stop that group only.
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real server on a free port over a fresh database seeded by `flask demo`."""
    tmp = tmp_path_factory.mktemp("live")
    env = _server_env(tmp)
    _run(["-m", "flask", "db", "upgrade"], env)
    out = _run(["-m", "flask", "demo"], env)
    password = (tmp / "instance" / "demo_password").read_text().strip()
    email = re.search(r"Demo facilitator: (\S+)", out).group(1)

    port = _free_port()
    env.update(PLC_HOST="127.0.0.1", PLC_PORT=str(port))
    log_path = tmp / "server.log"
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(PYTHON), "wsgi.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    try:
        _wait_until_up(url, process, log_path)
        yield LiveServer(url=url, email=email, password=password, log_path=log_path, env=env)
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def live_app(live_server):
    """The app over the live server's database and files, for fixtures that write straight into
    them (tests/browser/seed.py): a meeting at full size in a second instead of minutes of clicks."""
    env = live_server.env
    return create_app({"SQLALCHEMY_DATABASE_URI": env["PLC_DATABASE_URL"], "UPLOADS_DIR": env["PLC_UPLOADS_DIR"]},
                      instance_path=env["PLC_INSTANCE_PATH"])


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(browser, live_server, artifacts_dir, request):
    """Open browser contexts (base_url = the live server); on failure, screenshot their pages."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make

    report = getattr(request.node, "report_call", None)
    failed = report is not None and report.failed
    if failed:
        folder = artifacts_dir / "failures"
        folder.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        for c, context in enumerate(contexts):
            for p, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(folder / f"{name}-{c}-{p}.png"), full_page=True)
                except Exception:  # a crashed page must not hide the test's own failure
                    pass
        sys.stderr.write(f"\n--- server log ---\n{live_server.log()[-5000:]}\n")
    for context in contexts:
        context.close()

