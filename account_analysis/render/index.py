"""The index page, ``reports/index.html``: every rendered period, newest first, with its
reports, its workbook and headline figures from its ``summary.json``; each Large Account
links to its briefing, with its account manager. In English, whatever the periods' language.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from .. import config
from ..errors import InputError, in_one_line
from .paths import ReportPaths, index_file
from .reports import PERIOD_REPORTS


def _read_summary(path: Path) -> dict:
    """A period's ``summary.json`` as the index needs it, or an :class:`InputError` saying
    what is wrong with it (it may be hand-edited or cut short)."""
    try:
        s = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise InputError.single(path, f"the JSON that `run` writes ({in_one_line(err)})") from None
    numbers = ("cr4", "hhi", "candidates_share", "candidates")
    briefings = s.get("briefings", []) if isinstance(s, dict) else None
    if not (
        isinstance(s, dict)
        and all(
            isinstance(s.get(k), int | float) and not isinstance(s.get(k), bool) for k in numbers
        )
        and isinstance(s.get("designated", []), list)
        and isinstance(briefings, list)
        and all(
            isinstance(b, dict)
            and isinstance(b.get("group_name"), str)
            and isinstance(b.get("html"), str)
            for b in briefings
        )
    ):
        raise InputError.single(
            path,
            "the summary that `run` writes (an object with cr4, "
            "hhi, candidates, candidates_share and briefings)",
        )
    return s


def _href(paths: ReportPaths, path: Path | str) -> str:
    """A link from the index (beside the period folders) to ``path``, a file of the period
    or a path relative to its folder as the manifest holds it."""
    relative = paths.relative(path) if isinstance(path, Path) else path
    return escape(f"{paths.root.name}/{relative}")


def write_index(reports_dir: Path, problems: list[str] | None = None) -> Path:
    """``reports/index.html``: every rendered period with its reports and headline figures;
    each Large Account links to its briefing, with its account manager.

    A period whose ``summary.json`` cannot be read is listed without figures; what is wrong
    with it is appended to ``problems`` (when given).
    """
    from ..files import write_atomically
    from ..present.format import TITLES, format_percent

    rows = []
    for folder in sorted((p for p in reports_dir.iterdir() if p.is_dir()), reverse=True):
        paths = ReportPaths(folder)
        links = [
            f'<a href="{_href(paths, paths.html(r))}">{escape(TITLES[r]["en"])}</a>'
            for r in PERIOD_REPORTS
            if paths.html(r).exists()
        ]
        if paths.workbook.exists():
            links.append(f'<a href="{_href(paths, paths.workbook)}">Workbook (xlsx)</a>')
        summary_file = paths.summary
        s = {}
        if summary_file.exists():
            try:
                s = _read_summary(summary_file)
            except InputError as err:
                if problems is not None:
                    problems.append(err.message())
        briefings = []
        for b in s.get("briefings", []):
            label = escape(b["group_name"])
            if b.get("account_manager_name"):
                label += f' <span class="note">({escape(str(b["account_manager_name"]))})</span>'
            if b.get("ok", True) and (folder / b["html"]).is_file():
                briefings.append(f'<a href="{_href(paths, b["html"])}">{label}</a>')
            else:
                briefings.append(f"{label} <strong>failed</strong>")
        if not links and not briefings:
            continue
        figures = ""
        if s:
            figures = (
                f'<td class="num">{format_percent(s["cr4"])}</td>'
                f'<td class="num">{s["hhi"]:,.0f}</td>'
                f'<td class="num">{s["candidates"]} '
                f"({format_percent(s['candidates_share'])})</td>"
                + (
                    f"<td>{'<br>'.join(briefings)}</td>"
                    if briefings
                    else f"<td>{escape(', '.join(map(str, s.get('designated', []))))}</td>"
                )
            )
        else:
            figures = "<td></td><td></td><td></td><td></td>"
        rows.append(
            f'<tr><td class="period">{escape(folder.name)}</td>'
            f"<td>{' · '.join(links)}</td>"
            f"{figures}</tr>"
        )
    css = (config.TEMPLATES_DIR / "report" / "report.css").read_text(encoding="utf-8")
    html = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Account analysis reports</title><style>{css}</style></head><body>"
        '<div class="report"><h1>Account analysis reports</h1>'
        '<p class="subtitle">Every rendered period, newest first.</p>'
        '<table class="report-table"><thead><tr><th>Period</th><th>Reports</th>'
        '<th class="num">CR4</th><th class="num">HHI</th><th class="num">Candidates</th>'
        "<th>Large Accounts: briefing (account manager)</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div></body></html>\n"
    )
    target = index_file(reports_dir)
    write_atomically(target, html)
    return target
