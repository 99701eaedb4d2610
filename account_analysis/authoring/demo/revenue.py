"""The demo's revenue as the source article counts it, and the calibration to its story.

A line counts for its ordering unit when the export names one (else for its billing
account), rolled up to the group; cancelled lines and intercompany accounts are left out.
:func:`calibrate` scales the named groups' lines so that their 24-month shares are exactly
the ``target_share`` of ``data/named_groups.yaml``.
"""

from __future__ import annotations

import numpy as np

from .accounts import CustomerMaster
from .invoices import InvoiceLines
from .timeline import LAST_DAY, WINDOW_FROM, month_index


def eur_cents(lines: InvoiceLines, master: CustomerMaster,
              rates: dict[str, np.ndarray]) -> np.ndarray:  # fmt: skip
    """Each line's amount in EUR cents (a float: converted at the month's rate)."""
    currency = np.array([a.currency for a in master.accounts])[lines.inv_bill[lines.inv]]
    eur = lines.cents.astype(float)
    month = month_index(lines.inv_date[lines.inv])
    for cur, rate in rates.items():
        sel = currency == cur
        eur[sel] = eur[sel] * rate[month[sel]] / 10_000.0
    return eur


def group_revenue(
    lines: InvoiceLines, master: CustomerMaster, rates: dict[str, np.ndarray],
    date_from: np.datetime64,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """(EUR cents per line counted from ``date_from`` to the last day, group index per line):
    the article's view."""
    accts = master.accounts
    index = master.index()
    group = np.array([index[a.group] for a in accts])
    ic = np.array([a.intercompany for a in accts])
    acc = np.where(lines.ou >= 0, lines.ou, lines.inv_bill[lines.inv])
    d = lines.inv_date[lines.inv]
    keep = (d >= date_from) & (d <= LAST_DAY) & (lines.inv_status[lines.inv] != "cancelled")
    keep &= ~ic[acc]
    return np.where(keep, eur_cents(lines, master, rates), 0.0), group[acc]


def calibrate(lines: InvoiceLines, master: CustomerMaster, rates: dict[str, np.ndarray]) -> None:
    """Scale the named groups' lines (in place) so that their 24-month shares are exactly the
    targets; raises RuntimeError if the story's shares do not come out."""
    index = master.index()
    targets = master.story.target_shares()
    eur, grp = group_revenue(lines, master, rates, WINDOW_FROM)
    per_group = np.bincount(grp, eur, len(master.accounts))
    named = np.array([index[k] for k in targets])
    rest = per_group.sum() - per_group[named].sum()
    total = rest / (1.0 - sum(targets.values()))
    for g, share in zip(named, targets.values(), strict=True):
        sel = grp == g
        factor = share * total / per_group[g]
        lines.cents[sel] = np.rint(lines.cents[sel] * factor).astype(np.int64)
    eur, grp = group_revenue(lines, master, rates, WINDOW_FROM)
    shares = np.bincount(grp, eur, len(master.accounts)) / eur.sum()
    top = np.sort(shares)[::-1]
    if not (top[3] >= 0.05 and 0.38 <= top[:4].sum() <= 0.41 and 0.03 <= top[4] < 0.05):
        raise RuntimeError(f"demo calibration failed: top shares {top[:6]}")
