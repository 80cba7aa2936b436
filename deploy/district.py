"""A district's set-up on one machine, for trying and testing: `make district`.

    .venv/bin/python -m deploy.district [--apps 2] [--port 8000] [--host 127.0.0.1] [--demo]

Starts, each in a temporary folder and on a free localhost port: PostgreSQL (the data), Redis
(the Socket.IO message queue, the rate limits and the task queue), the migrations, APPS app
processes (`python wsgi.py`, gevent), one task-queue worker process (`huey_consumer` on Redis)
and HAProxy in front of the app processes (deploy/haproxy.cfg, sticky sessions). Prints the URL,
and stops every server it started on Ctrl-C or SIGTERM (or when one of them dies).

The tests (tests/district/) and the district benchmark (bench/district.py) start the same
servers through the functions here.
"""
from __future__ import annotations

import argparse
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
MAX_APPS = 4  # the app servers deploy/haproxy.cfg names (PLC_APP1..PLC_APP4)
PG_BIN = Path(os.environ.get("PLC_PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
START_SECONDS = 30
# Redis databases: one per use, so that each can be looked at (and flushed) on its own.
REDIS_SOCKETIO, REDIS_RATE_LIMITS, REDIS_TASKS = 0, 1, 2


class DistrictError(Exception):
    """A server of the set-up could not start (the message says which, and its log's end)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(log: Path | None, chars: int = 4000) -> str:
    if log is None or not log.exists():
        return ""
    return log.read_text(errors="replace")[-chars:]


def wait_for(check: Callable[[], object], what: str, seconds: float = START_SECONDS,
             process: subprocess.Popen | None = None, log: Path | None = None):
    """Poll check() until it returns something truthy; DistrictError after `seconds` or when `process` exits."""
    deadline = time.monotonic() + seconds
    last_error = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise DistrictError(f"{what}: the process exited with {process.returncode}\n{tail(log)}")
        try:
            result = check()
            if result:
                return result
        except Exception as exc:  # noqa: BLE001  (not up yet)
            last_error = exc
        time.sleep(0.05)
    raise DistrictError(f"{what}: not ready within {seconds} s (last error: {last_error!r})\n{tail(log)}")


def listening(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True


def start_process(cmd: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    """A server in its own session (stopping it stops its whole group, and nothing else)."""
    with open(log, "ab") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def stop_process_group(process: subprocess.Popen) -> None:
    """SIGTERM to the process's own group, SIGKILL if it is still there after 10 s."""
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


# --- PostgreSQL and Redis -------------------------------------------------------------

_database_numbers = itertools.count(1)


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
        """A fresh, empty database named prefix_N; returns its SQLAlchemy URL."""
        name = f"{prefix}_{next(_database_numbers)}"
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_postgres_user(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the `postgres` system user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def missing_postgres() -> str | None:
    """Why PostgreSQL cannot be started here, or None."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / tool).exists():
            return f"PostgreSQL is not installed: {PG_BIN / tool} is missing (apt-get install postgresql-15, or set PLC_PG_BIN)"
    return None


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    """A throw-away PostgreSQL (durability off) on a free port, removed with its folder at the end."""
    if (why := missing_postgres()) is not None:
        raise DistrictError(why)
    # Not under a folder private to root: the server runs as postgres.
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
        options = (f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        done = subprocess.run(
            _as_postgres_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                               "-w", "-t", str(START_SECONDS), "start"]),
            check=False, capture_output=True, text=True, timeout=START_SECONDS + 10,
        )
        started = True
        if done.returncode != 0:
            raise DistrictError(f"PostgreSQL did not start:\n{done.stdout}\n{done.stderr}\n{tail(log)}")
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


@dataclass
class Redis:
    port: int

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


def missing_redis() -> str | None:
    return None if Path(REDIS_SERVER).exists() else "redis-server is not installed (apt-get install redis-server)"


@contextmanager
def redis_server(folder: Path) -> Iterator[Redis]:
    """A Redis on a free port that keeps nothing on disk, stopped at the end."""
    if (why := missing_redis()) is not None:
        raise DistrictError(why)
    import redis

    log = folder / "redis.log"
    port = free_port()
    process = start_process([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                             "--save", "", "--appendonly", "no", "--daemonize", "no"], log)
    try:
        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
        wait_for(client.ping, "Redis", process=process, log=log)
        client.close()
        yield Redis(port=port)
    finally:
        stop_process_group(process)


# --- the app, its worker and the load balancer -------------------------------------------

def app_env(folder: Path, database_url: str, redis: Redis | None, secret_key: str, message_queue: bool = True,
            **extra: str) -> dict:
    """The environment every process of the district's app shares (servers, worker, `flask` commands).
    Without `redis` (or with message_queue=False) the servers share no Socket.IO rooms: one process only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLC_", "FLASK_"))}
    env.update(
        FLASK_APP="wsgi.py",
        PLC_INSTANCE_PATH=str(folder / "instance"),
        PLC_UPLOADS_DIR=str(folder / "uploads"),  # one machine: the shared volume is a folder
        PLC_DATABASE_URL=database_url,
        PLC_SECRET_KEY=secret_key,
        PLC_START_WORKER="0",  # the worker runs on its own
        PYTHONUNBUFFERED="1",
    )
    if redis is not None:
        env.update(PLC_RATELIMIT_STORAGE_URI=redis.url(REDIS_RATE_LIMITS), PLC_TASK_QUEUE_URL=redis.url(REDIS_TASKS))
        if message_queue:
            env["PLC_SOCKETIO_MESSAGE_QUEUE"] = redis.url(REDIS_SOCKETIO)
    env.update(extra)
    return env


def run_flask(env: dict, *args: str, timeout: float = 300) -> str:
    """A `flask` command (e.g. `db upgrade`) in the app's environment; DistrictError when it fails."""
    done = subprocess.run([PYTHON, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if done.returncode != 0:
        raise DistrictError(f"`flask {' '.join(args)}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


@dataclass
class Server:
    """One server process of the set-up: what it is, where it listens, its log."""

    name: str
    port: int
    log: Path
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def log_tail(self) -> str:
        return tail(self.log)

    def kill(self) -> None:
        """Die at once, as a crashed process does (SIGKILL to its group)."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)


def start_app(name: str, env: dict, folder: Path, port: int | None = None) -> Server:
    """An app process (`python wsgi.py`, gevent) behind the load balancer."""
    port = port or free_port()
    log = folder / f"app-{name}.log"
    process = start_process([PYTHON, "wsgi.py"], log, dict(env, PLC_HOST="127.0.0.1", PLC_PORT=str(port),
                                                           PLC_PROXY_HOPS="1"))
    return Server(name=name, port=port, log=log, process=process)


def wait_serving(server: Server) -> None:
    import requests

    # /login is not rate-limited: probing it uses up no join attempts.
    wait_for(lambda: requests.get(server.url + "/login", timeout=2).status_code == 200,
             f"app server {server.name}", process=server.process, log=server.log)


def start_worker(env: dict, folder: Path, processes: int = 1) -> Server:
    """The task-queue consumer on its own (no port): reads uploads, removes expired originals."""
    log = folder / "worker.log"
    process = start_process([PYTHON, "-m", "huey.bin.huey_consumer", "plc.worker.huey", "-w", str(processes),
                             "-k", "process", "-q"], log, dict(env, OMP_THREAD_LIMIT="1"))
    return Server(name="worker", port=0, log=log, process=process)


def missing_haproxy() -> str | None:
    return None if Path(HAPROXY).exists() else "HAProxy is not installed (apt-get install haproxy)"


def start_haproxy(apps: list[Server], folder: Path, port: int | None = None, host: str = "127.0.0.1") -> Server:
    """HAProxy with deploy/haproxy.cfg in front of `apps`, in the foreground of its own process group."""
    if (why := missing_haproxy()) is not None:
        raise DistrictError(why)
    if not 1 <= len(apps) <= MAX_APPS:
        raise DistrictError(f"deploy/haproxy.cfg names 1 to {MAX_APPS} app servers, not {len(apps)}")
    port = port or free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLC_APP")}
    env["PLC_LB_BIND"] = f"{host}:{port}"
    env.update({f"PLC_APP{i}": app.address for i, app in enumerate(apps, start=1)})
    log = folder / "haproxy.log"
    process = start_process([HAPROXY, "-db", "-f", str(HAPROXY_CONFIG)], log, env)
    server = Server(name="haproxy", port=port, log=log, process=process)
    wait_for(lambda: listening(port), "HAProxy", process=process, log=log)
    return server


@dataclass
class District:
    """The running set-up: HAProxy's URL is where phones go."""

    folder: Path
    postgres: Postgres
    redis: Redis
    database_url: str
    env: dict
    apps: list[Server]
    worker: Server
    haproxy: Server
    servers: list[Server] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.haproxy.url

    def logs(self) -> str:
        return "\n".join(f"--- {s.name} log ---\n{s.log_tail()}" for s in [*self.apps, self.worker, self.haproxy])

    def dead(self) -> list[Server]:
        return [s for s in [*self.apps, self.worker, self.haproxy] if s.process.poll() is not None]


@contextmanager
def running_processes(servers: list[Server]) -> Iterator[None]:
    """Stop every server in `servers` (however many were started) when the block ends."""
    try:
        yield
    finally:
        for server in reversed(servers):
            stop_process_group(server.process)


@contextmanager
def district_apps(folder: Path, postgres: Postgres, redis: Redis, database_url: str, secret_key: str,
                  apps: int = 2, port: int | None = None, host: str = "127.0.0.1", message_queue: bool = True,
                  **extra_env: str) -> Iterator[District]:
    """The app's side of the set-up over a running PostgreSQL database (migrated) and Redis: `apps`
    app processes, one worker, HAProxy in front; all stopped when the block ends."""
    env = app_env(folder, database_url, redis, secret_key, message_queue=message_queue, **extra_env)
    servers: list[Server] = []
    with running_processes(servers):
        for n in range(1, apps + 1):
            servers.append(start_app(f"app{n}", env, folder))
        for server in servers:
            wait_serving(server)
        servers.append(start_worker(env, folder))
        servers.append(start_haproxy(servers[:apps], folder, port=port, host=host))
        yield District(folder=folder, postgres=postgres, redis=redis, database_url=database_url, env=env,
                       apps=servers[:apps], worker=servers[apps], haproxy=servers[apps + 1], servers=servers)


@contextmanager
def district(folder: Path, apps: int = 2, port: int | None = None, host: str = "127.0.0.1",
             message_queue: bool = True, **extra_env: str) -> Iterator[District]:
    """The whole set-up from nothing: PostgreSQL and Redis in `folder`, a migrated database, the app."""
    import secrets

    with ExitStack() as stack:
        postgres = stack.enter_context(postgres_server())
        redis = stack.enter_context(redis_server(folder))
        database_url = postgres.create_database("plc")
        secret_key = secrets.token_hex(32)
        run_flask(app_env(folder, database_url, redis, secret_key), "db", "upgrade")
        yield stack.enter_context(district_apps(folder, postgres, redis, database_url, secret_key, apps=apps,
                                                port=port, host=host, message_queue=message_queue, **extra_env))


def watch(running: District) -> int:
    """Until Ctrl-C: say when a server dies. A dead app process is left dead (HAProxy sends its
    phones to the others: kill one to see failover); without HAProxy, the worker or any app, stop."""
    told: set[str] = set()
    while True:
        for server in running.dead():
            if server.name not in told:
                told.add(server.name)
                print(f"{server.name} exited ({server.process.returncode}):\n{server.log_tail()}", file=sys.stderr,
                      flush=True)
        if {"haproxy", "worker"} & told or all(app.name in told for app in running.apps):
            print("Stopping the rest.", file=sys.stderr, flush=True)
            return 1
        time.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.district", description=__doc__.split("\n")[0])
    parser.add_argument("--apps", type=int, default=2, help=f"app processes behind HAProxy (1 to {MAX_APPS}; default 2)")
    parser.add_argument("--port", type=int, default=8000, help="HAProxy's port (default 8000)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="HAProxy's address (default 127.0.0.1; 0.0.0.0 lets phones on the network in)")
    parser.add_argument("--demo", action="store_true", help="seed the demo team and meeting (`flask demo`)")
    args = parser.parse_args(argv)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    folder = Path(tempfile.mkdtemp(prefix="plc-district-"))
    try:
        print("Starting PostgreSQL, Redis, the migrations, "
              f"{args.apps} app processes, a worker and HAProxy ...", flush=True)
        with district(folder, apps=args.apps, port=args.port, host=args.host) as running:
            if args.demo:
                print(run_flask(running.env, "demo").strip(), flush=True)
            print(f"\nMath PLC district on {running.url} (HAProxy; app processes "
                  f"{', '.join(a.url for a in running.apps)}; logs in {folder})\nCtrl-C stops every server.",
                  flush=True)
            return watch(running)
    except KeyboardInterrupt:
        print("\nStopping every server ...", flush=True)
        return 0
    except DistrictError as exc:
        print(f"The district set-up did not start: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
