"""Attribution rules: which unit placed the order of an invoice line. Rules are matched by
kind in a fixed order (invoice id, billing account + PO pattern, billing account + service
line, billing account), each valid in its dated interval; a line no rule matches stays with
its invoice's ordering unit, else its billing account. :func:`classify_rules` checks the
rules, :func:`attribute_lines` applies them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..load.schema import rule_pattern
from .codes import DAY_MAX as _DAY_MAX
from .codes import DAY_MIN as _DAY_MIN
from .codes import MATCH_CODES, RULE_KINDS

RULE_KIND_WORDS = {
    "invoice": "invoice id",
    "po": "billing account + PO pattern",
    "service_line": "billing account + service line",
    "account": "billing account",
    "ordering_unit": "ordering unit on the invoice",
}


def classify_rules(rules: pd.DataFrame, rows: np.ndarray | None = None) -> pd.DataFrame:
    """Rules with their ``kind`` and inclusive ``vf``/``vt`` days; shapes and conflicts checked.

    A rule names exactly one of: an invoice id; a billing account; a billing account and a
    service line; a billing account and a PO pattern. Two rules of the same kind and key
    valid on a common day that send lines to different units are an input error naming both.
    Does not mutate ``rules``.

    >>> rules = pd.DataFrame({"rule_id": ["R2", "R1"], "to_unit": ["U2", "RTD"],
    ...     "invoice_id": ["", ""], "billing_account": ["HQ", "HQ"], "service_line": ["", ""],
    ...     "po_pattern": ["", "^PO-RTD-"], "valid_from": pd.to_datetime(["2026-01-01", None]),
    ...     "valid_to": pd.NaT})
    >>> classify_rules(rules)[["rule_id", "kind", "to_unit", "vf", "vt", "row"]]
      rule_id     kind to_unit         vf         vt  row
    0      R1       po     RTD 0001-01-01 9999-12-31    3
    1      R2  account      U2 2026-01-01 9999-12-31    2
    >>> classify_rules(rules.assign(po_pattern=""))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    account_analysis.errors.InputError: attribution_rules, row 3, column to_unit: 'RTD' — ...
    """
    rows = np.arange(len(rules)) + 2 if rows is None else np.asarray(rows)
    has = {
        c: (rules[c].fillna("") != "").to_numpy()
        for c in ("invoice_id", "billing_account", "service_line", "po_pattern")
    }
    kind = np.select(
        [
            has["invoice_id"] & ~has["billing_account"] & ~has["service_line"] & ~has["po_pattern"],
            ~has["invoice_id"] & has["billing_account"] & has["po_pattern"] & ~has["service_line"],
            ~has["invoice_id"] & has["billing_account"] & has["service_line"] & ~has["po_pattern"],
            ~has["invoice_id"] & has["billing_account"] & ~has["service_line"] & ~has["po_pattern"],
        ],
        list(RULE_KINDS),
        default="",
    )
    problems = [
        Problem(
            "attribution_rules",
            int(rows[i]),
            "rule_id",
            rules["rule_id"].iloc[i],
            "a rule naming exactly one of: invoice_id; billing_account; billing_account "
            "and service_line; billing_account and po_pattern",
        )
        for i in np.flatnonzero(kind == "")[:20]
    ]
    out = pd.DataFrame(
        {
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
        }
    )
    key_cols = ["kind", "invoice_id", "billing_account", "service_line", "po_pattern"]
    dup = out[out.duplicated(key_cols, keep=False) & (out["kind"] != "")]
    for _, g in dup.sort_values(["row"]).groupby(key_cols, sort=True):
        recs = g.to_dict("records")
        for i, a in enumerate(recs):
            for b in recs[i + 1 :]:
                if a["to_unit"] != b["to_unit"] and a["vf"] <= b["vt"] and b["vf"] <= a["vt"]:
                    problems.append(
                        Problem(
                            "attribution_rules",
                            int(b["row"]),
                            "to_unit",
                            b["to_unit"],
                            f"one target per {RULE_KIND_WORDS[b['kind']]} on any day; rule "
                            f"{b['rule_id']} (row {b['row']}) and rule {a['rule_id']} (row "
                            f"{a['row']}) send the same lines to {b['to_unit']} and {a['to_unit']}",
                        )
                    )
    if problems:
        raise InputError(problems)
    return out.sort_values(["rule_id", "row"], ignore_index=True)


def _days(values: pd.Series, fill) -> np.ndarray:
    arr = pd.to_datetime(values).to_numpy().astype("datetime64[D]")
    return np.where(np.isnat(arr), fill, arr)


def codes_in(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Positions of ``values`` in ``index`` (-1 where absent or empty), via factorize.

    >>> codes_in(pd.Series(["B", "Z", "A", None, "B"]), pd.Index(["A", "B", "C"])).tolist()
    [1, -1, 0, -1, 1]
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    where = index.get_indexer(pd.Index(np.asarray(uniques, dtype=object)))
    return np.append(where, -1)[codes].astype(np.int64)


def _merge_positions(left_keys: dict, right_keys: dict) -> tuple[np.ndarray, np.ndarray]:
    """(line, rule) pairs whose keys are equal; keys are aligned arrays by name."""
    left = pd.DataFrame({**left_keys, "line": left_keys.pop("_pos")})
    right = pd.DataFrame({**right_keys, "rule": np.arange(len(next(iter(right_keys.values()))))})
    m = left.merge(right, on=[k for k in right_keys], how="inner")
    return m["line"].to_numpy(), m["rule"].to_numpy()


def _candidates(
    kind: str, lines: pd.DataFrame, rules: pd.DataFrame, billing: np.ndarray, accounts: pd.Index
):
    """(line positions, rule positions) of every match of one kind, before dating."""
    rule_billing = accounts.get_indexer(pd.Index(rules["billing_account"].to_numpy(dtype=object)))
    if kind == "invoice":
        ids = lines["invoice_id"]
        mask = ids.isin(rules["invoice_id"]).to_numpy()
        pos = np.flatnonzero(mask)
        return _merge_positions(
            {"k": ids[mask].to_numpy(dtype=object), "_pos": pos},
            {"k": rules["invoice_id"].to_numpy(dtype=object)},
        )
    mask = np.isin(billing, rule_billing)
    pos = np.flatnonzero(mask)
    if kind == "account":
        return _merge_positions({"b": billing[pos], "_pos": pos}, {"b": rule_billing})
    if kind == "service_line":
        svc = lines["service_line"].fillna("").iloc[pos]
        svc_codes, uniques = pd.factorize(svc)
        rule_svc = pd.Index(np.asarray(uniques, dtype=object)).get_indexer(
            pd.Index(rules["service_line"].to_numpy(dtype=object))
        )
        return _merge_positions(
            {"b": billing[pos], "s": svc_codes, "_pos": pos}, {"b": rule_billing, "s": rule_svc}
        )
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


def attribute_codes(lines: pd.DataFrame, rules: pd.DataFrame, accounts: pd.Index):
    """Unit code, rule id and match code per line; see :func:`attribute_lines`.

    Three aligned integer arrays: the position of each line's unit in ``accounts``, the
    position of its rule in ``rules`` (-1 for none) and its index in ``MATCH_CODES``.

    >>> lines = pd.DataFrame({"invoice_id": ["F1", "F2"], "billing_account": ["HQ", "HQ"],
    ...     "invoice_date": pd.to_datetime(["2026-01-01", "2026-02-01"]),
    ...     "ordering_unit": ["", ""], "service_line": ["Advies", "Onderhoud"],
    ...     "po_reference": ["PO-RTD-1", "X"]})
    >>> rules = classify_rules(pd.DataFrame({"rule_id": ["R1", "R2"], "to_unit": ["RTD", "U2"],
    ...     "invoice_id": ["", ""], "billing_account": ["HQ", "HQ"], "service_line": ["", ""],
    ...     "po_pattern": ["^PO-RTD-", ""], "valid_from": pd.NaT, "valid_to": pd.NaT}))
    >>> unit, rule, match = attribute_codes(lines, rules, pd.Index(["HQ", "RTD", "U2"]))
    >>> unit.tolist(), rule.tolist(), [MATCH_CODES[m] for m in match]
    ([1, 2], [0, 1], ['po', 'account'])
    """
    n = len(lines)
    billing = codes_in(lines["billing_account"], accounts)
    ordering = codes_in(lines["ordering_unit"].fillna(""), accounts)
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
    names = pd.concat(
        [
            lines["billing_account"],
            lines["ordering_unit"].fillna(""),
            rules["to_unit"],
            rules["billing_account"],
        ]
    ).astype(object)
    accounts = pd.Index(sorted(set(names) - {""}), dtype=object)
    unit, rule_pos, match = attribute_codes(lines, rules, accounts)
    rule_ids = np.append(rules["rule_id"].to_numpy(dtype=object), "")
    return pd.DataFrame(
        {
            "unit_id": accounts.to_numpy()[unit],
            "rule_id": rule_ids[rule_pos],
            "match": np.asarray(MATCH_CODES, dtype=object)[match],
        },
        index=lines.index,
    )


def _raise_conflict(cand, targets, rules, lines) -> None:
    problems = []
    for line in targets[targets > 1].index[:10]:
        hits = cand[cand["line"] == line]
        a, b = (rules.iloc[int(i)] for i in hits["rule"].to_numpy()[:2])
        problems.append(
            Problem(
                "attribution_rules",
                int(b["row"]),
                "po_pattern",
                b["po_pattern"],
                f"one matching {RULE_KIND_WORDS[b['kind']]} rule per line; rule {a['rule_id']} "
                f"(row {a['row']}) and rule {b['rule_id']} (row {b['row']}) both match invoice "
                f"{lines['invoice_id'].iloc[line]} and send it to {a['to_unit']} "
                f"and {b['to_unit']}",
            )
        )
    raise InputError(problems)
