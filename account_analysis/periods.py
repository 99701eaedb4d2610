"""Reporting periods and their trailing revenue windows.

A period is a quarter (``2026-Q3``), a month (``2026-09``) or a year (``2026``). Revenue
is looked at over a trailing window of whole months ending at the period's last day:
24 months by default, as in the source article (whole years neutralise seasonality).

>>> p = parse_period("2026-Q3")
>>> p.start, p.end
(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
>>> w = p.window()
>>> w.start, w.end, w.months
(datetime.date(2024, 10, 1), datetime.date(2026, 9, 30), 24)
>>> p.previous().label
'2026-Q2'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd
from babel.dates import get_month_names

from .words import words

DEFAULT_WINDOW_MONTHS = 24

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
PERIOD_FORMS = "a quarter (2026-Q3), a month (2026-09) or a year (2026)"


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _month_end(index: int) -> date:
    year, month = index // 12, index % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, order=True)
class Window:
    """A span of whole months, ``start`` (first day) to ``end`` (last day), inclusive."""

    start: date
    end: date

    @property
    def months(self) -> int:
        return _month_index(self.end) - _month_index(self.start) + 1

    def contains(self, dates: pd.Series) -> pd.Series:
        """Boolean mask: which of ``dates`` (datetime64) fall inside the window."""
        return (dates >= pd.Timestamp(self.start)) & (dates <= pd.Timestamp(self.end))

    def month_labels(self) -> list[str]:
        """Every month of the window as ``YYYY-MM``."""
        first = _month_index(self.start)
        return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(first, first + self.months)]

    def describe(self, language: str = "en") -> str:
        """Plain words: ``24 months to September 2026``.

        >>> Window(date(2024, 10, 1), date(2026, 9, 30)).describe("nl")
        '24 maanden tot en met september 2026'
        """
        w = words(language)
        month = get_month_names("wide", "format", w.locale)[self.end.month]
        return w["period.window"].format(months=self.months, month=month, year=self.end.year)


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: its label, kind and first and last day."""

    start: date
    end: date
    kind: str
    label: str

    def window(self, months: int = DEFAULT_WINDOW_MONTHS) -> Window:
        """The trailing window of ``months`` whole months ending at the period's end."""
        if not isinstance(months, int) or isinstance(months, bool) or months < 1:
            raise ValueError(f"window must be a whole number of months ≥ 1, got {months!r}")
        last = _month_index(self.end)
        return Window(_month_start(last - months + 1), self.end)

    def shift(self, n: int) -> Period:
        """The period ``n`` steps later (negative: earlier), of the same kind.

        >>> parse_period("2026-01").shift(-1).label
        '2025-12'
        """
        step = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        first = _month_index(self.start) + n * step
        return _make(self.kind, first)

    def previous(self) -> Period:
        return self.shift(-1)

    def __str__(self) -> str:
        return self.label


def _make(kind: str, first_month: int) -> Period:
    span = {"month": 1, "quarter": 3, "year": 12}[kind]
    start = _month_start(first_month)
    end = _month_end(first_month + span - 1)
    if kind == "month":
        label = f"{start.year:04d}-{start.month:02d}"
    elif kind == "quarter":
        label = f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    else:
        label = f"{start.year:04d}"
    return Period(start, end, kind, label)


def parse_period(text: str) -> Period:
    """Parse ``2026-Q3``, ``2026-09`` or ``2026``.

    Raises ``ValueError`` with the accepted forms for anything else.

    >>> parse_period("2026").end
    datetime.date(2026, 12, 31)
    >>> parse_period("2026-13")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: '2026-13' is not a period: expected a quarter (2026-Q3), a month (2026-09) ...
    """
    s = str(text).strip()
    if m := _QUARTER.match(s):
        year, quarter = int(m.group(1)), int(m.group(2))
        return _make("quarter", year * 12 + (quarter - 1) * 3)
    if (m := _MONTH.match(s)) and 1 <= int(m.group(2)) <= 12:
        return _make("month", int(m.group(1)) * 12 + int(m.group(2)) - 1)
    if m := _YEAR.match(s):
        return _make("year", int(m.group(1)) * 12)
    raise ValueError(f"{text!r} is not a period: expected {period_expected(text)}")


def period_expected(text) -> str:
    """What a period is, for the message about ``text`` that is not one; a date is told the
    periods it falls in.

    >>> period_expected("2026-07-31").split("; ")[1]
    '2026-07-31 is a date, in 2026-Q3, 2026-07 and 2026'
    >>> period_expected("next quarter") == PERIOD_FORMS
    True
    """
    m = _DATE.match(str(text).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return PERIOD_FORMS
    year, month = int(m.group(1)), int(m.group(2))
    quarter = (month - 1) // 3 + 1
    return (
        f"{PERIOD_FORMS}; {str(text).strip()} is a date, in {year}-Q{quarter}, "
        f"{year}-{month:02d} and {year}"
    )


def window_for(period: str | Period, months: int = DEFAULT_WINDOW_MONTHS) -> Window:
    """Shortcut: the trailing window of a period given as text.

    >>> window_for("2026-09", 12).describe()
    '12 months to September 2026'
    """
    p = period if isinstance(period, Period) else parse_period(period)
    return p.window(months)
