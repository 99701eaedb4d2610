"""Revenue concentration over customer groups: shares, ranks and top-N."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..consolidate.cube import Consolidation
from ..consolidate.window import revenue_by_group
from ..periods import DEFAULT_WINDOW_MONTHS, parse_period

# The source article's rule of thumb: a group bringing at least 5% of revenue is a Large
# Account candidate. The library's default; a period's settings (params/defaults.yaml) say.
DEFAULT_THRESHOLD = 0.05


def concentration_table(revenue: pd.DataFrame) -> pd.DataFrame:
    """The share base: rank, share and cumulative share of every group with positive revenue.

    This is the one place shares of revenue are computed; the metrics, the candidates, the
    designation, the scenarios and the window sensitivity all take their shares from it, so
    a group has the same share wherever it is reported. The base is the revenue of the groups
    with net revenue above zero (see :func:`positive_revenue`); groups at or below zero
    (credit notes exceeding invoices) are left out of the table and have share 0 everywhere.
    So the shares are each in [0, 1] and add up to 1 (to float precision), and
    ``cumulative_share`` rises to exactly 1.0 (it is computed from the cumulative cents).

    Takes a frame with ``group_id`` and ``revenue_cents`` (other columns are kept) and
    returns the groups with positive revenue, largest first (ties by ``group_id``), with
    ``rank`` (1, 2, …), ``share`` and ``cumulative_share`` added and a fresh index. When no
    group has positive revenue (no rows, a zero total, only credit) no share is defined and
    the table has no rows (its columns are still there). Does not mutate its input.

    >>> df = pd.DataFrame({"group_id": ["a", "b", "c", "d"],
    ...                    "revenue_cents": [100, 300, 600, -50]})
    >>> concentration_table(df)[["group_id", "rank", "share", "cumulative_share"]]
      group_id  rank  share  cumulative_share
    0        c     1    0.6               0.6
    1        b     2    0.3               0.9
    2        a     3    0.1               1.0
    >>> len(concentration_table(df.assign(revenue_cents=[0, -1, -2, 0])))
    0
    """
    out = positive_revenue(revenue)
    cents = out["revenue_cents"].to_numpy(dtype=np.int64)
    total = int(cents.sum())  # > 0 whenever there is a row
    share = cents / total if total else np.zeros(0)
    cumulative = np.cumsum(cents) / total if total else np.zeros(0)
    return out.assign(
        rank=np.arange(1, len(out) + 1, dtype=np.int64),
        share=share.astype(np.float64),
        cumulative_share=cumulative.astype(np.float64),
    )


# --------------------------------------------------------------------------- metrics

HHI_HIGHLY_CONCENTRATED = 1800  # US 2023 merger guidelines: above this, highly concentrated
HHI_MODERATELY_CONCENTRATED = 1000  # our own lower line; the 2023 guidelines define none
HHI_SIGNIFICANT_CHANGE = 100  # US 2023 merger guidelines: a rise of more than 100 is significant

HHI_BANDS = {
    "highly": "highly concentrated",
    "moderately": "moderately concentrated",
    "unconcentrated": "unconcentrated",
}


def positive_revenue(revenue: pd.DataFrame) -> pd.DataFrame:
    """The groups that count for concentration: net revenue above zero, largest first.

    A group can end a window with net revenue at or below zero (credit notes exceeding
    invoices). A negative share has no meaning in a share, an HHI or a Lorenz curve, so such
    groups are left out of every concentration figure and counted instead
    (:func:`concentration_metrics` reports ``credit_groups`` and ``credit_cents``). Shares
    are therefore shares of the revenue of the groups with positive revenue.

    Takes a frame with at least ``group_id`` and ``revenue_cents`` (other columns are kept)
    and returns the rows with ``revenue_cents > 0``, sorted by revenue descending, then
    ``group_id``, with a fresh index. Does not mutate its input.

    >>> df = pd.DataFrame({"group_id": ["a", "b", "c"], "revenue_cents": [100, -50, 300]})
    >>> positive_revenue(df)["group_id"].tolist()
    ['c', 'a']
    """
    out = revenue[revenue["revenue_cents"] > 0]
    return out.sort_values(
        ["revenue_cents", "group_id"], ascending=[False, True], ignore_index=True
    )


def hhi_band(hhi: float) -> str:
    """The band of a Herfindahl-Hirschman index on the 0–10,000 scale.

    Above 1,800: ``highly concentrated``, the line of the US 2023 merger guidelines. Those
    guidelines define only that line (and a rise of more than 100 as significant); the
    split below it is ours: 1,000–1,800 ``moderately concentrated``, below 1,000
    ``unconcentrated``. An undefined index (no revenue) gives ``""``.

    >>> hhi_band(2500.0), hhi_band(1800.0), hhi_band(999.9)
    ('highly concentrated', 'moderately concentrated', 'unconcentrated')
    """
    if not np.isfinite(hhi):
        return ""
    if hhi > HHI_HIGHLY_CONCENTRATED:
        return HHI_BANDS["highly"]
    if hhi >= HHI_MODERATELY_CONCENTRATED:
        return HHI_BANDS["moderately"]
    return HHI_BANDS["unconcentrated"]


def _gini(ascending: np.ndarray) -> float:
    """Gini of positive values sorted ascending: 1 − 2·(area under the Lorenz curve).

    Closed form of the trapezoid area: G = 2·Σ i·xᵢ / (n·Σ x) − (n + 1) / n, i = 1..n.
    Not normalised: n equal groups give 0, one group of n holding everything (n − 1) / n.
    """
    n = len(ascending)
    if n == 0:
        return float("nan")
    x = ascending.astype(np.float64)
    i = np.arange(1, n + 1, dtype=np.float64)
    return float(2.0 * (i * x).sum() / (n * x.sum()) - (n + 1) / n)


def concentration_metrics(revenue: pd.DataFrame) -> dict:
    """Concentration of revenue over groups, in one dict.

    Takes a frame with ``group_id`` and ``revenue_cents`` (integer cents), such as
    :func:`~account_analysis.consolidate.window.revenue_by_group` returns; row order does not
    matter. Shares are those of :func:`concentration_table`: groups with net revenue at or
    below zero are left out and counted. Does not mutate its input. Returns:

    ``total_cents``
        revenue of the groups with positive revenue (int): the base of every share.
    ``groups``
        number of groups with positive revenue.
    ``credit_groups``, ``credit_cents``
        groups with net revenue ≤ 0, left out, and their net revenue (≤ 0, int);
        ``total_cents + credit_cents`` is the net revenue of the frame.
    ``cr1``, ``cr4``, ``cr10``
        share (0–1) of the largest 1, 4 and 10 groups (all of them when fewer): the
        ``cumulative_share`` of :func:`concentration_table` at rank 1, 4 and 10.
    ``hhi``
        Herfindahl-Hirschman index, Σ (100·sᵢ)², on the 0–10,000 scale.
    ``hhi_band``
        see :func:`hhi_band`.
    ``effective_number``
        10,000 / HHI: the number of equal-size groups with the same HHI (1 to ``groups``).
    ``gini``
        1 − 2·(area under the Lorenz curve of :func:`lorenz_curve`), 0 when all groups are
        equal, at most (n − 1)/n.

    With no group of positive revenue (no rows, a zero total, only credit) no share is
    defined: ``groups`` and ``total_cents`` are 0, the CRs, HHI, effective number and Gini are
    NaN (never an infinity or a division warning) and the band is ``""``.

    >>> df = pd.DataFrame({"group_id": ["a", "b", "c", "d"],
    ...                    "revenue_cents": [600, 300, 100, -40]})
    >>> m = concentration_metrics(df)
    >>> m["total_cents"], m["groups"], m["credit_groups"], m["credit_cents"]
    (1000, 3, 1, -40)
    >>> round(m["cr1"], 3), round(m["hhi"], 1), m["hhi_band"], round(m["effective_number"], 3)
    (0.6, 4600.0, 'highly concentrated', 2.174)
    >>> round(m["gini"], 4)
    0.3333
    """
    table = concentration_table(revenue)
    cents = table["revenue_cents"].to_numpy(dtype=np.int64)  # largest first
    total = int(cents.sum())
    amounts = revenue["revenue_cents"].to_numpy(dtype=np.int64)
    credit = amounts[amounts <= 0]
    n = len(cents)
    if n == 0:
        nan = float("nan")
        cr = {k: nan for k in (1, 4, 10)}
        hhi = gini = effective = nan
    else:
        share = table["share"].to_numpy(dtype=np.float64)
        cumulative = table["cumulative_share"].to_numpy(dtype=np.float64)
        cr = {k: float(cumulative[min(k, n) - 1]) for k in (1, 4, 10)}
        hhi = float(((100.0 * share) ** 2).sum())
        effective = 10_000.0 / hhi
        gini = _gini(cents[::-1])
    return {
        "total_cents": total,
        "groups": n,
        "credit_groups": int(len(credit)),
        "credit_cents": int(credit.sum()),
        "cr1": cr[1],
        "cr4": cr[4],
        "cr10": cr[10],
        "hhi": hhi,
        "hhi_band": hhi_band(hhi),
        "effective_number": effective,
        "gini": gini,
    }


def lorenz_curve(revenue: pd.DataFrame) -> pd.DataFrame:
    """The Lorenz curve: cumulative share of groups against cumulative share of revenue.

    The groups of :func:`concentration_table` (net revenue above zero), smallest first.
    The first row is the origin (0, 0) with an empty ``group_id`` and 0 cents; the last is
    (1, 1); with no group of positive revenue only the origin. Columns:
    ``group_id``, ``revenue_cents``, ``cumulative_group_share``,
    ``cumulative_revenue_share`` (both 0–1). Does not mutate its input.

    >>> df = pd.DataFrame({"group_id": ["a", "b", "c"], "revenue_cents": [600, 100, 300]})
    >>> lorenz_curve(df)
      group_id  revenue_cents  cumulative_group_share  cumulative_revenue_share
    0                       0                0.000000                       0.0
    1        b            100                0.333333                       0.1
    2        c            300                0.666667                       0.4
    3        a            600                1.000000                       1.0
    """
    pos = concentration_table(revenue).iloc[::-1]
    cents = pos["revenue_cents"].to_numpy(dtype=np.int64)
    n, total = len(cents), int(cents.sum())
    ids = np.concatenate([[""], pos["group_id"].to_numpy(dtype=object)])
    cum_cents = np.concatenate([[0], np.cumsum(cents)])
    return pd.DataFrame(
        {
            "group_id": pd.array(ids, dtype="str"),
            "revenue_cents": np.concatenate([[0], cents]).astype(np.int64),
            "cumulative_group_share": np.arange(n + 1) / n if n else np.zeros(1),
            "cumulative_revenue_share": cum_cents / total if total else np.zeros(1),
        }
    )


def candidates_above(revenue: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The groups whose share of revenue is at least ``threshold``, largest first.

    The rows of :func:`concentration_table` with ``share ≥ threshold`` (so the input's
    columns plus ``rank``, ``share`` and ``cumulative_share``): the same shares as the
    designation's. Empty when no group has positive revenue. Does not mutate its input.

    >>> df = pd.DataFrame({"group_id": ["a", "b", "c"], "revenue_cents": [600, 100, 300]})
    >>> candidates_above(df, 0.25)[["group_id", "share"]]
      group_id  share
    0        a    0.6
    1        c    0.3
    """
    table = concentration_table(revenue)
    return table[table["share"] >= threshold].reset_index(drop=True)


TREND_COLUMNS = (
    "period",
    "window_start",
    "window_end",
    "total_cents",
    "groups",
    "credit_groups",
    "credit_cents",
    "cr1",
    "cr4",
    "cr10",
    "hhi",
    "hhi_band",
    "effective_number",
    "gini",
    "candidates",
    "candidates_share",
)


def concentration_trend(
    consolidation: Consolidation,
    periods: list[str],
    window_months: int = DEFAULT_WINDOW_MONTHS,
    threshold: float = DEFAULT_THRESHOLD,
    restate_hierarchy: bool | None = None,
) -> pd.DataFrame:
    """Concentration per period, one row each, in the order given.

    Each period's revenue is taken over its trailing window of ``window_months`` (see
    :meth:`~account_analysis.periods.Period.window`). Columns: ``period`` (label),
    ``window_start``, ``window_end`` (dates), the keys of :func:`concentration_metrics`,
    ``candidates`` (groups with a share ≥ ``threshold``) and ``candidates_share`` (their
    combined share). An unknown period form raises ``ValueError`` from
    :func:`~account_analysis.periods.parse_period`.

    >>> import account_analysis as aa, tempfile
    >>> from account_analysis.authoring.demo import write_demo_dataset
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = write_demo_dataset(folder)
    ...     cons = aa.build_cube(aa.load_dataset(folder), cache_dir=None)
    >>> t = concentration_trend(cons, ["2026-Q2", "2026-Q3"])
    >>> t[["period", "candidates"]].to_dict("list")
    {'period': ['2026-Q2', '2026-Q3'], 'candidates': [4, 4]}
    """
    rows = []
    for label in periods:
        window = parse_period(label).window(window_months)
        revenue = revenue_by_group(consolidation, window, restate_hierarchy)
        above = candidates_above(revenue, threshold)
        rows.append(
            {
                "period": parse_period(label).label,
                "window_start": window.start,
                "window_end": window.end,
                **concentration_metrics(revenue),
                "candidates": len(above),
                "candidates_share": float(above["share"].sum()),
            }
        )
    return pd.DataFrame(rows, columns=list(TREND_COLUMNS))
