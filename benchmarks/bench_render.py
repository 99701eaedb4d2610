"""Benchmark: rendering reports, against trivial notebooks and against a sequential batch.

1. One period's two reports (papermill + nbconvert, the real notebooks) against two trivial
   notebooks that import the same libraries, executed and rendered the same way.
2. The four demo periods with one worker per core against the same batch one period at a
   time.

Both comparisons run side by side in this process, alternating, ``--repeat`` times; the
figures are medians. The cube is built (cached) before timing, as a batch run does.

    .venv/bin/python benchmarks/bench_render.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

import account_analysis as aa
from account_analysis import batch, config
from account_analysis.render.html import execute_notebook, notebook_to_html
from account_analysis.render.reports import PERIOD_REPORTS

PERIODS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")


def trivial_notebook(
    folder: Path, imports: str = "import account_analysis as aa\nimport matplotlib"
) -> Path:
    """A notebook that imports ``imports``, takes a period parameter and shows it."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": config.KERNEL_NAME,
        "display_name": "x",
        "language": "python",
    }
    nb.cells = [
        nbformat.v4.new_code_cell(imports),
        nbformat.v4.new_code_cell('period: str = "2026-Q3"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("period"),
    ]
    path = folder / "trivial.ipynb"
    nbformat.write(nb, path)
    return path


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    ds = aa.load_dataset(config.DEMO_DATA_DIR)
    aa.build_cube(ds)
    settings = aa.load_settings(config.PARAMS_DIR / "2026-Q3.yaml")
    params = [config.PARAMS_DIR / f"{p}.yaml" for p in PERIODS]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        trivial = trivial_notebook(tmp)

        def two_trivial():
            for i in range(2):
                nb = execute_notebook(trivial, {"period": "2026-Q3"}, tmp / f"t{i}.ipynb")
                notebook_to_html(nb, title="t")

        def two_reports():
            for report in PERIOD_REPORTS:
                r = batch.run_report(settings, report, tmp / "one")
                assert r.ok, r.error

        def parallel():
            batch.run_periods(params, tmp / "par", out=io.StringIO(), workers=2)

        def sequential():
            batch.run_periods(params, tmp / "seq", out=io.StringIO(), workers=1)

        rows = {"trivial": [], "reports": [], "parallel": [], "sequential": []}
        for i in range(args.repeat):
            pairs = [("trivial", two_trivial), ("reports", two_reports)]
            pairs += [("parallel", parallel), ("sequential", sequential)]
            if i % 2:
                pairs = [pairs[1], pairs[0], pairs[3], pairs[2]]
            for name, fn in pairs:
                rows[name].append(timed(fn))
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(
        f"two trivial notebooks: median {med['trivial']:.1f} s; one period's two reports: "
        f"median {med['reports']:.1f} s; ratio {med['reports'] / med['trivial']:.2f}x "
        f"(target <= 2)"
    )
    print(
        f"four periods, 2 workers: median {med['parallel']:.1f} s; one at a time: median "
        f"{med['sequential']:.1f} s; ratio {med['parallel'] / med['sequential']:.2f} "
        f"(target <= 0.65)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
