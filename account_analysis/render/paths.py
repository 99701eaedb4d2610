"""Where a period's output lives: ``reports/<period>/`` and the names inside it, and the
index beside the periods. The one place that spells the layout; the batch runner writes it,
delivery and the index read it. Which reports there are is :mod:`.reports`::

    reports/index.html                      every rendered period (INDEX_FILE)
    reports/<period>/<report>.html          a period report
                     briefings/<slug>.html  a Large Account's briefing (briefing_name, slug)
                     executed/<name>.ipynb  the executed notebook behind each
                     executed/.<name>.<pid>.running.ipynb  one being executed (pending)
                     failed/<name>.ipynb    the executed notebook of one that failed
                     large_accounts.xlsx    the sales-operations workbook
                     summary.json           headline figures and the briefings manifest
                     .scores/               the period scored once, while it runs
                     outbox/                the .eml files of ``send --dry-run``
                     sent.json              the sent-log: what was delivered, to whom, when

>>> from pathlib import Path
>>> paths = ReportPaths(Path("reports") / "2026-Q3")
>>> paths.html("revenue_concentration").as_posix()
'reports/2026-Q3/revenue_concentration.html'
>>> paths.executed(briefing_name("c10041-acme")).as_posix()
'reports/2026-Q3/executed/briefings/c10041-acme.ipynb'
>>> paths.relative(paths.failed(briefing_name("c10041-acme")))
'failed/briefings/c10041-acme.ipynb'
>>> paths.pending("revenue_concentration", 4242).name
'.revenue_concentration.4242.running.ipynb'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

BRIEFINGS_DIR = "briefings"  # one HTML file per Large Account briefing
EXECUTED_DIR = "executed"  # the executed notebook of each report that rendered
FAILED_DIR = "failed"  # the executed notebook of each report that failed, kept for reading
PENDING_SUFFIX = ".running.ipynb"  # a notebook being executed: .<name>.<pid>.running.ipynb
OUTBOX_DIR = "outbox"  # .eml files of a dry run or an --outbox send
SUMMARY_FILE = "summary.json"  # what the run rendered, failed and briefed
SENT_LOG_FILE = "sent.json"  # what was delivered, to whom and when
WORKBOOK_FILE = "large_accounts.xlsx"
SCORES_DIR = ".scores"  # the runner's score files while the period runs (render.scores)
INDEX_FILE = "index.html"  # reports/index.html: every rendered period


def briefing_name(slug: str) -> str:
    """The name of a group's briefing among the period's reports: ``briefings/<slug>``
    (its files ``briefings/<slug>.html``, ``executed/briefings/<slug>.ipynb``, …)."""
    return f"{BRIEFINGS_DIR}/{slug}"


def index_file(reports_dir: Path) -> Path:
    """The index page of every rendered period under ``reports_dir``."""
    return reports_dir / INDEX_FILE


@dataclass(frozen=True)
class ReportPaths:
    """The files of one period's output folder (``root``: ``reports/<period>``)."""

    root: Path

    def html(self, name: str) -> Path:
        return self.root / f"{name}.html"

    def executed(self, name: str) -> Path:
        return self.root / EXECUTED_DIR / f"{name}.ipynb"

    def failed(self, name: str) -> Path:
        return self.root / FAILED_DIR / f"{name}.ipynb"

    def pending(self, name: str, pid: int) -> Path:
        """The notebook of ``name`` while process ``pid`` executes it, hidden beside
        :meth:`executed`."""
        executed = self.executed(name)
        return executed.with_name(f".{executed.stem}.{pid}{PENDING_SUFFIX}")

    def pending_notebooks(self) -> list[tuple[Path, int]]:
        """Each :meth:`pending` notebook of the period with the id of its process."""
        folder = self.root / EXECUTED_DIR
        if not folder.is_dir():
            return []
        found = []
        for path in folder.rglob(f".*{PENDING_SUFFIX}"):
            pid = path.name.split(".")[-3]
            if pid.isdigit():
                found.append((path, int(pid)))
        return found

    def briefing_folders(self) -> tuple[tuple[Path, str], ...]:
        """The folders holding the period's briefings, with the suffix of their files:
        rendered, executed and failed."""
        return (
            (self.root / BRIEFINGS_DIR, ".html"),
            (self.root / EXECUTED_DIR / BRIEFINGS_DIR, ".ipynb"),
            (self.root / FAILED_DIR / BRIEFINGS_DIR, ".ipynb"),
        )

    def relative(self, path: Path) -> str:
        """``path`` relative to the period's folder, as the briefing manifest holds it."""
        return path.relative_to(self.root).as_posix()

    @property
    def summary(self) -> Path:
        return self.root / SUMMARY_FILE

    @property
    def sent_log(self) -> Path:
        return self.root / SENT_LOG_FILE

    @property
    def outbox(self) -> Path:
        return self.root / OUTBOX_DIR

    @property
    def scores(self) -> Path:
        """The runner's score files while the period runs (:mod:`.scores`)."""
        return self.root / SCORES_DIR

    @property
    def workbook(self) -> Path:
        return self.root / WORKBOOK_FILE


# --------------------------------------------------------------------------- briefing file names

_LEGAL_FORM = re.compile(
    r"\b(b\.?v\.?|n\.?v\.?|v\.?o\.?f\.?|c\.?v\.?|inc\.?|ltd\.?|llc|gmbh|"
    r"s\.a\.|plc)(?=\s|$|,)",
    re.IGNORECASE,
)


def group_slug(name: str, group_id: str = "") -> str:
    """A file name for a group: ascii, lowercase, hyphens, without the legal form.

    >>> group_slug("Zorggroep Vlietstreek B.V."), group_slug("Stichting Onderwijs Brabant")
    ('zorggroep-vlietstreek', 'stichting-onderwijs-brabant')
    >>> group_slug("Café 't Hoekje N.V."), group_slug("B.V.", "C10001")
    ('cafe-t-hoekje', 'c10001')
    """
    text = unicodedata.normalize("NFKD", _LEGAL_FORM.sub(" ", str(name)))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug or re.sub(r"[^a-z0-9]+", "-", str(group_id).lower()).strip("-") or "group"


MAX_SLUG = 60  # characters of the name part of a file name (file systems allow 255 bytes)
_PLAIN_ID = re.compile(r"[A-Z0-9]{1,40}")  # ids such as C10041: their lowercase is unique


def group_file_id(group_id: str) -> str:
    """The group id as the first part of a file name: lowercase ascii, no hyphen, and
    different for different ids (also on a file system that ignores case).

    An id of capitals and digits (``C10041``) is lowercased; any other id keeps its letters
    and digits and gets ``_`` and a hash of the exact id, so ``c1``, ``C1`` and ``C-1`` stay
    apart.

    >>> group_file_id("C10041"), group_file_id("c10041"), group_file_id("C-10041")
    ('c10041', 'c10041_94fafc0847', 'c10041_4d8a505a0c')
    """
    group_id = str(group_id)
    if _PLAIN_ID.fullmatch(group_id):
        return group_id.lower()
    plain = re.sub(
        r"[^a-z0-9]+",
        "",
        unicodedata.normalize("NFKD", group_id).encode("ascii", "ignore").decode("ascii").lower(),
    )[:40]
    return f"{plain}_{hashlib.sha256(group_id.encode('utf-8')).hexdigest()[:10]}"


def briefing_slug(group_id: str, name: str) -> str:
    """The file name (without suffix) of a group's briefing: ``<group id>-<name>``.

    Unique per group id by construction, whatever the names: the id part
    (:func:`group_file_id`) holds no hyphen, so it ends at the first one, and differs
    between ids. The name part (:func:`group_slug`, at most :data:`MAX_SLUG` characters)
    only helps a reader.

    >>> [briefing_slug(g, n) for g, n in [("C10041", "Acme B.V."), ("C10001", "Acme N.V."),
    ...                                    ("C10055", "Acme C10041")]]
    ['c10041-acme', 'c10001-acme', 'c10055-acme-c10041']
    """
    name_part = group_slug(name, group_id)[:MAX_SLUG].strip("-") or "group"
    return f"{group_file_id(group_id)}-{name_part}"
