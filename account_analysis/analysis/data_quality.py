"""The data quality of a period's figures, as facts for the concentration report: the units
with revenue that no sales territory holds (and why), the units abroad, the lines excluded by
reason, the exchange rates of the window, the dates of the wallet figures the designation uses
(and their age), and the windows that reach back before the data.

Everything is read from what consolidation and analysis already hold: the cube (units and
their revenue), the reconciliation (exclusions by reason), the territories and customer master
(postcodes, countries), the ``fx_rates`` table and the designations (each wallet's source and
``wallet_as_of``). :func:`data_quality` returns a :class:`DataQuality` of codes and values;
:mod:`account_analysis.present.data_quality_sections` writes the words. Pure: nothing is
mutated.

>>> import tempfile
>>> from pathlib import Path
>>> from account_analysis import build_cube, load_dataset, parse_period
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "accounts.csv").write_text(
...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n"
...     "U,Unit,B-2440,BE,G\\nX,Other,9931 AA,NL,\\n")
>>> _ = (folder / "invoices.csv").write_text(
...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
...     "F1,2026-01-15,U,100.00,posted\\nF2,2026-02-01,G,50.50,posted\\n"
...     "F3,2026-03-01,X,25.00,cancelled\\nF4,2026-03-09,X,10.00,posted\\n")
>>> ds = load_dataset(folder)  # no territories: every Dutch unit is in no postcode range
>>> q = data_quality(build_cube(ds, cache_dir=None), ds, parse_period("2026-Q1"), 3,
...                  windows=(12,))
>>> q.units[["account_id", "reason", "revenue_cents"]].values.tolist()
[['U', 'abroad', 10000], ['G', 'no_range', 5050], ['X', 'no_range', 1000]]
>>> q.exclusions.values.tolist()
[['cancelled', 1, 2500]]
>>> q.coverage.values.tolist()  # the data start in January 2026
[[3, 3, '2026-01'], [12, 3, '2026-01']]
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..consolidate.cube import Consolidation
from ..consolidate.window import cube_in_window, months_in_window, reconcile
from ..load.dataset import Dataset
from ..periods import Period
from .territories import assign_territories

UNIT_COLUMNS = ["account_id", "name", "country", "postcode", "group_id", "reason", "revenue_cents"]
FX_COLUMNS = ["currency", "months", "low", "high", "last_month", "last_rate"]
WALLET_COLUMNS = ["group_id", "name", "status", "wallet_source", "wallet_as_of", "age_months"]
COVERAGE_COLUMNS = ["months", "months_with_data", "data_from"]


@dataclass(frozen=True)
class DataQuality:
    """The data-quality facts of one period.

    ``units``: the units with revenue in the window that no sales territory holds
    (:data:`UNIT_COLUMNS`; ``reason`` a code of
    :data:`~account_analysis.analysis.territories.UNMATCHED_REASONS`: ``abroad`` for a unit
    outside the Netherlands, else ``no_postcode``, ``invalid_postcode`` or ``no_range``),
    largest revenue first. ``exclusions``: ``reason``, ``lines``, ``revenue_cents`` per
    exclusion reason in the window. ``fx``: per foreign currency with rates in the window
    (:data:`FX_COLUMNS`: months with a rate, the lowest and highest rate, the last month and
    its rate; reporting currency per unit). ``wallets``: the candidates' and near misses'
    wallet sources and dates (:data:`WALLET_COLUMNS`; ``age_months`` from the wallet's date
    to the period end, missing for an estimate). ``coverage``: per window length, the
    months of it that hold data (:data:`COVERAGE_COLUMNS`; ``data_from`` the first month of
    the data, ``YYYY-MM``). ``window_months``: the period's own window.

    >>> from account_analysis import build_cube, load_dataset, parse_period
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("no_territory")
    >>> ds = load_dataset(folder)
    >>> cube = build_cube(ds, cache_dir=None)
    >>> q = data_quality(cube, ds, parse_period("2026-Q1"), 3, windows=(12,))
    >>> q.foreign_units["account_id"].tolist(), q.units_without_territory["account_id"].tolist()
    (['U'], ['X'])
    >>> q.months_with_data(12), q.months_with_data(24)  # 24 not computed: taken as full
    (3, 24)
    """

    units: pd.DataFrame
    exclusions: pd.DataFrame
    fx: pd.DataFrame
    wallets: pd.DataFrame
    coverage: pd.DataFrame
    window_months: int

    @property
    def foreign_units(self) -> pd.DataFrame:
        """The units abroad (``reason == "abroad"``)."""
        return self.units[(self.units["reason"] == "abroad").to_numpy()]

    @property
    def units_without_territory(self) -> pd.DataFrame:
        """The Dutch units that no territory holds (no, invalid or unranged postcode)."""
        return self.units[(self.units["reason"] != "abroad").to_numpy()]

    def months_with_data(self, months: int) -> int:
        """How many of the last ``months`` months hold data (``months`` if not computed)."""
        row = self.coverage[self.coverage["months"] == months]
        return int(row["months_with_data"].iloc[0]) if len(row) else months


def units_in_no_territory(consolidation: Consolidation, dataset: Dataset, window) -> pd.DataFrame:
    """The units with revenue in ``window`` that no sales territory holds, whether or not
    their group is a Large Account (:data:`UNIT_COLUMNS`), largest revenue first.

    >>> from account_analysis import build_cube, load_dataset, parse_period
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("no_territory")
    >>> ds = load_dataset(folder)
    >>> cube = build_cube(ds, cache_dir=None)
    >>> units = units_in_no_territory(cube, ds, parse_period("2026-Q1").window(3))
    >>> units[["account_id", "reason", "revenue_cents"]].values.tolist()  # G is in Noord
    [['U', 'abroad', 10000], ['X', 'no_range', 1000]]
    """
    frame = cube_in_window(consolidation, window, None, "unit_id")
    t = assign_territories(frame, dataset.accounts, dataset.territories, (), consolidation.names)
    u = t.unmatched
    return u.reindex(columns=UNIT_COLUMNS).reset_index(drop=True)


def exclusions_by_reason(consolidation: Consolidation, window) -> pd.DataFrame:
    """``reason``, ``lines``, ``revenue_cents`` of the lines excluded in ``window``, from its
    reconciliation (so they are the reconciliation's figures).

    >>> from account_analysis import build_cube, load_dataset, parse_period
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("no_territory")
    >>> ds = load_dataset(folder)
    >>> cube = build_cube(ds, cache_dir=None)
    >>> exclusions_by_reason(cube, parse_period("2026-Q1").window(3))
          reason  lines  revenue_cents
    0  cancelled      1           2500
    """
    table = reconcile(consolidation, window)
    rows = table[table["item"].str.startswith("excluded:")]
    return pd.DataFrame(
        {
            "reason": rows["item"].str.removeprefix("excluded:").to_numpy(),
            "lines": rows["lines"].to_numpy(dtype="int64"),
            "revenue_cents": rows["revenue_cents"].to_numpy(dtype="int64"),
        }
    )


def fx_in_window(fx_rates: pd.DataFrame, window) -> pd.DataFrame:
    """Per currency, the rates of the months of ``window`` (:data:`FX_COLUMNS`).

    >>> from account_analysis import window_for
    >>> rates = pd.DataFrame({"month": ["2025-12", "2026-01", "2026-02", "2026-03"],
    ...                       "currency": "GBP", "rate": [1.10, 1.15, 1.12, 1.17]})
    >>> fx_in_window(rates, window_for("2026-Q1", 3)).values.tolist()
    [['GBP', 3, 1.12, 1.17, '2026-03', 1.17]]
    """
    if fx_rates is None or fx_rates.empty:
        return pd.DataFrame(columns=FX_COLUMNS)
    inside = fx_rates[months_in_window(fx_rates["month"].astype(str), window).to_numpy()]
    inside = inside.sort_values(["currency", "month"], kind="stable")
    out = (
        inside.groupby("currency", sort=True)
        .agg(
            months=("month", "nunique"),
            low=("rate", "min"),
            high=("rate", "max"),
            last_month=("month", "last"),
            last_rate=("rate", "last"),
        )
        .reset_index()
    )
    return out.reindex(columns=FX_COLUMNS)


def wallet_dates(designations: pd.DataFrame, end) -> pd.DataFrame:
    """The wallet source and date of each candidate and near miss, and the wallet's age in
    whole months at ``end`` (:data:`WALLET_COLUMNS`).

    >>> d = pd.DataFrame({"group_id": ["A", "B"], "name": ["a", "b"],
    ...                   "status": ["candidate", "near miss"],
    ...                   "wallet_source": ["stated", "estimated"],
    ...                   "wallet_as_of": pd.to_datetime(["2025-06-30", None])})
    >>> wallet_dates(d, pd.Timestamp("2026-09-30"))["age_months"].tolist()
    [15, <NA>]
    """
    if designations.empty:
        return pd.DataFrame(columns=WALLET_COLUMNS)
    out = designations.reindex(columns=WALLET_COLUMNS[:-1]).reset_index(drop=True)
    as_of = pd.to_datetime(out["wallet_as_of"])
    end = pd.Timestamp(end)
    age = (end.year - as_of.dt.year) * 12 + (end.month - as_of.dt.month)
    out["age_months"] = age.astype("Int64")
    return out


def window_coverage(raw: pd.DataFrame, period: Period, windows) -> pd.DataFrame:
    """For each window length, how many of its months hold data: months from the first to
    the last month of the raw lines (:data:`COVERAGE_COLUMNS`).

    >>> from account_analysis import parse_period
    >>> raw = pd.DataFrame({"month": ["2024-02", "2026-09"]})
    >>> window_coverage(raw, parse_period("2026-Q3"), (12, 36)).values.tolist()
    [[12, 12, '2024-02'], [36, 32, '2024-02']]
    """
    months = raw["month"].astype(str)
    first, last = (months.min(), months.max()) if len(months) else ("", "")
    rows = []
    for m in sorted(set(windows)):
        labels = pd.Series(period.window(m).month_labels())
        present = int(labels.between(first, last).sum()) if first else 0
        rows.append((m, present, first))
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS).astype(
        {"months": "int64", "months_with_data": "int64"}
    )


def data_quality(
    consolidation: Consolidation,
    dataset: Dataset,
    period: Period,
    window_months: int,
    designations: pd.DataFrame | None = None,
    windows=(),
) -> DataQuality:
    """The data-quality facts of ``period`` with a ``window_months`` window (see
    :class:`DataQuality`); ``windows`` are the other window lengths shown (the
    sensitivity's), ``designations`` the period's
    (:func:`~account_analysis.analysis.designation.designate_large_accounts`).

    >>> from account_analysis import build_cube, load_dataset, parse_period
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("no_territory")
    >>> ds = load_dataset(folder)
    >>> cube = build_cube(ds, cache_dir=None)
    >>> q = data_quality(cube, ds, parse_period("2026-Q1"), 3, windows=(12, 24))
    >>> q.window_months, q.coverage.values.tolist()  # the data start in January 2026
    (3, [[3, 3, '2026-01'], [12, 3, '2026-01'], [24, 3, '2026-01']])
    >>> int(q.exclusions["revenue_cents"].sum()), len(q.fx), len(q.wallets)  # no rates, wallets
    (2500, 0, 0)
    """
    window = period.window(window_months)
    designations = designations if designations is not None else pd.DataFrame()
    return DataQuality(
        units=units_in_no_territory(consolidation, dataset, window),
        exclusions=exclusions_by_reason(consolidation, window),
        fx=fx_in_window(dataset.fx_rates, window),
        wallets=wallet_dates(designations, window.end),
        coverage=window_coverage(consolidation.raw, period, {window_months, *windows}),
        window_months=window_months,
    )
