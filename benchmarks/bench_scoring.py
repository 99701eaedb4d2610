"""Benchmark: scoring one period on the demo cube, against revenue_by_group alone.

Both run interleaved in this process on the same (cached) consolidation; medians of
``--repeat`` runs. The ratio says how much the whole scoring costs over one aggregation.

    .venv/bin/python benchmarks/bench_scoring.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import time
from pathlib import Path

import account_analysis as aa
from account_analysis.authoring.demo import write_demo_dataset

# Every lazy part of PeriodScore, found on the class so that a new part is measured too.
PARTS = tuple(
    name
    for name, value in vars(aa.PeriodScore).items()
    if isinstance(value, functools.cached_property)
)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        write_demo_dataset(tmp)
        ds = aa.load_dataset(Path(tmp))
        consolidation = aa.build_cube(ds, cache_dir=None)
        settings = aa.Settings.from_mapping({"period": "2026-Q3", "dataset": tmp})
        base, full = [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            aa.revenue_by_group(consolidation, settings.window)
            base.append(time.perf_counter() - t)
            t = time.perf_counter()
            score = aa.score_period(consolidation, ds, settings)
            for part in PARTS:  # parts are computed on first use: use them all
                getattr(score, part)
            full.append(time.perf_counter() - t)
    b, f = statistics.median(base), statistics.median(full)
    print(
        f"revenue_by_group: median {b * 1000:.0f} ms; score_period: median {f * 1000:.0f} ms;"
        f" ratio {f / b:.1f}x (of {args.repeat})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
