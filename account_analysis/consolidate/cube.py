"""From invoice lines to customer groups: the only place that touches invoice lines.

Every line is converted to the reporting currency (integer cents), attributed to the unit
that placed the order (attribution rules, else the invoice's ordering unit, else the billing
account), placed in the group its unit belonged to on the invoice date, and either counted
as revenue or excluded with a reason. The result is a :class:`Consolidation`:

``cube``
    consolidated revenue per ``group_at_date`` × ``unit_id`` × ``month`` × ``service_line``
    × ``account_manager``: ``revenue_cents``, ``lines``. The single input downstream.
``movements``
    every re-attribution: ``rule_id``, ``match`` (which kind of rule, or the ordering-unit
    column), ``from_account``, ``to_unit``, ``to_group``, ``month``, ``revenue_cents``,
    ``lines``.
``exclusions``
    ``reason``, ``account_id`` (billing account), ``month``, ``revenue_cents``, ``lines``.
``raw``
    every line, per ``month``: ``revenue_cents``, ``lines`` (reporting currency).

Per month, raw = cube + exclusions, exactly, in integer cents; :func:`reconcile` states it
for a window. The cube is cached on disk under a key derived from the content of the input
files, so a batch of periods builds it once and a changed rule file rebuilds it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import InputError, Problem
from ..load.dataset import Dataset
from ..load.hierarchy import Hierarchy
from ..load.schema import CANCELLED, rule_pattern
from ..periods import Window
from .codes import DAY_MAX as _DAY_MAX
from .codes import DAY_MIN as _DAY_MIN
from .codes import EXCLUSION_CODES, MATCH_CODES, RULE_KINDS

RULE_KIND_WORDS = {
    "invoice": "invoice id",
    "po": "billing account + PO pattern",
    "service_line": "billing account + service line",
    "account": "billing account",
    "ordering_unit": "ordering unit on the invoice",
}
EXCLUSION_REASONS = {
    "cancelled": "cancelled invoice line",
    "intercompany": "intercompany account (our own group)",
    "outside_window": "invoice date outside the window",
}
CUBE_VERSION = "2"  # bump when the cached tables change shape or meaning
CACHED_TABLES = ("cube", "movements", "exclusions", "raw")


@dataclass(frozen=True)
class Consolidation:
    """The consolidated view of a dataset; see the module docstring for the tables.

    ``restate_hierarchy`` is the grouping that the per-window views (:func:`revenue_by_group`
    and the analyses built on it) use when a call does not say: ``True`` (the group at the
    window's end) unless set otherwise, as :func:`~account_analysis.open_period` does from
    the settings. ``dataclasses.replace(c, restate_hierarchy=False)`` gives the other view.
    """

    cube: pd.DataFrame
    movements: pd.DataFrame
    exclusions: pd.DataFrame
    raw: pd.DataFrame
    hierarchy: Hierarchy
    names: pd.Series
    reporting_currency: str
    key: str = ""
    restate_hierarchy: bool = True

    def group_of_units(self, window: Window, restate_hierarchy: bool | None = None
                       ) -> pd.Series:
        """Cube-aligned group ids: as of the window end (restated) or as on invoice dates;
        ``None`` takes this consolidation's own ``restate_hierarchy``."""
        if restate_hierarchy is None:
            restate_hierarchy = self.restate_hierarchy
        if not restate_hierarchy:
            return self.cube["group_at_date"]
        asof = self.hierarchy.groups_as_of(window.end)
        return pd.Series(asof.reindex(self.cube["unit_id"]).to_numpy(), index=self.cube.index,
                         name="group_id")


# --------------------------------------------------------------------------- currency


RATE_DIGITS = 15  # significant digits of a rate: what a float holds exactly, as Excel shows


def exact_rate(rate: float) -> tuple[int, int]:
    """A rate as an exact fraction ``(numerator, denominator)``, denominator > 0.

    The rate is taken as the decimal of at most :data:`RATE_DIGITS` significant digits
    nearest to it: the rate file's own text for any rate written with up to 15 digits
    (a binary float cannot tell longer ones apart), and what a spreadsheet shows for a
    typed cell.

    >>> exact_rate(1.14), exact_rate(1.1712), exact_rate(0.1 + 0.2)
    ((57, 50), (732, 625), (3, 10))
    """
    return Decimal(format(float(rate), f".{RATE_DIGITS}g")).as_integer_ratio()


def convert_cents(cents: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """``cents × rate`` rounded half to even, exactly: each rate as :func:`exact_rate`.

    ``cents`` integers, ``rates`` floats, aligned. Products that fit in 64 bits are
    computed in numpy integers; the others (a large amount at a rate of many digits) in
    Python integers. Returns int64, or an object array of Python ints when a result does
    not fit in 64 bits (the caller refuses it).

    >>> convert_cents(np.array([1820775, -1820775, 10000]), np.array([1.14] * 3)).tolist()
    [2075684, -2075684, 11400]
    """
    cents = np.asarray(cents, dtype="int64")
    where, uniq = pd.factorize(np.asarray(rates, dtype="float64"))
    fractions = [exact_rate(r) for r in uniq]
    limit = 2 ** 62
    small = np.array([abs(n) < limit and d < limit for n, d in fractions], dtype=bool)
    num = np.array([n if ok else 0 for (n, _), ok in zip(fractions, small, strict=True)],
                   dtype="int64")[where]
    den = np.array([d if ok else 1 for (_, d), ok in zip(fractions, small, strict=True)],
                   dtype="int64")[where]
    # |cents × num| < 2^63, tested without overflowing: against a quotient.
    fits = small[where] & (np.abs(cents) <= (2 ** 63 - 1) // np.maximum(np.abs(num), 1))
    p, d = cents[fits] * num[fits], den[fits]
    q = p // d  # floor division: the remainder is in [0, d)
    r = p - q * d
    q += (2 * r > d) | ((2 * r == d) & (q % 2 == 1))  # half to even
    out = np.zeros(len(cents), dtype="int64")
    out[fits] = q
    if fits.all():
        return out
    rest = np.flatnonzero(~fits)
    big = []
    for i in rest:
        n, d = fractions[where[i]]
        q, r = divmod(int(cents[i]) * n, d)
        big.append(q + (2 * r > d or (2 * r == d and q % 2 == 1)))
    if all(-2 ** 63 <= v < 2 ** 63 for v in big):
        out[rest] = big
        return out
    wide = out.astype(object)
    wide[rest] = big
    return wide


def to_reporting_cents(invoices: pd.DataFrame, fx_rates: pd.DataFrame,
                       reporting_currency: str, rows=None) -> pd.Series:
    """Net amounts in the reporting currency, as integer cents (rounded half to even).

    The product of amount and rate is exact (:func:`convert_cents`), so a line whose
    product is exactly half a cent rounds to the even cent. ``rows``: the spreadsheet
    rows of the lines, for the error on an amount that no longer fits 64-bit cents.

    >>> inv = pd.DataFrame({"net_amount": [10000, 1820775], "currency": ["EUR", "GBP"],
    ...                     "invoice_date": pd.to_datetime(["2026-01-05", "2026-01-20"])})
    >>> fx = pd.DataFrame({"month": ["2026-01"], "currency": ["GBP"], "rate": [1.14]})
    >>> to_reporting_cents(inv, fx, "EUR").tolist()
    [10000, 2075684]
    """
    cents = invoices["net_amount"].astype("int64")
    foreign = (invoices["currency"] != reporting_currency).to_numpy()
    if not foreign.any():
        return cents
    sub = invoices.loc[foreign]
    month = sub["invoice_date"].dt.strftime("%Y-%m")
    key = pd.MultiIndex.from_arrays([month, sub["currency"]])
    rate = fx_rates.set_index(["month", "currency"])["rate"].reindex(key).to_numpy()
    if np.isnan(rate).any():
        i = int(np.flatnonzero(np.isnan(rate))[0])
        raise InputError.single("invoices", f"a rate in fx_rates for {sub['currency'].iloc[i]} "
                                f"in {month.iloc[i]}", column="currency",
                                value=sub["currency"].iloc[i])
    out = cents.to_numpy().copy()
    converted = convert_cents(out[foreign], rate)
    if converted.dtype == object:
        i = next(j for j, v in enumerate(converted) if not -2 ** 63 <= v < 2 ** 63)
        line = int(np.flatnonzero(foreign)[i])
        raise InputError.single(
            "invoices", f"an amount that stays within ±92,233,720,368,547,758.07 once "
            f"converted to {reporting_currency} at the rate {rate[i]:.{RATE_DIGITS}g}",
            row=None if rows is None else int(rows[line]), column="net_amount",
            value=int(sub["net_amount"].iloc[i]))
    out[foreign] = converted
    return pd.Series(out, index=invoices.index, name="revenue_cents")


# --------------------------------------------------------------------------- attribution


def classify_rules(rules: pd.DataFrame, rows: np.ndarray | None = None) -> pd.DataFrame:
    """Rules with their ``kind`` and inclusive ``vf``/``vt`` days; shapes and conflicts checked.

    A rule names exactly one of: an invoice id; a billing account; a billing account and a
    service line; a billing account and a PO pattern. Two rules of the same kind and key
    valid on a common day that send lines to different units are an input error naming both.
    Does not mutate ``rules``.
    """
    rows = np.arange(len(rules)) + 2 if rows is None else np.asarray(rows)
    has = {c: (rules[c].fillna("") != "").to_numpy() for c in
           ("invoice_id", "billing_account", "service_line", "po_pattern")}
    kind = np.select(
        [has["invoice_id"] & ~has["billing_account"] & ~has["service_line"] & ~has["po_pattern"],
         ~has["invoice_id"] & has["billing_account"] & has["po_pattern"] & ~has["service_line"],
         ~has["invoice_id"] & has["billing_account"] & has["service_line"] & ~has["po_pattern"],
         ~has["invoice_id"] & has["billing_account"] & ~has["service_line"] & ~has["po_pattern"]],
        list(RULE_KINDS), default="",
    )
    problems = [
        Problem("attribution_rules", int(rows[i]), "rule_id", rules["rule_id"].iloc[i],
                "a rule naming exactly one of: invoice_id; billing_account; billing_account "
                "and service_line; billing_account and po_pattern")
        for i in np.flatnonzero(kind == "")[:20]
    ]
    out = pd.DataFrame({
        "rule_id": rules["rule_id"].to_numpy(dtype=object),
        "kind": kind,
        "invoice_id": rules["invoice_id"].fillna("").to_numpy(dtype=object),
        "billing_account": rules["billing_account"].fillna("").to_numpy(dtype=object),
        "service_line": rules["service_line"].fillna("").to_numpy(dtype=object),
        "po_pattern": rules["po_pattern"].fillna("").to_numpy(dtype=object),
        "to_unit": rules["to_unit"].to_numpy(dtype=object),
        "vf": _days(rules["valid_from"], _DAY_MIN),
        "vt": _days(rules["valid_to"], _DAY_MAX),
        "row": rows,
    })
    key_cols = ["kind", "invoice_id", "billing_account", "service_line", "po_pattern"]
    dup = out[out.duplicated(key_cols, keep=False) & (out["kind"] != "")]
    for _, g in dup.sort_values(["row"]).groupby(key_cols, sort=True):
        recs = g.to_dict("records")
        for i, a in enumerate(recs):
            for b in recs[i + 1:]:
                if a["to_unit"] != b["to_unit"] and a["vf"] <= b["vt"] and b["vf"] <= a["vt"]:
                    problems.append(Problem(
                        "attribution_rules", int(b["row"]), "to_unit", b["to_unit"],
                        f"one target per {RULE_KIND_WORDS[b['kind']]} on any day; rule "
                        f"{b['rule_id']} (row {b['row']}) and rule {a['rule_id']} (row "
                        f"{a['row']}) send the same lines to {b['to_unit']} and {a['to_unit']}",
                    ))
    if problems:
        raise InputError(problems)
    return out.sort_values(["rule_id", "row"], ignore_index=True)


def _days(values: pd.Series, fill) -> np.ndarray:
    arr = pd.to_datetime(values).to_numpy().astype("datetime64[D]")
    return np.where(np.isnat(arr), fill, arr)


def _codes_in(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Positions of ``values`` in ``index`` (-1 where absent or empty), via factorize."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    where = index.get_indexer(pd.Index(np.asarray(uniques, dtype=object)))
    return np.append(where, -1)[codes].astype(np.int64)


def _merge_positions(left_keys: dict, right_keys: dict) -> tuple[np.ndarray, np.ndarray]:
    """(line, rule) pairs whose keys are equal; keys are aligned arrays by name."""
    left = pd.DataFrame({**left_keys, "line": left_keys.pop("_pos")})
    right = pd.DataFrame({**right_keys, "rule": np.arange(len(next(iter(right_keys.values()))))})
    m = left.merge(right, on=[k for k in right_keys], how="inner")
    return m["line"].to_numpy(), m["rule"].to_numpy()


def _candidates(kind: str, lines: pd.DataFrame, rules: pd.DataFrame, billing: np.ndarray,
                accounts: pd.Index):
    """(line positions, rule positions) of every match of one kind, before dating."""
    rule_billing = accounts.get_indexer(pd.Index(rules["billing_account"].to_numpy(dtype=object)))
    if kind == "invoice":
        ids = lines["invoice_id"]
        mask = ids.isin(rules["invoice_id"]).to_numpy()
        pos = np.flatnonzero(mask)
        return _merge_positions(
            {"k": ids[mask].to_numpy(dtype=object), "_pos": pos},
            {"k": rules["invoice_id"].to_numpy(dtype=object)})
    mask = np.isin(billing, rule_billing)
    pos = np.flatnonzero(mask)
    if kind == "account":
        return _merge_positions({"b": billing[pos], "_pos": pos}, {"b": rule_billing})
    if kind == "service_line":
        svc = lines["service_line"].fillna("").iloc[pos]
        svc_codes, uniques = pd.factorize(svc)
        rule_svc = pd.Index(np.asarray(uniques, dtype=object)).get_indexer(
            pd.Index(rules["service_line"].to_numpy(dtype=object)))
        return _merge_positions({"b": billing[pos], "s": svc_codes, "_pos": pos},
                                {"b": rule_billing, "s": rule_svc})
    # PO patterns: RE2 searches (schema.rule_pattern), over the lines of the rule's account.
    po = lines["po_reference"].fillna("").iloc[pos].to_numpy(dtype=object)
    groups = pd.Series(np.arange(len(pos))).groupby(billing[pos]).indices
    out_lines, out_rules = [], []
    for r, (acct, pattern) in enumerate(zip(rule_billing, rules["po_pattern"], strict=True)):
        idx = groups.get(acct)
        if idx is None:
            continue
        search = rule_pattern(pattern).search
        hit = np.fromiter((search(v) is not None for v in po[idx]), dtype=bool, count=len(idx))
        out_lines.append(pos[idx[hit]])
        out_rules.append(np.full(int(hit.sum()), r))
    if not out_lines:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(out_lines), np.concatenate(out_rules)




def _attribute_codes(lines: pd.DataFrame, rules: pd.DataFrame, accounts: pd.Index):
    """Unit code, rule id and match code per line; see :func:`attribute_lines`."""
    n = len(lines)
    billing = _codes_in(lines["billing_account"], accounts)
    ordering = _codes_in(lines["ordering_unit"].fillna(""), accounts)
    unit = np.where(ordering >= 0, ordering, billing)
    match = np.where((ordering >= 0) & (ordering != billing), 1, 0).astype(np.int8)
    rule_id = np.full(n, -1, dtype=np.int64)  # position in ``rules``
    day = lines["invoice_date"].to_numpy().astype("datetime64[D]")
    matched = np.zeros(n, dtype=bool)
    for kind_code, kind in enumerate(RULE_KINDS, start=2):
        in_kind = np.flatnonzero((rules["kind"] == kind).to_numpy())
        if not len(in_kind):
            continue
        r = rules.iloc[in_kind].reset_index(drop=True)
        cl, cr = _candidates(kind, lines, r, billing, accounts)
        ok = (day[cl] >= r["vf"].to_numpy()[cr]) & (day[cl] <= r["vt"].to_numpy()[cr])
        ok &= ~matched[cl]
        cl, cr = cl[ok], cr[ok]
        if not len(cl):
            continue
        target = accounts.get_indexer(pd.Index(r["to_unit"].to_numpy(dtype=object)))
        cand = pd.DataFrame({"line": cl, "rule": cr, "to": target[cr]})
        cand = cand.sort_values(["line", "rule"], kind="stable")
        targets = cand.groupby("line", sort=False)["to"].nunique()
        if (targets > 1).any():
            _raise_conflict(cand, targets, r, lines)
        first = cand.drop_duplicates("line", keep="first")
        pos = first["line"].to_numpy()
        unit[pos] = first["to"].to_numpy()
        rule_id[pos] = in_kind[first["rule"].to_numpy()]
        match[pos] = kind_code
        matched[pos] = True
    return unit, rule_id, match


def attribute_lines(lines: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """The unit each invoice line is attributed to, and why.

    ``lines``: invoice lines (invoice_id, invoice_date, billing_account, ordering_unit,
    service_line, po_reference). ``rules``: as returned by :func:`classify_rules`.
    Returns a frame aligned with ``lines``: ``unit_id``, ``rule_id`` ("" when none),
    ``match`` (a rule kind, ``ordering_unit``, or "" when the line stays put).

    >>> lines = pd.DataFrame({"invoice_id": ["F1", "F2"], "billing_account": ["HQ", "HQ"],
    ...     "invoice_date": pd.to_datetime(["2026-01-01", "2026-02-01"]),
    ...     "ordering_unit": ["", ""], "service_line": ["Advies", "Onderhoud"],
    ...     "po_reference": ["PO-RTD-1", "X"]})
    >>> rules = classify_rules(pd.DataFrame({"rule_id": ["R1", "R2"], "to_unit": ["RTD", "U2"],
    ...     "invoice_id": ["", ""], "billing_account": ["HQ", "HQ"], "service_line": ["", ""],
    ...     "po_pattern": ["^PO-RTD-", ""], "valid_from": pd.NaT, "valid_to": pd.NaT}))
    >>> attribute_lines(lines, rules)
      unit_id rule_id    match
    0     RTD      R1       po
    1      U2      R2  account
    """
    names = pd.concat([lines["billing_account"], lines["ordering_unit"].fillna(""),
                       rules["to_unit"], rules["billing_account"]]).astype(object)
    accounts = pd.Index(sorted(set(names) - {""}), dtype=object)
    unit, rule_pos, match = _attribute_codes(lines, rules, accounts)
    rule_ids = np.append(rules["rule_id"].to_numpy(dtype=object), "")
    return pd.DataFrame({"unit_id": accounts.to_numpy()[unit],
                         "rule_id": rule_ids[rule_pos],
                         "match": np.asarray(MATCH_CODES, dtype=object)[match]},
                        index=lines.index)


def _raise_conflict(cand, targets, rules, lines) -> None:
    problems = []
    for line in targets[targets > 1].index[:10]:
        hits = cand[cand["line"] == line]
        a, b = (rules.iloc[int(i)] for i in hits["rule"].to_numpy()[:2])
        problems.append(Problem(
            "attribution_rules", int(b["row"]), "po_pattern", b["po_pattern"],
            f"one matching {RULE_KIND_WORDS[b['kind']]} rule per line; rule {a['rule_id']} "
            f"(row {a['row']}) and rule {b['rule_id']} (row {b['row']}) both match invoice "
            f"{lines['invoice_id'].iloc[line]} and send it to {a['to_unit']} and {b['to_unit']}",
        ))
    raise InputError(problems)


# --------------------------------------------------------------------------- lines → cube



def _categorical(codes: np.ndarray, categories) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes whose order is the lexical order of the values ('' for missing)."""
    codes, uniques = pd.factorize(values.fillna(""), sort=True)
    return codes, np.asarray(uniques, dtype=object)


def consolidate_lines(dataset: Dataset, hierarchy: Hierarchy | None = None) -> pd.DataFrame:
    """Every invoice line with its attribution, group and fate, aligned with the invoices.

    Columns (categoricals with sorted categories, and integer cents): ``billing_account``,
    ``unit_id``, ``rule_id``, ``match``, ``group_at_date``, ``month`` (``YYYY-MM``),
    ``service_line``, ``account_manager``, ``revenue_cents`` (reporting currency),
    ``excluded`` (an :data:`EXCLUSION_REASONS` key, or "").
    """
    inv = dataset.invoices
    hierarchy = hierarchy or build_hierarchy(dataset)
    accounts = hierarchy.accounts
    order = np.argsort(accounts.to_numpy(dtype=object))  # sorted account codes for output
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    sorted_accounts = accounts.to_numpy(dtype=object)[order]

    rules = classify_rules(dataset.attribution_rules,
                           dataset.row_numbers.get("attribution_rules"))
    unit, rule_pos, match = _attribute_codes(inv, rules, accounts)
    billing = _codes_in(inv["billing_account"], accounts)
    cents = to_reporting_cents(inv, dataset.fx_rates, dataset.reporting_currency,
                               dataset.row_numbers.get("invoices"))
    days = inv["invoice_date"].to_numpy().astype("datetime64[D]")
    group = hierarchy.group_codes_at(unit, days)
    ic = dataset.accounts["intercompany"].fillna(False).astype(bool).to_numpy()
    ic_by_code = np.zeros(len(accounts), dtype=bool)
    ic_by_code[accounts.get_indexer(dataset.accounts["account_id"].to_numpy(dtype=object))] = ic
    intercompany = ic_by_code[billing] | ic_by_code[unit] | ic_by_code[group]
    cancelled = (inv["status"] == CANCELLED).to_numpy()
    excluded = np.where(cancelled, 1, np.where(intercompany, 2, 0)).astype(np.int8)

    month_idx = days.astype("datetime64[M]").astype(np.int64)
    months, month_codes = np.unique(month_idx, return_inverse=True)
    month_names = np.datetime_as_string(months.astype("datetime64[M]"), unit="M")
    rule_ids = rules["rule_id"].to_numpy(dtype=object)
    rule_order = np.argsort(rule_ids)
    rule_rank = np.empty(len(rule_ids) + 1, dtype=np.int64)
    rule_rank[rule_order] = np.arange(1, len(rule_ids) + 1)
    rule_rank[-1] = 0  # no rule: '' sorts first
    svc_codes, svc_names = _sorted_codes(inv["service_line"])
    am_codes, am_names = _sorted_codes(inv["account_manager"])
    match_order = np.argsort(np.asarray(MATCH_CODES, dtype=object))
    match_rank = np.empty_like(match_order)
    match_rank[match_order] = np.arange(len(match_order))
    return pd.DataFrame({
        "billing_account": _categorical(rank[billing], sorted_accounts),
        "unit_id": _categorical(rank[unit], sorted_accounts),
        "rule_id": _categorical(rule_rank[rule_pos], ["", *rule_ids[rule_order]]),
        "match": _categorical(match_rank[match],
                              np.asarray(MATCH_CODES, dtype=object)[match_order]),
        "group_at_date": _categorical(rank[group], sorted_accounts),
        "month": _categorical(month_codes, month_names),
        "service_line": _categorical(svc_codes, svc_names),
        "account_manager": _categorical(am_codes, am_names),
        "revenue_cents": cents.to_numpy(),
        "excluded": _categorical(excluded, EXCLUSION_CODES),
    }, index=inv.index)


def build_hierarchy(dataset: Dataset) -> Hierarchy:
    """The group structure of a dataset (customer master, parent links, GLEIF links)."""
    return Hierarchy.build(dataset.accounts, dataset.parent_links,
                           getattr(dataset, "gleif_links", None), dataset.row_numbers,
                           {name: path.name for name, path in dataset.sources.items()})


def _sum(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Revenue and line counts per ``by``: summed over runs of the category codes sorted
    (sorted categories, so the result is in lexical order whatever the row order),
    returned as text. A sort and one ``reduceat`` instead of a pandas groupby: the same
    result, without the groupby's fixed cost that dominates the many small cubes."""
    codes = [frame[c].cat.codes.to_numpy() for c in by]
    cents = frame["revenue_cents"].to_numpy(dtype=np.int64)
    n = len(cents)
    order = np.lexsort(codes[::-1])  # the first of ``by`` is the primary key
    sorted_codes = [c[order] for c in codes]
    new_run = np.ones(n, dtype=bool)
    if n:
        new_run[1:] = False
        for c in sorted_codes:
            new_run[1:] |= c[1:] != c[:-1]
    starts = np.flatnonzero(new_run)
    revenue = (np.add.reduceat(cents[order], starts) if n else np.zeros(0, dtype=np.int64))
    out = {}
    for c, sc in zip(by, sorted_codes, strict=True):
        categories = np.asarray(frame[c].cat.categories, dtype=object)
        out[c] = pd.array(categories[sc[starts]], dtype="str")
    out["revenue_cents"] = revenue.astype(np.int64)
    out["lines"] = np.diff(np.append(starts, n)).astype(np.int64)
    return pd.DataFrame(out)


def tables_from_lines(lines: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The cube and ledger tables aggregated from :func:`consolidate_lines`."""
    excluded = lines["excluded"].cat.codes.to_numpy() != 0
    kept = lines[~excluded]
    moved = kept[kept["match"].cat.codes.to_numpy() != 0].rename(  # code 0 is ""
        columns={"billing_account": "from_account", "unit_id": "to_unit",
                 "group_at_date": "to_group"})
    return {
        "cube": _sum(kept, ["group_at_date", "unit_id", "month", "service_line",
                            "account_manager"]),
        "movements": _sum(moved, ["rule_id", "match", "from_account", "to_unit", "to_group",
                                  "month"]),
        "exclusions": _sum(lines[excluded].rename(
            columns={"excluded": "reason", "billing_account": "account_id"}),
            ["reason", "account_id", "month"]),
        "raw": _sum(lines, ["month"]),
    }


def cache_key(dataset: Dataset) -> str:
    """A key over the content of every input the cube depends on, and the cube version."""
    h = hashlib.sha256(f"cube {CUBE_VERSION} {dataset.reporting_currency}".encode())
    for table in ("invoices", "accounts", "parent_links", "attribution_rules", "fx_rates"):
        source = dataset.sources.get(table)
        h.update(f"|{table}|".encode())
        if source is not None:
            with open(source, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
    for path in sorted(getattr(dataset, "gleif_sources", ()) or ()):
        h.update(Path(path).read_bytes())
    return h.hexdigest()[:24]


def cached_cube_exists(dataset: Dataset, cache_dir: Path | str = config.CACHE_DIR) -> bool:
    """Whether a cube for the content of this dataset's files is in the cache."""
    folder = Path(cache_dir) / cache_key(dataset)
    return all((folder / f"{t}.parquet").exists() for t in CACHED_TABLES)


def cached_cube(dataset: Dataset, cache_dir: Path | str = config.CACHE_DIR
                ) -> Consolidation | None:
    """The cached :class:`Consolidation` for the content of this dataset's files, or None.

    Hashes the input files once (where ``cached_cube_exists`` then ``build_cube`` hash them
    twice); the dataset may be loaded with ``skip_invoices``: its lines are not needed.
    """
    return _read_cache(dataset, Path(cache_dir), cache_key(dataset))


def _read_cache(dataset: Dataset, cache_dir: Path, key: str) -> Consolidation | None:
    folder = cache_dir / key
    if not all((folder / f"{t}.parquet").exists() for t in CACHED_TABLES):
        return None
    tables = {t: pd.read_parquet(folder / f"{t}.parquet") for t in CACHED_TABLES}
    return Consolidation(**tables, hierarchy=build_hierarchy(dataset),
                         names=dataset.accounts.set_index("account_id")["name"],
                         reporting_currency=dataset.reporting_currency, key=key)


ENGINES = ("auto", "pandas", "duckdb")


def build_cube(dataset: Dataset, cache_dir: Path | str | None = config.CACHE_DIR,
               engine: str = "auto") -> Consolidation:
    """Consolidate a dataset into the monthly cube and its ledger, cached on disk.

    With ``cache_dir`` (default ``data/cache`` in the project), the tables are read from
    ``<cache_dir>/<key>/`` when present and written there otherwise; ``None`` disables the
    cache. The key changes whenever an input file the cube depends on changes.

    ``engine`` computes the tables: ``"pandas"`` from the lines in memory (read from their
    file if the loader left them there); ``"duckdb"`` where the lines are, a Parquet file
    the loader proved clean (:mod:`~account_analysis.consolidate.duckdb_engine`; ValueError
    for lines in memory); ``"auto"`` (default) DuckDB when the lines are in such a file,
    else pandas. Both give the same tables; where DuckDB cannot be sure, the pandas engine
    decides (and names the line at fault).

    >>> build_cube(None, engine="spark")
    Traceback (most recent call last):
    ValueError: engine must be one of auto, pandas, duckdb, not 'spark'
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    in_file = not getattr(dataset, "invoices_in_memory", True)
    if engine == "duckdb" and not in_file:
        raise ValueError("engine='duckdb' needs the invoice lines in a Parquet file that "
                         "load_dataset proved clean; these lines are in memory")
    key = cache_key(dataset) if cache_dir is not None else ""
    if cache_dir is not None:
        cached = _read_cache(dataset, Path(cache_dir), key)
        if cached is not None:
            return cached
    hierarchy = build_hierarchy(dataset)
    names = dataset.accounts.set_index("account_id")["name"]
    tables = None
    if in_file and engine != "pandas":
        # Lines validated in their Parquet file: aggregated there by DuckDB.
        from .duckdb_engine import cube_tables

        rules = classify_rules(dataset.attribution_rules,
                               dataset.row_numbers.get("attribution_rules"))
        tables = cube_tables(dataset, hierarchy, rules)
    if tables is None:
        if len(dataset.invoices) == 0 and "invoices" in dataset.sources:
            raise ValueError(
                "the dataset was loaded with skip_invoices and its cube is not cached")
        tables = tables_from_lines(consolidate_lines(dataset, hierarchy))
    if cache_dir is not None:
        _write_cache(Path(cache_dir), key, tables)
    return Consolidation(**tables, hierarchy=hierarchy, names=names,
                         reporting_currency=dataset.reporting_currency, key=key)


def _write_cache(cache_dir: Path, key: str, tables: dict[str, pd.DataFrame]) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=cache_dir))
    try:
        for name, frame in tables.items():
            frame.to_parquet(tmp / f"{name}.parquet", index=False)
        try:
            os.replace(tmp, cache_dir / key)
        except OSError:  # another process wrote the same key first: theirs is as good
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


# --------------------------------------------------------------------------- per window


def months_in_window(months: pd.Series, window: Window) -> pd.Series:
    labels = window.month_labels()
    return months.between(labels[0], labels[-1])


def cube_in_window(consolidation: Consolidation, window: Window,
                    restate_hierarchy: bool | None, column: str) -> pd.DataFrame:
    """The cube rows of ``window``: ``group_id`` (per the restate mode), ``column`` and
    ``revenue_cents``."""
    cube = consolidation.cube
    inside = months_in_window(cube["month"], window).to_numpy()
    group = consolidation.group_of_units(window, restate_hierarchy)
    return pd.DataFrame({"group_id": group.to_numpy()[inside],
                         column: cube[column].to_numpy()[inside],
                         "revenue_cents": cube["revenue_cents"].to_numpy()[inside]})


def revenue_by_group(consolidation: Consolidation, window: Window,
                     restate_hierarchy: bool | None = None) -> pd.DataFrame:
    """Revenue per customer group over ``window``, largest first.

    Columns: ``group_id``, ``name`` (of the group's top account), ``units`` (accounts with
    revenue in the group), ``revenue_cents`` (int). With ``restate_hierarchy`` the group is
    the one of each unit at the window's end; otherwise the one on each invoice date;
    ``None`` (the default) takes the consolidation's own setting, which
    :func:`~account_analysis.open_period` sets from the parameters.
    """
    frame = cube_in_window(consolidation, window, restate_hierarchy, "unit_id")
    out = (frame.groupby("group_id", sort=False)
           .agg(units=("unit_id", "nunique"), revenue_cents=("revenue_cents", "sum"))
           .reset_index())
    out.insert(1, "name", consolidation.names.reindex(out["group_id"]).to_numpy())
    return out.sort_values(["revenue_cents", "group_id"], ascending=[False, True],
                           ignore_index=True).astype({"revenue_cents": "int64"})


def monthly_revenue_by_group(consolidation: Consolidation, window: Window,
                             restate_hierarchy: bool | None = None) -> pd.DataFrame:
    """Revenue per group and month over ``window``: ``group_id``, ``month`` (``YYYY-MM``),
    ``revenue_cents``; months without revenue are absent. Groups as in
    :func:`revenue_by_group`."""
    frame = cube_in_window(consolidation, window, restate_hierarchy, "month")
    out = frame.groupby(["group_id", "month"], sort=True)["revenue_cents"].sum().reset_index()
    return out.astype({"revenue_cents": "int64"})


def reconcile(consolidation: Consolidation, window: Window) -> pd.DataFrame:
    """The reconciliation of a window, in integer cents, with a check column.

    Rows: raw total of the file; lines outside the window; raw in-window; consolidated;
    excluded total; one row per exclusion reason in the window (``excluded:<reason>``).
    ``raw in window = consolidated + excluded`` and ``raw total = raw in window + outside
    window`` hold to the cent; :func:`reconciliation_holds` checks it.
    """
    raw, cube, exc = consolidation.raw, consolidation.cube, consolidation.exclusions
    raw_in = raw[months_in_window(raw["month"], window)]
    exc_in = exc[months_in_window(exc["month"], window)]
    per_reason = exc_in.groupby("reason", sort=True)[["revenue_cents", "lines"]].sum() \
        .reset_index()
    consolidated = cube[months_in_window(cube["month"], window)]
    rows = [
        ("raw_total", int(raw["revenue_cents"].sum()), int(raw["lines"].sum())),
        ("outside_window", int(raw["revenue_cents"].sum() - raw_in["revenue_cents"].sum()),
         int(raw["lines"].sum() - raw_in["lines"].sum())),
        ("raw_in_window", int(raw_in["revenue_cents"].sum()), int(raw_in["lines"].sum())),
        ("consolidated", int(consolidated["revenue_cents"].sum()),
         int(consolidated["lines"].sum())),
    ]
    rows.append(("excluded", int(exc_in["revenue_cents"].sum()), int(exc_in["lines"].sum())))
    rows += [(f"excluded:{r}", int(c), int(n)) for r, c, n in
             per_reason[["reason", "revenue_cents", "lines"]].itertuples(index=False)]
    return pd.DataFrame(rows, columns=["item", "revenue_cents", "lines"]).astype(
        {"revenue_cents": "int64", "lines": "int64"})


def reconciliation_holds(table: pd.DataFrame) -> bool:
    """Whether a :func:`reconcile` table adds up, in cents and in lines."""
    t = table.set_index("item")
    reasons = t[t.index.str.startswith("excluded:")]
    for col in ("revenue_cents", "lines"):
        if reasons[col].sum() != t.at["excluded", col]:
            return False
        if t.at["raw_in_window", col] != t.at["consolidated", col] + t.at["excluded", col]:
            return False
        if t.at["raw_total", col] != t.at["raw_in_window", col] + t.at["outside_window", col]:
            return False
    return True
