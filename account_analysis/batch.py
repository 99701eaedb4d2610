"""The per-period batch: validate, execute the report notebooks, write HTML.

One period per notebook run; the loop over periods lives here, never in a notebook.
Outputs go to ``reports/<period>/<report>.html``; the executed notebook beside it under
``executed/``. A failed notebook is kept under ``reports/<period>/failed/`` and never
replaces a good earlier report.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import config
from .errors import InputError
from .load import load_dataset
from .settings import Settings, load_settings

REPORTS = ("revenue_concentration",)


@dataclass(frozen=True)
class ReportResult:
    period: str
    report: str
    ok: bool
    html: Path | None
    seconds: float
    error: str = ""


def _titles(report: str, language: str) -> str:
    from .present import TITLES

    return TITLES[report][language]


def run_report(settings: Settings, report: str, reports_dir: Path) -> ReportResult:
    """Execute one report notebook for one period and write its HTML atomically."""
    from papermill.exceptions import PapermillExecutionError

    from .render import execute_notebook, notebook_to_html, write_atomically

    started = time.perf_counter()
    out_dir = reports_dir / settings.period
    executed = out_dir / "executed" / f"{report}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    pending = executed.with_name(f".{report}.running.ipynb")
    try:
        nb = execute_notebook(
            config.NOTEBOOKS_DIR / f"{report}.ipynb",
            settings.as_parameters(),
            pending,
            kernel_name=config.KERNEL_NAME,
            cwd=config.PROJECT_ROOT,
        )
    except PapermillExecutionError as err:
        failed = out_dir / "failed" / f"{report}.ipynb"
        failed.parent.mkdir(parents=True, exist_ok=True)
        if pending.exists():
            pending.replace(failed)
        message = (f"{settings.period} {report}: failed in cell {err.exec_count} "
                   f"(kept at {failed})\n    {err.ename}: {err.evalue}")
        return ReportResult(settings.period, report, False, None,
                            time.perf_counter() - started, message)
    pending.replace(executed)
    title = f"{_titles(report, settings.language)} — {settings.period}"
    html = notebook_to_html(nb, title=title, language=settings.language)
    target = out_dir / f"{report}.html"
    write_atomically(target, html)
    return ReportResult(settings.period, report, True, target, time.perf_counter() - started)


def run_periods(params_files: list[Path], reports_dir: Path | None = None,
                out=sys.stdout) -> list[ReportResult]:
    """Render every report for every period file; failures are isolated per report.

    All parameter files and their datasets are validated before any notebook runs;
    a problem there raises :class:`InputError` and nothing is written.
    """
    reports_dir = config.resolve(reports_dir) if reports_dir else config.REPORTS_DIR
    problems, settings = [], []
    for path in params_files:
        try:
            settings.append(load_settings(path))
        except InputError as err:
            problems.extend(err.problems)
    if problems:
        raise InputError(problems)
    for key in sorted({(s.dataset_path, s.reporting_currency) for s in settings}):
        load_dataset(*key)

    results = []
    for s in settings:
        for report in REPORTS:
            result = run_report(s, report, reports_dir)
            results.append(result)
            status = "ok" if result.ok else "FAILED"
            print(f"{s.period:<10}{report:<26}{status:<8}{result.seconds:6.1f} s", file=out)
            if not result.ok:
                print(result.error, file=sys.stderr)
    failed = sum(not r.ok for r in results)
    print(f"{len(results) - failed} of {len(results)} reports written to {reports_dir}"
          + (f"; {failed} failed" if failed else ""), file=out)
    return results
