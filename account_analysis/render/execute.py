"""One report notebook of a period executed and rendered to HTML, any failure contained.

Papermill executes the notebook into a hidden ``.<name>.<pid>.running.ipynb`` under
``executed/`` (the names are :mod:`account_analysis.render.paths`), renamed to
``executed/<name>.ipynb`` when it ran; its HTML is written aside, then renamed into place. A
notebook whose cell fails is kept under ``failed/``; a good earlier HTML stays in place. A
kernel that does not start gets one more chance. The batch (:mod:`account_analysis.batch`)
runs these per period, in its worker processes.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..errors import in_one_line
from ..settings.parameters import Settings
from .paths import ReportPaths, briefing_name
from .reports import BRIEFING_REPORT, report


@dataclass(frozen=True)
class ReportResult:
    period: str
    report: str
    ok: bool
    html: Path | None
    seconds: float
    error: str = ""


def _title(name: str, language: str) -> str:
    from ..present.format import TITLES

    return TITLES[name][language]


def run_report(
    settings: Settings, name: str, reports_dir: Path, score_file: str = ""
) -> ReportResult:
    """Execute the notebook of the period report ``name`` (one of
    :data:`~account_analysis.render.reports.PERIOD_REPORTS`) for one period and write its
    HTML atomically. ``score_file``: the period already scored
    (:mod:`account_analysis.render.scores`), or "" for the notebook to score it."""
    title = f"{_title(name, settings.language)} — {settings.period}"
    parameters = {**settings.as_parameters(), "score_file": score_file}
    return _render(
        settings, report(name).notebook, name, parameters, title, settings.language, reports_dir
    )


def run_briefing(
    settings: Settings, entry: dict, reports_dir: Path, score_file: str = ""
) -> ReportResult:
    """Execute the briefing notebook for one group of ``entry`` (a :func:`briefing_manifest`
    entry) and write ``briefings/<slug>.html`` atomically; ``score_file`` as for
    :func:`run_report`, scored in the briefing's language."""
    language = entry["language"]
    parameters = {
        **settings.as_parameters(),
        "language": language,
        "group_id": entry["group_id"],
        "score_file": score_file,
    }
    title = f"{_title(BRIEFING_REPORT, language)}: {entry['group_name']} — {settings.period}"
    return _render(
        settings,
        report(BRIEFING_REPORT).notebook,
        briefing_name(entry["slug"]),
        parameters,
        title,
        language,
        reports_dir,
    )


def _render(
    settings: Settings,
    notebook: str,
    name: str,
    parameters: dict,
    title: str,
    language: str,
    reports_dir: Path,
) -> ReportResult:
    """Execute ``notebook`` with ``parameters`` into ``executed/<name>.ipynb`` and write
    ``<name>.html``; on a failing cell keep the notebook as ``failed/<name>.ipynb``.

    Any failure (a failing cell, a kernel that does not start twice in a row, a full disk, a
    file where a folder should be) is returned as a failed result with a two-line message;
    only an interrupt propagates. A good earlier ``<name>.html`` stays in place.
    """
    from papermill.exceptions import PapermillExecutionError

    started = time.perf_counter()
    paths = ReportPaths(reports_dir / settings.period)
    executed, failed = paths.executed(name), paths.failed(name)
    pending = paths.pending(name, os.getpid())

    def result(message: str) -> ReportResult:
        return ReportResult(
            settings.period, name, False, None, time.perf_counter() - started, message
        )

    try:
        target = _render_steps(
            notebook, parameters, title, language, paths.html(name), executed, pending, failed
        )
    except PapermillExecutionError as err:
        kept = _keep_failed(pending, failed)
        evalue = " ".join(str(err.evalue).split())[:300]
        where = f"notebook kept at {failed}" if kept else "notebook not kept"
        return result(
            f"{settings.period} {name}: failed in cell {err.exec_count} "
            f"({where})\n    {err.ename}: {evalue}"
        )
    except _KernelDidNotStart as err:
        _discard(pending)
        return result(
            f"{settings.period} {name}: failed, the notebook kernel died or did not "
            f"start (tried twice)\n    {in_one_line(err.__cause__)}"
        )
    except OSError as err:  # disk full, read-only folder, a file where a folder should be
        _discard(pending)
        return result(
            f"{settings.period} {name}: failed, could not be written\n    {in_one_line(err)}"
        )
    except Exception as err:  # contained: one report never takes the period with it
        _discard(pending)
        return result(f"{settings.period} {name}: failed\n    {in_one_line(err)}")
    except BaseException:
        _discard(pending)
        raise
    return ReportResult(settings.period, name, True, target, time.perf_counter() - started)


class _KernelDidNotStart(Exception):
    """The kernel died or did not answer before the first cell, twice."""


def _kernel_start_failure(err: BaseException) -> bool:
    """Whether ``err`` says the kernel died or never answered (nbclient's and jupyter_client's
    ``RuntimeError``, ``TimeoutError``, ``DeadKernelError``), as opposed to a cell's error."""
    from papermill.exceptions import PapermillExecutionError

    return isinstance(err, RuntimeError | TimeoutError) and not isinstance(
        err, PapermillExecutionError
    )


def _render_steps(notebook, parameters, title, language, target, executed, pending, failed) -> Path:
    from ..files import write_atomically
    from .html import execute_notebook, notebook_to_html

    executed.parent.mkdir(parents=True, exist_ok=True)
    for attempt in (1, 2):  # a kernel that fails to start gets one more chance
        try:
            nb = execute_notebook(
                config.NOTEBOOKS_DIR / f"{notebook}.ipynb",
                parameters,
                pending,
                kernel_name=config.KERNEL_NAME,
                cwd=config.PROJECT_ROOT,
            )
            break
        except Exception as err:
            if not _kernel_start_failure(err):
                raise
            if attempt == 2:
                raise _KernelDidNotStart() from err
    pending.replace(executed)
    failed.unlink(missing_ok=True)
    html = notebook_to_html(nb, title=title, language=language)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, html)
    return target


def _discard(path: Path) -> None:
    """Remove ``path`` if it is there; a folder that cannot be written keeps it (and has
    made the report fail already)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _keep_failed(pending: Path, failed: Path) -> bool:
    """Move the executed notebook of a failed run to ``failed``; whether it is there."""
    try:
        failed.parent.mkdir(parents=True, exist_ok=True)
        if pending.exists():
            pending.replace(failed)
            return True
    except OSError:
        _discard(pending)
    return False
