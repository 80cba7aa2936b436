"""CPU readings from /proc: what a process tree used, what the whole machine used, and what
other processes used while a benchmark ran.

Other work on a 2-core machine (a browser test suite, a build) moves the benchmarks'
latencies a lot, so every run waits for a quiet machine first and reports the CPU other
processes used next to its numbers.
"""
from __future__ import annotations

import math
import os
import resource
import time
from pathlib import Path

CLK = os.sysconf("SC_CLK_TCK")
BUSY_CORES = 0.25  # other processes' CPU above which a run is flagged as noisy


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (not idle, not waiting for I/O) since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / CLK


def process_stat(pid: int) -> tuple[float, float, int] | None:
    """(own CPU s, CPU s of its reaped children, nice) of one process; None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return ((int(fields[11]) + int(fields[12])) / CLK, (int(fields[13]) + int(fields[14])) / CLK,
                int(fields[16]))
    except (OSError, ValueError, IndexError):
        return None


def children(pid: int) -> list[int]:
    kids = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids += [int(c) for c in path.read_text().split()]
        except (OSError, ValueError):
            pass
    return kids


def tree_cpu(pid: int) -> float:
    """CPU seconds of a running process and of its descendants, living or already reaped by them."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        stat = process_stat(p)
        if stat:
            total += stat[0] + stat[1]
            todo += children(p)
    return total


def run_delay(pid: int) -> float:
    """Seconds the process's threads have spent runnable but waiting for a CPU (schedstat)."""
    total = 0.0
    for path in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(path.read_text().split()[1]) / 1e9
        except (OSError, ValueError, IndexError):
            pass
    return total


def machine_busy_cores(seconds: float = 1.0) -> float:
    """Cores busy on the whole machine over a short sample (between runs: nothing of ours is running)."""
    try:
        start, t0 = machine_busy_seconds(), time.monotonic()
        time.sleep(seconds)
        return (machine_busy_seconds() - start) / (time.monotonic() - t0)
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


class CpuMeter:
    """CPU used on the whole machine by processes other than the benchmark's own (cores, on average)."""

    def __init__(self) -> None:
        self.start = self._snapshot()

    @staticmethod
    def _snapshot() -> tuple[float, float, float]:
        """(time, CPU seconds busy on the machine, CPU seconds of this process and its waited-for children)."""
        try:
            busy = machine_busy_seconds()
        except (OSError, ValueError, IndexError):
            return (time.monotonic(), math.nan, math.nan)
        ours = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return (time.monotonic(), busy, sum(r.ru_utime + r.ru_stime for r in ours))

    def others_cores(self, running_pid: int) -> float:
        """Call at the end of the measured run, before stopping running_pid (the server): the
        Node clients have been waited for, so their CPU is in this process's children's usage."""
        server = tree_cpu(running_pid)
        end = self._snapshot()
        wall = end[0] - self.start[0]
        ours = end[2] - self.start[2] + server
        return max(0.0, ((end[1] - self.start[1]) - ours) / wall) if wall > 0 else math.nan


def quiet_or_warn(limit_s: float, warnings: list[str]) -> None:
    """Wait up to limit_s for a quiet machine; if it is still busy, say so in `warnings`."""
    wait_for_quiet(limit_s)
    quiet = machine_busy_cores(1.0)
    if quiet > BUSY_CORES:
        warnings.append(f"the machine was busy before the run ({quiet:.2f} cores used by other processes)")
        print("WARNING: " + warnings[-1], flush=True)


def _consumer_workers(pid: int) -> int | None:
    """N from a Huey consumer's command line (`huey_consumer ... -w N`), None if pid is not one."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return None
    if not any("huey_consumer" in a for a in args):
        return None
    for flag in ("-w", "--workers"):
        if flag in args[:-1]:
            try:
                return int(args[args.index(flag) + 1])
            except ValueError:
                return None
    return 1  # huey's default


class CpuSampler:
    """Samples, a few times a second, the CPU of the server, of its task-queue workers
    (with their tesseract runs), of the Node clients and of the whole machine."""

    def __init__(self, server_pid: int) -> None:
        self.server = server_pid
        self.samples: list[dict] = []
        self.worker_nice: set[int] = set()
        self.worker_count: int | None = None  # the -w the server gave its Huey consumer

    def sample(self, node_pid: int | None) -> None:
        server = process_stat(self.server)
        if server is None:
            return
        workers = 0.0
        for child in children(self.server):
            workers += tree_cpu(child)
            if self.worker_count is None:
                self.worker_count = _consumer_workers(child)
            for p in [child, *children(child)]:
                stat = process_stat(p)
                if stat:
                    self.worker_nice.add(stat[2])
        self.samples.append({
            "t": time.time(),
            "server": server[0],
            "server_wait": run_delay(self.server),
            "workers": workers,
            "node": (process_stat(node_pid) or (0.0,))[0] if node_pid else 0.0,
            "uploader": tree_cpu(node_pid) - (process_stat(node_pid) or (0.0,))[0] if node_pid else 0.0,
            "node_wait": run_delay(node_pid) if node_pid else 0.0,
            "machine": machine_busy_seconds(),
            "harness": sum(os.times()[:2]),
        })

    def between(self, start: float, end: float) -> dict:
        """Mean cores used by each part between two epoch times (seconds)."""
        inside = [s for s in self.samples if start <= s["t"] <= end]
        if len(inside) < 2:
            return {}
        a, b = inside[0], inside[-1]
        wall = b["t"] - a["t"]
        cores = {k: max(0.0, b[k] - a[k]) / wall
                 for k in ("server", "workers", "node", "uploader", "machine", "harness")}
        cores["others"] = max(0.0, cores["machine"] - cores["server"] - cores["workers"] - cores["node"]
                              - cores["uploader"] - cores["harness"])
        # Share of the wall time each was runnable but had no CPU (the kernel's run delay).
        cores["server_wait_share"] = (b["server_wait"] - a["server_wait"]) / wall
        cores["node_wait_share"] = (b["node_wait"] - a["node_wait"]) / wall
        cores["seconds"] = wall
        return cores
