"""The benchmarks' statistics and reports: percentiles of delays (a lost delivery counts as
+inf, in the tail), the machine a run was measured on, the targets, and the JSON in .bench/."""
from __future__ import annotations

import json
import math
import os
import platform
import subprocess
import time

from bench.cpu import BUSY_CORES
from bench.harness import OUT_DIR, ROOT


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank; lost deliveries are +inf, so they show up in the tail."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def delay_stats(delays: list[float], expected: int) -> dict:
    """Percentiles of the delivery delays (ms), each delivery that never came counted as +inf."""
    lost = max(0, expected - len(delays))
    ordered = sorted(delays) + [math.inf] * lost
    return {
        "p50_ms": percentile(ordered, 50),
        "p95_ms": percentile(ordered, 95),
        "p99_ms": percentile(ordered, 99),
        "max_ms": ordered[-1] if ordered else math.nan,
        "deliveries": len(delays),
        "expected": expected,
        "lost": lost,
    }


def receipt_stats(per_event: list[dict]) -> dict:
    """Per event: emit -> the first client's receipt (server work before the fan-out, queueing),
    and first -> last client's receipt (the fan-out itself)."""
    received = [e for e in per_event if e["first"] is not None]
    firsts = sorted(e["first"] for e in received)
    spreads = sorted(e["last"] - e["first"] for e in received)
    return {
        "first_receipt_p50_ms": percentile(firsts, 50),
        "first_receipt_p95_ms": percentile(firsts, 95),
        "fanout_spread_p50_ms": percentile(spreads, 50),
        "fanout_spread_p95_ms": percentile(spreads, 95),
    }


def receipt_summary(stats: dict) -> str:
    """receipt_stats in a line of a report."""
    return (f"first receipt {fmt(stats['first_receipt_p50_ms'])} / {fmt(stats['first_receipt_p95_ms'])}; "
            f"fan-out {fmt(stats['fanout_spread_p50_ms'])} / {fmt(stats['fanout_spread_p95_ms'])}")


def mean_size(sizes: list[int]) -> int | None:
    return round(sum(sizes) / len(sizes)) if sizes else None


def fmt(ms: float | None) -> str:
    if ms is None or math.isnan(ms):
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


def new_report(params: dict, app_settings: dict[str, str] | None = None) -> dict:
    """The head of every report: when, on what machine, with which parameters, and for a
    benchmark that starts the app, the settings it was given (--set; {} for the defaults)."""
    try:
        node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    except FileNotFoundError:
        node = None
    return {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "node": node,
                    "platform": platform.platform()},
        "params": params,
        **({"app_settings": app_settings} if app_settings is not None else {}),
    }


def target(name: str, value: float, limit: float, unit: str, met: bool, **extra) -> dict:
    return {"name": name, "value": value, "limit": limit, "unit": unit, "met": met, **extra}


def print_targets(targets: list[dict]) -> None:
    """Each target: ok, MISSED, or NOISY (met on a disturbed machine: not to be trusted either way)."""
    print("\nTargets")
    for t in targets:
        verdict = "MISSED" if not t["met"] else "NOISY " if t.get("noisy") else "ok    "
        value = {"ms": f"{t['value']:.1f} ms", "x": f"{t['value']:.2f}x"}.get(t["unit"], f"{t['value']} {t['unit']}")
        detail = f" ({t['detail']})" if t.get("detail") else ""
        print(f"  {verdict}  {t['name']}: {value}{detail}")
        if t.get("noisy"):
            print(f"          other processes disturbed {', '.join(t['noisy'])}: re-run on a quiet machine "
                  "before trusting this verdict")


def warn_if_busy(runs: dict[str, float]) -> None:
    """runs: the cores other processes used during each named run."""
    busy = [name for name, cores in runs.items() if cores > BUSY_CORES]
    if busy:
        print(f"WARNING: other processes used more than {BUSY_CORES} core during {', '.join(busy)}; "
              "these latencies are inflated and noisy. Re-run on a quiet machine.")


def write_report(name: str, report: dict) -> None:
    """.bench/NAME.json, floats rounded, infinities and NaNs as null."""
    OUT_DIR.mkdir(exist_ok=True)
    out = OUT_DIR / f"{name}.json"
    out.write_text(json.dumps(jsonable(report), indent=2) + "\n")
    print(f"\nWrote {out.relative_to(ROOT)}")


# --- the live room measured in phases (timer_room.mjs) ----------------------------------------

def phase_stats(phase: dict) -> dict:
    sizes = phase["state_bytes"]
    return {
        "events": phase["events"],
        **delay_stats(phase["delays"], phase["expected"]),
        **receipt_stats(phase["per_event"]),
        "ack_p95_ms": percentile(sorted(phase["ack_ms"]), 95),
        "ack_errors": phase["ack_errors"][:5],
        "state_bytes_mean": mean_size(sizes),
        "state_bytes_max": max(sizes) if sizes else None,
        "seconds": phase["seconds"],
    }


def pool_phases(parts: list[dict]) -> dict:
    """Several phases' measurements as one phase."""
    return {
        "events": sum(p["events"] for p in parts),
        "expected": sum(p["expected"] for p in parts),
        "seconds": sum((p["end_epoch_ms"] - p["start_epoch_ms"]) / 1000 for p in parts),
        **{k: [x for p in parts for x in p[k]] for k in ("delays", "per_event", "ack_ms", "ack_errors",
                                                          "state_bytes")},
    }


def merge_phases(rounds: list[dict]) -> dict:
    """Each phase of every round, pooled."""
    return {name: pool_phases([r["raw"]["phases"][name] for r in rounds]) for name in rounds[0]["raw"]["phases"]}


def merge_cpu(rounds: list[dict]) -> dict:
    """Cores used in each phase, averaged over the rounds (weighted by their length)."""
    merged = {}
    for name in rounds[0]["cpu"]:
        parts = [r["cpu"][name] for r in rounds if r["cpu"].get(name)]
        total = sum(p["seconds"] for p in parts)
        merged[name] = {k: sum(p[k] * p["seconds"] for p in parts) / total for k in parts[0]} if total else {}
    return merged


def rounds_p95(rounds: list[dict], busy: str) -> list[dict]:
    """Each round's p50 to max per phase, and the p95 ratio of its `busy` phase over its idle one."""
    table = []
    for r in rounds:
        ph = {name: phase_stats({**p, "seconds": (p["end_epoch_ms"] - p["start_epoch_ms"]) / 1000})
              for name, p in r["raw"]["phases"].items()}
        table.append({name: {k: ph[name][k] for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms")} for name in ph})
        table[-1][f"p95_ratio_{busy}_over_idle"] = ph[busy]["p95_ms"] / ph["idle"]["p95_ms"]
    return table


def print_phases(phases: dict, by_round: list[dict], labels: dict, busy: str, state_bytes: bool = False) -> None:
    """The broadcast delay of each phase (phase_stats), pooled and per round (rounds_p95)."""
    width = max(22, *(len(labels.get(name, name)) + 2 for name in phases))
    header = (f"{'phase':<{width}} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'deliveries':>11} "
              f"{'lost':>5}" + (f" {'state B':>8}" if state_bytes else ""))
    print(header)
    print("-" * len(header))
    for name, s in phases.items():
        print(f"{labels.get(name, name):<{width}} {fmt(s['p50_ms']):>7} {fmt(s['p95_ms']):>7} {fmt(s['p99_ms']):>7} "
              f"{fmt(s['max_ms']):>7} {s['deliveries']:>11} {s['lost']:>5}"
              + (f" {s['state_bytes_mean'] or '-':>8}" if state_bytes else ""))
    print("  per event, p50 / p95 ms: emit -> first receipt; first -> last receipt (fan-out); ack p95")
    for name, s in phases.items():
        print(f"  {labels.get(name, name):<{width - 2}} {receipt_summary(s)}; ack {fmt(s['ack_p95_ms'])}")
    for n, r in enumerate(by_round, 1):
        p95s = ", ".join(f"{labels.get(name, name)} {fmt(r[name]['p95_ms'])}" for name in phases if name in r)
        print(f"  round {n}: p95 {p95s} ms; ratio {r[f'p95_ratio_{busy}_over_idle']:.2f}x")
