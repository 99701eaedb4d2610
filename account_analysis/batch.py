"""The per-period batch: validate, build the cube once, execute the report notebooks, write HTML.

One period per notebook run; the loop over periods lives here, never in a notebook. Periods
run in parallel, one worker process per core. Outputs:

``reports/<period>/<report>.html``
    the report (written aside, then renamed into place)
``reports/<period>/executed/<report>.ipynb``
    the executed notebook behind it
``reports/<period>/failed/<report>.ipynb``
    the executed notebook of a report that failed; a good earlier report stays in place
``reports/<period>/summary.json``
    the period's headline figures, for ``reports/index.html``
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from html import escape
from pathlib import Path

from . import config
from .errors import InputError
from .settings import Settings, load_settings

REPORTS = ("revenue_concentration", "large_account_rationale")


@dataclass(frozen=True)
class ReportResult:
    period: str
    report: str
    ok: bool
    html: Path | None
    seconds: float
    error: str = ""


def _title(report: str, language: str) -> str:
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
    pending = executed.with_name(f".{report}.{os.getpid()}.running.ipynb")
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
        evalue = " ".join(str(err.evalue).split())[:300]
        message = (f"{settings.period} {report}: failed in cell {err.exec_count} "
                   f"(notebook kept at {failed})\n    {err.ename}: {evalue}")
        return ReportResult(settings.period, report, False, None,
                            time.perf_counter() - started, message)
    except BaseException:
        pending.unlink(missing_ok=True)
        raise
    pending.replace(executed)
    stale = out_dir / "failed" / f"{report}.ipynb"
    stale.unlink(missing_ok=True)
    title = f"{_title(report, settings.language)} — {settings.period}"
    html = notebook_to_html(nb, title=title, language=settings.language)
    target = out_dir / f"{report}.html"
    write_atomically(target, html)
    return ReportResult(settings.period, report, True, target, time.perf_counter() - started)


def period_summary(settings: Settings) -> dict:
    """Headline figures of a period for the index (from the cached cube)."""
    from .consolidate import build_cube
    from .load import load_dataset
    from .scoring import score_period

    dataset = load_dataset(settings.dataset_path, settings.reporting_currency)
    score = score_period(build_cube(dataset), dataset, settings)
    d = score.designations
    return {
        "period": settings.period,
        "language": settings.language,
        "window": settings.window.describe(settings.language),
        "cr4": score.metrics["cr4"],
        "hhi": score.metrics["hhi"],
        "candidates": int((d["status"] == "candidate").sum()),
        "candidates_share": float(d.loc[d["status"] == "candidate", "share"].sum()),
        "designated": sorted(d.loc[d["final"] == "designate", "name"].astype(str)),
    }


def _period_job(settings: Settings, reports_dir: Path) -> tuple[list[ReportResult], dict]:
    results = [run_report(settings, report, reports_dir) for report in REPORTS]
    summary = {}
    if all(r.ok for r in results):
        from .render import write_atomically

        summary = period_summary(settings)
        write_atomically(reports_dir / settings.period / "summary.json",
                         json.dumps(summary, indent=1, ensure_ascii=False))
    return results, summary


def write_index(reports_dir: Path) -> Path:
    """``reports/index.html``: every rendered period with its reports and headline figures."""
    from .present import format_percent
    from .render import write_atomically

    rows = []
    for folder in sorted((p for p in reports_dir.iterdir() if p.is_dir()), reverse=True):
        links = [f'<a href="{escape(folder.name)}/{r}.html">{escape(_title(r, "en"))}</a>'
                 for r in REPORTS if (folder / f"{r}.html").exists()]
        if not links:
            continue
        summary_file = folder / "summary.json"
        s = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.exists() else {}
        figures = ""
        if s:
            figures = (f"<td class=\"num\">{format_percent(s['cr4'])}</td>"
                       f"<td class=\"num\">{s['hhi']:,.0f}</td>"
                       f"<td class=\"num\">{s['candidates']} "
                       f"({format_percent(s['candidates_share'])})</td>"
                       f"<td>{escape(', '.join(s['designated']))}</td>")
        else:
            figures = "<td></td><td></td><td></td><td></td>"
        rows.append(f"<tr><td class=\"period\">{escape(folder.name)}</td>"
                    f"<td>{' · '.join(links)}</td>"
                    f"{figures}</tr>")
    css = (config.TEMPLATES_DIR / "report" / "report.css").read_text(encoding="utf-8")
    html = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Account analysis reports</title><style>{css}</style></head><body>"
        '<div class="report"><h1>Account analysis reports</h1>'
        '<p class="subtitle">Every rendered period, newest first.</p>'
        '<table class="report-table"><thead><tr><th>Period</th><th>Reports</th>'
        '<th class="num">CR4</th><th class="num">HHI</th><th class="num">Candidates</th>'
        "<th>Large Accounts</th></tr></thead><tbody>" + "".join(rows) +
        "</tbody></table></div></body></html>\n"
    )
    target = reports_dir / "index.html"
    write_atomically(target, html)
    return target


def run_periods(params_files: list[Path], reports_dir: Path | None = None,
                out=sys.stdout, workers: int | None = None) -> list[ReportResult]:
    """Render every report for every period file, periods in parallel; failures isolated.

    All parameter files and their datasets are validated, and the cube built (or found in
    the cache), before any notebook runs; a problem there raises :class:`InputError` and
    nothing is written.
    """
    from tqdm import tqdm

    from .consolidate import build_cube
    from .load import load_dataset

    reports_dir = config.resolve(reports_dir) if reports_dir else config.REPORTS_DIR
    problems, settings = [], []
    for path in params_files:
        try:
            settings.append(load_settings(path))
        except InputError as err:
            problems.extend(err.problems)
    if problems:
        raise InputError(problems)
    periods = [s.period for s in settings]
    if len(set(periods)) != len(periods):
        twice = sorted({p for p in periods if periods.count(p) > 1})
        raise InputError.single("run", f"each period once; given twice: {', '.join(twice)}")
    for key in sorted({(s.dataset_path, s.reporting_currency) for s in settings}):
        build_cube(load_dataset(*key))  # validated once; the kernels find the cached cube

    reports_dir.mkdir(parents=True, exist_ok=True)
    workers = workers or min(len(settings), os.cpu_count() or 1)
    results: list[ReportResult] = []
    errors: list[str] = []
    # Fresh interpreters, not forks: a fork inherits pyarrow's and zmq's threads mid-state.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
        futures = {pool.submit(_period_job, s, reports_dir): s for s in settings}
        bar = tqdm(total=len(settings) * len(REPORTS), unit="report", file=sys.stderr,
                   disable=not sys.stderr.isatty(), desc="Rendering")
        for future in as_completed(futures):
            period_results, _ = future.result()
            results.extend(period_results)
            errors += [r.error for r in period_results if not r.ok]
            bar.update(len(period_results))
        bar.close()
    write_index(reports_dir)
    order = {p: i for i, p in enumerate(periods)}
    results.sort(key=lambda r: (order[r.period], REPORTS.index(r.report)))
    print(f"{'period':<10}{'report':<26}{'status':<8}{'seconds':>8}", file=out)
    for r in results:
        print(f"{r.period:<10}{r.report:<26}{'ok' if r.ok else 'FAILED':<8}{r.seconds:8.1f}",
              file=out)
    for message in errors:
        print(message, file=sys.stderr)
    failed = sum(not r.ok for r in results)
    print(f"{len(results) - failed} of {len(results)} reports written to {reports_dir}"
          + (f"; {failed} failed" if failed else "") + f"; index: {reports_dir / 'index.html'}",
          file=out)
    return results
