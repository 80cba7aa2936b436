"""Latency of the live room, app versus a bare Flask-SocketIO server: `make bench`.

    .venv/bin/python -m bench [--rate 3] [--events 90] [--rounds 2] [--scenarios abc] [--quick] [--keep]

For each scenario the real app (`python wsgi.py`: gevent, its task-queue worker,
a fresh temporary instance folder and SQLite database) and the baseline
(baseline_server.py: gevent, bare broadcast) are started on 127.0.0.1, one at a
time and taking turns (app, baseline, app, baseline), and the same seeded
sequence of events is played against each from one Node process (clients.mjs).
The baseline broadcasts a copy of a real app payload of each kind, captured in
the app's run just before, so both servers push the same bytes.

Scenario c is a burst: the whole room answers at once, as when the timer runs out: each of 80
phones sends one answer at a random moment within the same 100 ms, --bursts times per round
(the first only warms up), a second and a half apart.

Prints a table and writes .bench/latency.json. Exits non-zero only when the
harness itself fails; a missed target is printed as MISSED.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.harness import (
    APP_SERVER, BASELINE_SERVER, HarnessError, Processes, base_env, free_port, measured_run, run_harness,
    seed_database,
)
from bench.report import (
    delay_stats, fmt, mean_size, new_report, percentile, print_targets, receipt_stats, receipt_summary, target,
    warn_if_busy, write_report,
)

TARGET_SMALL_P95_MS = 50.0
TARGET_RATIO = 1.25
TARGET_BURST_P95_MS = 60.0
BURST_SPREAD_MS = 100
WARMUP_EVENTS = 6  # per meeting and round, not measured
KINDS = ("step", "response")  # facilitator step changes, phone responses


@dataclass
class Scenario:
    key: str
    title: str
    rooms: int
    phones: int
    burst: bool = False  # every phone answers within BURST_SPREAD_MS, instead of events at --rate

    @property
    def spec(self) -> str:
        return f"{self.rooms}x{self.phones}"

    @property
    def clients(self) -> int:
        return self.rooms * (self.phones + 1)


SCENARIOS = [
    Scenario("a", "1 meeting, 80 phones", 1, 80),
    Scenario("b", "10 meetings x 60 phones", 10, 60),
    Scenario("c", "burst: 80 phones at once", 1, 80, burst=True),
]


def synthetic_payload(size: int) -> dict:
    """Only if the app run captured no payload: words, so that compression sees text, not one byte."""
    words = ["area", "model", "skip", "count", "groups", "of", "six", "boxes", "apples", "number", "line",
             "repeated", "subtraction"]
    text = " ".join(words[(i * 7) % len(words)] for i in range(size // 6 + 1))
    return {"text": text[:size]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
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
    parser.add_argument("--scenarios", default="abc",
                        help="which scenarios to run: a (1 meeting of 80 phones), b (10 meetings of 60), "
                             "c (a burst: 80 phones answer within 100 ms); default abc")
    parser.add_argument("--bursts", type=int, default=6,
                        help="bursts per round in scenario c, the first a warm-up (default 6)")
    parser.add_argument("--quick", action="store_true", help="a short smoke run (20 events per meeting)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, database)")
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.rounds = 20, 1

    return run_harness(args, run, "plc-bench-")


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
        raise HarnessError(f"no scenario matches --scenarios {args.scenarios!r} (choose from a, b, c)")
    seeded = seed_database(env, warnings, ["bench.room_setup", *(s.spec for s in scenarios)])

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
    }
    results = []
    for scenario, seeded_scenario in zip(scenarios, seeded["scenarios"]):
        meetings = seeded_scenario["meetings"]
        timeout = 60 + scenario.clients * 0.1 + (WARMUP_EVENTS + per_round) / args.rate * 1.5 + args.bursts * 3
        runs = {"app": [], "baseline": []}
        payloads = {
            "step": synthetic_payload(meetings[0]["initial_state_bytes"]),
            "response": synthetic_payload(120),
        }
        for n in range(args.rounds):
            # The same seeded event sequence for both servers within a round; a new one each round.
            name = f"{scenario.key}{n + 1}"
            seeded_common = {**common, "seed": args.seed + n,
                             "burst": {"bursts": args.bursts, "spread_ms": BURST_SPREAD_MS, "gap_ms": 1500}
                             if scenario.burst else None}
            label = f"[{scenario.key}] {scenario.title} ({scenario.clients} clients), round {n + 1}/{args.rounds}"

            print(f"\n{label}: app server", flush=True)
            port = free_port()
            app_raw = measured_run(
                procs, tmp, f"app-{name}", APP_SERVER, {**env, "PLC_PORT": str(port)}, port, "clients.mjs",
                {**seeded_common, "mode": "app", "url": f"http://127.0.0.1:{port}",
                 "rooms": [{"key": f"m{m['meeting_id']}", **m} for m in meetings]},
                timeout, args.quiet_wait, delivered,
            )
            runs["app"].append(app_raw)
            # The next round carries on from where this one left each meeting.
            meetings = [{**m, "start_pos": pos} for m, pos in zip(meetings, app_raw["end_pos"])]
            # The baseline broadcasts copies of real app payloads (closest to the mean size).
            payloads = {k: app_raw["samples"][k] or payloads[k] for k in payloads}

            print(f"{label}: baseline server", flush=True)
            port = free_port()
            runs["baseline"].append(measured_run(
                procs, tmp, f"baseline-{name}", [*BASELINE_SERVER, str(port)], env, port, "clients.mjs",
                {**seeded_common, "mode": "baseline", "url": f"http://127.0.0.1:{port}", "payloads": payloads,
                 "rooms": [{"key": f"room{i}", "phones": scenario.phones} for i in range(scenario.rooms)]},
                timeout, args.quiet_wait, delivered,
            ))
        for server in ("app", "baseline"):
            merged = merge_runs(runs[server])
            results.append({"scenario": scenario.key, "title": scenario.title, "server": server,
                            **summarize(merged)})

    report = build_report(args, results)
    report["warnings"] = warnings
    print_report(report)
    write_report("latency", report)
    return report


def delivered(result: dict) -> int:
    return result["received"]["step"] + result["received"]["response"]


def merge_runs(runs: list[dict]) -> dict:
    """The rounds of one server in one scenario, pooled."""
    wall = [r["measure_s"] for r in runs]
    return {
        "clients": runs[0]["clients"],
        "connect_ms": max(r["connect_ms"] for r in runs),
        "measure_s": sum(wall),
        "delays": {k: [d for r in runs for d in r["delays"][k]] for k in KINDS},
        "expected": {k: sum(r["expected"][k] for r in runs) for k in KINDS},
        "received": {k: sum(r["received"][k] for r in runs) for k in KINDS},
        "events": {k: sum(r["events"][k] for r in runs) for k in KINDS},
        "ack_ms": {k: [d for r in runs for d in r["ack_ms"][k]] for k in KINDS},
        "sizes": {k: [d for r in runs for d in r["sizes"][k]] for k in KINDS},
        "per_event": [e for r in runs for e in r["per_event"]],
        "unmatched": sum(r["unmatched"] for r in runs),
        "unexpected_disconnects": sum(r["unexpected_disconnects"] for r in runs),
        "other_cpu_cores": max(r["other_cpu_cores"] for r in runs),
    }


def summarize(result: dict) -> dict:
    by_kind = {k: delay_stats(result["delays"][k], result["expected"][k]) for k in KINDS}
    total = delay_stats(result["delays"]["step"] + result["delays"]["response"],
                        result["expected"]["step"] + result["expected"]["response"])
    acks = sorted(result["ack_ms"]["step"] + result["ack_ms"]["response"])
    return {
        **total,
        "events": result["events"],
        "by_kind": by_kind,
        "ack_p95_ms": percentile(acks, 95),
        **receipt_stats(result["per_event"]),
        "payload_bytes_mean": {k: mean_size(v) for k, v in result["sizes"].items()},
        "clients": result["clients"],
        "connect_s": result["connect_ms"] / 1000,
        "measure_s": result["measure_s"],
        "unmatched": result["unmatched"],
        "unexpected_disconnects": result["unexpected_disconnects"],
        "other_cpu_cores": result["other_cpu_cores"],
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
        targets.append(target(f"app p95 under {TARGET_SMALL_P95_MS:g} ms, 1 meeting of 80 phones",
                              small, TARGET_SMALL_P95_MS, "ms", small < TARGET_SMALL_P95_MS))
    if "b" in ratios:
        targets.append(target(f"app p95 within {TARGET_RATIO:g}x baseline p95, 600 phones in 10 meetings",
                              ratios["b"], TARGET_RATIO, "x", ratios["b"] <= TARGET_RATIO))
    if "c" in ratios:
        burst = row("c", "app")["p95_ms"]
        targets.append(target(f"app p95 under {TARGET_BURST_P95_MS:g} ms, 80 phones answering within "
                              f"{BURST_SPREAD_MS} ms (p99 {fmt(row('c', 'app')['p99_ms'])} ms)",
                              burst, TARGET_BURST_P95_MS, "ms", burst < TARGET_BURST_P95_MS))
    return {
        **new_report({"rate_per_meeting": args.rate, "measured_events_per_meeting": args.events,
                      "rounds": args.rounds, "warmup_events_per_meeting_and_round": WARMUP_EVENTS,
                      "step_fraction": args.step_fraction, "seed": args.seed,
                      "transport": "websocket", "server": "gevent (socketio.run), one process"}),
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
        print(f"  {r['scenario']} {r['server']:<9} {receipt_summary(r)}")
    others = {f"{r['scenario']} {r['server']}": r["other_cpu_cores"] for r in results}
    print("\nCPU used by other processes during each run (cores, of "
          f"{os.cpu_count()}): " + ", ".join(f"{name} {cores:.2f}" for name, cores in others.items()))
    warn_if_busy(others)
    print("\np95 ratio app/baseline: " + ", ".join(
        f"{s.title}: {report['p95_ratio_app_over_baseline'][s.key]:.2f}x" for s in SCENARIOS
        if s.key in report["p95_ratio_app_over_baseline"]))
    for r in results:
        if r["unmatched"] or r["unexpected_disconnects"]:
            print(f"\nWARNING: {r['scenario']} {r['server']}: {r['unexpected_disconnects']} clients disconnected "
                  f"during the run, {r['unmatched']} broadcasts matched no event")
    for warning in report.get("warnings", []):
        print(f"\nWARNING: {warning}")
    print_targets(report["targets"])


if __name__ == "__main__":
    sys.exit(main())
