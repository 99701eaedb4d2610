"""The demo's invoice lines, simulated from the customer master.

Each account's expected revenue per month is its level × trend × season × noise; a month's
revenue becomes invoices of one or more lines, each line of a service line drawn from the
account's mix, billed to the account or (centrally) to its head office, with PO references,
cancelled invoices, credit notes, statuses, and amounts in the account's currency. Money is
integer cents throughout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .accounts import CustomerMaster
from .timeline import FIRST_MONTH, LAST_DAY, MID, N_MONTHS, month_index, month_number

TARGET_LINES = 116_000  # ordinary invoice lines; credit notes and the project come on top
NEW_INVOICE_P = 0.3  # chance that a line of an account-month starts a new invoice
CREDIT_P = 0.0205  # share of lines that get credited
CANCEL_P = 0.0105  # share of invoices that are cancelled
LAST_MISADDRESSED_MONTH = 33  # 2026-07: a misaddressed invoice is not among the last ones


@dataclass
class InvoiceLines:
    """Invoice lines (one entry per line) and invoices (one entry per invoice)."""

    inv: np.ndarray  # invoice index of each line
    line_no: np.ndarray
    cents: np.ndarray  # in the invoice currency
    unit: np.ndarray  # account that really ordered (for the story; not written)
    ou: np.ndarray  # ordering_unit written (-1 = empty)
    sl: np.ndarray  # service line number
    mgr: np.ndarray  # manager number
    inv_date: np.ndarray
    inv_bill: np.ndarray
    inv_po: np.ndarray  # PO text; credit notes referencing an invoice have ""
    inv_ref: np.ndarray  # referenced invoice index, -1 for none
    inv_status: np.ndarray
    inv_credit: np.ndarray  # bool
    misaddressed: list[int]  # the invoices the attribution rules name, in the rules' order


def _line_numbers(inv: np.ndarray) -> np.ndarray:
    """1, 2, 3 … within runs of equal values of ``inv`` (which must be grouped)."""
    first = np.r_[True, inv[1:] != inv[:-1]]
    starts = np.flatnonzero(first)
    return np.arange(len(inv)) - starts[np.cumsum(first) - 1] + 1


def _fx_rates(rng: np.random.Generator, master: CustomerMaster) -> dict[str, np.ndarray]:
    """Monthly EUR per unit, in units of 1/10,000."""
    out = {}
    for cur, walk in master.story.exchange_rates.items():
        path = walk["start"] + np.cumsum(np.r_[0.0, rng.normal(0.0, walk["step"], N_MONTHS - 1)])
        out[cur] = np.clip(np.rint(path), walk["low"], walk["high"]).astype(np.int64)
    return out


def _po_numbers(rng: np.random.Generator, prefix: np.ndarray, digits: int) -> np.ndarray:
    numbers = rng.integers(0, 10**digits, len(prefix)).astype(str)
    return np.strings.add(prefix, np.strings.zfill(numbers, digits))


def _project(master: CustomerMaster) -> dict:
    """The named group's long project (``data/named_groups.yaml``)."""
    (project,) = [g["project"] for g in master.story.named_groups.values() if "project" in g]
    return project


def simulate_invoices(
    rng: np.random.Generator, master: CustomerMaster
) -> tuple[InvoiceLines, dict[str, np.ndarray]]:
    """(the invoice lines, the monthly exchange rates) drawn with ``rng``."""
    story, accts = master.story, master.accounts
    n_acc = len(accts)
    index = master.index()

    def col(attr: str, dtype: type = float) -> np.ndarray:
        return np.array([getattr(a, attr) for a in accts], dtype=dtype)

    rev, p_act, sigma = col("revenue"), col("p_active"), col("noise")
    start, end = col("start", np.int64), col("end", np.int64)
    bill_to = np.array([index[a.bill_to] if a.bill_to else -1 for a in accts])
    t = np.arange(N_MONTHS)

    # Expected revenue per account and month: level x trend x season x noise.
    trend = np.array([[math.exp(a.trend * (m - MID) / 12.0) for m in range(N_MONTHS)]
                      for a in accts])  # fmt: skip
    season = story.seasons[col("season", np.int64)][:, (t + 9) % 12]
    alive = (t >= start[:, None]) & (t <= end[:, None])
    active = alive & (rng.random((n_acc, N_MONTHS)) < p_act[:, None])
    noise = rng.lognormal(-0.5 * sigma[:, None] ** 2, sigma[:, None], (n_acc, N_MONTHS))
    monthly = rev[:, None] / 12.0 * trend * season * noise / p_act[:, None]
    monthly = np.where(active, monthly, 0.0)
    c_acc, c_month = np.nonzero(monthly > 0.0)
    c_rev = monthly[c_acc, c_month]
    c_sl = np.full(len(c_acc), -1)
    n_main = len(c_acc)
    # The long project: a stream of one service line with a clear peak.
    project = _project(master)
    shape = np.array(project["monthly_shape"])
    project_months = month_number(project["first_month"]) + np.arange(len(shape))
    project_total = project["share_of_revenue"] * story.yearly_revenue
    c_acc = np.r_[c_acc, np.full(len(project_months), index[project["unit"]])]
    c_month = np.r_[c_month, project_months]
    c_rev = np.r_[c_rev, project_total * shape / shape.sum()]
    c_sl = np.r_[c_sl, np.full(len(project_months),
                               story.service_lines.index(project["service_line"]))]  # fmt: skip
    n_cells = len(c_acc)

    line_size = c_rev[:n_main].sum() / (TARGET_LINES - n_main)
    line_size = np.r_[np.full(n_main, line_size), np.full(n_cells - n_main, 25_000.0)]
    n_lines = 1 + rng.poisson(c_rev / line_size)

    # Central billing: some account-months are invoiced to a head office.
    c_bill_to = bill_to[c_acc]
    hq = (
        (c_bill_to >= 0)
        & (rng.random(n_cells) < col("p_bill_to")[c_acc])
        & (c_month >= col("billed_from", np.int64)[c_acc])
        & (c_month <= col("billed_until", np.int64)[c_acc])
    )
    c_bill = np.where(hq, c_bill_to, c_acc)
    c_ou = np.where(hq & (rng.random(n_cells) < col("p_ordering_unit")[c_acc]), c_acc, -1)
    c_mgr = np.where(
        c_month >= col("handover", np.int64)[c_acc],
        col("next_manager", np.int64)[c_acc],
        col("manager", np.int64)[c_acc],
    )

    # Lines and invoices (several invoices per account-month, each with 1..n lines).
    l_cell = np.repeat(np.arange(n_cells), n_lines)
    n_l = len(l_cell)
    first = np.r_[True, l_cell[1:] != l_cell[:-1]]
    l_inv = np.cumsum(first | (rng.random(n_l) < NEW_INVOICE_P)) - 1
    i_first = np.flatnonzero(np.r_[True, l_inv[1:] != l_inv[:-1]])
    i_cell = l_cell[i_first]
    n_inv = len(i_cell)
    month_days = (FIRST_MONTH + np.arange(N_MONTHS + 1)).astype("datetime64[D]")
    n_busdays = np.busday_count(month_days[:-1], month_days[1:])
    i_month = c_month[i_cell]
    offset = (rng.random(n_inv) * n_busdays[i_month]).astype(np.int64)
    i_date = np.busday_offset(month_days[i_month], offset, roll="forward")
    i_bill = c_bill[i_cell].copy()

    # Amounts: lognormal line weights scaled to the month's revenue.
    weight = rng.lognormal(0.0, 0.8, n_l)
    l_eur = c_rev[l_cell] * weight / np.bincount(l_cell, weight, n_cells)[l_cell]
    mix = np.array([a.service_mix for a in accts], dtype=float)
    cum = np.cumsum(mix / mix.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    l_acc = c_acc[l_cell]
    l_sl = (rng.random(n_l)[:, None] > cum[l_acc]).sum(axis=1)
    l_sl = np.where(c_sl[l_cell] >= 0, c_sl[l_cell], l_sl)
    l_mgr = c_mgr[l_cell].copy()
    other = rng.random(n_l) < 0.04  # a colleague handled this one
    l_mgr[other] = rng.integers(0, len(story.managers), int(other.sum()))

    currency = np.array([a.currency for a in accts])
    rates = _fx_rates(rng, master)
    l_cents = np.rint(l_eur * 100.0)
    for cur, rate in rates.items():
        is_cur = currency[i_bill[l_inv]] == cur
        l_cents[is_cur] = np.rint(l_cents[is_cur] * 10_000.0 / rate[i_month[l_inv[is_cur]]])
    l_cents = l_cents.astype(np.int64)

    # PO references, per invoice.
    po_prefix = np.array([a.billed_po_prefix for a in accts])[c_acc[i_cell]]
    special = hq[i_cell] & (po_prefix != "")
    style = col("po_style", np.int64)[i_bill]
    style = np.where(rng.random(n_inv) < 0.12, 0, style)
    i_po = np.full(n_inv, "", dtype="<U24")
    for s, prefix, digits in ((1, "PO-", 6), (2, "45", 8), (3, "KST-", 4)):
        sel = (style == s) & ~special
        i_po[sel] = _po_numbers(rng, np.full(int(sel.sum()), prefix), digits)
    i_po[special] = _po_numbers(rng, po_prefix[special], 4)

    # Invoices addressed to a head office although a unit ordered them: the attribution
    # rules name them by invoice id.
    rule_invs = []
    for rule in story.attribution_rules:
        if "misaddressed_invoice" not in rule:
            continue
        unit, head = rule["to_unit"], rule["misaddressed_invoice"]["billed_to"]
        since = month_number(rule["misaddressed_invoice"]["from"])
        cand = np.flatnonzero((c_acc[i_cell] == index[unit]) & ~hq[i_cell] & (i_month >= since)
                              & (i_month <= LAST_MISADDRESSED_MONTH))  # fmt: skip
        pick = int(cand[rng.integers(len(cand))])
        i_bill[pick] = index[head]
        rule_invs.append(pick)

    # Cancelled invoices, then credit notes on lines of the others.
    cancelled = rng.random(n_inv) < CANCEL_P
    cancelled[rule_invs] = False
    protected = np.zeros(n_inv, bool)
    protected[rule_invs] = True
    cand = ~cancelled[l_inv] & ~protected[l_inv] & (i_date[l_inv] <= LAST_DAY - 10)
    pick = cand & (rng.random(n_l) < CREDIT_P)
    # A credit note either names the corrected invoice in po_reference, or stands on its
    # own and quotes the customer's PO (always so when attribution rules read that PO).
    ref = pick & (rng.random(n_l) < 0.6) & ~special[l_inv]
    a_lines, b_lines = np.flatnonzero(ref), np.flatnonzero(pick & ~ref)
    a_orig, a_group = np.unique(l_inv[a_lines], return_inverse=True)
    cr_orig = np.r_[a_orig, l_inv[b_lines]]
    n_cr = len(cr_orig)
    cr_date = np.busday_offset(i_date[cr_orig], rng.integers(3, 30, n_cr), roll="forward")
    cr_date = np.minimum(cr_date, LAST_DAY)
    src = np.r_[a_lines, b_lines]
    frac = np.r_[np.where(rng.random(len(a_lines)) < 0.5, 1.0,
                          rng.uniform(0.1, 0.6, len(a_lines))),
                 rng.uniform(0.03, 0.25, len(b_lines))]  # fmt: skip
    cr_cents = -np.rint(l_cents[src] * frac).astype(np.int64)
    cr_inv = n_inv + np.r_[a_group, len(a_orig) + np.arange(len(b_lines))]

    all_date = np.r_[i_date, cr_date]
    n_all = n_inv + n_cr
    m_all = month_index(all_date)
    posted_p = np.where(m_all >= 30, 0.2, 0.03)  # booked, not yet paid: mostly recent
    status = np.where(rng.random(n_all) < posted_p, "posted", "paid").astype("<U9")
    open_p = np.select([m_all == 33, m_all == 34, m_all == 35], [0.08, 0.3, 0.75], 0.0)
    status[rng.random(n_all) < open_p] = "open"
    status[:n_inv][cancelled] = "cancelled"

    return InvoiceLines(
        inv=np.r_[l_inv, cr_inv],
        line_no=np.r_[_line_numbers(l_inv), _line_numbers(cr_inv)],
        cents=np.r_[l_cents, cr_cents],
        unit=np.r_[l_acc, l_acc[src]],
        ou=np.r_[c_ou[l_cell], c_ou[l_cell][src]],
        sl=np.r_[l_sl, l_sl[src]],
        mgr=np.r_[l_mgr, l_mgr[src]],
        inv_date=all_date,
        inv_bill=np.r_[i_bill, i_bill[cr_orig]],
        inv_po=np.r_[i_po, np.full(len(a_orig), "", dtype="<U24"), i_po[l_inv[b_lines]]],
        inv_ref=np.r_[np.full(n_inv, -1), a_orig, np.full(len(b_lines), -1)],
        inv_status=status,
        inv_credit=np.r_[np.zeros(n_inv, bool), np.ones(n_cr, bool)],
        misaddressed=rule_invs,
    ), rates
