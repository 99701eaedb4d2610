"""The sales-operations workbook of a period: ``reports/<period>/large_accounts.xlsx``.

Sheets (names and headers in the report language):

* designations: every candidate and near miss with its criteria, the recommendation, the
  decision and both reasons;
* account managers: the proposed (or decided) account manager per Large Account, with the
  score, its parts and the reason;
* territories: revenue and customers per postcode territory; the accounts per territory
  (including those that left for a Large Account and those that match no range);
* ledger: the reconciliation of the window and every movement and exclusion in it.

Money is written in the reporting currency with two decimals (``cents / 100``), shares as
percentages; the figures are the library's own, unrounded. Text that came from input files
(customer names, reasons, subjects) is written as text with Excel's *quote prefix*: a name
such as ``=HYPERLINK(...)`` stays the literal text it was and never becomes a formula, not
even when someone edits the cell later.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..present.reasons import with_assignment_reasons, with_words
from ..words import ByKey, words

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"

SHEETS = ByKey("sheet")

# Column headers (the catalogs' workbook.*); a column not listed there gets its own name
# with spaces.
LABELS = ByKey("workbook")


def neutralise(value):
    """Whether ``value`` is text that a spreadsheet would read as a formula.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("Van Houten"), neutralise(-3)
    (True, False, False)
    """
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _label(column: str, language: str) -> str:
    return words(language).get(f"workbook.{column}") or column.replace("_", " ").capitalize()


def _cell_value(value):
    """A Python value openpyxl writes as what it is (no numpy scalars, no NA)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and np.isnan(value):
            return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


def _write_frame(wb, title: str, frame: pd.DataFrame, language: str, note: str = "") -> None:
    """One sheet: optional note row, bold header, typed cells, filter, frozen header."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title[:31])
    row0 = 1
    if note:
        ws.cell(1, 1, note).font = Font(italic=True)
        row0 = 3
    columns = list(frame.columns)
    for j, column in enumerate(columns, start=1):
        cell = ws.cell(row0, j, _label(column, language))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(_label(c, language)) for c in columns]
    for i, values in enumerate(frame.itertuples(index=False, name=None), start=row0 + 1):
        for j, (column, raw) in enumerate(zip(columns, values, strict=True), start=1):
            value = _cell_value(raw)
            if column.endswith("_cents") and value is not None:
                value = value / 100
            cell = ws.cell(i, j)
            cell.value = value
            if neutralise(value):
                cell.data_type = "s"  # keep the text; never a formula
                cell.quotePrefix = True
            elif column.endswith("_cents"):
                cell.number_format = MONEY_FORMAT
            elif column in ("share", "share_of_wallet", "trend") or column.endswith("_share"):
                cell.number_format = PERCENT_FORMAT
            elif isinstance(value, (date, datetime)):
                cell.number_format = DATE_FORMAT
            text = f"{value:,.2f}" if isinstance(value, float) else str(value or "")
            widths[j - 1] = max(widths[j - 1], min(len(text), 60))
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(8, width + 2)
    if columns:
        ws.freeze_panes = ws.cell(row0 + 1, 1)
        ws.auto_filter.ref = f"A{row0}:{get_column_letter(len(columns))}{row0 + max(len(frame), 1)}"


def _rows_in_window(frame: pd.DataFrame, window) -> pd.DataFrame:
    from ..consolidate.window import months_in_window

    return frame[months_in_window(frame["month"], window)].reset_index(drop=True)


def workbook_bytes(score) -> bytes:
    """The workbook of one scored period, as the bytes of an ``.xlsx`` file."""
    from openpyxl import Workbook

    from ..consolidate.window import reconcile

    settings = score.settings
    language = settings.language
    currency = settings.reporting_currency
    wb = Workbook()
    wb.remove(wb.active)
    money_note = words(language)["workbook_note.money"].format(
        period=settings.period, currency=currency, window=settings.window.describe(language)
    )

    # The rule's reason and the wallet's basis as the report's words, in place of codes.
    designations = with_words(score.designations, settings.threshold, language).reset_index(
        drop=True
    )
    _write_frame(wb, SHEETS["designations"][language], designations, language, money_note)

    assignments = with_assignment_reasons(
        score.assignments, score.dataset.account_managers, language, currency
    )
    _write_frame(
        wb, SHEETS["managers"][language], assignments.reset_index(drop=True), language, money_note
    )
    territories = score.territories
    _write_frame(
        wb,
        SHEETS["territories"][language],
        territories.summary.reset_index(drop=True),
        language,
        money_note,
    )
    _write_frame(
        wb,
        SHEETS["territory_accounts"][language],
        territories.accounts.reset_index(drop=True),
        language,
        money_note,
    )

    consolidation = score.consolidation
    _write_frame(
        wb,
        SHEETS["ledger"][language],
        reconcile(consolidation, settings.window),
        language,
        money_note,
    )
    _write_frame(
        wb,
        SHEETS["movements"][language],
        _rows_in_window(consolidation.movements.reset_index(), settings.window),
        language,
        money_note,
    )
    _write_frame(
        wb,
        SHEETS["exclusions"][language],
        _rows_in_window(consolidation.exclusions, settings.window),
        language,
        money_note,
    )

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_workbook(score, path: Path) -> Path:
    """Write :func:`workbook_bytes` to ``path`` atomically (the old file stays on failure)."""
    from ..files import write_atomically

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, workbook_bytes(score))
    return path
