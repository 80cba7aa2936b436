"""Does the live room keep its timing while requests make the server decode huge pictures and
render PDFs? The event loop must never wait on that CPU work (plc/offload.py).

    .venv/bin/python -m bench.stalls [--pictures 4] [--pdfs 3] [--side 7071] [--rounds 2]
                                     [--rate 8] [--idle 10] [--phones 60] [--set PLC_NAME=VALUE ...] [--keep]

1. Makes one oversized task picture, cached in .bench/: a PNG of --side x --side pixels (by
   default the largest square the pixel limit, plc/media/limits.py MAX_PIXELS, lets through),
   mostly white like a scanned diagram, so its file is small and its pixels many.
2. Starts the real app (`python wsgi.py`: gevent and its task-queue worker) on a fresh
   temporary folder and database seeded (bench/stalls_setup.py) with a unit of --sorts closed
   sorts of --samples samples, thumbnails included (what its PDF summary shows), and a Work
   Sort meeting of --phones phones and the facilitator.
3. One Node process (stall_clients.mjs) connects them all, and sends one request of each kind
   to warm the server up (its templates are compiled on first use, once per process); the
   facilitator sends `timer:add` at --rate per second and the server broadcasts the room's
   `state` to everyone. The delay from emit to each receipt is measured --idle seconds with
   nothing else happening ("idle"); then from the moment --pictures new tasks with the picture
   are posted and --pdfs unit PDF summaries are fetched, all at once, until the last answer
   ("load"; the requests come from a child process); then --idle seconds more ("after").
4. Reports the broadcast delay per phase (target: p95 under load at most 1.2x the p95 of both
   idle phases together; the ratio to the idle phase before alone is printed too), how long
   the requests took, and where the CPU went. --rounds rounds, each on a fresh server and
   database, pooled; a round that other processes disturbed runs again, once.

Prints a table and writes .bench/stalls.json. Exits non-zero only when the harness itself
fails; a missed target is printed as MISSED, one measured on a disturbed machine as NOISY.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw

from bench.cpu import quiet_or_warn
from bench.harness import (
    OUT_DIR, HarnessError, Processes, base_env, benchmark_parser, log_errors, measured_rounds, run_harness,
    seed_database, tail, timer_room_run,
)
from bench.report import (
    fmt, merge_cpu, merge_phases, new_report, phase_stats, pool_phases, print_phases, print_targets, rounds_p95,
    target, warn_if_busy, write_report,
)
from plc.media.limits import MAX_PIXELS

TARGET_RATIO = 1.2
WARMUP_EVENTS = 8
LARGEST_SIDE = math.isqrt(MAX_PIXELS)


def oversized_picture(side: int) -> Path:
    """A PNG of side x side pixels that compresses well (lines and circles on white), cached."""
    path = OUT_DIR / f"stall-picture-{side}.png"
    if not path.exists():
        OUT_DIR.mkdir(exist_ok=True)
        page = Image.new("L", (side, side), 255)
        draw = ImageDraw.Draw(page)
        for at in range(0, side, 400):
            draw.line([(at, 0), (at, side)], fill=200, width=3)
            draw.line([(0, at), (side, at)], fill=200, width=3)
        for n in range(12):
            x, y = (n * 2311) % side, (n * 1777) % side
            draw.ellipse([x, y, x + side // 8, y + side // 8], outline=0, width=12)
        page.convert("RGB").save(path, "PNG", optimize=True)
    return path


# --- one round ---------------------------------------------------------------------------------

def run_round(args, procs: Processes, tmp: Path, picture: Path) -> dict:
    env = base_env(tmp, settings=args.settings)
    warnings: list[str] = []
    print("Setting up a fresh database (flask db upgrade + seed) ...", flush=True)
    seeded = seed_database(env, warnings, ["bench.stalls_setup", str(args.phones), str(args.sorts), str(args.samples)])

    quiet_or_warn(args.quiet_wait, warnings)

    unit = seeded["unit_id"]
    config = {
        "requests": [{"kind": "picture", "path": str(picture), "unit_id": unit}] * args.pictures
                    + [{"kind": "pdf", "url": f"/units/{unit}/summary.pdf"}] * args.pdfs,
        "request_timeout_s": args.request_timeout,
        "rate": args.rate,
        "warmup_events": WARMUP_EVENTS,
        "idle_s": args.idle,
    }
    run = timer_room_run(procs, tmp, "stall_clients.mjs", env, seeded, config,
                         timeout=60 + 2 * args.idle + args.request_timeout)
    if run.raw.get("requests") is None:
        raise HarnessError(f"the load phase did not run\nserver log:\n{tail(run.log_path)}")
    if failed := [r for r in run.raw["requests"]["results"] if r["error"]]:
        raise HarnessError(f"{len(failed)} requests failed, first: {failed[0]['kind']}: {failed[0]['error']}"
                           f"\nserver log:\n{tail(run.log_path)}")
    return {"raw": run.raw, "cpu": run.cpu, "warnings": warnings, "server_log_errors": log_errors(run.log_path)[:20]}


# --- the report --------------------------------------------------------------------------------

def request_stats(rounds: list[dict]) -> dict:
    """Per kind of request, when each was answered (seconds from the start of the load), per round."""
    stats = {}
    for kind in ("picture", "pdf"):
        per_round = [sorted(r["end"] / 1000 for r in rnd["raw"]["requests"]["results"] if r["kind"] == kind)
                     for rnd in rounds]
        stats[kind] = {"answered_s": per_round, "last_s": max((max(p) for p in per_round if p), default=None)}
    return stats


def build_report(args, rounds: list[dict], picture: Path) -> dict:
    phases = {name: phase_stats(ph) for name, ph in merge_phases(rounds).items()}
    # The room is the same before and after the load (the new tasks are not in its state): both
    # idle phases together are the reference, so that other processes' load drifting during a
    # round moves it less.
    idle = phase_stats(pool_phases([r["raw"]["phases"][name] for r in rounds for name in ("idle", "after")]))
    load = phases["load"]
    ratio = load["p95_ms"] / idle["p95_ms"] if idle["p95_ms"] else math.inf
    ratio_before = load["p95_ms"] / phases["idle"]["p95_ms"] if phases["idle"]["p95_ms"] else math.inf
    noisy = sorted({f"round {n} {name}" for n, r in enumerate(rounds, 1) for name in r["noisy_phases"]})
    with Image.open(picture) as image:
        size = image.size
    return {
        **new_report({
            "rounds": len(rounds), "phones": args.phones, "clients": rounds[0]["raw"]["clients"],
            "rate_per_s": args.rate, "idle_s": args.idle, "pictures": args.pictures, "pdfs": args.pdfs,
            "picture": {"pixels": f"{size[0]}x{size[1]}", "bytes": picture.stat().st_size},
            "unit": {"closed_sorts": args.sorts, "samples_per_sort": args.samples},
            "room_event": "timer:add +1 s (paused timer) -> state to all", "transport": "websocket",
            "server": "python wsgi.py (gevent) + the Huey worker it starts",
        }, args.settings),
        "broadcast": phases,
        "broadcast_by_round": rounds_p95(rounds, "load"),
        "idle_before_and_after": idle,
        "p95_ratio_load_over_idle": ratio,
        "p95_ratio_load_over_idle_before": ratio_before,
        "requests": request_stats(rounds),
        "cpu_cores": merge_cpu(rounds),
        "server_log_errors": [e for r in rounds for e in r["server_log_errors"]],
        "unexpected_disconnects": sum(r["raw"]["unexpected_disconnects"] for r in rounds),
        "warnings": [w for r in rounds for w in r["warnings"]],
        "targets": [target(f"room broadcast p95 while pictures and PDFs are made within {TARGET_RATIO:g}x idle "
                           "(before and after)",
                           ratio, TARGET_RATIO, "x", ratio <= TARGET_RATIO, noisy=noisy,
                           detail=f"p95 {fmt(load['p95_ms'])} ms vs {fmt(idle['p95_ms'])} ms")],
    }


def print_report(report: dict) -> None:
    b, p = report["broadcast"], report["params"]
    print(f"\nRoom broadcast while {p['pictures']} task pictures ({p['picture']['pixels']} PNG, "
          f"{p['picture']['bytes'] // 1024} KB) are uploaded and {p['pdfs']} unit PDFs exported at once: "
          f"{p['clients']} clients, `timer:add` at {p['rate_per_s']:g}/s -> `state` to all")
    labels = {"idle": "idle room", "load": "pictures + PDFs", "after": "idle again"}
    print_phases(b, report["broadcast_by_round"], labels, "load")
    print("\nRequests answered (s from the start of the load), per round:")
    for kind, s in report["requests"].items():
        print(f"  {kind + 's':<9} " + " | ".join(", ".join(f"{t:.1f}" for t in rnd) for rnd in s["answered_s"]))
    print("\nCPU (cores used, on average; wait = share of the time the server was runnable but had no CPU)")
    for name, c in report["cpu_cores"].items():
        if c:
            print(f"  {labels.get(name, name):<22} server {c['server']:.2f} (wait {c['server_wait_share']:.0%}), "
                  f"its children (worker, PDF renderers) {c['workers']:.2f}, Node clients {c['node']:.2f}, "
                  f"requester {c['uploader']:.2f}, other processes {c['others']:.2f}")
    if report["unexpected_disconnects"]:
        print(f"\nWARNING: {report['unexpected_disconnects']} clients disconnected during the run")
    if report["server_log_errors"]:
        print(f"\nWARNING: the server log has {len(report['server_log_errors'])} error lines, first: "
              f"{report['server_log_errors'][0]}")
    warn_if_busy({name: c["others"] for name, c in report["cpu_cores"].items() if c})
    for w in report["warnings"]:
        print(f"\nWARNING: {w}")
    idle = report["idle_before_and_after"]
    print(f"\np95 under load / idle before and after ({fmt(idle['p95_ms'])} ms): "
          f"{report['p95_ratio_load_over_idle']:.2f}x; / idle before only: {report['p95_ratio_load_over_idle_before']:.2f}x")
    print_targets(report["targets"])


# --- main ---------------------------------------------------------------------------------------

def run(args, procs: Processes, tmp: Path) -> dict:
    picture = oversized_picture(args.side)
    print(f"Benchmark: {args.pictures} task pictures ({args.side}x{args.side} PNG, {picture.stat().st_size // 1024} KB) "
          f"and {args.pdfs} unit PDFs ({args.sorts} sorts of {args.samples}) at once, in a room of {args.phones} "
          f"phones + the facilitator; `timer:add` at {args.rate:g}/s; {args.rounds} round(s)", flush=True)
    rounds = measured_rounds(args.rounds, tmp, lambda folder: run_round(args, procs, folder, picture))
    report = build_report(args, rounds, picture)
    print_report(report)
    write_report("stalls", report)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser("python -m bench.stalls", __doc__, rounds="rounds, each on a fresh server and database",
                              rate=8.0, rate_help="room events per second", quiet_wait=30.0)
    parser.add_argument("--pictures", type=int, default=4, help="task pictures uploaded at once (default 4)")
    parser.add_argument("--pdfs", type=int, default=3, help="unit PDF summaries exported at once (default 3)")
    parser.add_argument("--side", type=int, default=LARGEST_SIDE,
                        help=f"the picture's width and height in pixels (default {LARGEST_SIDE}: the largest square "
                             "within the pixel limit)")
    parser.add_argument("--sorts", type=int, default=4, help="closed sorts in the exported unit (default 4)")
    parser.add_argument("--samples", type=int, default=24, help="samples in each sort (default 24)")
    parser.add_argument("--phones", type=int, default=60, help="phones in the room (default 60)")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds measured idle, before and after (default 10)")
    parser.add_argument("--request-timeout", type=float, default=120.0,
                        help="give up when the requests take longer than this many seconds (default 120)")
    args = parser.parse_args(argv)
    if args.pictures + args.pdfs < 1:
        parser.error("send at least one request (--pictures or --pdfs)")
    if args.side * args.side > MAX_PIXELS:
        parser.error(f"the app refuses pictures of more than {MAX_PIXELS} pixels (--side {LARGEST_SIDE} at most)")
    return run_harness(args, run, "plc-bench-stalls-")


if __name__ == "__main__":
    sys.exit(main())
