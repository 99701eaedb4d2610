"""The codes every cube engine shares: rule kinds in their order of precedence, the match
kinds and exclusion reasons a line can carry, and the open ends of a dated rule or link."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..settings.statuses import STATUS_CODES, status_treatment, statuses_treated

__all__ = [
    "DAY_MAX",
    "DAY_MIN",
    "EXCLUSION_CODES",
    "FLAG_COLUMNS",
    "MATCH_CODES",
    "RULE_KINDS",
    "STATUS_CODES",
    "no_flags",
    "status_treatment",
    "statuses_treated",
]

# A line is attributed by the first kind that matches it, in this order.
RULE_KINDS = ("invoice", "po", "service_line", "account")
# Why a line is on its unit: "" (it stays on its billing account), its ordering unit, or
# the kind of rule that moved it.
MATCH_CODES = ("", "ordering_unit", *RULE_KINDS)
# Why a line is left out of revenue ("" when it is not); a doubtful status
# (load.schema.DOUBTFUL_STATUSES) excluded by the settings is its code (STATUS_CODES).
# In lexical order: the engines order their tables by these codes.
EXCLUSION_CODES = ("", "cancelled", "disputed", "intercompany", "on_hold")
# The flags table: counted revenue of flagged lines per status code, group and month.
FLAG_COLUMNS = ("status", "group_at_date", "month", "revenue_cents", "lines")
DAY_MIN = np.datetime64("0001-01-01", "D")
DAY_MAX = np.datetime64("9999-12-31", "D")


def no_flags() -> pd.DataFrame:
    """The flags table with no line flagged (:data:`FLAG_COLUMNS`).

    >>> list(no_flags().columns), len(no_flags())
    (['status', 'group_at_date', 'month', 'revenue_cents', 'lines'], 0)
    """
    text = {c: pd.array([], dtype="str") for c in FLAG_COLUMNS[:3]}
    return pd.DataFrame(
        {**text, "revenue_cents": np.zeros(0, np.int64), "lines": np.zeros(0, np.int64)}
    )
