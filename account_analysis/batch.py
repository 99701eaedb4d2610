"""The per-period batch: validate, build the cube once, execute the report notebooks, write HTML.

One period per notebook run; the loop over periods lives here, never in a notebook. Periods
run in parallel, one worker process per core; within a period the two reports run first, then
one briefing per designated group (``final == "designate"``), each in its account manager's
language (else the period's). What it writes, under ``reports/<period>/`` (the names are
:mod:`account_analysis.render.paths`):

- each report's HTML (written aside, then renamed into place) and, under ``executed/``,
  the notebook behind it (one report's run: :mod:`account_analysis.render.execute`); a
  notebook being executed is hidden beside it (``.<name>.<pid>.running.ipynb``), and one
  whose process is gone (a killed run) is removed by the next run of the period. Workers
  die with the run that started them.
- under ``failed/``, the executed notebook of one that failed; a good earlier one stays in
  place, and the others of the period are still rendered. Any failure of one report (a
  cell, a kernel that does not start twice, a full disk, a folder that cannot be written)
  is contained so; the workbook, the summary and the index are written whatever failed.
- under ``.scores/``, the period scored once (per language its briefings need), every part
  computed, handed to each notebook kernel as its ``score_file`` parameter
  (:mod:`account_analysis.render.scores`); removed when the period is done, or by the
  next run of the period when its process is gone.
- the sales-operations workbook (designations, account managers, territories, ledger;
  :mod:`account_analysis.render.workbook`).
- ``summary.json``: the period's headline figures, for the index (``reports/index.html``,
  :mod:`account_analysis.render.index`, written once the periods are done), and the
  briefings manifest (``briefings``: one entry per designated group, see
  :func:`briefing_manifest`) that the mail delivery reads to send each account manager the
  briefings of their groups.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from . import config
from .errors import InputError, in_one_line
from .render.execute import ReportResult, run_briefing, run_report
from .render.index import write_index
from .render.paths import (
    BRIEFINGS_DIR,
    INDEX_FILE,
    SUMMARY_FILE,
    WORKBOOK_FILE,
    ReportPaths,
    briefing_name,
    briefing_slug,
    index_file,
)
from .render.reports import PERIOD_REPORTS
from .settings.parameters import Settings, load_settings


def remove_stale_pending(out_dir: Path) -> list[Path]:
    """Remove the hidden ``.<name>.<pid>.running.ipynb`` notebooks under ``out_dir/executed``
    whose process is gone (a run killed mid-notebook); return them. Those of a live process
    (another run now) stay."""
    removed = []
    for path, pid in ReportPaths(out_dir).pending_notebooks():
        if not _alive(pid):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs. A zombie does not: the worker of a killed run stays one
    until init reaps it, which a run started right after may not wait for."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return not Path("/proc/self").exists()  # gone meanwhile; without /proc, as kill said
    return state != "Z"


def score_of(settings: Settings):
    """The :class:`~account_analysis.analysis.scoring.PeriodScore` of a period, opened as a
    notebook opens it (:func:`~account_analysis.analysis.scoring.open_inputs`: the invoice
    lines are read only when no cube is cached for them)."""
    from .analysis.scoring import open_inputs, score_period

    dataset, consolidation = open_inputs(settings)
    return score_period(consolidation, dataset, settings)


class _HandedScores:
    """The period scored once per language and written for the notebook kernels.

    ``file(language)`` is the path of the score file, or "" where the period could not be
    scored or the file not written: the notebook then scores the period itself and fails,
    if it does, in its own cell, as it would have without the file.
    """

    def __init__(self, settings: Settings, folder: Path):
        self.settings, self.folder = settings, folder
        self.scores: dict = {}
        self.files: dict[str, str] = {}

    def score(self, language: str):
        """The score in ``language``; the inputs are opened and the parts computed once (an
        exception propagates)."""
        if language not in self.scores:
            if self.scores:  # the same facts, computed once: only the words differ
                self.scores[language] = next(iter(self.scores.values())).in_language(language)
            else:
                self.scores[language] = score_of(
                    dataclasses.replace(self.settings, language=language)
                )
        return self.scores[language]

    def file(self, language: str) -> str:
        if language not in self.files:
            from .render.scores import write_score

            try:
                score = self.score(language).computed()
                self.files[language] = str(write_score(score, self.folder))
            except Exception:  # noqa: BLE001 - the notebook scores and reports it itself
                self.files[language] = ""
        return self.files[language]

    def remove(self) -> None:
        from .render.scores import remove_score

        for path in self.files.values():
            if path:
                remove_score(Path(path))
        try:
            self.folder.rmdir()  # left empty where a file could not be written
        except OSError:
            pass  # gone already, or another run's files are in it


def briefing_manifest(score) -> list[dict]:
    """One entry per designated group of the period, in designation order.

    Keys: ``group_id``, ``group_name``, ``slug`` (``<group id>-<name>``, unique per group by
    construction, see :func:`~account_analysis.render.paths.briefing_slug`), ``html`` and
    ``executed`` (paths
    relative to ``reports/<period>/``), ``account_manager`` (manager id or ``None``),
    ``account_manager_name``, ``account_manager_email`` and ``language`` (the briefing's:
    the account manager's, else the period's). The batch adds ``ok`` once rendered.
    """
    from .analysis.briefing import account_manager_of, briefing_language

    d = score.designations
    chosen = d[d["final"] == "designate"]
    groups = [
        (str(g), str(n) if isinstance(n, str) and n else str(g))
        for g, n in zip(chosen["group_id"], chosen["name"], strict=True)
    ]
    paths = ReportPaths(Path())  # the manifest's paths are relative to the period's folder
    entries = []
    for group_id, name in groups:
        slug = briefing_slug(group_id, name)
        manager = account_manager_of(score, group_id) or {}
        entries.append(
            {
                "group_id": group_id,
                "group_name": name,
                "slug": slug,
                "html": paths.relative(paths.html(briefing_name(slug))),
                "executed": paths.relative(paths.executed(briefing_name(slug))),
                "account_manager": manager.get("manager_id"),
                "account_manager_name": manager.get("name"),
                "account_manager_email": manager.get("email") or None,
                "language": briefing_language(score, group_id),
            }
        )
    return entries


def _remove_stale_briefings(out_dir: Path, slugs: set[str]) -> None:
    """Briefings of groups that are no longer designated go: nobody may mail them."""
    for folder, suffix in ReportPaths(out_dir).briefing_folders():
        if folder.is_dir():
            for path in folder.glob(f"*{suffix}"):
                if path.stem not in slugs:
                    path.unlink()


def period_summary(settings: Settings, score=None) -> dict:
    """Headline figures of a period for the index (from the cached cube)."""
    score = score if score is not None else score_of(settings)
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


def _period_job(
    settings: Settings, reports_dir: Path, briefings: bool = True
) -> tuple[list[ReportResult], dict]:
    from .render.scores import remove_stale_scores

    out_dir = reports_dir / settings.period
    try:
        remove_stale_pending(out_dir)
        remove_stale_scores(out_dir, _alive)
    except OSError:
        pass  # a folder that cannot be read: the reports below say why
    handed = _HandedScores(settings, ReportPaths(out_dir).scores)
    try:
        return _period_outputs(settings, reports_dir, out_dir, briefings, handed)
    finally:
        handed.remove()


def _period_outputs(
    settings: Settings, reports_dir: Path, out_dir: Path, briefings: bool, handed: _HandedScores
) -> tuple[list[ReportResult], dict]:
    from .files import write_atomically

    score_file = handed.file(settings.language)
    results = [run_report(settings, name, reports_dir, score_file) for name in PERIOD_REPORTS]
    started = time.perf_counter()
    try:
        score = handed.score(settings.language)
        summary = period_summary(settings, score)
        entries = briefing_manifest(score) if briefings else []
    except Exception as err:  # contained: the period's reports are written, say why not more
        message = (
            f"{settings.period} briefings: not rendered, the period could not be "
            f"scored\n    {in_one_line(err)}"
        )
        results.append(
            ReportResult(
                settings.period, BRIEFINGS_DIR, False, None, time.perf_counter() - started, message
            )
        )
        return results, {}
    if briefings:
        try:
            _remove_stale_briefings(out_dir, {e["slug"] for e in entries})
        except OSError:
            pass  # the briefings below fail on the same folder and say so
    for entry in entries:
        result = run_briefing(settings, entry, reports_dir, handed.file(entry["language"]))
        entry["ok"] = result.ok
        results.append(result)
    summary["briefings"] = entries
    results.append(_workbook_job(settings, score, out_dir))
    started = time.perf_counter()
    try:
        write_atomically(
            ReportPaths(out_dir).summary, json.dumps(summary, indent=1, ensure_ascii=False)
        )
    except Exception as err:  # contained like a report: the index says what it can
        results.append(
            ReportResult(
                settings.period,
                SUMMARY_FILE,
                False,
                None,
                time.perf_counter() - started,
                f"{settings.period} {SUMMARY_FILE}: not written\n    {in_one_line(err)}",
            )
        )
    return results, summary


def _worker_start(parent: int) -> None:
    """In each worker process: die with the process that started it, so that a killed run
    leaves no worker writing reports (Linux: the kernel's parent-death signal; elsewhere a
    thread that watches the parent)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        import threading

        def watch():
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)
    import logging

    # nbclient logs a kernel that does not start on stderr, once per try; the batch reports
    # each failed report itself, in two lines.
    logging.getLogger("papermill").setLevel(logging.CRITICAL)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _workbook_job(settings: Settings, score, out_dir: Path) -> ReportResult:
    """Write the period's workbook; a failure is reported like a failed report."""
    from .render.workbook import write_workbook

    started = time.perf_counter()
    target = ReportPaths(out_dir).workbook
    try:
        write_workbook(score, target)
    except Exception as err:  # contained like a failing notebook: say what, keep the rest
        message = f"{settings.period} {WORKBOOK_FILE}: not written\n    {in_one_line(err)}"
        return ReportResult(
            settings.period, WORKBOOK_FILE, False, None, time.perf_counter() - started, message
        )
    return ReportResult(settings.period, WORKBOOK_FILE, True, target, time.perf_counter() - started)


def run_periods(
    params_files: list[Path],
    reports_dir: Path | None = None,
    out=sys.stdout,
    workers: int | None = None,
    briefings: bool = True,
) -> list[ReportResult]:
    """Render every report for every period file, periods in parallel; failures isolated.

    After a period's two reports, one briefing per designated group (``briefings=False``
    skips them, e.g. to measure what they add; the manifest is then empty).

    All parameter files and their datasets are validated, and the cube built (or found in
    the cache), before any notebook runs; a problem there raises :class:`InputError` and
    nothing is written. The invoice lines of a cube found in the cache were validated when
    it was built from the same file content (as the kernels open them,
    :func:`~account_analysis.analysis.scoring.open_inputs`); the other tables each time.
    """
    from tqdm import tqdm

    from .analysis.scoring import open_inputs

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
    datasets = {(s.dataset_path, s.reporting_currency): s for s in settings}
    for key in sorted(datasets):
        open_inputs(datasets[key])  # validated once; the kernels find the cached cube

    reports_dir.mkdir(parents=True, exist_ok=True)
    workers = workers or min(len(settings), os.cpu_count() or 1)
    results: list[ReportResult] = []
    errors: list[str] = []
    # Fresh interpreters, not forks: a fork inherits pyarrow's and zmq's threads mid-state.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=spawn, initializer=_worker_start, initargs=(os.getpid(),)
    ) as pool:
        futures = {pool.submit(_period_job, s, reports_dir, briefings): s for s in settings}
        bar = tqdm(
            total=len(settings) * len(PERIOD_REPORTS),
            unit="report",
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
            desc="Rendering",
        )
        for future in as_completed(futures):
            try:
                period_results, _ = future.result()
            except Exception as err:  # the worker itself died (killed, out of memory)
                period = futures[future].period
                period_results = [
                    ReportResult(
                        period,
                        "period",
                        False,
                        None,
                        0.0,
                        f"{period}: not finished, its worker process "
                        f"stopped\n    {in_one_line(err)}",
                    )
                ]
            results.extend(period_results)
            errors += [r.error for r in period_results if not r.ok]
            bar.total += len(period_results) - len(PERIOD_REPORTS)  # briefings: known only now
            bar.update(len(period_results))
        bar.close()
    index_problems: list[str] = []
    try:
        write_index(reports_dir, index_problems)
    except Exception as err:  # contained: the table below still says what was written
        index_problems.append(f"{index_file(reports_dir)}: not written\n    {in_one_line(err)}")
    for problem in index_problems:
        results.append(ReportResult(periods[-1], INDEX_FILE, False, None, 0.0, problem))
        errors.append(problem)
    order = {p: i for i, p in enumerate(periods)}
    results.sort(
        key=lambda r: (
            order[r.period],
            r.report not in PERIOD_REPORTS,
            PERIOD_REPORTS.index(r.report) if r.report in PERIOD_REPORTS else 0,
        )
    )
    width = max([26] + [len(r.report) + 2 for r in results])
    print(f"{'period':<10}{'report':<{width}}{'status':<8}{'seconds':>8}", file=out)
    for r in results:
        print(
            f"{r.period:<10}{r.report:<{width}}{'ok' if r.ok else 'FAILED':<8}{r.seconds:8.1f}",
            file=out,
        )
    for message in errors:
        print(message, file=sys.stderr)
    reports = [r for r in results if r.report in PERIOD_REPORTS]
    workbooks = [r for r in results if r.report == WORKBOOK_FILE]
    briefed = [r for r in results if r.report.split("/")[0] == BRIEFINGS_DIR]
    failed = sum(not r.ok for r in results)
    print(
        f"{sum(r.ok for r in reports)} of {len(reports)} reports, "
        f"{sum(r.ok for r in briefed)} of {len(briefed)} briefings and "
        f"{sum(r.ok for r in workbooks)} of {len(workbooks)} workbooks written to {reports_dir}"
        + (f"; {failed} failed" if failed else "")
        + f"; index: {index_file(reports_dir)}",
        file=out,
    )
    return results
