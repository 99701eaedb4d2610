"""Periods and their trailing windows."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from account_analysis.periods import parse_period, window_for


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026-Q3", "quarter", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026q1", "quarter", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-09", "month", date(2026, 9, 1), date(2026, 9, 30)),
        ("2024-2", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026", "year", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_parse_forms(text, kind, start, end):
    p = parse_period(text)
    assert (p.kind, p.start, p.end) == (kind, start, end)


@pytest.mark.parametrize("text", ["2026-Q5", "2026-13", "26-Q1", "Q3 2026", "", "2026-09-30"])
def test_rejects_other_text(text):
    with pytest.raises(ValueError, match="expected a quarter"):
        parse_period(text)


def test_default_window_is_24_whole_months():
    w = window_for("2026-Q3")
    assert (w.start, w.end, w.months) == (date(2024, 10, 1), date(2026, 9, 30), 24)
    assert window_for("2026", 36).start == date(2024, 1, 1)
    assert window_for("2026-02", 12).month_labels()[0] == "2025-03"


def test_window_contains_its_edges_only():
    w = window_for("2026-09", 12)
    dates = pd.Series(pd.to_datetime(["2025-09-30", "2025-10-01", "2026-09-30", "2026-10-01"]))
    assert w.contains(dates).tolist() == [False, True, True, False]


def test_previous_and_shift_cross_years():
    assert parse_period("2026-Q1").previous().label == "2025-Q4"
    assert parse_period("2025-12").shift(1).label == "2026-01"
    assert parse_period("2026").previous().label == "2025"


@pytest.mark.parametrize("months", [0, -1, 1.5, True])
def test_window_must_be_positive_whole_months(months):
    with pytest.raises(ValueError):
        parse_period("2026-Q3").window(months)


@given(
    year=st.integers(1990, 2100),
    q=st.integers(1, 4),
    months=st.integers(1, 120),
)
def test_window_invariants(year, q, months):
    p = parse_period(f"{year}-Q{q}")
    w = p.window(months)
    assert w.end == p.end
    assert w.months == months == len(w.month_labels())
    assert w.start.day == 1
    assert parse_period(p.label) == p
    assert p.shift(4).shift(-4) == p
