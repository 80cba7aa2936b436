"""District fixtures: a real PostgreSQL and a real Redis, each on a free localhost port in a
temp folder, started once per test session and always stopped at its end.

On one machine the app runs on SQLite; for a district the same code runs on PostgreSQL and
Redis across several processes, chosen by configuration (PLC_DATABASE_URL,
PLC_SOCKETIO_MESSAGE_QUEUE, PLC_RATELIMIT_STORAGE_URI). These tests run that setup for real.
The servers are skipped, with the reason, only when their binaries are not installed.
"""
from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
PG_BIN = Path(os.environ.get("PLC_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
START_SECONDS = 30
SECRET_KEY = "district-test-secret"

_db_names = itertools.count(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, seconds: float = START_SECONDS, process: subprocess.Popen | None = None,
             log: Path | None = None):
    """Poll check() until it returns something truthy, or fail after `seconds`."""
    deadline = time.monotonic() + seconds
    last_error = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"{what}: the process exited with {process.returncode}\n{_tail(log)}")
        try:
            result = check()
            if result:
                return result
        except Exception as exc:  # noqa: BLE001  (not up yet)
            last_error = exc
        time.sleep(0.05)
    pytest.fail(f"{what}: not ready within {seconds} s (last error: {last_error!r})\n{_tail(log)}")


def _tail(log: Path | None, chars: int = 4000) -> str:
    if log is None or not log.exists():
        return ""
    return log.read_text(errors="replace")[-chars:]


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a process started with start_new_session=True, and only its own group."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


# --- PostgreSQL ---------------------------------------------------------------

@dataclass
class Postgres:
    port: int
    folder: Path

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres"):
        import psycopg

        return psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}",
                               autocommit=True, connect_timeout=5)

    def create_database(self, prefix: str = "plc") -> str:
        """A fresh, empty database; returns its SQLAlchemy URL."""
        name = f"{prefix}_{next(_db_names)}"
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_postgres_user(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the `postgres` system user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@pytest.fixture(scope="session")
def postgres():
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / tool).exists():
            pytest.skip(f"PostgreSQL is not installed: {PG_BIN / tool} is missing "
                        "(apt-get install postgresql-15, or set PLC_TEST_PG_BIN)")
    # Not under pytest's tmp folder: that one is private to root, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="plc-district-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, log = folder / "data", folder / "server.log"
    port = free_port()
    started = False
    try:
        subprocess.run(
            _as_postgres_user([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                               "-E", "UTF8", "--locale=C", "--no-sync"]),
            check=True, capture_output=True, timeout=120,
        )
        # Durability off: these databases live for one test session.
        options = (f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        done = subprocess.run(
            _as_postgres_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                               "-w", "-t", str(START_SECONDS), "start"]),
            check=False, capture_output=True, text=True, timeout=START_SECONDS + 10,
        )
        started = True
        if done.returncode != 0:
            pytest.fail(f"PostgreSQL did not start:\n{done.stdout}\n{done.stderr}\n{_tail(log)}")
        server = Postgres(port=port, folder=folder)
        wait_for(lambda: server.connect().close() or True, "PostgreSQL", log=log)
        yield server
    finally:
        if started:
            subprocess.run(
                _as_postgres_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                check=False, capture_output=True, timeout=60,
            )
        shutil.rmtree(folder, ignore_errors=True)


# --- Redis ----------------------------------------------------------------------

@dataclass
class Redis:
    port: int

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    if not Path(REDIS_SERVER).exists():
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    import redis

    folder = tmp_path_factory.mktemp("redis")
    log = folder / "redis.log"
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
             "--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    try:
        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
        wait_for(client.ping, "Redis", process=process, log=log)
        client.close()
        yield Redis(port=port)
    finally:
        stop_process_group(process)


# --- the app over PostgreSQL -------------------------------------------------------

def app_env(tmp: Path, database_url: str, **extra: str) -> dict:
    """The environment of a real app process (or a `flask` command) over database_url."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLC_", "FLASK_"))}
    env.update(
        FLASK_APP="wsgi.py",
        PLC_INSTANCE_PATH=str(tmp / "instance"),
        PLC_UPLOADS_DIR=str(tmp / "uploads"),
        PLC_DATABASE_URL=database_url,
        PLC_SECRET_KEY=SECRET_KEY,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def flask_cli(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(PYTHON), "-m", "flask", *args], check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    if done.returncode != 0:
        pytest.fail(f"`flask {' '.join(args)}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


@pytest.fixture(scope="session")
def district_db(postgres, tmp_path_factory) -> str:
    """A PostgreSQL database brought up to date by `flask db upgrade`, shared by the session."""
    url = postgres.create_database("district")
    flask_cli(app_env(tmp_path_factory.mktemp("migrate"), url), "db", "upgrade")
    return url


def make_pg_app(database_url: str, tmp: Path, **overrides):
    from plc import create_app

    config = {
        "TESTING": True,
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "UPLOADS_DIR": str(tmp / "uploads"),
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SOCKETIO_MESSAGE_QUEUE": None,
        "SOCKETIO_ASYNC_MODE": "threading",
    }
    config.update(overrides)
    return create_app(config, instance_path=str(tmp / "instance"))


@pytest.fixture
def pg_app(district_db, tmp_path):
    """The app in-process over the migrated PostgreSQL database, with an app context pushed
    (so tests/conftest.py's gen_* helpers, login, join_as and live_client work on it)."""
    from plc.extensions import db
    from tests.conftest import FreshUserClient

    app = make_pg_app(district_db, tmp_path)
    app.test_client_class = FreshUserClient
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        yield app
        db.session.remove()
        db.engine.dispose()


# --- real app server processes ------------------------------------------------------

@dataclass
class AppServer:
    name: str
    url: str
    log_path: Path
    process: subprocess.Popen

    def log(self) -> str:
        return _tail(self.log_path)


def start_app_server(name: str, env: dict, tmp: Path) -> AppServer:
    port = free_port()
    env = dict(env, PLC_HOST="127.0.0.1", PLC_PORT=str(port))
    log_path = tmp / f"server-{name}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(PYTHON), "wsgi.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    return AppServer(name=name, url=f"http://127.0.0.1:{port}", log_path=log_path, process=process)


def wait_until_serving(server: AppServer) -> None:
    import requests

    # /login is not rate-limited, so probing it uses up no join attempts.
    wait_for(lambda: requests.get(server.url + "/login", timeout=2).status_code == 200,
             f"app server {server.name}", process=server.process, log=server.log_path)


@pytest.fixture(scope="session")
def district_servers(district_db, redis_server, tmp_path_factory):
    """Two real app processes (gevent, as `python wsgi.py` serves) over the same PostgreSQL
    database, sharing Socket.IO rooms and rate limits through Redis."""
    tmp = tmp_path_factory.mktemp("servers")
    env = app_env(
        tmp, district_db,
        PLC_SOCKETIO_MESSAGE_QUEUE=redis_server.url(0),
        PLC_RATELIMIT_STORAGE_URI=redis_server.url(1),
        PLC_JOIN_ATTEMPTS_LIMIT="4 per minute",
    )
    servers = []
    try:
        for name in ("A", "B"):
            servers.append(start_app_server(name, env, tmp))
        for server in servers:
            wait_until_serving(server)
        yield tuple(servers)
    finally:
        for server in servers:
            stop_process_group(server.process)


@contextmanager
def logs_on_failure(*servers: AppServer):
    """Fail with the servers' logs attached when the block fails."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001  (any failure gets the logs)
        logs = "\n".join(f"--- server {s.name} log ---\n{s.log()}" for s in servers)
        pytest.fail(f"{type(exc).__name__}: {exc}\n{logs}")
