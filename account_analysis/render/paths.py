"""Where a period's output lives: ``reports/<period>/`` and the names inside it. The one
place that spells the layout; the batch runner writes it, delivery and the index read it.

>>> from pathlib import Path
>>> paths = ReportPaths(Path("reports") / "2026-Q3")
>>> paths.html("revenue_concentration").as_posix()
'reports/2026-Q3/revenue_concentration.html'
>>> paths.executed(f"{BRIEFINGS_DIR}/C10041-acme").as_posix()
'reports/2026-Q3/executed/briefings/C10041-acme.ipynb'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The reports of a period (one notebook and one HTML file each, in this order), and the
# notebook of the briefing rendered per Large Account.
PERIOD_REPORTS = ("revenue_concentration", "large_account_rationale")
BRIEFING_REPORT = "account_briefing"
BRIEFINGS_DIR = "briefings"  # one HTML file per Large Account briefing
EXECUTED_DIR = "executed"  # the executed notebook of each report that rendered
FAILED_DIR = "failed"  # the executed notebook of each report that failed, kept for reading
OUTBOX_DIR = "outbox"  # .eml files of a dry run or an --outbox send
SUMMARY_FILE = "summary.json"  # what the run rendered, failed and briefed
SENT_LOG_FILE = "sent.json"  # what was delivered, to whom and when
WORKBOOK_FILE = "large_accounts.xlsx"
SCORES_DIR = ".scores"  # the runner's score files while the period runs (render.scores)


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
