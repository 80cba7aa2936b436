"""Latency of the live room, app versus a bare Flask-SocketIO server: `make bench`.

    .venv/bin/python -m tests.bench [--rate 3] [--events 90] [--rounds 2] [--quick] [--keep]

For each scenario the real app (`python wsgi.py`: gevent, its task-queue worker,
a fresh temporary instance folder and SQLite database) and the baseline
(baseline_server.py: gevent, bare broadcast) are started on 127.0.0.1, one at a
time and taking turns (app, baseline, app, baseline), and the same seeded
sequence of events is played against each from one Node process (clients.mjs).
The baseline broadcasts a copy of a real app payload of each kind, captured in
the app's run just before, so both servers push the same bytes.

Prints a table and writes .bench/latency.json. Exits non-zero only when the
harness itself fails; a missed target is printed as MISSED.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PY = sys.executable
OUT_DIR = ROOT / ".bench"

APP_SERVER = "wsgi.py"  # what the app is served with, as `python wsgi.py` in production
BASELINE_SERVER = [PY, "-m", "tests.bench.baseline_server"]  # + the port

TARGET_SMALL_P95_MS = 50.0
TARGET_RATIO = 1.25
WARMUP_EVENTS = 6  # per meeting and round, not measured
BUSY_CORES = 0.25  # other processes' CPU above which a run is flagged as noisy


@dataclass
class Scenario:
    key: str
    title: str
    rooms: int
    phones: int

    @property
    def spec(self) -> str:
        return f"{self.rooms}x{self.phones}"

    @property
    def clients(self) -> int:
        return self.rooms * (self.phones + 1)


SCENARIOS = [
    Scenario("a", "1 meeting, 80 phones", 1, 80),
    Scenario("b", "10 meetings x 60 phones", 10, 60),
]


class HarnessError(Exception):
    """The benchmark could not measure (as opposed to: it measured a missed target)."""


# --- processes ---------------------------------------------------------------

def _child_setup() -> None:
    """In the child: its own session (so stopping it stops its whole group and nothing else),
    and on Linux a SIGKILL when the benchmark dies, even by SIGKILL."""
    os.setsid()
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Processes:
    """Every process the benchmark starts, each in its own session, stopped on exit."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen] = []

    def start(self, cmd: list[str], env: dict, log_path: Path) -> subprocess.Popen:
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(  # the harness runs no threads, so preexec_fn is safe here
                cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=_child_setup,  # noqa: PLW1509
            )
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


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def run_checked(cmd: list[str], env: dict, what: str, timeout: float = 300) -> str:
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise HarnessError(f"{what} took longer than {timeout:.0f} s")
    if done.returncode != 0:
        raise HarnessError(f"{what} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


# --- one run: a server and the clients ------------------------------------------

def run_clients(procs: Processes, tmp: Path, config: dict, timeout: float, script: str = "clients.mjs",
                name: str = "") -> dict:
    """Run the Node clients `script` with `config` and return the results they wrote."""
    name = name or f"clients-{config['mode']}-{config['scenario']}"
    cfg_path = tmp / f"{name}.json"
    out_path = cfg_path.with_suffix(".out.json")
    config = {**config, "out": str(out_path), "max_runtime_ms": int(timeout * 1000)}
    cfg_path.write_text(json.dumps(config))
    proc = subprocess.Popen(
        ["node", str(HERE / script), str(cfg_path)], cwd=ROOT,
        preexec_fn=_child_setup,  # noqa: PLW1509  (no threads in the harness)
    )  # its progress lines go to our stderr
    procs.procs.append(proc)
    try:
        code = proc.wait(timeout=timeout + 15)
    except subprocess.TimeoutExpired:
        raise HarnessError(f"the Node clients did not finish within {timeout + 15:.0f} s")
    finally:
        procs.stop(proc)
    if code != 0 or not out_path.exists():
        raise HarnessError(f"the Node clients exited with {code} without results (their lines above say why)")
    return json.loads(out_path.read_text())


class CpuMeter:
    """CPU used on the whole machine by processes other than the benchmark's own (cores, on average).

    Other work on a 2-core machine (a browser test suite, a build) moves these
    latencies a lot, so every run reports it next to its numbers.
    """

    def __init__(self) -> None:
        self.start = self._snapshot()

    @staticmethod
    def _snapshot() -> tuple[float, float, float]:
        """(time, CPU seconds busy on the machine, CPU seconds of this process and its waited-for children)."""
        try:
            fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        except (OSError, ValueError):
            return (time.monotonic(), math.nan, math.nan)
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        busy = (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")
        ours = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return (time.monotonic(), busy, sum(r.ru_utime + r.ru_stime for r in ours))

    @staticmethod
    def _tree_cpu(pid: int) -> float:
        """CPU seconds of a running process and of its descendants, living or already reaped by them."""
        total, todo = 0.0, [pid]
        while todo:
            p = todo.pop()
            try:
                fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
                total += sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime
            except (OSError, ValueError, IndexError):
                continue
            for children in Path(f"/proc/{p}/task").glob("*/children"):
                try:
                    todo += [int(c) for c in children.read_text().split()]
                except (OSError, ValueError):
                    pass
        return total

    def others_cores(self, running_pid: int) -> float:
        """Call at the end of the measured run, before stopping running_pid (the server): the
        Node clients have been waited for, so their CPU is in this process's children's usage."""
        server = self._tree_cpu(running_pid)
        end = self._snapshot()
        wall = end[0] - self.start[0]
        ours = end[2] - self.start[2] + server
        return max(0.0, ((end[1] - self.start[1]) - ours) / wall) if wall > 0 else math.nan


def machine_busy_cores(seconds: float = 1.0) -> float:
    """Cores busy on the whole machine over a short sample (between runs: nothing of ours is running)."""
    def busy() -> float:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")

    try:
        start, t0 = busy(), time.monotonic()
        time.sleep(seconds)
        return (busy() - start) / (time.monotonic() - t0)
    except (OSError, ValueError, IndexError):
        return 0.0


def wait_for_quiet(limit_s: float) -> None:
    """Wait (up to limit_s) until other processes leave the machine alone, so both servers get it."""
    until = time.monotonic() + limit_s
    first = True
    while True:
        load = machine_busy_cores()
        if load <= BUSY_CORES or time.monotonic() >= until:
            if not first and load > BUSY_CORES:
                print(f"  (machine still busy: {load:.2f} cores used by others; going ahead)", flush=True)
            return
        if first:
            print(f"  (waiting up to {limit_s:.0f} s for a quieter machine: {load:.2f} cores used by others)",
                  flush=True)
            first = False


def run_server(procs: Processes, tmp: Path, name: str, cmd: list[str], env: dict, port: int,
               client_config: dict, timeout: float) -> dict:
    log_path = tmp / f"server-{name}-{client_config['scenario']}.log"
    wait_for_quiet(client_config["quiet_wait_s"])
    meter = CpuMeter()
    proc = procs.start(cmd, env, log_path)
    try:
        wait_listening(proc, port, log_path)
        result = run_clients(procs, tmp, client_config, timeout)
        if proc.poll() is not None:
            raise HarnessError(f"the {name} server died during the run:\n{tail(log_path)}")
        result["other_cpu_cores"] = meter.others_cores(proc.pid)
    finally:
        procs.stop(proc)
    problems = []
    if result["connect_failures"]:
        problems.append(f"{len(result['connect_failures'])} clients could not connect, "
                        f"first: {result['connect_failures'][0]}")
    if result["ack_errors"]:
        problems.append(f"{len(result['ack_errors'])} events were refused, first: {result['ack_errors'][0]}")
    if result["received"]["step"] + result["received"]["response"] == 0:
        problems.append("no broadcast was received at all")
    if problems:
        raise HarnessError(f"{name} run of scenario {client_config['scenario']}: " + "; ".join(problems)
                           + f"\nserver log:\n{tail(log_path)}")
    return result


# --- statistics ------------------------------------------------------------------

def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank; lost deliveries are +inf, so they show up in the tail."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summarize(result: dict) -> dict:
    def stats(values: list[float], expected: int) -> dict:
        lost = max(0, expected - len(values))
        ordered = sorted(values) + [math.inf] * lost
        return {
            "p50_ms": percentile(ordered, 50),
            "p95_ms": percentile(ordered, 95),
            "p99_ms": percentile(ordered, 99),
            "max_ms": ordered[-1] if ordered else math.nan,
            "deliveries": len(values),
            "expected": expected,
            "lost": lost,
        }

    by_kind = {k: stats(result["delays"][k], result["expected"][k]) for k in ("step", "response")}
    total = stats(result["delays"]["step"] + result["delays"]["response"],
                  result["expected"]["step"] + result["expected"]["response"])
    acks = sorted(result["ack_ms"]["step"] + result["ack_ms"]["response"])
    per_event = [e for e in result.get("per_event", []) if e["first"] is not None]
    firsts = sorted(e["first"] for e in per_event)
    spreads = sorted(e["last"] - e["first"] for e in per_event)
    sizes = {k: (round(sum(v) / len(v)) if v else None) for k, v in result["sizes"].items()}
    return {
        **total,
        "events": result["events"],
        "by_kind": by_kind,
        "ack_p95_ms": percentile(acks, 95),
        # Per event: emit -> first client's receipt (server work before the fan-out, queueing)
        # and first -> last client's receipt (the fan-out itself).
        "first_receipt_p50_ms": percentile(firsts, 50),
        "first_receipt_p95_ms": percentile(firsts, 95),
        "fanout_spread_p50_ms": percentile(spreads, 50),
        "fanout_spread_p95_ms": percentile(spreads, 95),
        "payload_bytes_mean": sizes,
        "clients": result["clients"],
        "connect_s": result["connect_ms"] / 1000,
        "measure_s": result["measure_s"],
        "unmatched": result["unmatched"],
        "unexpected_disconnects": result["unexpected_disconnects"],
        "other_cpu_cores": result.get("other_cpu_cores", math.nan),
    }


def fmt(ms: float) -> str:
    if math.isnan(ms):
        return "-"
    if math.isinf(ms):
        return "lost"
    return f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


def jsonable(value):
    if isinstance(value, float):
        return None if math.isinf(value) or math.isnan(value) else round(value, 3)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


# --- the benchmark -----------------------------------------------------------------

def check_prerequisites() -> None:
    if shutil.which("node") is None:
        raise HarnessError("node is not installed (make setup installs what the benchmark needs)")
    if not (ROOT / "node_modules" / "socket.io-client").is_dir():
        raise HarnessError("node_modules/socket.io-client is missing: run `make setup` first")


def base_env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLC_")}
    env.update({
        "PLC_INSTANCE_PATH": str(tmp / "instance"),
        "PLC_DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "PLC_SECRET_KEY": secrets.token_hex(32),
        "PLC_UPLOADS_DIR": str(tmp / "uploads"),
        "PLC_HOST": "127.0.0.1",
        "FLASK_APP": "wsgi.py",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def synthetic_payload(size: int) -> dict:
    """Only if the app run captured no payload: words, so that compression sees text, not one byte."""
    words = ["area", "model", "skip", "count", "groups", "of", "six", "boxes", "apples", "number", "line",
             "repeated", "subtraction"]
    text = " ".join(words[(i * 7) % len(words)] for i in range(size // 6 + 1))
    return {"text": text[:size]}


SCHEMA_DRIFT = ("has no column named", "no such column", "no such table")


def seed_database(env: dict, tmp: Path, warnings: list[str], scenarios: list[Scenario]) -> dict:
    """Schema from the migrations, as `make run` does; if the models have moved ahead of
    the migrations (someone is mid-change), fall back to db.create_all() and say so."""
    specs = [s.spec for s in scenarios]
    run_checked([PY, "-m", "flask", "db", "upgrade"], env, "flask db upgrade")
    try:
        return json.loads(run_checked([PY, "-m", "tests.bench.setup_data", *specs], env, "seeding the database"))
    except HarnessError as exc:
        drift = next((d for d in SCHEMA_DRIFT if d in str(exc)), None)
        if drift is None:
            raise
        line = next((l for l in str(exc).splitlines() if drift in l), drift).strip()
        warnings.append("the migrations lag behind the models (" + line[:200] + "); the benchmark "
                        "used db.create_all() instead. `make run` would fail the same way: add a migration.")
        print("WARNING: " + warnings[-1], flush=True)
        (tmp / "db.sqlite3").unlink(missing_ok=True)
        return json.loads(run_checked([PY, "-m", "tests.bench.setup_data", "--create-all", *specs], env,
                                      "seeding the database (db.create_all)"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=3.0, help="events per second per meeting (default 3)")
    parser.add_argument("--events", type=int, default=90,
                        help="measured events per meeting (default 90), split over the rounds")
    parser.add_argument("--rounds", type=int, default=2,
                        help="app and baseline take turns this many times per scenario, so that other "
                             "load on the machine falls on both (default 2)")
    parser.add_argument("--step-fraction", type=float, default=0.25,
                        help="share of events that are facilitator step changes (default 0.25)")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--quiet-wait", type=float, default=20.0,
                        help="before each run, wait up to this many seconds for other processes to go "
                             "quiet (default 20)")
    parser.add_argument("--scenarios", default="ab",
                        help="which scenarios to run: a (1 meeting of 80 phones), b (10 meetings of 60); default ab")
    parser.add_argument("--quick", action="store_true", help="a short smoke run (20 events per meeting)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, database)")
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.rounds = 20, 1

    return run_harness(args, run, "plc-bench-", check_prerequisites)


def run_harness(args, run, prefix: str, check) -> int:
    """Run one benchmark: `check()` its prerequisites, then `run(args, procs, tmp)` in a fresh
    temporary folder, stopping every process it started however it ends (SIGTERM included).
    Returns 1 when the harness itself fails; the folder is kept then, or with --keep."""
    procs = Processes()

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    failed = True
    try:
        check()
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


def run(args, procs: Processes, tmp: Path) -> dict:
    env = base_env(tmp)
    per_round = max(1, args.events // args.rounds)
    print(f"Benchmark: {args.rate:g} events/s per meeting; {per_round * args.rounds} measured events per meeting "
          f"in {args.rounds} rounds (app, baseline, app, ...; 6 warm-up events each); "
          f"{args.step_fraction:.0%} step changes, the rest responses; seed {args.seed}", flush=True)
    print("Setting up a fresh database (flask db upgrade + seed) ...", flush=True)
    warnings = []
    scenarios = [s for s in SCENARIOS if s.key in args.scenarios]
    if not scenarios:
        raise HarnessError(f"no scenario matches --scenarios {args.scenarios!r} (choose from a, b)")
    seeded = seed_database(env, tmp, warnings, scenarios)

    common = {
        "rate_per_room": args.rate,
        "warmup_per_room": WARMUP_EVENTS,
        "events_per_room": per_round,
        "step_fraction": args.step_fraction,
        "connect_concurrency": 20,
        "connect_timeout_ms": 20000,
        "settle_ms": 1500,
        "drain_timeout_ms": 5000,
        "cookie_name": seeded["cookie_name"],
        "quiet_wait_s": args.quiet_wait,
    }
    results = []
    for scenario, seeded_scenario in zip(scenarios, seeded["scenarios"]):
        meetings = seeded_scenario["meetings"]
        timeout = 60 + scenario.clients * 0.1 + (WARMUP_EVENTS + per_round) / args.rate * 1.5
        runs = {"app": [], "baseline": []}
        payloads = {
            "step": synthetic_payload(meetings[0]["initial_state_bytes"]),
            "response": synthetic_payload(120),
        }
        for n in range(args.rounds):
            # The same seeded event sequence for both servers within a round; a new one each round.
            seeded_common = {**common, "seed": args.seed + n, "scenario": f"{scenario.key}{n + 1}"}
            label = f"[{scenario.key}] {scenario.title} ({scenario.clients} clients), round {n + 1}/{args.rounds}"

            print(f"\n{label}: app server", flush=True)
            port = free_port()
            app_raw = run_server(
                procs, tmp, "app", [PY, APP_SERVER], {**env, "PLC_PORT": str(port)}, port,
                {**seeded_common, "mode": "app", "url": f"http://127.0.0.1:{port}",
                 "rooms": [{"key": f"m{m['meeting_id']}", **m} for m in meetings]},
                timeout,
            )
            runs["app"].append(app_raw)
            # The next round carries on from where this one left each meeting.
            meetings = [{**m, "start_pos": pos} for m, pos in zip(meetings, app_raw["end_pos"])]
            # The baseline broadcasts copies of real app payloads (closest to the mean size).
            payloads = {k: app_raw["samples"][k] or payloads[k] for k in payloads}

            print(f"{label}: baseline server", flush=True)
            port = free_port()
            runs["baseline"].append(run_server(
                procs, tmp, "baseline", [*BASELINE_SERVER, str(port)], env, port,
                {**seeded_common, "mode": "baseline", "url": f"http://127.0.0.1:{port}", "payloads": payloads,
                 "rooms": [{"key": f"room{i}", "phones": scenario.phones} for i in range(scenario.rooms)]},
                timeout,
            ))
        for server in ("app", "baseline"):
            merged = merge_runs(runs[server])
            results.append({"scenario": scenario.key, "title": scenario.title, "server": server,
                            **summarize(merged)})

    report = build_report(args, results)
    report["warnings"] = warnings
    print_report(report)
    OUT_DIR.mkdir(exist_ok=True)
    out = OUT_DIR / "latency.json"
    out.write_text(json.dumps(jsonable(report), indent=2) + "\n")
    print(f"\nWrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return report


def merge_runs(runs: list[dict]) -> dict:
    """The rounds of one server in one scenario, pooled."""
    kinds = ("step", "response")
    wall = [r["measure_s"] for r in runs]
    return {
        "clients": runs[0]["clients"],
        "connect_ms": max(r["connect_ms"] for r in runs),
        "measure_s": sum(wall),
        "delays": {k: [d for r in runs for d in r["delays"][k]] for k in kinds},
        "expected": {k: sum(r["expected"][k] for r in runs) for k in kinds},
        "received": {k: sum(r["received"][k] for r in runs) for k in kinds},
        "events": {k: sum(r["events"][k] for r in runs) for k in kinds},
        "ack_ms": {k: [d for r in runs for d in r["ack_ms"][k]] for k in kinds},
        "sizes": {k: [d for r in runs for d in r["sizes"][k]] for k in kinds},
        "per_event": [e for r in runs for e in r["per_event"]],
        "unmatched": sum(r["unmatched"] for r in runs),
        "unexpected_disconnects": sum(r["unexpected_disconnects"] for r in runs),
        "other_cpu_cores": max(r["other_cpu_cores"] for r in runs),
    }


def build_report(args, results: list[dict]) -> dict:
    def row(scenario, server):
        return next(r for r in results if r["scenario"] == scenario and r["server"] == server)

    ratios = {}
    for key in dict.fromkeys(r["scenario"] for r in results):
        app, base = row(key, "app"), row(key, "baseline")
        ratios[key] = app["p95_ms"] / base["p95_ms"] if base["p95_ms"] else math.inf

    targets = []
    if "a" in ratios:
        small = row("a", "app")["p95_ms"]
        targets.append({
            "name": f"app p95 under {TARGET_SMALL_P95_MS:g} ms, 1 meeting of 80 phones",
            "value": small, "limit": TARGET_SMALL_P95_MS, "unit": "ms",
            "met": small < TARGET_SMALL_P95_MS,
        })
    if "b" in ratios:
        targets.append({
            "name": f"app p95 within {TARGET_RATIO:g}x baseline p95, 600 phones in 10 meetings",
            "value": ratios["b"], "limit": TARGET_RATIO, "unit": "x",
            "met": ratios["b"] <= TARGET_RATIO,
        })
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "node": node,
                    "platform": platform.platform()},
        "params": {"rate_per_meeting": args.rate, "measured_events_per_meeting": args.events,
                   "rounds": args.rounds, "warmup_events_per_meeting_and_round": WARMUP_EVENTS,
                   "step_fraction": args.step_fraction, "seed": args.seed,
                   "transport": "websocket", "server": "gevent (socketio.run), one process"},
        "results": results,
        "p95_ratio_app_over_baseline": ratios,
        "targets": targets,
    }


def print_report(report: dict) -> None:
    results = report["results"]
    print("\nDelay from the triggering client's emit to each client's receipt of the broadcast")
    header = f"{'scenario':<26} {'server':<9} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} " \
             f"{'deliveries':>11} {'lost':>5} {'events':>7}"
    print(header)
    print("-" * len(header))
    for r in results:
        events = r["events"]["step"] + r["events"]["response"]
        print(f"{r['title']:<26} {r['server']:<9} {fmt(r['p50_ms']):>7} {fmt(r['p95_ms']):>7} "
              f"{fmt(r['p99_ms']):>7} {fmt(r['max_ms']):>7} {r['deliveries']:>11} {r['lost']:>5} {events:>7}")
    print("\nBy kind (p50 / p95 / p99 ms; mean payload bytes; ack p95 = emit to the sender's acknowledgement)")
    for r in results:
        parts = []
        for kind, label in (("step", "step change -> state"), ("response", "response -> upsert")):
            k = r["by_kind"][kind]
            parts.append(f"{label}: {fmt(k['p50_ms'])} / {fmt(k['p95_ms'])} / {fmt(k['p99_ms'])}"
                         f" ({r['payload_bytes_mean'][kind] or '-'} B)")
        print(f"  {r['scenario']} {r['server']:<9} " + "; ".join(parts) + f"; ack p95 {fmt(r['ack_p95_ms'])}")
    print("\nPer event, p50 / p95 ms: emit -> first receipt (server work, queueing); first -> last receipt (fan-out)")
    for r in results:
        print(f"  {r['scenario']} {r['server']:<9} first receipt {fmt(r['first_receipt_p50_ms'])} / "
              f"{fmt(r['first_receipt_p95_ms'])}; fan-out {fmt(r['fanout_spread_p50_ms'])} / "
              f"{fmt(r['fanout_spread_p95_ms'])}")
    busy = [r for r in results if r["other_cpu_cores"] > BUSY_CORES]
    print("\nCPU used by other processes during each run (cores, of "
          f"{os.cpu_count()}): " + ", ".join(f"{r['scenario']} {r['server']} {r['other_cpu_cores']:.2f}" for r in results))
    if busy:
        print(f"WARNING: other processes used more than {BUSY_CORES} core during "
              f"{len(busy)} run(s); these latencies are inflated and noisy. Re-run on a quiet machine.")
    print("\np95 ratio app/baseline: " + ", ".join(
        f"{s.title}: {report['p95_ratio_app_over_baseline'][s.key]:.2f}x" for s in SCENARIOS
        if s.key in report["p95_ratio_app_over_baseline"]))
    for r in results:
        if r["unmatched"] or r["unexpected_disconnects"]:
            print(f"\nWARNING: {r['scenario']} {r['server']}: {r['unexpected_disconnects']} clients disconnected "
                  f"during the run, {r['unmatched']} broadcasts matched no event")
    for warning in report.get("warnings", []):
        print(f"\nWARNING: {warning}")
    print("\nTargets")
    for t in report["targets"]:
        value = f"{t['value']:.1f} ms" if t["unit"] == "ms" else f"{t['value']:.2f}x"
        print(f"  {'ok    ' if t['met'] else 'MISSED'}  {t['name']}: {value}")


if __name__ == "__main__":
    sys.exit(main())
