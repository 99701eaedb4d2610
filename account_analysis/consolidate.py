"""From invoice lines to revenue per customer group: the only place that touches lines.

This first version converts currencies, keeps the lines of a window and rolls billing
accounts up to their group as the customer master holds it today. Attribution rules,
effective-dated links and the reconciliation ledger build on it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError
from .load import Dataset
from .periods import Window
from .schema import CANCELLED

MAX_DEPTH = 50


def ultimate_parents(accounts: pd.DataFrame) -> pd.Series:
    """Map every ``account_id`` to its top-level ancestor (its group), through ``parent_id``.

    Raises :class:`InputError` naming the accounts of a cycle. Does not mutate ``accounts``.

    >>> acc = pd.DataFrame({"account_id": ["H", "D", "S", "X"], "parent_id": ["", "H", "D", ""]})
    >>> ultimate_parents(acc).to_dict()
    {'H': 'H', 'D': 'H', 'S': 'H', 'X': 'X'}
    """
    ids = accounts["account_id"].astype("str")
    parent = accounts["parent_id"].astype("str").where(accounts["parent_id"] != "", ids)
    step = pd.Series(parent.to_numpy(), index=ids.to_numpy())
    top = step.copy()
    for _ in range(MAX_DEPTH):
        nxt = step.reindex(top.to_numpy()).to_numpy()
        if np.array_equal(nxt, top.to_numpy()):
            return top.rename("group_id")
        top = pd.Series(nxt, index=top.index)
    start = top.index[top.to_numpy() != step.reindex(top.to_numpy()).to_numpy()][0]
    cycle, node = [start], step[start]
    while node not in cycle:
        cycle.append(node)
        node = step[node]
    raise InputError.single(
        "accounts", "parent links without a cycle; these accounts are each other's parent: "
        + " → ".join([*cycle[cycle.index(node):], node]),
        column="parent_id",
    )


def to_reporting_cents(invoices: pd.DataFrame, fx_rates: pd.DataFrame,
                       reporting_currency: str) -> pd.Series:
    """Net amounts in the reporting currency, as integer cents (rounded half to even).

    >>> inv = pd.DataFrame({"net_amount": [10000, 10000], "currency": ["EUR", "GBP"],
    ...                     "invoice_date": pd.to_datetime(["2026-01-05", "2026-01-20"])})
    >>> fx = pd.DataFrame({"month": ["2026-01"], "currency": ["GBP"], "rate": [1.17]})
    >>> to_reporting_cents(inv, fx, "EUR").tolist()
    [10000, 11700]
    """
    foreign = invoices["currency"] != reporting_currency
    cents = invoices["net_amount"].astype("int64")
    if not foreign.any():
        return cents
    month = invoices.loc[foreign, "invoice_date"].dt.strftime("%Y-%m")
    key = pd.MultiIndex.from_arrays([month, invoices.loc[foreign, "currency"]])
    rates = fx_rates.set_index(["month", "currency"])["rate"]
    rate = rates.reindex(key).to_numpy()
    converted = np.round(cents[foreign].to_numpy() * rate).astype("int64")
    return cents.mask(foreign, pd.Series(converted, index=cents[foreign].index)).astype("int64")


def revenue_by_group(dataset: Dataset, window: Window) -> pd.DataFrame:
    """Revenue per customer group over ``window``, largest first.

    Columns: ``group_id``, ``name`` (of the group's top account), ``accounts`` (billing
    accounts with revenue), ``revenue_cents`` (int). Cancelled lines and intercompany
    accounts are left out; credit notes net against their account.
    """
    inv = dataset.invoices
    keep = window.contains(inv["invoice_date"]) & (inv["status"] != CANCELLED)
    inv = inv[keep]
    cents = to_reporting_cents(inv, dataset.fx_rates, dataset.reporting_currency)
    acc = dataset.accounts
    group = ultimate_parents(acc)
    intercompany = set(acc.loc[acc["intercompany"].astype(bool), "account_id"])
    lines = pd.DataFrame({
        "account": inv["billing_account"].to_numpy(),
        "revenue_cents": cents.to_numpy(),
    })
    lines = lines[~lines["account"].isin(intercompany)]
    lines["group_id"] = group.reindex(lines["account"]).to_numpy()
    out = (
        lines.groupby("group_id", sort=False)
        .agg(accounts=("account", "nunique"), revenue_cents=("revenue_cents", "sum"))
        .reset_index()
    )
    names = acc.set_index("account_id")["name"]
    out.insert(1, "name", names.reindex(out["group_id"]).to_numpy())
    return out.sort_values(["revenue_cents", "group_id"], ascending=[False, True],
                           ignore_index=True)
