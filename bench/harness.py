"""What every benchmark runs on: a fresh temporary folder and database, the real server
(`python wsgi.py`, as in production) and the baseline server started on 127.0.0.1 and
always stopped with everything they started, the Node clients run against them, the
exit codes (1 when the harness itself fails; a missed target is a printed verdict), and the
options every benchmark shares (benchmark_parser: --rounds, --rate, --set, --keep, ...).
"""
from __future__ import annotations

import argparse
import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.cpu import BUSY_CORES, CpuMeter, CpuSampler, tree_cpu, wait_for_quiet

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
PY = sys.executable
OUT_DIR = ROOT / ".bench"

APP_SERVER = [PY, "wsgi.py"]  # what the app is served with, as in production
BASELINE_SERVER = [PY, "-m", "bench.baseline_server"]  # + the port

SCHEMA_DRIFT = ("has no column named", "no such column", "no such table")
# What the harness itself sets in the app's environment: `--set` cannot change these.
HARNESS_SETTINGS = ("PLC_INSTANCE_PATH", "PLC_DATABASE_URL", "PLC_UPLOADS_DIR", "PLC_TASK_QUEUE_URL",
                    "PLC_SECRET_KEY", "PLC_HOST", "PLC_PORT")


class HarnessError(Exception):
    """The benchmark could not measure (as opposed to: it measured a missed target)."""


# --- processes ---------------------------------------------------------------

def _child_setup() -> None:
    """In the child: its own session (so stopping it stops its whole group and nothing else),
    and on Linux a SIGKILL when the benchmark dies, even by SIGKILL."""
    os.setsid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Processes:
    """Every process the benchmark starts, each in its own session, stopped on exit."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen] = []

    def start(self, cmd: list[str], env: dict | None = None, log_path: Path | None = None) -> subprocess.Popen:
        """Start cmd in the repository's root; its output goes to log_path, else to ours."""
        log = open(log_path, "wb") if log_path else None
        try:
            proc = subprocess.Popen(  # the harness runs no threads, so preexec_fn is safe here
                cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT if log else None,
                preexec_fn=_child_setup,  # noqa: PLW1509
            )
        finally:
            if log:
                log.close()
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen) -> None:
        """Stop proc and everything in its process group (the app server's task-queue workers
        too), and wait until the group is gone, so nothing of one run overlaps the next."""
        group = proc.pid  # its own session: the group holds only what it started
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                break
            if _wait_gone(proc, group, timeout=5.0):
                break
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_all(self) -> None:
        for proc in list(self.procs):
            self.stop(proc)


def _wait_gone(proc: subprocess.Popen, group: int, timeout: float) -> bool:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if proc.poll() is not None and not _group_alive(group):
            return True
        time.sleep(0.05)
    return False


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def run_checked(cmd: list[str], env: dict, what: str, timeout: float = 300) -> str:
    """Run cmd to its end and return its output; HarnessError when it fails."""
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise HarnessError(f"{what} took longer than {timeout:.0f} s")
    if done.returncode != 0:
        raise HarnessError(f"{what} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


# --- the app's environment and database ------------------------------------------

def check_prerequisites(*tools: str) -> None:
    """Node with socket.io-client, and the other programs `tools` a benchmark needs."""
    for tool in ("node", *tools):
        if shutil.which(tool) is None:
            raise HarnessError(f"{tool} is not installed (make setup installs what the benchmark needs)")
    if not (ROOT / "node_modules" / "socket.io-client").is_dir():
        raise HarnessError("node_modules/socket.io-client is missing: run `make setup` first")


def base_env(tmp: Path, workers: int | None = None, settings: dict[str, str] | None = None) -> dict:
    """The app's settings for a run: everything it writes inside tmp; `workers` task-queue
    worker processes (PLC_WORKERS), else the server's choice; then `settings` (--set). Only
    these: every PLC_ variable of our own environment is left out, so that runs compare."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLC_")}
    env.update({
        "PLC_INSTANCE_PATH": str(tmp / "instance"),
        "PLC_DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "PLC_UPLOADS_DIR": str(tmp / "uploads"),
        "PLC_TASK_QUEUE_URL": f"sqlite:///{tmp / 'jobs.sqlite3'}",
        "PLC_SECRET_KEY": secrets.token_hex(32),
        "PLC_HOST": "127.0.0.1",
        "FLASK_APP": "wsgi.py",
        "PYTHONUNBUFFERED": "1",
    })
    if workers:
        env["PLC_WORKERS"] = str(workers)
    env.update(settings or {})
    return env


def seed_database(env: dict, warnings: list[str], setup: list[str], timeout: float = 300) -> dict:
    """Schema from the migrations, as `make run` does, then the benchmark's setup module
    (`python -m bench.<setup> ...`, printing JSON). If the models have moved ahead of the
    migrations (someone is mid-change), the setup runs again with --create-all
    (db.create_all()), and the report says so."""
    run_checked([PY, "-m", "flask", "db", "upgrade"], env, "flask db upgrade")
    cmd = [PY, "-m", *setup]
    try:
        return json.loads(run_checked(cmd, env, "seeding the database", timeout))
    except HarnessError as exc:
        drift = next((d for d in SCHEMA_DRIFT if d in str(exc)), None)
        if drift is None:
            raise
        line = next((l for l in str(exc).splitlines() if drift in l), drift).strip()
        warnings.append("the migrations lag behind the models (" + line[:200] + "); the benchmark "
                        "used db.create_all() instead. `make run` would fail the same way: add a migration.")
        print("WARNING: " + warnings[-1], flush=True)
        Path(env["PLC_DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
        return json.loads(run_checked([*cmd, "--create-all"], env, "seeding the database (db.create_all)", timeout))


# --- servers and clients ------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(proc: subprocess.Popen, port: int, log_path: Path, timeout: float = 30.0) -> None:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if proc.poll() is not None:
            raise HarnessError(f"server exited with {proc.returncode}:\n{tail(log_path)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise HarnessError(f"server did not listen on 127.0.0.1:{port} within {timeout:.0f} s:\n{tail(log_path)}")


@contextmanager
def running_server(procs: Processes, cmd: list[str], env: dict, port: int, log_path: Path) -> Iterator:
    """A server listening on 127.0.0.1:port for the block's length, then stopped with all it started."""
    proc = procs.start(cmd, env, log_path)
    try:
        wait_listening(proc, port, log_path)
        yield proc
    finally:
        procs.stop(proc)


def run_clients(procs: Processes, tmp: Path, script: str, name: str, config: dict, timeout: float,
                server: subprocess.Popen, server_log: Path,
                while_running: Callable[[int], None] | None = None) -> dict:
    """Run the Node clients bench/`script` with `config` against the running `server` and
    return the results they wrote; `while_running(node_pid)` is called about 5 times a second."""
    cfg_path = tmp / f"{name}.json"
    out_path = cfg_path.with_suffix(".out.json")
    cfg_path.write_text(json.dumps({**config, "out": str(out_path), "max_runtime_ms": int(timeout * 1000)}))
    node = procs.start(["node", str(HERE / script), str(cfg_path)])  # its progress lines go to our stderr
    until = time.monotonic() + timeout + 15
    try:
        while node.poll() is None:
            if time.monotonic() > until:
                raise HarnessError(f"the Node clients did not finish within {timeout + 15:.0f} s")
            if server.poll() is not None:
                raise HarnessError(f"the server died during the run:\n{tail(server_log)}")
            if while_running:
                while_running(node.pid)
            time.sleep(0.2)
    finally:
        procs.stop(node)
    if node.returncode != 0 or not out_path.exists():
        raise HarnessError(f"the Node clients exited with {node.returncode} without results (their lines above "
                           f"say why)\nserver log:\n{tail(server_log)}")
    if server.poll() is not None:
        raise HarnessError(f"the server died during the run:\n{tail(server_log)}")
    return json.loads(out_path.read_text())


def connect_problems(result: dict) -> list[str]:
    """What the Node clients' results say went wrong while connecting, if anything."""
    failures = result["connect_failures"]
    return [f"{len(failures)} clients could not connect, first: {failures[0]}"] if failures else []


def measured_run(procs: Processes, tmp: Path, name: str, server_cmd: list[str], env: dict, port: int,
                 script: str, config: dict, timeout: float, quiet_wait: float,
                 delivered: Callable[[dict], int]) -> dict:
    """One run of the Node clients against a fresh server process, on a machine left quiet for
    it if possible: the clients' results, with the cores the server's process tree used
    (server_cpu_cores) and those other processes used (other_cpu_cores). HarnessError when a
    client could not connect, an emit was refused, or `delivered(results)` is 0."""
    log_path = tmp / f"server-{name}.log"
    wait_for_quiet(quiet_wait)
    meter = CpuMeter()
    with running_server(procs, server_cmd, env, port, log_path) as server:
        cpu0, t0 = tree_cpu(server.pid), time.monotonic()
        result = run_clients(procs, tmp, script, f"clients-{name}", config, timeout, server, log_path)
        result["server_cpu_cores"] = (tree_cpu(server.pid) - cpu0) / (time.monotonic() - t0)
        result["other_cpu_cores"] = meter.others_cores(server.pid)
    problems = connect_problems(result)
    if result["ack_errors"]:
        problems.append(f"{len(result['ack_errors'])} emits were refused, first: {result['ack_errors'][0]}")
    if delivered(result) == 0:
        problems.append("no broadcast was received at all")
    if problems:
        raise HarnessError(f"{name} run: " + "; ".join(problems) + f"\nserver log:\n{tail(log_path)}")
    return result


# --- one benchmark ----------------------------------------------------------------

DEFAULT_ROUNDS = 2


class _SetSetting(argparse.Action):
    """--set NAME=VALUE, repeatable: into args.settings, a dict (the last value of a name wins)."""

    def __call__(self, parser, namespace, value, option_string=None):
        name, sep, setting = value.partition("=")
        name = name.strip()
        if not sep or not name.startswith("PLC_") or not name[4:].replace("_", "").isalnum():
            parser.error(f"--set takes NAME=VALUE with a PLC_ setting's name, e.g. PLC_LIVE_BATCH_MS=0 (not {value!r})")
        if name in HARNESS_SETTINGS:
            parser.error(f"--set {name}: the benchmark sets {name} itself")
        namespace.settings = {**namespace.settings, name: setting}


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def benchmark_parser(prog: str, doc: str, *, rounds: str | None = None, rate: float | None = None,
                     rate_help: str = "", seed: int | None = None, quiet_wait: float | None = None,
                     quick: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of a benchmark that starts the app, with the options they share:
    --set and --keep always; --rounds (`rounds` says what one round is) when `rounds` is given,
    --rate (`rate_help` says of what) when `rate` is, --seed, --quiet-wait and --quick (`quick`
    says what it shortens) likewise, each with the given default. The benchmark adds its own."""
    parser = argparse.ArgumentParser(prog=prog, description=doc.split("\n")[0])
    if rounds is not None:
        parser.add_argument("--rounds", type=_positive_int, default=DEFAULT_ROUNDS,
                            help=f"{rounds}; pooled (default %(default)s)")
    if rate is not None:
        parser.add_argument("--rate", type=float, default=rate, help=f"{rate_help} (default %(default)g)")
    if seed is not None:
        parser.add_argument("--seed", type=int, default=seed,
                            help="seeds the random choices of the clients (default %(default)s)")
    if quiet_wait is not None:
        parser.add_argument("--quiet-wait", type=float, default=quiet_wait,
                            help="before each measurement, wait up to this many seconds for other processes "
                                 "to go quiet (default %(default)g)")
    if quick is not None:
        parser.add_argument("--quick", action="store_true", help=f"a short run for development: {quick}")
    parser.add_argument("--set", dest="settings", metavar="NAME=VALUE", action=_SetSetting, default={},
                        help="a setting (PLC_...) for the app server(s) this benchmark starts, never for the "
                             "bare server; repeatable. The harness passes none of its own environment's PLC_ "
                             "variables, so this is how settings are compared (e.g. --set PLC_LIVE_BATCH_MS=0); "
                             "printed first and written into the report")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (logs, and the SQLite database where there is one)")
    return parser


def run_harness(args, run: Callable[[object, Processes, Path], object], prefix: str,
                check: Callable[[], None] = check_prerequisites) -> int:
    """Run one benchmark: `check()` its prerequisites, then `run(args, procs, tmp)` in a fresh
    temporary folder, stopping every process it started however it ends (SIGTERM included).
    Returns 1 when the harness itself fails; the folder is kept then, or with args.keep."""
    procs = Processes()

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    failed = True
    try:
        check()
        if hasattr(args, "settings"):  # the report's first line: what the app ran with
            given = " ".join(f"{name}={value}" for name, value in args.settings.items())
            print(f"App settings (--set): {given or 'none, the defaults'}", flush=True)
        run(args, procs, tmp)
        failed = False
    except HarnessError as exc:
        print(f"\nBENCHMARK FAILED (harness): {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        procs.stop_all()
        if args.keep or failed:
            print(f"(temporary files kept in {tmp})", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def log_errors(path: Path) -> list[str]:
    """The last line of every traceback in a server log (what was raised), and ERROR lines."""
    lines = path.read_text(errors="replace").splitlines()
    found, in_tb = [], False
    for line in lines:
        if line.startswith("Traceback"):
            in_tb = True
        elif in_tb and line and not line.startswith((" ", "\t")):
            found.append(line.strip())
            in_tb = False
        elif "ERROR" in line:
            found.append(line.strip())
    return found


def measured_rounds(count: int, tmp: Path, run_round: Callable[[Path], dict]) -> list[dict]:
    """`count` rounds of run_round(folder), each in a fresh folder under tmp. A round returns
    the cores used per phase ("cpu", CpuSampler.between); one that other processes disturbed
    (its "noisy_phases") runs again, once: load in one phase and not another makes a ratio
    meaningless (a busy idle phase even makes it look good)."""
    rounds: list[dict] = []
    retries, attempt = 1, 0
    while len(rounds) < count:
        attempt += 1
        print(f"\nRound {len(rounds) + 1}/{count}", flush=True)
        folder = tmp / f"attempt{attempt}"
        folder.mkdir()
        measured = run_round(folder)
        measured["noisy_phases"] = [name for name, c in measured["cpu"].items() if c and c["others"] > BUSY_CORES]
        if measured["noisy_phases"] and retries:
            retries -= 1
            print(f"  other processes used more than {BUSY_CORES} core during: {', '.join(measured['noisy_phases'])}; "
                  "running this round again", flush=True)
            continue
        rounds.append(measured)
    return rounds


ROOM_SETTINGS = {"connect_concurrency": 20, "connect_timeout_ms": 20000, "settle_ms": 1500, "drain_ms": 5000}


@dataclass
class RoomRun:
    """What one run of a timer_room.mjs client script gives back."""

    raw: dict  # the Node clients' results
    cpu: dict  # cores used in each phase (CpuSampler.between)
    sampler: CpuSampler
    log_path: Path  # the server's log


def timer_room_run(procs: Processes, tmp: Path, script: str, env: dict, seeded: dict, config: dict,
                   timeout: float) -> RoomRun:
    """The Node clients bench/`script` (built on timer_room.mjs) against a fresh app server, in the
    meeting `seeded` names, with `config` (rate, idle_s, warmup_events and the script's own).
    HarnessError when a client could not connect or the room never answered."""
    port = free_port()
    log_path = tmp / "server.log"
    seat = {k: seeded[k] for k in ("cookie_name", "meeting_id", "facilitator_cookie", "phone_cookies")}
    config = {"url": f"http://127.0.0.1:{port}", **seat, **ROOM_SETTINGS, **config}
    with running_server(procs, APP_SERVER, {**env, "PLC_PORT": str(port)}, port, log_path) as server:
        sampler = CpuSampler(server.pid)
        raw = run_clients(procs, tmp, script, "clients", config, timeout, server, log_path,
                          while_running=sampler.sample)
    (tmp / "cpu_samples.json").write_text(json.dumps(sampler.samples))  # for a closer look (--keep)
    problems = connect_problems(raw)
    if raw["errors"]:
        problems.append(f"client errors, first: {raw['errors'][0]}")
    if not raw["phases"].get("idle", {}).get("delays"):
        problems.append("no `state` broadcast followed the facilitator's `timer:add` in the idle phase "
                        "(if the app now sends the timer in another event, timer_room.mjs must follow)")
    if problems:
        raise HarnessError("; ".join(problems) + f"\nserver log:\n{tail(log_path)}")
    cpu = {name: sampler.between(ph["start_epoch_ms"] / 1000, ph["end_epoch_ms"] / 1000)
           for name, ph in raw["phases"].items()}
    return RoomRun(raw, cpu, sampler, log_path)
