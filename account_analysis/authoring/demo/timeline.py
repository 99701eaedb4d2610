"""The demo's timeline: 36 months of invoices, 2023-10-01 to 2026-09-30.

Months are numbered from 0 (2023-10) to 35 (2026-09); the data files write them "YYYY-MM".

>>> month_number("2025-06")
20
"""

from __future__ import annotations

import numpy as np

N_MONTHS = 36  # 2023-10 .. 2026-09
FIRST_MONTH = np.datetime64("2023-10", "M")
LAST_DAY = np.datetime64("2026-09-30", "D")
WINDOW_FROM = np.datetime64("2024-10-01", "D")  # the default 24-month window
WINDOW_12_FROM = np.datetime64("2025-10-01", "D")  # the 12-month window
MID = 23.5  # trends are expressed around the middle of the 24-month window


def month_number(month: str) -> int:
    """The number of a month written "YYYY-MM" (0 for 2023-10)."""
    return int((np.datetime64(month, "M") - FIRST_MONTH).astype(np.int64))


def month_index(dates: np.ndarray) -> np.ndarray:
    """The month number of each date."""
    return (dates.astype("datetime64[M]") - FIRST_MONTH).astype(np.int64)


def month_first_days() -> np.ndarray:
    """The first day of each month, and of the month after the last (N_MONTHS + 1 days)."""
    return (FIRST_MONTH + np.arange(N_MONTHS + 1)).astype("datetime64[D]")
