"""Latency of the live room, app versus a bare Flask-SocketIO server: `make bench`.

    .venv/bin/python -m bench [--rate 3] [--events 90] [--rounds 2] [--scenarios abcd] [--quick]
                              [--set PLC_NAME=VALUE ...] [--keep]

For each scenario the real app (`python wsgi.py`: gevent, its task-queue worker,
a fresh temporary instance folder and SQLite database) and the baseline
(baseline_server.py: gevent, bare broadcast) are started on 127.0.0.1, one at a
time and taking turns (app, baseline, app, baseline), and the same seeded
sequence of events is played against each from one Node process (clients.mjs).
The baseline broadcasts a copy of a real app payload of each kind, captured in
the app's run just before, so both servers push the same bytes.

Scenarios a (1 meeting of 80 phones) and b (10 meetings of 60) play --rate events per second
per meeting, --events of them per meeting in all. Scenario d is b at 20 events per second per
meeting whatever --rate says (a room answering together), so that `--scenarios bd` measures
both in one run: it plays as many seconds as b does at the default 3 events/s (--events / 3;
600 events per meeting by default, over 36,000 deliveries per meeting), its warm-up as long,
and the facilitator changes step as often per second as in b at 3/s; the other events are
answers. Scenario c is a burst: the whole room answers at once, as when the timer runs out:
each of 80 phones sends one answer at a random moment within the same 100 ms, --bursts times
per round (the first only warms up), a second and a half apart.

--set PLC_NAME=VALUE (repeatable) gives the app server a setting (not the bare server), so
that a setting can be compared with its default (e.g. --set PLC_LIVE_BATCH_MS=0).

Prints a table (with the servers' CPU, and each round's p95 ratio beside the pooled one: on a
2-core machine they move a lot between rounds) and writes .bench/latency.json. Exits non-zero only when the
harness itself fails; a missed target is printed as MISSED.
"""
from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.harness import (
    APP_SERVER, BASELINE_SERVER, HarnessError, Processes, base_env, benchmark_parser, free_port, measured_run,
    run_harness, seed_database,
)
from bench.report import (
    delay_stats, fmt, mean_size, new_report, percentile, print_targets, receipt_stats, receipt_summary, target,
    warn_if_busy, write_report,
)

TARGET_SMALL_P95_MS = 50.0
TARGET_RATIO = 1.25
TARGET_FAST_RATIO = 1.5  # scenario d
TARGET_BURST_P95_MS = 60.0
BURST_SPREAD_MS = 100
DEFAULT_RATE = 3.0  # events per second per meeting (--rate)
FAST_RATE = 20.0  # scenario d's, whatever --rate says
DEFAULT_EVENTS, QUICK_EVENTS = 90, 20  # measured per meeting, over all rounds (--events, --quick)
WARMUP_EVENTS = 6  # per meeting and round at the default rate, not measured
KINDS = ("step", "response")  # facilitator step changes, phone responses


@dataclass
class Scenario:
    key: str
    title: str
    rooms: int
    phones: int
    burst: bool = False  # every phone answers within BURST_SPREAD_MS, instead of events at a rate
    rate: float | None = None  # its own events per second per meeting, instead of --rate

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
    Scenario("d", f"10 x 60 at {FAST_RATE:g} events/s", 10, 60, rate=FAST_RATE),
]


@dataclass
class Pace:
    """How a scenario's events come: per meeting, per second and in all."""

    rate: float  # events per second per meeting
    events: int  # measured events per meeting, over all rounds
    warmup: int  # events per meeting and round before measuring
    step_fraction: float  # the share of facilitator step changes; the rest are answers


def pace(scenario: Scenario, args) -> Pace:
    """--rate and --events; or, for a scenario at its own rate, as many seconds as --events
    take at the default rate, with as many step changes per second: the extra events are answers."""
    if scenario.rate is None:
        return Pace(args.rate, args.events, WARMUP_EVENTS, args.step_fraction)
    faster = scenario.rate / DEFAULT_RATE
    return Pace(scenario.rate, round(args.events * faster), round(WARMUP_EVENTS * faster),
                args.step_fraction / faster)


def synthetic_payload(size: int) -> dict:
    """Only if the app run captured no payload: words, so that compression sees text, not one byte."""
    words = ["area", "model", "skip", "count", "groups", "of", "six", "boxes", "apples", "number", "line",
             "repeated", "subtraction"]
    text = " ".join(words[(i * 7) % len(words)] for i in range(size // 6 + 1))
    return {"text": text[:size]}


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(
        "python -m bench", __doc__, rounds="app and baseline take turns this many times per scenario, so that "
        "other load on the machine falls on both", rate=DEFAULT_RATE,
        rate_help="events (step changes and answers) per second per meeting in scenarios a and b", seed=20240611,
        quiet_wait=20.0, quick=f"one round of {QUICK_EVENTS} events per meeting (d: {round(QUICK_EVENTS * FAST_RATE / DEFAULT_RATE)})")
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS,
                        help="measured events per meeting (default %(default)s), split over the rounds; scenario "
                             f"d plays as many seconds' worth at {FAST_RATE:g}/s "
                             f"({round(DEFAULT_EVENTS * FAST_RATE / DEFAULT_RATE)} events by default)")
    parser.add_argument("--step-fraction", type=float, default=0.25,
                        help="share of events that are facilitator step changes (default 0.25; in d the "
                             "same number per second)")
    parser.add_argument("--scenarios", default="abcd",
                        help="which scenarios to run: a (1 meeting of 80 phones), b (10 meetings of 60), "
                             "c (a burst: 80 phones answer within 100 ms), d (b at "
                             f"{FAST_RATE:g} events/s per meeting); default abcd")
    parser.add_argument("--bursts", type=int, default=6,
                        help="bursts per round in scenario c, the first a warm-up (default 6)")
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.rounds = QUICK_EVENTS, 1

    return run_harness(args, run, "plc-bench-")


def run(args, procs: Processes, tmp: Path) -> dict:
    env = base_env(tmp, settings=args.settings)  # the app's
    bare_env = base_env(tmp)  # the baseline's: no --set
    scenarios = [s for s in SCENARIOS if s.key in args.scenarios]
    if not scenarios:
        raise HarnessError(f"no scenario matches --scenarios {args.scenarios!r} (choose from a, b, c, d)")
    print(f"Benchmark: {args.rounds} round(s) per scenario (app, baseline, app, ...); seed {args.seed}", flush=True)
    for scenario in scenarios:
        print(f"  [{scenario.key}] {scenario.title}: {describe_pace(scenario, args)}", flush=True)
    print("Setting up a fresh database (flask db upgrade + seed) ...", flush=True)
    warnings = []
    seeded = seed_database(env, warnings, ["bench.room_setup", *(s.spec for s in scenarios)])

    common = {
        "connect_concurrency": 20,
        "connect_timeout_ms": 20000,
        "settle_ms": 1500,
        "drain_timeout_ms": 5000,
        "cookie_name": seeded["cookie_name"],
    }
    results = []
    for scenario, seeded_scenario in zip(scenarios, seeded["scenarios"]):
        meetings = seeded_scenario["meetings"]
        paced = pace(scenario, args)
        per_round = max(1, paced.events // args.rounds)
        timeout = 60 + scenario.clients * 0.1 + (paced.warmup + per_round) / paced.rate * 1.5 + args.bursts * 3
        runs = {"app": [], "baseline": []}
        payloads = {
            "step": synthetic_payload(meetings[0]["initial_state_bytes"]),
            "response": synthetic_payload(120),
        }
        for n in range(args.rounds):
            # The same seeded event sequence for both servers within a round; a new one each round.
            name = f"{scenario.key}{n + 1}"
            seeded_common = {**common, "seed": args.seed + n, "rate_per_room": paced.rate,
                             "warmup_per_room": paced.warmup, "events_per_room": per_round,
                             "step_fraction": paced.step_fraction,
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
                procs, tmp, f"baseline-{name}", [*BASELINE_SERVER, str(port)], bare_env, port, "clients.mjs",
                {**seeded_common, "mode": "baseline", "url": f"http://127.0.0.1:{port}", "payloads": payloads,
                 "rooms": [{"key": f"room{i}", "phones": scenario.phones} for i in range(scenario.rooms)]},
                timeout, args.quiet_wait, delivered,
            ))
        ratios = round_ratios(runs)
        for server in ("app", "baseline"):
            merged = merge_runs(runs[server])
            results.append({"scenario": scenario.key, "title": scenario.title, "server": server,
                            "pace": None if scenario.burst else vars(paced), **summarize(merged),
                            "round_p95_ratios": ratios})

    report = build_report(args, results)
    report["warnings"] = warnings
    print_report(report)
    write_report("latency", report)
    return report


def describe_pace(scenario: Scenario, args) -> str:
    if scenario.burst:
        return (f"{scenario.phones} phones answer within {BURST_SPREAD_MS} ms, {args.bursts} bursts per round "
                "(the first warms up)")
    paced = pace(scenario, args)
    per_round = max(1, paced.events // args.rounds)
    return (f"{paced.rate:g} events/s per meeting, {per_round * args.rounds} measured per meeting "
            f"(+{paced.warmup} warm-up per round), {paced.step_fraction:.1%} step changes, the rest answers")


def round_ratios(runs: dict[str, list[dict]]) -> list[float]:
    """Each round's p95 ratio, app over baseline: how far the pooled figure moves between rounds."""
    def p95(run: dict) -> float:
        return percentile(sorted(run["delays"]["step"] + run["delays"]["response"]), 95)

    pairs = [(p95(app), p95(base)) for app, base in zip(runs["app"], runs["baseline"])]
    return [app / base if base else math.inf for app, base in pairs]


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
        "server_cpu_cores": max(r["server_cpu_cores"] for r in runs),
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
        "server_cpu_cores": result["server_cpu_cores"],
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
        targets.append(target(f"app p95 within {TARGET_RATIO:g}x baseline p95, 600 phones in 10 meetings at "
                              f"{args.rate:g} events/s per meeting",
                              ratios["b"], TARGET_RATIO, "x", ratios["b"] <= TARGET_RATIO))
    if "d" in ratios:
        targets.append(target(f"app p95 within {TARGET_FAST_RATIO:g}x baseline p95, 600 phones in 10 meetings at "
                              f"{FAST_RATE:g} events/s per meeting", ratios["d"], TARGET_FAST_RATIO, "x",
                              ratios["d"] <= TARGET_FAST_RATIO))
    if "c" in ratios:
        burst = row("c", "app")["p95_ms"]
        targets.append(target(f"app p95 under {TARGET_BURST_P95_MS:g} ms, 80 phones answering within "
                              f"{BURST_SPREAD_MS} ms (p99 {fmt(row('c', 'app')['p99_ms'])} ms)",
                              burst, TARGET_BURST_P95_MS, "ms", burst < TARGET_BURST_P95_MS))
    return {
        **new_report({"rate_per_meeting": args.rate, "measured_events_per_meeting": args.events,
                      "rounds": args.rounds, "warmup_events_per_meeting_and_round": WARMUP_EVENTS,
                      "step_fraction": args.step_fraction, "seed": args.seed,
                      "transport": "websocket", "server": "gevent (socketio.run), one process"}, args.settings),
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
    print("\nCPU the server's processes used, the most of any round (cores): " + ", ".join(
        f"{r['scenario']} {r['server']} {r['server_cpu_cores']:.2f}" for r in results))
    others = {f"{r['scenario']} {r['server']}": r["other_cpu_cores"] for r in results}
    print("\nCPU used by other processes during each run (cores, of "
          f"{os.cpu_count()}): " + ", ".join(f"{name} {cores:.2f}" for name, cores in others.items()))
    warn_if_busy(others)
    print("\np95 ratio app/baseline: " + ", ".join(
        f"{s.title}: {report['p95_ratio_app_over_baseline'][s.key]:.2f}x" for s in SCENARIOS
        if s.key in report["p95_ratio_app_over_baseline"]))
    print("p95 ratio of each round: " + ", ".join(
        f"{s.title}: " + " / ".join(f"{x:.2f}x" for x in r["round_p95_ratios"]) for s in SCENARIOS
        for r in results if r["scenario"] == s.key and r["server"] == "app"))
    for r in results:
        if r["unmatched"] or r["unexpected_disconnects"]:
            print(f"\nWARNING: {r['scenario']} {r['server']}: {r['unexpected_disconnects']} clients disconnected "
                  f"during the run, {r['unmatched']} broadcasts matched no event")
    for warning in report.get("warnings", []):
        print(f"\nWARNING: {warning}")
    print_targets(report["targets"])


if __name__ == "__main__":
    sys.exit(main())
