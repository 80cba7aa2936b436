"""How well the tier-name check reads group names: `python -m bench.naming`.

The names are realistic group names, one a line, in tests/sort/names/: tier names and names
of thinking, each in a BUILD set (the rules in plc/sort/naming.py were written looking at
it) and a HELD-OUT set (written before the rules, never used to tune them). For each set it
prints the share of tier names the check catches and the share of names of thinking it
flags, and lists every miss; the targets hold on the held-out names. Writes
.bench/naming.json. Exits non-zero only when a file is missing; a missed target is
printed as MISSED.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from bench.harness import ROOT
from bench.report import new_report, print_targets, target, write_report
from plc.sort.naming import tier_family

NAMES_DIR = ROOT / "tests" / "sort" / "names"
SETS = ("build", "heldout")
TARGET_CAUGHT = 0.95  # of tier names, at least
TARGET_FLAGGED = 0.02  # of names of thinking, at most


def read_names(set_name: str, kind: str) -> list[str]:
    """The names of one file: `kind` is "tier" or "thinking"; blank lines and "#" comments skipped."""
    lines = (NAMES_DIR / f"{set_name}_{kind}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@dataclass
class Figures:
    set_name: str
    tiers: int
    thinking: int
    missed: list[str] = field(default_factory=list)  # tier names the check let through
    flagged: list[tuple[str, str]] = field(default_factory=list)  # (name of thinking, family it was given)

    @property
    def caught(self) -> float:
        return 1 - len(self.missed) / self.tiers

    @property
    def flagged_share(self) -> float:
        return len(self.flagged) / self.thinking


def measure(set_name: str) -> Figures:
    tiers, thinking = read_names(set_name, "tier"), read_names(set_name, "thinking")
    figures = Figures(set_name, len(tiers), len(thinking))
    figures.missed = [name for name in tiers if tier_family(name) is None]
    figures.flagged = [(name, family.key) for name in thinking if (family := tier_family(name)) is not None]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.naming", description=__doc__.split("\n")[0])
    parser.parse_args(argv)
    report = new_report({"names": str(NAMES_DIR.relative_to(ROOT))})
    measured = {set_name: measure(set_name) for set_name in SETS}
    for set_name, figures in measured.items():
        print(f"{set_name}: {figures.caught:.1%} of {figures.tiers} tier names caught, "
              f"{figures.flagged_share:.1%} of {figures.thinking} names of thinking flagged")
        for name in figures.missed:
            print(f"  tier name let through: {name}")
        for name, family in figures.flagged:
            print(f"  name of thinking flagged ({family}): {name}")
        report[set_name] = {"tiers": figures.tiers, "caught": figures.caught, "missed": figures.missed,
                            "thinking": figures.thinking, "flagged_share": figures.flagged_share,
                            "flagged": figures.flagged}
    held = measured["heldout"]
    report["targets"] = [
        target("held-out tier names caught", round(held.caught * 100, 1), TARGET_CAUGHT * 100, "%",
               held.caught >= TARGET_CAUGHT),
        target("held-out names of thinking flagged", round(held.flagged_share * 100, 1), TARGET_FLAGGED * 100, "%",
               held.flagged_share <= TARGET_FLAGGED),
    ]
    print_targets(report["targets"])
    write_report("naming", report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
