"""Benchmark: read the synthetic payment-screen corpus with the bot's OCR reader.

    .venv/bin/python bench/screenshots.py                 # 128 screenshots + 48 photos
    .venv/bin/python bench/screenshots.py --screenshots 16 --photos 8 --show-misses

Generates the labelled corpus (tests/screens) into a temporary folder (or --keep DIR),
reads every image through `ScreenshotReader.read_now` (the same code the bot runs, in
one thread), and prints per-field accuracy separately for screenshots and photographed
screens, every wrong value (a field returned that the image does not show: target 0),
misses, and the time per image (median and p95) on this machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from bot.service.screenshots import ScreenshotReader  # noqa: E402
from tests.screens.corpus import NOW, Sample, build_corpus  # noqa: E402
from tests.screens.score import FIELDS, Tally  # noqa: E402

AIMS = {"screenshots": 0.95, "photographed screens": 0.85}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _report(title: str, tally: Tally, times: list[float], show_misses: bool) -> None:
    print(f"\n{title}: {len(times)} images")
    print(f"  {'field':14} {'shown':>5} {'right':>5} {'missed':>6} {'wrong':>5} {'accuracy':>8}")
    for key in FIELDS:
        counts = [tally.counts[(key, verdict)] for verdict in ("right", "missed", "wrong")]
        print(
            f"  {key:14} {tally.shown(key):5} {counts[0]:5} {counts[1]:6} {counts[2]:5} "
            f"{tally.accuracy(key):8.1%}"
        )
    aim = AIMS[title]
    print(
        f"  UTR {tally.accuracy('reference'):.1%} and amount {tally.accuracy('amount'):.1%} "
        f"(aim {aim:.0%}); wrong values: {len(tally.wrong)} (aim 0)"
    )
    print(
        f"  time per image: median {statistics.median(times):.2f} s, "
        f"p95 {_percentile(times, 0.95):.2f} s, max {max(times):.2f} s"
    )
    for wrong in tally.wrong:
        print(f"  WRONG {wrong}")
    if show_misses:
        for miss in tally.misses:
            print(f"  missed {miss}")


def run(samples: list[Sample], reader: ScreenshotReader, show_misses: bool) -> int:
    wrong = 0
    for photographed, title in ((False, "screenshots"), (True, "photographed screens")):
        group = [sample for sample in samples if sample.photographed is photographed]
        if not group:
            continue
        tally, times = Tally(), []
        for sample in group:
            started = time.perf_counter()
            readings = reader.read_now(sample.path, NOW, time.monotonic() + 60)
            times.append(time.perf_counter() - started)
            tally.add(sample.path.name, readings, sample.label)
        _report(title, tally, times, show_misses)
        wrong += len(tally.wrong)
    return wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--screenshots", type=int, default=128)
    parser.add_argument("--photos", type=int, default=48)
    parser.add_argument("--keep", type=Path, help="write the images here and keep them")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    reader = ScreenshotReader()
    if not reader.available:
        print(f"OCR unavailable: {reader.unavailable}")
        return 2
    with tempfile.TemporaryDirectory(prefix="screens-") as temporary:
        folder = args.keep or Path(temporary)
        started = time.perf_counter()
        samples = build_corpus(args.seed, args.screenshots, args.photos, folder)
        print(
            f"corpus: {len(samples)} images (seed {args.seed}) generated in "
            f"{time.perf_counter() - started:.1f} s into {folder}"
        )
        wrong = run(samples, reader, args.show_misses)
    reader.close()
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
