"""Benchmark: loading and validating the demo dataset, against reading the same files raw.

The ratio (validated load ÷ raw ``pd.read_csv``) is the cost of validation; both run in
this process, interleaved, so machine noise hits them alike. Medians of ``--repeat`` runs.

    .venv/bin/python benchmarks/bench_load.py [DATASET] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from account_analysis import load_dataset
from account_analysis.authoring.demo import write_demo_dataset


def raw_read(folder: Path) -> int:
    rows = 0
    for path in sorted(folder.glob("*.csv")):
        header = path.open(encoding="utf-8").readline()
        sep = ";" if header.count(";") > header.count(",") else ","
        rows += len(pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False))
    return rows


def timed(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dataset
        if folder is None:
            folder = Path(tmp)
            gen = [timed(write_demo_dataset, folder) for _ in range(3)]
            print(f"demo generation: median {statistics.median(gen):.2f} s of 3")
        raw, full = [], []
        for _ in range(args.repeat):
            raw.append(timed(raw_read, folder))
            full.append(timed(load_dataset, folder))
        r, f = statistics.median(raw), statistics.median(full)
        print(
            f"raw read_csv: median {r:.2f} s; load_dataset: median {f:.2f} s; "
            f"ratio {f / r:.1f}x (of {args.repeat})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
