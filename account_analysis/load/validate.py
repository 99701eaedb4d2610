"""Checking a table: every cell parsed by its column (:mod:`.parse`), required values, unique
keys, one date, account and currency per invoice; and across the tables of a dataset, the
references to accounts and the FX rates every foreign amount needs. Problems name the file,
the row as a spreadsheet counts it (header = 1), the column, the value and what was expected.

>>> import pandas as pd
>>> from account_analysis import InputError
>>> from account_analysis.load.schema import TABLES
>>> raw = pd.DataFrame({"account_id": ["A", "A"], "name": ["Acme", "Acme"],
...                     "postcode": ["1011 AB", "1011 AB"], "country": ["NL", "NL"]})
>>> try:
...     validate_table(TABLES["accounts"], raw, "accounts.csv")
... except InputError as err:
...     problem = err.problems[0]
>>> problem.row, problem.column, problem.expected
(3, 'account_id', 'a unique account_id; this row repeats row 2')
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CAP_PER_FILE, InputError
from ..errors import ProblemCollector as _Problems
from .columns import (
    MAX_AMOUNT,
    Column,
    Table,
)
from .parse import as_text, decimal_convention, empty_column, number_text, parse_column
from .read import check_names

EXPECTED = {
    "date": "a date such as 2026-09-30 or 30-09-2026",
    "month": "a month such as 2026-09",
    "money": "an amount such as 1234.50 or 1.234,50 with at most two decimals",
    "number": "a number such as 1.1712 or 1,1712",
    "integer": "a whole number such as 12",
    "bool": "yes/no, true/false, ja/nee or 1/0",
    "currency": "a three-letter currency code such as EUR",
    "regex": "a valid regular expression in RE2 syntax (no backreferences or lookaround)",
}


def validate_table(table: Table, raw: pd.DataFrame, file: str) -> pd.DataFrame:
    """Typed frame with a ``_row`` column (spreadsheet row number), or InputError.

    Every column of ``table`` is there (absent optional ones empty); money in integer
    cents. Does not mutate ``raw``.

    >>> from account_analysis.load.schema import TABLES
    >>> raw = pd.DataFrame({"invoice_id": ["F1", "F2"],
    ...                     "invoice_date": ["2026-01-15", "15-02-2026"],
    ...                     "billing_account": ["A", "B"], "net_amount": ["100,00", "1.250,50"]})
    >>> validate_table(TABLES["invoices"], raw, "invoices.csv")[
    ...     ["_row", "invoice_id", "invoice_date", "billing_account", "net_amount"]]
       _row invoice_id invoice_date billing_account  net_amount
    0     2         F1   2026-01-15               A       10000
    1     3         F2   2026-02-15               B      125050
    """
    problems = _Problems(file)
    check_names(problems, list(raw.columns))
    missing = [c for c in table.required_columns if c not in raw.columns]
    for name in missing:
        problems.add(1, name, None, f"a column named {name} (required)")
    if problems:
        raise InputError(problems.listed, problems.more)

    rows = np.arange(2, len(raw) + 2)
    texts = {
        c.name: number_text(raw[c.name], c.kind == "money")
        for c in table.columns
        if c.kind in ("money", "number") and c.name in raw.columns
    }
    decimals = decimal_convention({k: v for k, v in texts.items() if v is not None}, rows)
    parsed = {
        c.name: parse_column(raw[c.name], c, decimals)
        for c in table.columns
        if c.name in raw.columns
    }
    # Entirely blank rows (trailing lines of an export) are not data.
    blank = np.logical_and.reduce([p[2] for p in parsed.values()]) if parsed else None
    keep = None
    if blank is not None and blank.any():
        keep = ~blank
        raw, rows = raw[keep], rows[keep]
        parsed = {
            c: (v[keep], b[keep], e[keep], [(m[keep], x) for m, x in r])
            for c, (v, b, e, r) in parsed.items()
        }
    if raw.empty:
        raise InputError.single(file, "data rows below the header; the file has none", row=2)

    out: dict[str, pd.Series] = {"_row": pd.Series(rows, index=raw.index, dtype="int64")}
    for col in table.columns:
        if col.name not in parsed:
            out[col.name] = empty_column(col, len(raw), raw.index)
            continue
        out[col.name] = _checked_column(col, parsed[col.name], raw[col.name], rows, problems)
    if problems:
        raise InputError(problems.listed, problems.more)
    for col in table.columns:
        if col.kind == "money" and col.required:
            out[col.name] = out[col.name].astype("int64")
    frame = pd.DataFrame(out, index=raw.index, copy=False).reset_index(drop=True)
    _check_keys(table, frame, file)
    return frame


def _checked_column(
    col: Column, parsed: tuple, cells: pd.Series, rows: np.ndarray, problems: _Problems
) -> pd.Series:
    """The values of one column as :func:`~account_analysis.load.parse.parse_column` parsed
    its ``cells``; each problem added to ``problems`` (a required value missing, then the
    parser's reasons, then a cell not of the column's kind). A number or date with a problem
    is missing; money is integer cents, ``Int64`` where a value is missing or optional."""
    values, bad, empty, reasons = parsed
    if col.required and empty.any():
        problems.add_rows(
            pd.Series(rows[empty]),
            as_text(cells[empty]),
            col.name,
            "a value (the column is required)",
        )
    if bad.any():
        plain = bad.copy()
        for mask, expected in reasons:
            if mask.any():
                problems.add_rows(pd.Series(rows[mask]), as_text(cells[mask]), col.name, expected)
            plain &= ~mask
        if plain.any():
            expected = EXPECTED.get(col.kind) or "one of " + ", ".join(col.choices)
            problems.add_rows(pd.Series(rows[plain]), as_text(cells[plain]), col.name, expected)
    if col.kind in ("money", "integer", "number", "date"):
        if (empty | bad).any():
            values = values.mask(empty | bad)
        if col.kind == "money":
            values = (
                values.astype("int64" if col.required else "Int64")
                if not (empty | bad).any()
                else values.astype("Int64")
            )
    return values


def _codes(values: pd.Series) -> np.ndarray:
    """Integer codes of a column; missing values get their own code."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.where(codes < 0, len(uniques), codes).astype("int64")


def _check_keys(table: Table, frame: pd.DataFrame, file: str) -> None:
    """Unique keys; for invoices also one date, account and currency per invoice."""
    problems = _Problems(file)
    key = [k for k in table.key if frame[k].notna().all()]
    if key and len(key) == len(table.key):
        combined = np.zeros(len(frame), dtype="int64")
        for k in key:
            c = _codes(frame[k])
            combined = combined * (int(c.max()) + 1 if len(c) else 1) + c
        dup_mask = pd.Series(combined).duplicated(keep=False).to_numpy()
        if dup_mask.any():
            content = [c for c in table.column_names if c in frame.columns]
            dupes = frame[dup_mask].head(4 * CAP_PER_FILE)
            first = dupes.groupby(key, sort=False)["_row"].transform("min")
            for (_, row), first_row in zip(dupes.iterrows(), first, strict=True):
                if row["_row"] == first_row:
                    continue
                other = frame.loc[frame["_row"] == first_row].iloc[0]
                same = all(_same(row[c], other[c]) for c in content)
                what = "repeats" if same else "has the same key as, but different content from,"
                problems.add(
                    int(row["_row"]),
                    key[0],
                    row[key[0]],
                    f"a unique {' + '.join(key)}; this row {what} row {first_row}",
                )
    if table.name == "invoices":
        invoice = _codes(frame["invoice_id"])
        for column in ("invoice_date", "billing_account", "currency"):
            values = _codes(frame[column])
            g = pd.DataFrame({"i": invoice, "v": values}).groupby("i")["v"]
            spread = g.max() - g.min()
            bad_invoices = spread.index[spread.to_numpy() != 0]
            if not len(bad_invoices):
                continue
            involved = np.flatnonzero(np.isin(invoice, bad_invoices.to_numpy()))
            sub = frame.iloc[involved]
            firsts = sub.groupby("invoice_id", sort=False)[column].transform("first")
            first_rows = sub.groupby("invoice_id", sort=False)["_row"].transform("first")
            differs = ~_equal(sub[column], firsts)
            for i in sub.index[differs.to_numpy()][:CAP_PER_FILE]:
                problems.add(
                    int(frame.at[i, "_row"]),
                    column,
                    _show(frame.at[i, column]),
                    f"the same {column} on every line of invoice {frame.at[i, 'invoice_id']}"
                    f" (row {first_rows[i]} has {_show(firsts[i])})",
                )
    if problems:
        raise InputError(problems.listed, problems.more)


def _same(a, b) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    return bool(a == b)


def _equal(a: pd.Series, b: pd.Series) -> pd.Series:
    return (a == b).fillna(False).astype(bool) | (a.isna() & b.isna())


def _show(v):
    return v.date().isoformat() if isinstance(v, pd.Timestamp) else v


# --------------------------------------------------------------------------- cross-table


def check_references(
    tables: dict[str, pd.DataFrame], sources: dict[str, Path], reporting_currency: str
) -> list[InputError]:
    """One InputError per file with unknown account references, or foreign amounts without
    an FX rate for their month (or too large once converted); ``[]`` when all is well.

    ``tables`` holds validated frames (:func:`validate_table`) by table name, ``sources``
    the file of each table read; tables absent from ``sources`` are not checked.

    >>> from account_analysis.load.schema import TABLES
    >>> accounts = validate_table(TABLES["accounts"], pd.DataFrame({
    ...     "account_id": ["A"], "name": ["Acme"], "postcode": ["1011 AB"], "country": ["NL"]}),
    ...     "accounts.csv")
    >>> invoices = validate_table(TABLES["invoices"], pd.DataFrame({
    ...     "invoice_id": ["F1", "F2"], "invoice_date": ["2026-01-15", "2026-02-15"],
    ...     "billing_account": ["A", "Z"], "net_amount": ["100.00", "80.00"],
    ...     "currency": ["EUR", "USD"]}), "invoices.csv")
    >>> fx = pd.DataFrame({"month": ["2026-01"], "currency": ["USD"], "rate": [0.92]})
    >>> errors = check_references(
    ...     {"accounts": accounts, "invoices": invoices, "fx_rates": fx},
    ...     {"accounts": Path("accounts.csv"), "invoices": Path("invoices.csv"),
    ...      "fx_rates": Path("fx_rates.csv")}, "EUR")
    >>> [(p.row, p.column, p.value) for e in errors for p in e.problems]
    [(3, 'billing_account', 'Z'), (3, 'currency', 'USD')]
    >>> errors[1].problems[0].expected
    'a rate for USD in 2026-02 in fx_rates'
    """
    errors: list[InputError] = []
    accounts = pd.Index(tables["accounts"]["account_id"].to_numpy(dtype=object)).unique()

    def refers(table: str, column: str, known: pd.Index, what: str) -> None:
        frame = tables[table]
        values = frame[column]
        # get_indexer, not Series.isin: isin on pandas' Arrow-backed strings is very slow.
        unknown = known.get_indexer(values.to_numpy(dtype=object)) < 0
        bad = (values != "") & values.notna() & unknown
        if bad.any():
            p = _Problems(sources[table].name)
            p.add_rows(frame.loc[bad, "_row"], values[bad], column, what)
            errors.append(InputError(p.listed, p.more))

    in_accounts = "an account_id that exists in accounts"
    refers("invoices", "billing_account", accounts, in_accounts)
    refers("invoices", "ordering_unit", accounts, in_accounts)
    refers("accounts", "parent_id", accounts, in_accounts)
    for table, column in (
        ("parent_links", "account_id"),
        ("parent_links", "parent_id"),
        ("attribution_rules", "to_unit"),
        ("attribution_rules", "billing_account"),
        ("wallets", "group_id"),
        ("complaints", "account_id"),
        ("decisions", "group_id"),
    ):
        if table in sources:
            refers(table, column, accounts, in_accounts)

    errors += _check_currencies(tables, sources, reporting_currency)
    return errors


def _check_currencies(tables, sources, reporting_currency: str) -> list[InputError]:
    """Every foreign-currency amount needs a rate for its month, and stays below
    MAX_AMOUNT once converted."""
    errors = []
    rates = tables["fx_rates"]
    have = set(zip(rates["month"], rates["currency"], strict=True))
    for table, date_col in (("invoices", "invoice_date"), ("wallets", "as_of")):
        if table not in sources:
            continue
        frame = tables[table]
        foreign = frame["currency"] != reporting_currency
        if not foreign.any():
            continue
        sub = frame.loc[foreign]
        months = sub[date_col].dt.strftime("%Y-%m")
        pairs = pd.Series(list(zip(months, sub["currency"], strict=True)), index=sub.index)
        missing = ~pairs.isin(have)
        if missing.any():
            p = _Problems(sources[table].name)
            where = "in fx_rates" if "fx_rates" in sources else "in an fx_rates file (none found)"
            for i in sub.index[missing]:
                p.add(
                    int(frame.at[i, "_row"]),
                    "currency",
                    frame.at[i, "currency"],
                    f"a rate for {frame.at[i, 'currency']} in {months[i]} {where}",
                )
            errors.append(InputError(p.listed, p.more))
            continue
        errors += _check_converted(
            frame, sub, months, rates, sources[table].name, reporting_currency
        )
    return errors


def _check_converted(frame, sub, months, rates, file: str, reporting_currency: str):
    """Amounts that exceed MAX_AMOUNT once converted into the reporting currency."""
    column = "net_amount" if "net_amount" in frame.columns else "annual_wallet"
    rate = pd.Series(fx_rate_map(rates)).rename_axis(["month", "currency"])
    key = pd.MultiIndex.from_arrays(
        [months.to_numpy(dtype=object), sub["currency"].to_numpy(dtype=object)]
    )
    factor = rate.reindex(key).to_numpy(dtype="float64")
    cents = sub[column].astype("float64").to_numpy(na_value=0.0)
    with np.errstate(invalid="ignore"):
        big = np.abs(cents) * factor >= MAX_AMOUNT * 100
    if not big.any():
        return []
    p = _Problems(file)
    for i, f in zip(sub.index[big], factor[big], strict=True):
        amount = int(frame.at[i, column])
        p.add(
            int(frame.at[i, "_row"]),
            column,
            _cents_text(amount),
            f"an amount smaller than {MAX_AMOUNT:,} {reporting_currency} in absolute value "
            f"once converted (at rate {f:g} for {frame.at[i, 'currency']} in {months[i]})",
        )
    return [InputError(p.listed, p.more)]


def _cents_text(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def fx_pairs(rates: pd.DataFrame) -> set:
    """The ``(month, currency)`` pairs that ``rates`` (the fx_rates table) has a rate for.

    >>> rates = pd.DataFrame({"month": ["2026-01", "2026-02"], "currency": ["USD", "GBP"],
    ...                       "rate": [0.92, 1.17]})
    >>> sorted(fx_pairs(rates))
    [('2026-01', 'USD'), ('2026-02', 'GBP')]
    """
    return set(zip(rates["month"], rates["currency"], strict=True))


def fx_rate_map(rates: pd.DataFrame) -> dict:
    """The rate of each ``(month, currency)`` of ``rates`` (the fx_rates table).

    >>> rates = pd.DataFrame({"month": ["2026-01", "2026-02"], "currency": ["USD", "GBP"],
    ...                       "rate": [0.92, 1.17]})
    >>> fx_rate_map(rates)
    {('2026-01', 'USD'): 0.92, ('2026-02', 'GBP'): 1.17}
    """
    return dict(
        zip(zip(rates["month"], rates["currency"], strict=True), rates["rate"], strict=True)
    )
