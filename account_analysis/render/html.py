"""Render report notebooks: execute them with papermill, turn them into static HTML, write safely.

This is the I/O edge between the notebooks and the readers. A report page must read well in a
browser and as an email body, so :func:`notebook_to_html` produces one self-contained HTML file:
no code, no prompts, no scripts, no external requests; charts are embedded as data URIs. The
page layout lives in ``account_analysis/templates/report/`` (our own small skeleton on top of
nbconvert's ``base/display_priority.j2``).

>>> html = notebook_to_html(nbformat.v4.new_notebook(), title="Q3 & more", language="nl")
>>> '<html lang="nl">' in html and "<title>Q3 &amp; more</title>" in html
True
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat
import papermill
from bs4 import BeautifulSoup, Tag
from jupyter_client.manager import KernelManager
from nbconvert import HTMLExporter

from .. import config

TEMPLATES_DIR = config.TEMPLATES_DIR
REPORT_TEMPLATE = "report"

# A BCP 47 language tag as used in <html lang>: "en", "nl", "nl-BE", "en-GB".
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")

# A table cell holding one number as a reader sees it: "1,234.5", "€ 1.234,56", "-12,3 %", "4.2 M".
_NUMBER = re.compile(
    r"[-+\u2212]?\s?[€$£]?\s?[-+\u2212]?\d[\d.,'\s\u00a0\u202f]*"
    r"(?:\s?(?:%|‰|pp|[kKMx×]|mln|mld|bn))?"
)
# Cells that say "no value": they neither make a column textual nor get aligned on their own.
_BLANK_CELLS = frozenset(
    {"", "nan", "NaN", "<NA>", "NaT", "None", "-", "\u2013", "\u2014", "...", "…"}
)


def execute_notebook(
    notebook: Path,
    parameters: Mapping[str, Any],
    executed_path: Path,
    *,
    kernel_name: str = "account-analysis",
    cwd: Path | None = None,
) -> nbformat.NotebookNode:
    """Execute ``notebook`` with papermill, injecting ``parameters``; return the executed notebook.

    The executed notebook is written to ``executed_path`` (its directory must exist). ``cwd`` is
    the kernel's working directory; by default the notebook's own directory, as in Jupyter.

    A failing cell raises :class:`papermill.PapermillExecutionError`; the executed notebook, with
    the error in it, is still written to ``executed_path`` for inspection. While it runs,
    ``executed_path`` holds a copy of ``notebook``. Neither the notebook file nor ``parameters``
    is modified.
    """
    notebook = Path(notebook)
    executed_path = Path(executed_path)
    if executed_path.resolve() == notebook.resolve():
        raise ValueError(f"executed_path must differ from the notebook itself: {notebook}")
    # Our own kernel manager, so that the kernel's ZMQ sockets are CurveZMQ-encrypted where
    # the kernelspec supports it (ipykernel 7.3+ warns on every start over plain TCP).
    km = _KernelManager(kernel_name=kernel_name, transport_encryption=_encryption_policy())
    # papermill would write the whole notebook before and after every cell, 0.2 s of each
    # report with its charts; written when it starts (a running notebook can be seen, and
    # the one a killed run left can be found) and when it ends, with outputs or error, only.
    shutil.copyfile(notebook, executed_path)
    try:
        return papermill.execute_notebook(
            input_path=str(notebook),
            output_path=str(executed_path),
            parameters=dict(parameters),
            kernel_name=kernel_name,
            cwd=str(cwd if cwd is not None else notebook.resolve().parent),
            log_output=False,
            progress_bar=False,
            request_save_on_cell_execute=False,
            km=km,
            extra_arguments=list(KERNEL_ARGUMENTS),
        )
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)


# A report's kernel keeps no input history. nbclient gives a kernel named "python3" an
# in-memory one; ours, named for the project, wrote every cell into the user's shared
# ~/.ipython history database, about 10 ms a cell (40 trivial cells: 0.53 s against 0.25).
KERNEL_ARGUMENTS = ("--HistoryManager.enabled=False",)

# Environment variables a kernel never gets: the SMTP credentials are for `send` only, and a
# notebook's code (or anything it imports) must not be able to read them.
PRIVATE_ENV_PREFIX = "ACCOUNT_ANALYSIS_SMTP_"


def kernel_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's environment) without the private variables.

    >>> kernel_environment({"PATH": "/bin", "ACCOUNT_ANALYSIS_SMTP_PASSWORD": "x"})
    {'PATH': '/bin'}
    """
    env = os.environ if env is None else env
    return {k: v for k, v in env.items() if not k.upper().startswith(PRIVATE_ENV_PREFIX)}


class _KernelManager(KernelManager):
    """Starts (and restarts) kernels with :func:`kernel_environment`."""

    def start_kernel(self, **kw: Any) -> None:
        kw["env"] = kernel_environment(kw.get("env"))
        return super().start_kernel(**kw)


def _encryption_policy() -> str:
    import zmq

    return "auto" if zmq.has("curve") else "disabled"


def notebook_to_html(nb: nbformat.NotebookNode, *, title: str, language: str = "en") -> str:
    """Render an executed notebook as one self-contained HTML report page.

    Shows markdown cells and cell outputs only: no code, no In/Out prompts, no ``parameters`` or
    ``injected-parameters`` cells, no stderr (warnings), no scripted outputs, and of a failed cell
    only the error's type and message. Images are embedded as data URIs. Numbers in tables are
    right-aligned (cells get class ``num``). ``title`` goes in ``<title>``; ``language`` is the
    page's BCP 47 language tag (``"en"``, ``"nl"``). ``nb`` is not modified.

    Raises ``ValueError`` for a malformed ``language``, or when an output would make the page
    load anything (a ``<script>``, a ``src`` that is not a data URI, a stylesheet link, a CSS
    ``url()``): reports must stay static and self-contained.
    """
    if not _LANGUAGE_TAG.fullmatch(language):
        raise ValueError(f"language must be a language tag such as 'en' or 'nl', got {language!r}")
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        template_name=REPORT_TEMPLATE,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
    )
    html, _ = exporter.from_notebook_node(
        nb, resources={"report": {"title": title, "language": language}}
    )
    soup = BeautifulSoup(html, "html.parser")
    _check_self_contained(soup)
    for table in soup.find_all("table"):
        align_numbers(table)
    return str(soup)


def _check_self_contained(soup: BeautifulSoup) -> None:
    """Raise ValueError if the page would run a script or request anything but data: URLs."""
    problems = [
        f"<{tag.name}>"
        for tag in soup.find_all(["script", "link", "iframe", "object", "embed", "base"])
    ]
    problems += [
        f'src="{tag["src"][:80]}"'
        for tag in soup.find_all(src=True)
        if not tag["src"].strip().lower().startswith("data:")
    ]
    css = "\n".join(
        [style.get_text() for style in soup.find_all("style")]
        + [tag["style"] for tag in soup.find_all(style=True)]
    )
    problems += ["@import" for _ in re.finditer(r"@import", css, re.IGNORECASE)]
    problems += [
        f"url({match.group(1)[:80]})"
        for match in re.finditer(r"url\(\s*['\"]?([^'\")\s]*)", css, re.IGNORECASE)
        if not match.group(1).lower().startswith(("data:", "#"))
    ]
    if problems:
        raise ValueError(
            "report HTML must be static and self-contained, but an output contains: "
            + ", ".join(sorted(set(problems)))
        )


def align_numbers(table: Tag) -> None:
    """Add class ``num`` to the numeric body cells of ``table`` and to their column headers."""
    body_rows = [
        row
        for row in table.find_all("tr")
        if row.find_parent("table") is table and row.parent.name != "thead"
    ]
    numeric_column: dict[int, bool] = {}
    for row in body_rows:
        for position, cell in enumerate(row.find_all(["td", "th"], recursive=False)):
            text = cell.get_text(strip=True)
            if cell.name != "td" or text in _BLANK_CELLS:
                continue
            numeric = _NUMBER.fullmatch(text) is not None
            if numeric:
                _add_class(cell, "num")
            numeric_column[position] = numeric_column.get(position, True) and numeric

    # Column positions only line up when no cell spans rows or columns (e.g. no MultiIndex).
    if any(cell.get("rowspan") or cell.get("colspan") for cell in table.find_all(["td", "th"])):
        return
    for row in table.find_all("tr"):
        if row.find_parent("table") is not table:
            continue
        for position, cell in enumerate(row.find_all(["td", "th"], recursive=False)):
            if numeric_column.get(position) and (cell.name == "td" or row.parent.name == "thead"):
                _add_class(cell, "num")


def _add_class(tag: Tag, name: str) -> None:
    classes = tag.get("class") or []
    if name not in classes:
        tag["class"] = [*classes, name]
