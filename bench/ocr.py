"""How well and how fast each OCR engine reads handwriting: `python -m bench.ocr`.

    .venv/bin/python -m bench.ocr [--engines rapidocr,tesseract] [--fonts held-out] [--count 6]
                                  [--kinds plain,mixed] [--conditions clean,photo] [--quick] [--keep]

Pages come from the shared generator (shared/tools/make_student_work.py), the same
seeded pages in every handwriting font: "plain" pages as the generator draws them by
default, and "mixed" pages with everything real pages have (--name-styles --fractions
--sketches --crossed-out); each "clean" (the 1200x1600 page) and as a 12 MP phone
"photo" (--photo). The fonts are split once: the engines and the math-aware reading were
tuned on TUNING_FONTS only; HELD_OUT_FONTS were never looked at while tuning, and the
targets are on them. An engine is a name with options for get_engine, e.g.
"rapidocr:math=0" to measure a step by turning it off.

CER (bench.ocr_measure) against the page's text: the name line, the task and the
lines of work, in linear form (a stacked fraction is "3/4"); a crossed-out attempt and a
sketch are not text. "CER" folds case (an all-capitals font has no lower case to read);
"cased" does not. s/page: one read() of the whole upright page, one thread, as the worker
runs it (the worker also reads the name band first: bench.uploads times the whole job).

Prints a table by font and writes .bench/ocr.json. Exits non-zero only when the harness
itself fails; a missed target is printed as MISSED.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image, ImageOps

from bench.harness import HarnessError, run_harness
from bench.ocr_measure import character_error_rate
from bench.report import new_report, print_targets, target, write_report
from plc.ocr.registry import get_engine

GENERATOR = Path(__file__).resolve().parents[1].parent / "shared" / "tools" / "make_student_work.py"

TUNING_FONTS = ("dkg.ttf", "Humor-Sans.ttf", "femkeklaver.ttf", "ComicNeue-Regular.otf")
"""The generator's own fonts (fonts-dkg-handwriting, fonts-humor-sans, fonts-femkeklaver,
fonts-comic-neue): everything was tuned on these."""

HELD_OUT_FONTS = (
    "Breip.ttf",  # fonts-breip
    "BecauseWeBuild-Regular.otf", "BecauseWeConnect-Regular.otf", "BecauseWeCreate-Regular.otf",
    "BecauseWeLearn-Regular.otf", "BecauseWeMentor-Regular.otf", "BecauseWeOrganize-Regular.otf",  # fonts-bwht
    "SteveHand.ttf", "Delphine.ttf",  # fonts-sjfonts
    "Rufscript010.ttf",  # fonts-rufscript
    "KleeOne-Regular.ttf",  # fonts-klee
    "Kristi.ttf",  # fonts-kristi (cursive)
    "DancingScript-Regular.otf",  # fonts-dancingscript (cursive)
)
"""Every other Debian handwriting font that has the digits and signs of math (fonts-tomsontalks
has no "+" or "="), never used while tuning."""

KINDS = {"plain": [], "mixed": ["--name-styles", "--fractions", "--sketches", "--crossed-out"]}
CONDITIONS = {"clean": [], "photo": ["--photo"]}
TARGETS = {"photo": 0.10, "clean": 0.08}  # mean CER on the held-out fonts, default engine


def installed_fonts() -> dict[str, str]:
    """Font file name -> path, for every font fontconfig knows."""
    try:
        listing = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True,
                                 check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise HarnessError(f"fc-list failed ({exc}): install fontconfig") from exc
    return {Path(line).name: line for line in listing.splitlines() if line}


def page_text(sample: dict) -> str:
    """The text on a generated page, line by line, in linear form."""
    if "name_label" in sample:
        name = " ".join(part for part in (sample["name_label"], sample["student"]) if part)
        date = sample.get("date_line")
        parts = [date, name] if sample["name_position"] == "top right" else [name, date]
        name_line = " ".join(part for part in parts if part)
    else:
        name_line = f"Name: {sample['student']}"
    return "\n".join([name_line, f"{sample['task']} = ?", *sample["lines"]])


def generate(out: Path, font: str, flags: list[str], count: int, seed: int) -> list[dict]:
    subprocess.run([sys.executable, str(GENERATOR), str(out), "--count", str(count), "--seed", str(seed),
                    "--fonts", font, *flags], check=True, capture_output=True)
    manifest = json.loads((out / "manifest.json").read_text())
    for sample in manifest:
        sample["path"] = str(out / sample["file"])
    return manifest


def parse_engine(spec: str) -> tuple[str, dict]:
    """"rapidocr:math=0,det_side=960" -> ("rapidocr", {"math": False, "det_side": 960})."""
    name, _, options = spec.partition(":")
    parsed = {}
    for option in filter(None, options.split(",")):
        key, _, value = option.partition("=")
        parsed[key] = {"0": False, "1": True}.get(value) if value in ("0", "1") else \
            float(value) if "." in value else int(value) if value.isdigit() else value
    return name, parsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr", description=__doc__.split("\n")[0])
    parser.add_argument("--engines", default="rapidocr,tesseract",
                        help="comma-separated engines, each NAME or NAME:option=value;... (default rapidocr,tesseract)")
    parser.add_argument("--fonts", default="all", choices=("tuning", "held-out", "all"),
                        help="which fonts (default all; tune with --fonts tuning only)")
    parser.add_argument("--kinds", default="plain,mixed", help="page kinds: plain, mixed (default both)")
    parser.add_argument("--conditions", default="clean,photo", help="clean, photo (default both)")
    parser.add_argument("--count", type=int, default=6, help="pages per font, kind and condition (default 6)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="2 pages per font, kind and condition")
    parser.add_argument("--show", action="store_true", help="print each page's text as read and as written")
    parser.add_argument("--keep", action="store_true", help="keep the generated pages")
    args = parser.parse_args(argv)
    if args.quick:
        args.count = 2
    args.engine_specs = [s.replace(";", ",") for s in args.engines.split(",") if s]
    return run_harness(args, run, "plc-bench-ocr-", check=lambda: None)


def run(args, procs, tmp: Path) -> dict:
    fonts = installed_fonts()
    wanted = {"tuning": TUNING_FONTS, "held-out": HELD_OUT_FONTS, "all": TUNING_FONTS + HELD_OUT_FONTS}[args.fonts]
    missing = [f for f in wanted if f not in fonts]
    if missing:
        print(f"WARNING: not installed, skipped: {', '.join(missing)} (make setup installs them)")
    wanted = [f for f in wanted if f in fonts]
    kinds = [k for k in args.kinds.split(",") if k]
    conditions = [c for c in args.conditions.split(",") if c]
    engines = {}
    for spec in args.engine_specs:
        name, options = parse_engine(spec)
        engines[spec] = get_engine(name, **options)
        engines[spec].read(Image.new("RGB", (200, 100), "white"))  # models load once, before the timing
    print(f"OCR benchmark: {len(wanted)} fonts x {kinds} x {conditions}, {args.count} pages each, seed "
          f"{args.seed}; engines {', '.join(engines)}", flush=True)

    rows = []
    for font in wanted:
        for kind in kinds:
            for condition in conditions:
                folder = tmp / f"{Path(font).stem}-{kind}-{condition}"
                pages = generate(folder, fonts[font], KINDS[kind] + CONDITIONS[condition], args.count, args.seed)
                for sample in pages:
                    with Image.open(sample["path"]) as raw:
                        image = ImageOps.exif_transpose(raw).convert("RGB")
                    expected = page_text(sample)
                    for spec, engine in engines.items():
                        started = time.perf_counter()
                        result = engine.read(image)
                        seconds = time.perf_counter() - started
                        rows.append({
                            "font": font, "kind": kind, "condition": condition, "engine": spec,
                            "file": sample["file"], "seconds": seconds,
                            "cer": character_error_rate(expected, result.text, ignore_case=True),
                            "cer_cased": character_error_rate(expected, result.text),
                        })
                        if args.show:
                            print(f"--- {font} {kind} {condition} {sample['file']} {spec}: "
                                  f"CER {rows[-1]['cer']:.3f}\n{result.text}\n--- written:\n{expected}")
                print(f"  {font} {kind} {condition}: " + ", ".join(
                    f"{spec} {mean(r['cer'] for r in rows if r['engine'] == spec and r['font'] == font and r['kind'] == kind and r['condition'] == condition):.3f}"
                    for spec in engines), flush=True)

    report = build_report(args, rows, wanted, kinds, conditions, list(engines))
    print_report(report)
    write_report("ocr", report)
    return report


def mean(values) -> float:
    values = list(values)
    return statistics.fmean(values) if values else float("nan")


def summarize(rows: list[dict]) -> dict:
    return {"cer": mean(r["cer"] for r in rows), "cer_cased": mean(r["cer_cased"] for r in rows),
            "seconds_per_page": mean(r["seconds"] for r in rows), "pages": len(rows)}


def build_report(args, rows, fonts, kinds, conditions, engines) -> dict:
    groups = {"tuning": [f for f in fonts if f in TUNING_FONTS], "held-out": [f for f in fonts if f in HELD_OUT_FONTS]}
    by_font = {
        engine: {font: {condition: summarize([r for r in rows if r["engine"] == engine and r["font"] == font
                                              and r["condition"] == condition]) for condition in conditions}
                 for font in fonts}
        for engine in engines
    }
    def pick(engine, members, condition, kind):
        return [r for r in rows if r["engine"] == engine and r["font"] in members and r["condition"] == condition
                and (kind == "all" or r["kind"] == kind)]

    by_group = {
        engine: {group: {condition: {kind: summarize(pick(engine, members, condition, kind))
                                     for kind in [*kinds, "all"]}
                         for condition in conditions}
                 for group, members in groups.items() if members}
        for engine in engines
    }
    targets = []
    default = engines[0]
    if "held-out" in by_group[default]:
        for condition, limit in TARGETS.items():
            if condition in conditions:
                value = by_group[default]["held-out"][condition]["all"]["cer"]
                targets.append(target(f"{default}: mean CER on held-out fonts, {condition} pages, at most {limit:g}",
                                      round(value, 3), limit, "CER", value <= limit))
    return {
        **new_report({"engines": engines, "fonts": fonts, "kinds": kinds, "conditions": conditions,
                      "pages_per_font_kind_condition": args.count, "seed": args.seed}),
        "by_font": by_font, "by_group": by_group, "best_of_engines": best_of_engines(rows, groups, conditions),
        "targets": targets, "pages": rows,
    }


def best_of_engines(rows: list[dict], groups: dict, conditions: list[str]) -> dict:
    """The mean CER if, for every page, the better engine's reading were kept: no way of
    combining whole readings of the engines can do better than this (the engines' own
    confidences would have to pick), so when it is close to the best engine alone,
    combining is not worth it."""
    pages: dict[tuple, list[float]] = {}
    for r in rows:
        pages.setdefault((r["font"], r["kind"], r["condition"], r["file"]), []).append(r["cer"])
    return {group: {condition: mean(min(cers) for (font, _, c, _), cers in pages.items()
                                    if font in members and c == condition)
                    for condition in conditions}
            for group, members in groups.items() if members}


def print_report(report: dict) -> None:
    engines = report["params"]["engines"]
    conditions = report["params"]["conditions"]
    print("\nCER (case folded; cased in brackets) and seconds per page, by font; every kind of page pooled")
    header = f"{'font':<28} {'set':<8} " + " ".join(
        f"{(e[:18] + ' ' + c):>26}" for e in engines for c in conditions) + "  " + " ".join(
        f"{('s/page ' + e[:10]):>18}" for e in engines)
    print(header)
    print("-" * len(header))
    for font in report["params"]["fonts"]:
        group = "tuning" if font in TUNING_FONTS else "held-out"
        cells = [report["by_font"][e][font][c] for e in engines for c in conditions]
        speed = [mean(report["by_font"][e][font][c]["seconds_per_page"] for c in conditions) for e in engines]
        print(f"{font:<28} {group:<8} " + " ".join(f"{x['cer']:>17.3f} ({x['cer_cased']:.3f})" for x in cells)
              + "  " + " ".join(f"{s:>18.2f}" for s in speed))
    print("\nMean by font set, kind and condition: CER (cased) s/page")
    for engine in engines:
        for group, per_condition in report["by_group"][engine].items():
            for condition, per_kind in per_condition.items():
                print(f"  {engine:<30} {group:<8} {condition:<5} " + "  ".join(
                    f"{kind} {x['cer']:.3f} ({x['cer_cased']:.3f}) {x['seconds_per_page']:.2f}s"
                    for kind, x in per_kind.items()))
    if len(engines) > 1:
        print("\nMean CER with the better engine's reading of each page kept (no combination of whole "
              "readings does better): " + "; ".join(
                  f"{group} {condition} {value:.3f}" for group, per in report["best_of_engines"].items()
                  for condition, value in per.items()))
    print_targets(report["targets"])


if __name__ == "__main__":
    sys.exit(main())
