"""Benchmark: the four-period demo batch against the floor of its notebooks.

The batch is ``account-analysis run`` of the four demo periods (``batch.run_periods``, one
worker per core, the cube cached beforehand as after a first run): 8 reports, 12 briefings,
4 workbooks, the summaries and the index. The floor is the same number of trivial
notebooks, each importing the libraries a report kernel imports (``account_analysis`` and
its chart module, so matplotlib) and printing its parameter, executed by papermill and
converted by nbconvert exactly as a report is, on the same number of worker processes.
What the batch costs above the floor is our work: opening, scoring, drawing, rendering.

The two alternate, their order flipping every round, ``--repeat`` times; the figures are
medians of one run, never compared with another run's.

    .venv/bin/python benchmarks/bench_batch.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import statistics
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import account_analysis as aa
from account_analysis import batch, config

sys.path.insert(0, str(Path(__file__).parent))
from bench_render import timed, trivial_notebook  # noqa: E402

PERIODS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")


def _trivial_job(args: tuple[str, str, int]) -> None:
    from account_analysis.render.html import execute_notebook, notebook_to_html

    source, folder, i = args
    nb = execute_notebook(
        Path(source),
        {"period": "2026-Q3"},
        Path(folder) / f"t{i}.ipynb",
        kernel_name=config.KERNEL_NAME,
    )
    (Path(folder) / f"t{i}.html").write_text(
        notebook_to_html(nb, title="t", language="en"), encoding="utf-8"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workers",
        type=int,
        default=min(len(PERIODS), os.cpu_count() or 1),
        help="worker processes of both sides (default: as the batch, one per core)",
    )
    args = parser.parse_args(argv)
    aa.build_cube(aa.load_dataset(config.DEMO_DATA_DIR))  # cached, as after a first run
    params = [config.PARAMS_DIR / f"{p}.yaml" for p in PERIODS]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        trivial = trivial_notebook(
            tmp, "import account_analysis as aa\nimport account_analysis.present.charts"
        )
        runs = iter(range(10**6))
        counted = {}

        def run_batch():
            folder = tmp / f"batch{next(runs)}"
            results = batch.run_periods(params, folder, out=io.StringIO(), workers=args.workers)
            assert all(r.ok for r in results), [r.error for r in results if not r.ok]
            notebooks = len(list(folder.rglob("executed/**/*.ipynb")))
            counted.setdefault("notebooks", notebooks)
            assert notebooks == counted["notebooks"], "each batch renders the same notebooks"

        def run_floor():
            folder = tmp / f"floor{next(runs)}"
            folder.mkdir()
            jobs = [(str(trivial), str(folder), i) for i in range(counted["notebooks"])]
            with ProcessPoolExecutor(
                args.workers, mp_context=multiprocessing.get_context("spawn")
            ) as pool:
                list(pool.map(_trivial_job, jobs))

        rows = {"batch": [], "floor": []}
        rows["batch"].append(timed(run_batch))  # also counts the notebooks
        for i in range(args.repeat):
            pairs = [("floor", run_floor), ("batch", run_batch)]
            for name, fn in pairs if i % 2 == 0 else pairs[::-1]:
                rows[name].append(timed(fn))
        rows["batch"] = rows["batch"][1:]  # the counting run is a warm-up
    n = counted["notebooks"]
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"{n} notebooks on {args.workers} workers, medians of {args.repeat}:")
    print(
        f"  demo batch (4 periods): {med['batch']:.1f} s, "
        f"{med['batch'] / n * args.workers:.2f} s per notebook"
    )
    print(
        f"  floor ({n} trivial notebooks): {med['floor']:.1f} s, "
        f"{med['floor'] / n * args.workers:.2f} s per notebook"
    )
    print(f"  ratio {med['batch'] / med['floor']:.2f}x (target <= 1.3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
