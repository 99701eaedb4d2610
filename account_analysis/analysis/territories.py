"""Sales territories by postcode for the customers that are not Large Accounts.

The unit placed in a territory is the **business unit that placed the order** (the cube's
``unit_id``, after re-attribution), because that is where the account manager visits; a
customer group with sites in two regions is in two territories. A unit is matched on the
four digits of its postcode (``2316 XB`` → 2316) when its country is ``NL``; the
``territories`` table holds inclusive ranges (``postcode_from``–``postcode_to``), possibly
several per territory, that must not overlap.

:func:`assign_territories` sorts the window's revenue of every unit into exactly one of:

* ``large_account`` — its group (as in the designation) is a Large Account this period: the
  unit left its territory, which is still named;
* ``territory`` — its postcode falls in a range;
* ``unmatched`` — no postcode, not a Dutch four-digit postcode, abroad, or a postcode in
  no range. Listed with the reason, never dropped.

So territory revenue + Large Account revenue + unmatched revenue = the window's total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..consolidate.cube import Consolidation
from ..consolidate.window import cube_in_window
from ..errors import InputError, Problem
from ..load.dataset import Dataset
from ..periods import Window

POSTCODE_MIN, POSTCODE_MAX = 1000, 9999  # Dutch postcodes have four digits, no leading 0
STATUSES = ("territory", "large_account", "unmatched")
UNMATCHED_REASONS = ("no_postcode", "invalid_postcode", "abroad", "no_range")
_POSTCODE = r"^\s*([1-9]\d{3})\s*(?:[A-Za-z]{2})?\s*$"

ACCOUNT_COLUMNS = [
    "account_id",
    "name",
    "postcode",
    "country",
    "group_id",
    "group_name",
    "status",
    "territory_id",
    "territory_name",
    "account_manager",
    "reason",
    "revenue_cents",
]
SUMMARY_COLUMNS = [
    "territory_id",
    "name",
    "ranges",
    "account_manager",
    "customers",
    "revenue_cents",
]


@dataclass(frozen=True)
class TerritoryAssignment:
    """The territories of one window.

    ``accounts``: one row per unit with revenue in the window and per status
    (:data:`ACCOUNT_COLUMNS`; ``territory_id`` is the territory of the postcode, also for
    a Large Account unit; ``reason`` one of :data:`UNMATCHED_REASONS` for unmatched units).
    ``summary``: one row per territory (:data:`SUMMARY_COLUMNS`; ``customers`` counts its
    units), in the order of the territories table. ``left``: the Large Account units with
    the territory they left. ``unmatched``: the units in no territory, with the reason.
    ``totals``: cents per status and ``total``.

    >>> from account_analysis import build_cube, load_dataset, window_for
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("two_territories")
    >>> ds = load_dataset(folder)
    >>> t = territories_in_window(build_cube(ds, cache_dir=None), ds, window_for("2026-Q1", 3),
    ...                           designated=["G"])
    >>> t.summary[["territory_id", "customers", "revenue_cents"]]
      territory_id  customers  revenue_cents
    0            N          0              0
    1            Z          1           8000
    >>> t.left[["account_id", "group_id", "territory_id", "revenue_cents"]].values.tolist()
    [['U', 'G', 'N', 10000]]
    >>> t.unmatched[["account_id", "reason"]].values.tolist(), t.totals
    ([['Y', 'abroad']], {'territory': 8000, 'large_account': 10000, 'unmatched': 500, \
'total': 18500})
    """

    accounts: pd.DataFrame
    summary: pd.DataFrame
    left: pd.DataFrame
    unmatched: pd.DataFrame
    totals: dict


def postcode_digits(postcode: pd.Series, country: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The four digits of Dutch postcodes (``-1`` where there are none) and the reason.

    >>> digits, reason = postcode_digits(pd.Series(["2316 XB", "", "12345", "B-2440"]),
    ...                                  pd.Series(["NL", "NL", "NL", "BE"]))
    >>> digits.tolist(), reason.tolist()
    ([2316, -1, -1, -1], ['', 'no_postcode', 'invalid_postcode', 'abroad'])
    """
    text = postcode.astype("str").fillna("").str.strip()
    digits = pd.to_numeric(text.str.extract(_POSTCODE)[0], errors="coerce")
    dutch = (country.astype("str").fillna("").str.strip().str.upper() == "NL").to_numpy()
    empty = (text == "").to_numpy()
    valid = digits.notna().to_numpy()
    reason = np.select([~dutch, empty, ~valid], ["abroad", "no_postcode", "invalid_postcode"], "")
    out = np.where(dutch & valid, digits.fillna(-1).to_numpy(), -1).astype("int64")
    return out, reason.astype(object)


def check_territories(territories: pd.DataFrame, rows=None, file: str = "territories.csv") -> None:
    """Raise :class:`InputError` for a range that is reversed, outside 1000–9999 or that
    overlaps another range; ``rows`` are the spreadsheet rows of the table.

    >>> territories = pd.DataFrame({"territory_id": ["N", "Z"], "name": ["Noord", "Zuid"],
    ...                             "postcode_from": [1000, 4000], "postcode_to": [3999, 6999]})
    >>> check_territories(territories)  # no problem: returns None
    >>> check_territories(territories.assign(postcode_from=[1000, 3500]))
    Traceback (most recent call last):
    account_analysis.errors.InputError: territories.csv, row 3, column postcode_from: 3500 \
\u2014 expected a range that overlaps no other; \
3500\u20136999 (Z) overlaps 1000\u20133999 (N, row 2)
    """
    rows = np.arange(len(territories)) + 2 if rows is None else np.asarray(rows)
    lo = territories["postcode_from"].astype("Int64").to_numpy(dtype="float", na_value=np.nan)
    hi = territories["postcode_to"].astype("Int64").to_numpy(dtype="float", na_value=np.nan)
    problems: list[Problem] = []
    for i in range(len(territories)):
        for col, v in (("postcode_from", lo[i]), ("postcode_to", hi[i])):
            if not POSTCODE_MIN <= v <= POSTCODE_MAX:
                problems.append(
                    Problem(
                        file, int(rows[i]), col, _int(v), "a four-digit postcode from 1000 to 9999"
                    )
                )
        if lo[i] > hi[i]:
            problems.append(
                Problem(
                    file,
                    int(rows[i]),
                    "postcode_to",
                    _int(hi[i]),
                    f"a postcode at or above postcode_from ({_int(lo[i])})",
                )
            )
    if problems:
        raise InputError(problems)
    order = np.argsort(lo, kind="stable")
    ids = territories["territory_id"].astype("str").to_numpy()
    reach, at = -1.0, -1
    for i in order:
        if lo[i] <= reach:
            problems.append(
                Problem(
                    file,
                    int(rows[i]),
                    "postcode_from",
                    _int(lo[i]),
                    f"a range that overlaps no other; {_int(lo[i])}–{_int(hi[i])} "
                    f"({ids[i]}) overlaps {_int(lo[at])}–{_int(hi[at])} ({ids[at]}, row "
                    f"{int(rows[at])})",
                )
            )
        if hi[i] > reach:
            reach, at = hi[i], i
    if problems:
        raise InputError(problems)


def _int(v):
    return None if pd.isna(v) else int(v)


def uncovered_ranges(territories: pd.DataFrame) -> list[tuple[int, int]]:
    """The postcode ranges from 1000 to 9999 that no territory covers.

    >>> uncovered_ranges(pd.DataFrame({"postcode_from": [1000, 5000], "postcode_to": [3999, 9899]}))
    [(4000, 4999), (9900, 9999)]
    """
    gaps, start = [], POSTCODE_MIN
    spans = sorted(
        zip(
            territories["postcode_from"].astype(int),
            territories["postcode_to"].astype(int),
            strict=True,
        )
    )
    for lo, hi in spans:
        if lo > start:
            gaps.append((start, lo - 1))
        start = max(start, hi + 1)
    if start <= POSTCODE_MAX:
        gaps.append((start, POSTCODE_MAX))
    return gaps


def check_dataset_territories(dataset: Dataset) -> None:
    """:func:`check_territories` on a dataset's ``territories`` table, its problems naming
    the table's file and rows.

    >>> from account_analysis import build_cube, load_dataset, window_for
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("two_territories")
    >>> ds = load_dataset(folder)
    >>> check_dataset_territories(ds)  # no problem: returns None
    >>> _ = (folder / "territories.csv").write_text(
    ...     "territory_id,name,postcode_from,postcode_to\\nN,Noord,3999,1000\\n")
    >>> check_dataset_territories(load_dataset(folder))
    Traceback (most recent call last):
    account_analysis.errors.InputError: territories.csv, row 2, column postcode_to: 1000 \
\u2014 expected a postcode at or above postcode_from (3999)
    """
    source = dataset.sources.get("territories")
    check_territories(
        dataset.territories,
        dataset.row_numbers.get("territories"),
        source.name if source is not None else "territories.csv",
    )


def assign_territories(
    unit_revenue: pd.DataFrame,
    accounts: pd.DataFrame,
    territories: pd.DataFrame,
    designated: Iterable[str],
    names: pd.Series | None = None,
) -> TerritoryAssignment:
    """Sort the revenue of every unit into territories, Large Accounts and unmatched.

    ``unit_revenue``: ``unit_id``, ``group_id``, ``revenue_cents`` (any number of rows per
    unit, e.g. cube rows of the window). ``accounts``: ``account_id``, ``name``,
    ``postcode``, ``country``. ``territories``: the table of the data contract (checked with
    :func:`check_territories`). ``designated``: the group ids that are Large Accounts.
    ``names``: account_id → name for the group names (default: from ``accounts``). Units
    absent from ``accounts`` have no postcode. Pure.

    >>> rev = pd.DataFrame({"unit_id": ["a", "b", "c"], "group_id": ["a", "B", "c"],
    ...                     "revenue_cents": [100, 250, 40]})
    >>> acc = pd.DataFrame({"account_id": ["a", "b", "c", "B"], "name": ["A", "Bu", "C", "Bg"],
    ...                     "postcode": ["2316 XB", "1011 AB", "9931", "1000"],
    ...                     "country": ["NL", "NL", "NL", "NL"]})
    >>> ter = pd.DataFrame({"territory_id": ["T1", "T2"], "name": ["Noord", "Zuid"],
    ...                     "postcode_from": [1000, 2200], "postcode_to": [2199, 3399],
    ...                     "account_manager": ["AM01", "AM03"]})
    >>> t = assign_territories(rev, acc, ter, ["B"])
    >>> t.accounts[["status", "territory_id"]].to_numpy().tolist()
    [['territory', 'T2'], ['large_account', 'T1'], ['unmatched', '']]
    >>> t.unmatched[["account_id", "reason", "revenue_cents"]]
      account_id    reason  revenue_cents
    0          c  no_range             40
    >>> t.totals
    {'territory': 100, 'large_account': 250, 'unmatched': 40, 'total': 390}
    """
    check_territories(territories)
    designated = set(designated)
    per = (
        unit_revenue.astype({"unit_id": "str", "group_id": "str"})
        .groupby(["unit_id", "group_id"], sort=True)["revenue_cents"]
        .sum()
        .reset_index()
    )
    acc = accounts.set_index(accounts["account_id"].astype("str"))
    postcode = acc["postcode"].reindex(per["unit_id"]).fillna("").astype("str")
    country = acc["country"].reindex(per["unit_id"]).fillna("NL").astype("str")
    digits, reason = postcode_digits(
        postcode.reset_index(drop=True), country.reset_index(drop=True)
    )
    lo = territories["postcode_from"].astype("int64").to_numpy()
    hi = territories["postcode_to"].astype("int64").to_numpy()
    order = np.argsort(lo, kind="stable")
    k = np.searchsorted(lo[order], digits, side="right") - 1
    pos = order[np.clip(k, 0, max(len(order) - 1, 0))] if len(order) else np.zeros_like(k)
    inside = (k >= 0) & (digits >= 0) & (len(order) > 0)
    if len(order):
        inside &= digits <= hi[pos]
    reason = np.where((reason == "") & ~inside, "no_range", reason)
    tid = territories["territory_id"].astype("str").to_numpy(dtype=object)
    tname = territories["name"].astype("str").to_numpy(dtype=object)
    tam = territories["account_manager"].astype("str").fillna("").to_numpy(dtype=object)
    large = per["group_id"].isin(designated).to_numpy()
    status = np.where(large, "large_account", np.where(inside, "territory", "unmatched"))
    group_names = (names if names is not None else acc["name"]).reindex(per["group_id"])
    out = pd.DataFrame(
        {
            "account_id": per["unit_id"].to_numpy(),
            "name": acc["name"].reindex(per["unit_id"]).to_numpy(),
            "postcode": postcode.to_numpy(),
            "country": acc["country"].reindex(per["unit_id"]).to_numpy(),
            "group_id": per["group_id"].to_numpy(),
            "group_name": group_names.to_numpy(),
            "status": status,
            "territory_id": np.where(inside, tid[pos] if len(order) else "", ""),
            "territory_name": np.where(inside, tname[pos] if len(order) else "", ""),
            "account_manager": np.where(inside & ~large, tam[pos] if len(order) else "", ""),
            "reason": np.where(status == "unmatched", reason, ""),
            "revenue_cents": per["revenue_cents"].to_numpy(dtype="int64"),
        }
    )
    for col in ACCOUNT_COLUMNS[:-1]:
        out[col] = pd.array(out[col].to_numpy(dtype=object), dtype="str")
    in_t = out[out["status"] == "territory"]
    agg = in_t.groupby("territory_id").agg(
        customers=("account_id", "nunique"), revenue_cents=("revenue_cents", "sum")
    )
    first = territories.assign(
        territory_id=territories["territory_id"].astype("str")
    ).drop_duplicates("territory_id")
    ranges = (
        territories.assign(
            r=territories["postcode_from"].astype("int64").astype("str")
            + "–"
            + territories["postcode_to"].astype("int64").astype("str"),
            territory_id=territories["territory_id"].astype("str"),
        )
        .groupby("territory_id", sort=False)["r"]
        .agg(", ".join)
    )
    summary = pd.DataFrame(
        {
            "territory_id": first["territory_id"].to_numpy(),
            "name": first["name"].astype("str").to_numpy(),
            "ranges": ranges.reindex(first["territory_id"]).to_numpy(),
            "account_manager": first["account_manager"].astype("str").fillna("").to_numpy(),
            "customers": agg["customers"]
            .reindex(first["territory_id"])
            .fillna(0)
            .to_numpy(dtype="int64"),
            "revenue_cents": agg["revenue_cents"]
            .reindex(first["territory_id"])
            .fillna(0)
            .to_numpy(dtype="int64"),
        }
    )
    for col in SUMMARY_COLUMNS[:4]:
        summary[col] = pd.array(summary[col].to_numpy(dtype=object), dtype="str")
    left = (
        out[out["status"] == "large_account"]
        .sort_values(["group_id", "revenue_cents", "account_id"], ascending=[True, False, True])
        .reset_index(drop=True)[
            [
                "account_id",
                "name",
                "group_id",
                "group_name",
                "territory_id",
                "territory_name",
                "revenue_cents",
            ]
        ]
    )
    unmatched = (
        out[out["status"] == "unmatched"]
        .sort_values(["revenue_cents", "account_id"], ascending=[False, True])
        .reset_index(drop=True)[
            ["account_id", "name", "postcode", "country", "group_id", "reason", "revenue_cents"]
        ]
    )
    cents = out.groupby("status")["revenue_cents"].sum()
    totals = {s: int(cents.get(s, 0)) for s in STATUSES}
    totals["total"] = int(out["revenue_cents"].sum())
    return TerritoryAssignment(out, summary, left, unmatched, totals)


def territories_in_window(
    consolidation: Consolidation,
    dataset: Dataset,
    window: Window,
    designated: Iterable[str],
    restate_hierarchy: bool | None = None,
) -> TerritoryAssignment:
    """:func:`assign_territories` on the cube rows of ``window`` (groups as in
    :func:`~account_analysis.consolidate.window.revenue_by_group`), after checking the
    ``territories`` table of ``dataset``.

    >>> from account_analysis import build_cube, load_dataset, window_for
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("two_territories")
    >>> ds = load_dataset(folder)
    >>> t = territories_in_window(build_cube(ds, cache_dir=None), ds, window_for("2026-Q1", 3),
    ...                           designated=[])  # no Large Accounts: G's unit U stays in N
    >>> t.summary[["territory_id", "customers", "revenue_cents"]].values.tolist()
    [['N', 1, 10000], ['Z', 1, 8000]]
    >>> t.totals["territory"] + t.totals["unmatched"] == t.totals["total"]
    True
    """
    check_dataset_territories(dataset)
    frame = cube_in_window(consolidation, window, restate_hierarchy, "unit_id")
    return assign_territories(
        frame, dataset.accounts, dataset.territories, designated, consolidation.names
    )
