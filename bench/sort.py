"""Work Sort under load: 80 clients on one board, each moving a card every second.

    .venv/bin/python -m bench.sort [--seconds 60] [--rounds 2] [--quick] [--set PLC_NAME=VALUE ...] [--keep]

One Work Sort meeting on its "Sort" step with 40 cards and four groups, the facilitator
and 79 phones connected (sort_setup.py seeds it with the app's own services). For
--seconds (after --warmup seconds not measured), every client moves a random card of
its own picture of the board to a random place in another column once a second (80
moves/s), sending the card's version as it sees it; the server stores each move and
broadcasts `sort:moved` to everyone (sort_clients.mjs). Measured: the delay from the
mover's emit to each client's receipt of that broadcast (one Node process, one clock),
p50/p95/p99; moves refused as stale (conflicts: no broadcast, no delay) are counted
apart. At the end of each app run every client reports its board, which is compared
with the database (queries.columns, revision, card versions): divergence must be 0.

The baseline is a bare Flask-SocketIO gevent server (baseline_server.py) re-broadcasting
to the same 80 clients, at the same rate, a copy of a real `sort:moved` payload captured
in the app run just before. The app and the baseline take turns (app, baseline, app,
baseline, ...), each on its own fresh server process; the app keeps its database across
rounds (the board carries on). A round during which other processes used more than
0.15 core is run again (--retries times at most) and the least disturbed attempt counts;
every app run's board is checked, and the attempts not counted are reported too.

Targets: app p95 under 50 ms; no client's board differs from the database. Prints a
table and writes .bench/sort.json. Exits non-zero only when the harness itself fails;
a missed target is printed as MISSED.
"""
from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

from bench.harness import (
    APP_SERVER, BASELINE_SERVER, PY, HarnessError, Processes, base_env, benchmark_parser, free_port, measured_run,
    run_checked, run_harness, seed_database,
)
from bench.report import (
    delay_stats, fmt, mean_size, new_report, percentile, print_targets, receipt_stats, receipt_summary, target,
    warn_if_busy, write_report,
)

PHONES = 79  # + the facilitator: 80 clients
CARDS = 40
TARGET_P95_MS = 50.0
# A round during which other processes used more CPU than this (cores) is run again: at 80 moves/s
# the app's single event loop is busy most of the time, and a little outside load moves its tail a lot.
RETRY_ABOVE_CORES = 0.15


# --- seeding and reading the board back ------------------------------------------------------

def stored_board(env: dict, sort_id: int) -> dict:
    return json.loads(run_checked([PY, "-m", "bench.sort_setup", "dump", str(sort_id)], env,
                                  "reading the board from the database"))


def _board_key(columns: list[dict]) -> dict:
    return {str(c["group_id"]): list(c["sample_ids"]) for c in columns}


def compare_boards(boards: list[dict], stored: dict) -> dict:
    """Every client's board against the database: columns (order included), revision, card versions."""
    want_columns = _board_key(stored["columns"])
    want_versions = {str(k): v for k, v in stored["versions"].items()}
    diverged = []
    for board in boards:
        why = []
        if board["sort_id"] != stored["sort_id"]:
            why.append(f"sort {board['sort_id']} != {stored['sort_id']}")
        if board["revision"] != stored["revision"]:
            why.append(f"revision {board['revision']} != {stored['revision']}")
        columns = _board_key(board["columns"])
        if columns != want_columns:
            bad = sorted(set(columns) | set(want_columns), key=str)
            bad = [g for g in bad if columns.get(g) != want_columns.get(g)]
            why.append(f"columns differ in group(s) {', '.join(bad)}")
        versions = {str(k): v for k, v in board["versions"].items()}
        if versions != want_versions:
            n = sum(1 for k in set(versions) | set(want_versions) if versions.get(k) != want_versions.get(k))
            why.append(f"{n} card version(s) differ")
        if why:
            diverged.append(f"{board['role']} {board['name']}: " + "; ".join(why))
    return {"clients": len(boards), "diverged": len(diverged), "examples": diverged[:5]}


# --- statistics -----------------------------------------------------------------------------------

def round_stats(run: dict) -> dict:
    delays = delay_stats(run["delays"], run["expected"])
    return {**{k: delays[k] for k in ("p50_ms", "p95_ms", "p99_ms")},
            "moves_ok": run["moves"]["ok"], "conflicts": run["moves"]["conflict"],
            "server_cpu_cores": run["server_cpu_cores"], "other_cpu_cores": run["other_cpu_cores"]}


def summarize(runs: list[dict]) -> dict:
    """The rounds of one server, pooled. Lost deliveries count as +inf, in the tail."""
    acks = sorted(d for r in runs for d in r["ack_ms"]["ok"])
    moves = {k: sum(r["moves"][k] for r in runs) for k in runs[0]["moves"]}
    wall = sum(r["measure_s"] for r in runs)
    window = sum(r["window_s"] for r in runs)
    return {
        **delay_stats([d for r in runs for d in r["delays"]], sum(r["expected"] for r in runs)),
        "moves": moves,
        "moves_per_s": moves["sent"] / window if window else math.nan,
        "broadcasts_per_s": moves["ok"] / window if window else math.nan,
        "ack_p50_ms": percentile(acks, 50),
        "ack_p95_ms": percentile(acks, 95),
        **receipt_stats([e for r in runs for e in r["per_event"]]),
        "payload_bytes_mean": mean_size([s for r in runs for s in r["sizes"]]),
        "clients": runs[0]["clients"],
        "connect_s": max(r["connect_ms"] for r in runs) / 1000,
        "measure_s": wall,
        "unmatched": sum(r["unmatched"] for r in runs),
        "unexpected_disconnects": sum(r["unexpected_disconnects"] for r in runs),
        "stale_ignored": sum(r["stale_ignored"] for r in runs),
        "gaps": sum(r["gaps"] for r in runs),
        "syncs": sum(r["syncs"] for r in runs),
        "sync_failures": sum(r["sync_failures"] for r in runs),
        "server_cpu_cores": max(r["server_cpu_cores"] for r in runs),
        "client_cpu_cores": max(r["client_cpu_cores"] for r in runs),
        "other_cpu_cores": max(r["other_cpu_cores"] for r in runs),
        "rounds": [round_stats(r) for r in runs],
    }


# --- the benchmark ----------------------------------------------------------------------------------

def run(args, procs: Processes, tmp: Path) -> dict:
    env = base_env(tmp, settings=args.settings)  # the app's
    bare_env = base_env(tmp)  # the baseline's: no --set
    print(f"Work Sort benchmark: {PHONES + 1} clients in one meeting, {CARDS} cards, each client moving a card "
          f"{args.rate:g}x a second; {args.seconds:g} s measured (+{args.warmup:g} s warm-up) per run, "
          f"{args.rounds} round(s) of app then baseline; seed {args.seed}", flush=True)
    print("Setting up a fresh database (flask db upgrade + seed) ...", flush=True)
    warnings: list[str] = []
    seeded = seed_database(env, warnings, ["bench.sort_setup", "seed", str(PHONES), str(CARDS)])
    before = stored_board(env, seeded["sort_id"])

    common = {
        "rate_per_client": args.rate,
        "warmup_s": args.warmup,
        "seconds": args.seconds,
        "connect_concurrency": 20,
        "connect_timeout_ms": 20000,
        "settle_ms": 1500,
        "drain_timeout_ms": 10000,
    }
    timeout = 90 + args.warmup + args.seconds * 1.5
    runs: dict[str, list[dict]] = {"app": [], "baseline": []}
    checks = []
    discarded: list[dict] = []  # rounds run again because other processes used the CPU
    payload = None
    attempt = 0
    for n in range(args.rounds):
        tries = []  # (other processes' CPU, app run, baseline run, attempt)
        for retry in range(args.retries + 1):
            attempt += 1
            label = f"round {n + 1}/{args.rounds}" + (f", again ({retry + 1})" if retry else "")
            print(f"\n{label}: app server", flush=True)
            port = free_port()
            app = measured_run(
                procs, tmp, f"app-{attempt}", APP_SERVER, {**env, "PLC_PORT": str(port)}, port, "sort_clients.mjs",
                {**common, "mode": "app", "seed": args.seed + n, "url": f"http://127.0.0.1:{port}",
                 **{k: seeded[k] for k in ("cookie_name", "meeting_id", "facilitator_cookie", "facilitator_name",
                                           "phone_cookies", "phone_names")}},
                timeout, args.quiet_wait, delivered,
            )
            # Every app run is checked, the ones run again included: the board must never diverge.
            stored = stored_board(env, seeded["sort_id"])
            check = compare_boards(app["boards"], stored)
            check.update({
                "round": n + 1,
                "attempt": retry + 1,
                "moves_acked_ok": app["moves_all"]["ok"],
                "moves_stored": stored["moves"] - before["moves"],
                "revision_advance": stored["revision"] - before["revision"],
                "moves_stored_total": stored["moves"],
                "revision": stored["revision"],
            })
            checks.append(check)
            print(f"  board check: {check['diverged']}/{check['clients']} clients differ from the database; "
                  f"{check['moves_stored']} moves stored, {check['moves_acked_ok']} acknowledged ok, "
                  f"revision +{check['revision_advance']}", flush=True)
            for example in check["examples"]:
                print(f"    {example}", flush=True)
            before = stored
            payload = app["sample_payload"] or payload
            if payload is None:
                raise HarnessError("the app run received no sort:moved to copy for the baseline")

            print(f"{label}: baseline server", flush=True)
            port = free_port()
            base = measured_run(
                procs, tmp, f"baseline-{attempt}", [*BASELINE_SERVER, str(port)], bare_env, port, "sort_clients.mjs",
                {**common, "mode": "baseline", "seed": args.seed + n,
                 "url": f"http://127.0.0.1:{port}", "room": "sort", "phones": PHONES, "payload": payload},
                timeout, args.quiet_wait, delivered,
            )
            noisy = max(app["other_cpu_cores"], base["other_cpu_cores"])
            tries.append((noisy, app, base, retry + 1))
            if noisy <= RETRY_ABOVE_CORES:
                break
            if retry < args.retries:
                print(f"  other processes used {noisy:.2f} cores during this round: running it again", flush=True)
        # The attempt that other processes disturbed least counts; the others are reported.
        keep = min(tries, key=lambda t: t[0])
        for noisy, app, base, number in tries:
            if number != keep[3]:
                discarded.append({"round": n + 1, "attempt": number, "other_cpu_cores": noisy,
                                  "app": round_stats(app), "baseline": round_stats(base)})
        runs["app"].append(keep[1])
        runs["baseline"].append(keep[2])

    report = build_report(args, runs, checks, payload)
    report["warnings"] = warnings
    report["discarded_noisy_rounds"] = discarded
    print_report(report)
    write_report("sort", report)
    return report


def delivered(result: dict) -> int:
    return result["received"]


def build_report(args, runs: dict, checks: list[dict], payload: dict) -> dict:
    results = {server: summarize(runs[server]) for server in ("app", "baseline")}
    app, base = results["app"], results["baseline"]
    ratios = {p: (app[f"{p}_ms"] / base[f"{p}_ms"] if base[f"{p}_ms"] else math.inf) for p in ("p50", "p95", "p99")}
    diverged = sum(c["diverged"] for c in checks)
    stored_ok = all(c["moves_stored"] == c["moves_acked_ok"] == c["revision_advance"] for c in checks)
    targets = [
        target(f"app p95 under {TARGET_P95_MS:g} ms (move -> every client)", app["p95_ms"], TARGET_P95_MS, "ms",
               app["p95_ms"] < TARGET_P95_MS),
        target("no client's board differs from the database", diverged, 0, "clients", diverged == 0),
        target("every acknowledged move stored (moves = acks = revisions)",
               sum(c["moves_stored"] for c in checks), sum(c["moves_acked_ok"] for c in checks), "moves", stored_ok),
    ]
    return {
        **new_report({"clients": PHONES + 1, "cards": CARDS, "groups": 4, "moves_per_client_per_s": args.rate,
                      "seconds_measured_per_run": args.seconds, "warmup_s_per_run": args.warmup,
                      "rounds": args.rounds, "seed": args.seed, "transport": "websocket",
                      "server": "gevent (python wsgi.py), one process; SQLite"}, args.settings),
        "results": results,
        "ratio_app_over_baseline": ratios,
        "board_checks": checks,
        "baseline_payload_bytes": len(json.dumps(payload, separators=(",", ":")).encode()) if payload else None,
        "targets": targets,
    }


def print_report(report: dict) -> None:
    results = report["results"]
    print("\nDelay from the mover's emit to each client's receipt of the move (ms)")
    header = (f"{'server':<9} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6} {'deliveries':>11} {'lost':>5} "
              f"{'moves':>6} {'stored':>7} {'conflicts':>9} {'bytes':>6} {'srv CPU':>8} {'clients':>8}")
    print(header)
    print("-" * len(header))
    for server, r in results.items():
        m = r["moves"]
        print(f"{server:<9} {fmt(r['p50_ms']):>6} {fmt(r['p95_ms']):>6} {fmt(r['p99_ms']):>6} {fmt(r['max_ms']):>6} "
              f"{r['deliveries']:>11} {r['lost']:>5} {m['sent']:>6} "
              f"{(m['ok'] if server == 'app' else '-'):>7} {(m['conflict'] if server == 'app' else '-'):>9} "
              f"{r['payload_bytes_mean'] or '-':>6} {r['server_cpu_cores']:>7.2f}c {r['client_cpu_cores']:>7.2f}c")
    ratios = report["ratio_app_over_baseline"]
    if len(results["app"]["rounds"]) > 1:
        for server, r in results.items():
            print(f"  {server} by round (p50 / p95 / p99 ms; other processes' CPU): " + "; ".join(
                f"{fmt(x['p50_ms'])} / {fmt(x['p95_ms'])} / {fmt(x['p99_ms'])} ({x['other_cpu_cores']:.2f}c)"
                for x in r["rounds"]))
    print("ratio app/baseline: " + ", ".join(f"{p} {v:.2f}x" for p, v in ratios.items()))
    print("(srv CPU, clients: cores used by the server process tree and by the Node clients during the run)")
    print("\nPer move, p50 / p95 ms: emit -> first receipt (server work, queueing); first -> last receipt "
          "(fan-out); emit -> mover's ack")
    for server, r in results.items():
        print(f"  {server:<9} {receipt_summary(r)}; "
              f"ack {fmt(r['ack_p50_ms'])} / {fmt(r['ack_p95_ms'])}; {r['moves_per_s']:.1f} moves/s sent")
    app = results["app"]
    m = app["moves"]
    share = m["conflict"] / m["sent"] if m["sent"] else 0
    print(f"\nApp moves (measured window): {m['sent']} sent, {m['ok']} stored and broadcast, {m['conflict']} refused "
          f"as stale ({share:.1%}), {m['unacked']} unacknowledged; clients: {app['gaps']} revision gaps, "
          f"{app['syncs']} syncs, {app['stale_ignored']} stale broadcasts ignored")
    for c in report["board_checks"]:
        again = f" (attempt {c['attempt']})" if c.get("attempt", 1) > 1 else ""
        print(f"Board check, round {c['round']}{again}: {c['diverged']}/{c['clients']} clients differ from the database; "
              f"{c['moves_stored']} moves stored (warm-up included), {c['moves_acked_ok']} acknowledged ok, "
              f"revision +{c['revision_advance']}")
        for example in c["examples"]:
            print(f"    {example}")
    others = {f"the {server} runs": r["other_cpu_cores"] for server, r in results.items()}
    print("\nCPU used by other processes during each server's runs (max, cores of "
          f"{os.cpu_count()}): " + ", ".join(f"{s} {r['other_cpu_cores']:.2f}" for s, r in results.items()))
    warn_if_busy(others)
    for server, r in results.items():
        if r["unmatched"] or r["unexpected_disconnects"] or r["lost"]:
            print(f"WARNING: {server}: {r['unexpected_disconnects']} clients disconnected, {r['lost']} deliveries "
                  f"lost, {r['unmatched']} broadcasts matched no move")
    for d in report.get("discarded_noisy_rounds", []):
        print(f"(not counted: round {d['round']}, attempt {d['attempt']}, other processes used "
              f"{d['other_cpu_cores']:.2f} cores: app p50/p95/p99 {fmt(d['app']['p50_ms'])} / "
              f"{fmt(d['app']['p95_ms'])} / {fmt(d['app']['p99_ms'])} ms, baseline "
              f"{fmt(d['baseline']['p50_ms'])} / {fmt(d['baseline']['p95_ms'])} / {fmt(d['baseline']['p99_ms'])} ms)")
    for warning in report.get("warnings", []):
        print(f"WARNING: {warning}")
    print_targets(report["targets"])


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser("python -m bench.sort", __doc__, rounds="app and baseline take turns this many times",
                              rate=1.0, rate_help="moves per second per client", seed=20240917, quiet_wait=60.0,
                              quick="15 s, one round")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured seconds of moves per run (default 60)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of moves before measuring (default 3)")
    parser.add_argument("--retries", type=int, default=2,
                        help="run a round again (app and baseline) up to this many times when other processes "
                             f"used more than {RETRY_ABOVE_CORES} core during it; the least disturbed attempt "
                             "counts (default 2)")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.rounds, args.retries = 15.0, 1, 0

    return run_harness(args, run, "plc-bench-sort-")


if __name__ == "__main__":
    sys.exit(main())
