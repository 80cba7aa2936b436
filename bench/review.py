"""The unit page under load of data: `python -m bench.review` (also run by `make bench`).

    .venv/bin/python -m bench.review [--requests 100] [--sorts 12] [--samples 40] [--groups 6]
                                     [--set PLC_NAME=VALUE ...] [--keep]

Seeds a unit with 12 closed sorts of 40 samples in 6 groups and a unit with one such sort
(review_setup.py), starts the real server (`python wsgi.py`, gevent) and asks
for both unit pages in turns, one request at a time; the time is measured at the client
on the loopback interface, so it is the server's time plus a fraction of a millisecond.
The number of SQL statements per page is counted through the app itself. Targets: p95
under 150 ms for the 12-sort unit, and the same number of queries as for one sort.
Prints a table and writes .bench/review.json.
"""
from __future__ import annotations

import sys
import time
import urllib.request
from pathlib import Path

from bench.harness import (
    APP_SERVER, HarnessError, Processes, base_env, benchmark_parser, free_port, run_harness, running_server,
    seed_database,
)
from bench.report import new_report, percentile, print_targets, target, write_report

TARGET_P95_MS = 150.0
WARMUP = 5


def fetch(url: str, cookie: str) -> float:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        if response.status != 200:
            raise HarnessError(f"{url} answered {response.status}")
    return (time.perf_counter() - start) * 1000


def measure(args, procs: Processes, tmp: Path) -> dict:
    """Each unit page's times (p50 / p95 / p99 ms) and SQL statements."""
    env = base_env(tmp, settings=args.settings)
    seeded = seed_database(env, [], ["bench.review_setup", str(args.sorts), str(args.samples), str(args.groups)],
                           timeout=600)
    port = free_port()
    env["PLC_PORT"] = str(port)
    with running_server(procs, APP_SERVER, env, port, tmp / "server.log"):
        cookie = f"{seeded['cookie_name']}={seeded['cookie']}"
        urls = {key: f"http://127.0.0.1:{port}/units/{unit_id}" for key, unit_id in seeded["units"].items()}
        times: dict[str, list[float]] = {"big": [], "small": []}
        for n in range(WARMUP + args.requests):
            for key in ("big", "small") if n % 2 else ("small", "big"):  # take turns
                elapsed = fetch(urls[key], cookie)
                if n >= WARMUP:
                    times[key].append(elapsed)
    return {key: {"p50_ms": percentile(sorted(v), 50), "p95_ms": percentile(sorted(v), 95),
                  "p99_ms": percentile(sorted(v), 99), "queries": seeded["queries"][key], "requests": len(v)}
            for key, v in times.items()}


def run(args, procs: Processes, tmp: Path) -> dict:
    result = measure(args, procs, tmp)
    big, small = result["big"], result["small"]
    report = {
        **new_report({"sorts": args.sorts, "samples": args.samples, "groups": args.groups,
                      "requests": args.requests, "warmup_requests": WARMUP}, args.settings),
        "scenario": f"{args.sorts} closed sorts x {args.samples} samples x {args.groups} groups vs 1 sort",
        "result": result,
        "ratio_p95": big["p95_ms"] / small["p95_ms"],
        "targets": [
            target(f"{args.sorts}-sort unit page p95 under {TARGET_P95_MS:g} ms", big["p95_ms"], TARGET_P95_MS, "ms",
                   big["p95_ms"] < TARGET_P95_MS),
            target("as many SQL statements as the 1-sort unit page", big["queries"], small["queries"], "statements",
                   big["queries"] == small["queries"]),
        ],
    }
    print(f"Unit page, {report['scenario']} ({big['requests']} requests each)")
    print(f"{'unit':<10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'queries':>9}")
    for key, label in (("big", f"{args.sorts} sorts"), ("small", "1 sort")):
        r = result[key]
        print(f"{label:<10}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['queries']:>9}")
    print(f"p95 ratio {args.sorts} sorts / 1 sort: {report['ratio_p95']:.2f}")
    print_targets(report["targets"])
    write_report("review", report)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser("python -m bench.review", __doc__)
    parser.add_argument("--requests", type=int, default=100, help="requests per unit page (default 100)")
    parser.add_argument("--sorts", type=int, default=12)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--groups", type=int, default=6)
    return run_harness(parser.parse_args(argv), run, "plc-bench-review-", check=lambda: None)


if __name__ == "__main__":
    sys.exit(main())
