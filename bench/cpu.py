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
