"""The district set-up under load: 2 app processes behind HAProxy against 1, and the cost of the
Socket.IO message queue per event.

    .venv/bin/python -m bench.district [--rates 40,80,120,...] [--seconds 8] [--queue-rate 60]
                                       [--set PLC_NAME=VALUE ...] [--keep]

PostgreSQL and Redis are started once (deploy/district.py). For each set-up (1 app process, then 2)
a fresh database is seeded with 10 meetings of 60 phones (bench/room_setup.py) and the set-up is
started as `make district` starts it: the app processes (`python wsgi.py`, gevent), the worker and
HAProxy (deploy/haproxy.cfg) in front. The Node clients (bench/clients.mjs: socket.io-client 4,
websockets) connect through HAProxy, which spreads each meeting's phones over the processes
(leastconn): with 2, every answer crosses Redis to reach half its room. Phones answer at a total
rate (answers per second across the 10 meetings) stepped up run by run, until p95 delivery (send
to every screen) reaches 100 ms or a delivery is lost: the largest rate held is the set-up's.

The message queue's cost: one app process (without HAProxy) at --queue-rate, with the Redis queue
and without it: CPU milliseconds per answer of the app process (and of Redis), and p50 / p95.

Prints a table and writes .bench/district.json. Exits non-zero only when the harness fails.
"""
from __future__ import annotations

import json
import math
import os
import secrets
import time
from contextlib import ExitStack
from pathlib import Path

from bench.cpu import BUSY_CORES, machine_busy_seconds, tree_cpu, wait_for_quiet
from bench.harness import (
    PY, HarnessError, Processes, benchmark_parser, check_prerequisites, run_checked, run_clients, run_harness,
)
from bench.report import delay_stats, fmt, new_report, write_report
from deploy import district as setup

TARGET_P95_MS = 100.0
MEETINGS, PHONES = 10, 60
DEFAULT_RATES = [10, 20, 40, 80, 120, 160, 200, 250, 300, 400]
CLIENT_SETTINGS = {"connect_concurrency": 20, "connect_timeout_ms": 20000, "settle_ms": 1500,
                   "drain_timeout_ms": 5000, "warmup_per_room": 6, "step_fraction": 0.0}


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser("python -m bench.district", __doc__, seed=20261201, quiet_wait=10.0)
    parser.add_argument("--rates", default=",".join(map(str, DEFAULT_RATES)),
                        help="answers per second across the 10 meetings, one run each, in this order")
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per run (default 8)")
    parser.add_argument("--apps", default="1,2", help="the set-ups: app processes behind HAProxy (default 1,2)")
    parser.add_argument("--queue-rate", type=float, default=60.0,
                        help="answers per second for the message queue's cost (default 60; 0 skips it)")
    args = parser.parse_args(argv)
    return run_harness(args, run, "plc-bench-district-",
                       check=lambda: check_prerequisites() or _check_servers())


def _check_servers() -> None:
    for why in (setup.missing_postgres(), setup.missing_redis(), setup.missing_haproxy()):
        if why:
            raise HarnessError(why)


def run(args, procs: Processes, tmp: Path) -> None:
    rates = [float(r) for r in args.rates.split(",")]
    report = new_report({"meetings": MEETINGS, "phones": PHONES, "rates": rates, "seconds": args.seconds,
                         "queue_rate": args.queue_rate, "seed": args.seed}, args.settings)
    with ExitStack() as stack:
        try:
            postgres = stack.enter_context(setup.postgres_server())
            redis = stack.enter_context(setup.redis_server(tmp))
        except setup.DistrictError as exc:
            raise HarnessError(str(exc))
        context = Context(procs, tmp, postgres, redis, args)
        report["setups"] = [context.step_up(int(apps), rates) for apps in args.apps.split(",")]
        if args.queue_rate:
            report["queue"] = context.queue_cost(args.queue_rate)
    print_report(report)
    write_report("district", report)


class Context:
    """What every run shares: the servers, the folder, the arguments."""

    def __init__(self, procs: Processes, tmp: Path, postgres, redis, args):
        self.procs, self.tmp, self.postgres, self.redis, self.args = procs, tmp, postgres, redis, args
        self.runs = 0
        self.haproxy_pid: int | None = None  # counted with the benchmark's own processes while it runs

    def _fresh_database(self, name: str) -> tuple[Path, str, str, dict]:
        """A folder, a migrated and seeded database, and the secret its cookies are signed with."""
        folder = self.tmp / name
        folder.mkdir()
        url = self.postgres.create_database(name)
        secret = secrets.token_hex(32)
        env = setup.app_env(folder, url, self.redis, secret, **self.args.settings)
        run_checked([PY, "-m", "flask", "db", "upgrade"], env, "flask db upgrade")
        seeded = json.loads(run_checked([PY, "-m", "bench.room_setup", f"{MEETINGS}x{PHONES}"], env, "seeding", 600))
        return folder, url, secret, seeded

    def _clear_answers(self, url: str) -> None:
        """Each run starts with no answers: a phone's state on connect stays the same size."""
        with self.postgres.connect(url.rsplit("/", 1)[1]) as conn:
            conn.execute("DELETE FROM response")

    def _measure(self, url_of_server: str, watched: list, server, seeded: dict, rate: float, label: str) -> dict:
        """One run of the Node clients at `rate` answers per second in all; the delays, and the CPU
        of the `watched` processes (and Redis) per answer while answers flowed."""
        self.runs += 1
        meetings = seeded["scenarios"][0]["meetings"]
        per_room = rate / len(meetings)
        config = {**CLIENT_SETTINGS, "mode": "app", "url": url_of_server, "cookie_name": seeded["cookie_name"],
                  "rooms": [{"key": f"m{m['meeting_id']}", **m} for m in meetings], "rate_per_room": per_room,
                  "events_per_room": max(1, round(per_room * self.args.seconds)), "seed": self.args.seed + self.runs}
        samples: list[tuple[float, float, float, float, float]] = []
        redis_pid = _pid_listening(self.redis.port)
        helpers = [pid for pid in (redis_pid, self.haproxy_pid) if pid]

        def sample(node_pid: int) -> None:
            samples.append((time.time(), sum(tree_cpu(p.process.pid) for p in watched),
                            tree_cpu(redis_pid) if redis_pid else 0.0, machine_busy_seconds(),
                            tree_cpu(node_pid) + sum(tree_cpu(pid) for pid in helpers) + sum(os.times()[:2])))

        wait_for_quiet(self.args.quiet_wait)

        print(f"  {label}: {rate:g} answers/s ...", end=" ", flush=True)
        raw = run_clients(self.procs, self.tmp, "clients.mjs", f"clients-{self.runs}", config,
                          timeout=90 + self.args.seconds * 2, server=server.process, server_log=server.log,
                          while_running=sample)
        if raw["connect_failures"]:
            raise HarnessError(f"{len(raw['connect_failures'])} clients could not connect, first: "
                               f"{raw['connect_failures'][0]}\n{server.log_tail()}")
        stats = delay_stats(raw["delays"]["response"], raw["expected"]["response"])
        start = raw["measure_start_epoch_ms"] / 1000
        window = [s for s in samples if start <= s[0] <= start + raw["measure_s"]]
        answers = raw["events"]["response"]
        cpu = {}
        if len(window) >= 2 and answers:
            (t0, app0, redis0, busy0, ours0), (t1, app1, redis1, busy1, ours1) = window[0], window[-1]
            share = answers * (t1 - t0) / raw["measure_s"]  # the answers sent inside the sampled part
            wall = t1 - t0
            cpu = {"app_ms_per_answer": 1000 * (app1 - app0) / share,
                   "redis_ms_per_answer": 1000 * (redis1 - redis0) / share,
                   "app_cores": (app1 - app0) / wall, "machine_cores": (busy1 - busy0) / wall,
                   # what the rest of the machine (other work, not this benchmark) used meanwhile
                   "other_cores": max(0.0, (busy1 - busy0) - (app1 - app0) - (ours1 - ours0)) / wall}
        held = stats["p95_ms"] < TARGET_P95_MS and stats["lost"] == 0 and not raw["ack_errors"]
        print(f"p50 {fmt(stats['p50_ms'])} p95 {fmt(stats['p95_ms'])} p99 {fmt(stats['p99_ms'])} ms, "
              f"lost {stats['lost']}, app {cpu.get('app_cores', math.nan):.2f} cores, "
              f"other work {cpu.get('other_cores', math.nan):.2f} cores: {'held' if held else 'NOT held'}", flush=True)
        noisy = cpu.get("other_cores", 0.0) > BUSY_CORES
        return {"rate": rate, "answers": answers, **stats, **cpu, "held": held, "noisy": noisy,
                "ack_errors": raw["ack_errors"][:3],
                "unexpected_disconnects": raw["unexpected_disconnects"]}

    def step_up(self, apps: int, rates: list[float]) -> dict:
        """The set-up with `apps` app processes behind HAProxy, at each rate until one is not held."""
        print(f"\nDistrict set-up, {apps} app process(es) behind HAProxy: seeding {MEETINGS}x{PHONES} ...", flush=True)
        folder, url, secret, seeded = self._fresh_database(f"apps{apps}")
        runs = []
        with setup.district_apps(folder, self.postgres, self.redis, url, secret, apps=apps,
                                 **self.args.settings) as running:
            self.haproxy_pid = running.haproxy.process.pid
            for rate in rates:
                self._clear_answers(url)
                runs.append(self._measure(running.url, running.apps, running.haproxy, seeded, rate, f"{apps} app"))
                if not runs[-1]["held"]:
                    break
        self.haproxy_pid = None
        held = [r["rate"] for r in runs if r["held"]]
        return {"apps": apps, "runs": runs, "largest_held": max(held) if held else None}

    def queue_cost(self, rate: float) -> dict:
        """One app process, straight (no HAProxy), with and without the Redis message queue."""
        print(f"\nThe message queue's cost: 1 app process at {rate:g} answers/s, with and without it", flush=True)
        folder, url, secret, seeded = self._fresh_database("queue")
        result = {}
        for queue in (True, False):
            env = setup.app_env(folder, url, self.redis, secret, message_queue=queue, **self.args.settings)
            app = setup.start_app("queue" if queue else "noqueue", env, folder)
            try:
                setup.wait_serving(app)
                self._clear_answers(url)
                result["with_queue" if queue else "without_queue"] = self._measure(
                    app.url, [app], app, seeded, rate, "with the queue" if queue else "without it")
            except setup.DistrictError as exc:
                raise HarnessError(str(exc))
            finally:
                setup.stop_process_group(app.process)
        with_q, without_q = result["with_queue"], result["without_queue"]
        if "app_ms_per_answer" in with_q and "app_ms_per_answer" in without_q:
            result["app_ms_per_answer_added"] = with_q["app_ms_per_answer"] - without_q["app_ms_per_answer"]
            result["redis_ms_per_answer"] = with_q["redis_ms_per_answer"]
        result["p50_added_ms"] = with_q["p50_ms"] - without_q["p50_ms"]
        result["p95_added_ms"] = with_q["p95_ms"] - without_q["p95_ms"]
        return result


def _pid_listening(port: int) -> int | None:
    """The process listening on a localhost TCP port (Redis here), from /proc."""
    inode = None
    hex_port = f"{port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(":" + hex_port) and fields[3] == "0A":  # LISTEN
            inode = fields[9]
            break
    if inode is None:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if any(f"socket:[{inode}]" == str(fd.readlink()) for fd in (proc / "fd").iterdir()):
                return int(proc.name)
        except OSError:
            continue
    return None


def print_report(report: dict) -> None:
    print("\nLargest load held with p95 delivery under 100 ms (answers per second across 10 meetings of 60 phones):")
    for s in report["setups"]:
        last = s["runs"][-1]
        print(f"  {s['apps']} app process(es): {s['largest_held'] if s['largest_held'] is not None else 'none'} "
              f"(next step {last['rate']:g}/s: p95 {fmt(last['p95_ms'])} ms)" if not last["held"] else
              f"  {s['apps']} app process(es): {s['largest_held']} (every rate tried was held)")
    held = [s["largest_held"] for s in report["setups"]]
    if len(held) == 2 and all(held):
        print(f"  gain of the second process: {held[1] / held[0]:.2f}x")
    noisy = [f"{s['apps']} app at {r['rate']:g}/s" for s in report["setups"] for r in s["runs"] if r["noisy"]]
    if noisy:
        print(f"  NOISY: other work used more than {BUSY_CORES} core during: {', '.join(noisy)}")
    queue = report.get("queue")
    if queue:
        print(f"Message queue, 1 process at {report['params']['queue_rate']:g} answers/s: "
              f"+{queue.get('app_ms_per_answer_added', math.nan):.2f} ms of app CPU per answer, "
              f"{queue.get('redis_ms_per_answer', math.nan):.2f} ms of Redis CPU per answer; "
              f"p50 +{queue['p50_added_ms']:.1f} ms, p95 +{queue['p95_added_ms']:.1f} ms")


if __name__ == "__main__":
    raise SystemExit(main())
