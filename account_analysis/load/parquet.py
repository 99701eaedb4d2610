"""Parquet invoice lines proved clean by DuckDB, never read into a pandas frame.

A large invoice file is the one input that does not fit the pandas loader comfortably
(5 million lines: ~10 s and ~2.5 GB). When the invoices table is a typed Parquet file, the
loader (:func:`account_analysis.load.dataset.load_dataset`) calls :func:`scan_invoices`,
which checks the lines with a few DuckDB aggregates over the file and returns a
:class:`ParquetInvoices` when they are provably clean; the DuckDB engine of the cube
(:mod:`account_analysis.consolidate.duckdb_engine`) then aggregates them where they are.

The pandas loader stays the single definition of every check and error message: the scan
only ever *proves* that a file passes, and hands over to the pandas loader whenever it
finds anything it does not accept as is (a problem, a value with surrounding spaces, a
lower-case currency, a typed column of another type, …). So a bad file gives exactly the
messages it always gave (at the speed of the pandas loader), which the tests check.

>>> import tempfile
>>> from pathlib import Path
>>> import pandas as pd
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "accounts.csv").write_text(
...     "account_id,name,postcode,country\\nA,Acme,1011 AB,NL\\n")
>>> pd.DataFrame({"invoice_id": ["F1", "F2"],
...               "invoice_date": pd.to_datetime(["2026-01-05", "2026-02-05"]).date,
...               "billing_account": ["A", "A"], "net_amount": [100.0, 20.5]}
...              ).to_parquet(folder / "invoices.parquet")
>>> source = scan_invoices(folder / "invoices.parquet", "EUR")  # clean: proven, not read
>>> source.rows, source.path.name
(2, 'invoices.parquet')
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .schema import INVOICE_STATUSES, MAX_AMOUNT, TABLES

_INVOICES = TABLES["invoices"]
# First/last characters that Python's str.strip() may remove (and a few it does not:
# every control character), tested in SQL on the distinct invoice ids.
_EDGE = (
    "ord({c}) <= 32 OR ord({c}) IN (133, 160, 5760, 8232, 8233, 8239, 8287, 12288) "
    "OR ord({c}) BETWEEN 8192 AND 8202"
)
_SQL_TYPES = {"date": "DATE", "money": "DOUBLE", "integer": "BIGINT"}


@dataclass(frozen=True)
class ParquetInvoices:
    """A Parquet invoice file whose lines passed every per-line and per-invoice check.

    ``select`` is the SQL select list that reads the file's columns under their contract
    names (absent optional columns as NULL). The sets are the distinct values needed for
    the checks against other tables, done by :meth:`references_ok`.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"invoice_id": ["F1", "F2"],
    ...               "invoice_date": pd.to_datetime(["2026-01-05", "2026-02-05"]).date,
    ...               "billing_account": ["A", "B"], "net_amount": [100.0, 20.5],
    ...               "currency": ["EUR", "USD"]}).to_parquet(folder / "invoices.parquet")
    >>> source = scan_invoices(folder / "invoices.parquet", "EUR")
    >>> sorted(source.billing_accounts), sorted(source.foreign)
    (['A', 'B'], [('2026-02', 'USD')])
    >>> source.references_ok({"A", "B"}, {("2026-02", "USD")})
    True
    >>> source.references_ok({"A"}, {("2026-02", "USD")})  # B is in no accounts file
    False
    """

    path: Path
    select: str
    rows: int
    billing_accounts: frozenset
    ordering_units: frozenset
    foreign: frozenset  # (month "YYYY-MM", currency) of lines not in the reporting currency
    months: tuple = (0, 0)  # first and last month of the lines as year * 12 + month - 1
    service_lines: tuple = ()  # distinct, NULL as "", with "", sorted
    account_managers: tuple = ()
    foreign_max: tuple = ()  # ((month, currency), largest absolute amount) per foreign pair

    def relation(self) -> str:
        return f"(SELECT {self.select} FROM read_parquet({_literal(str(self.path))}))"

    def references_ok(self, accounts: set, fx_pairs: set, rates: dict | None = None) -> bool:
        """Whether every account named exists and every foreign line has a rate, and (given
        ``rates`` by (month, currency)) every converted amount stays below the bound."""
        return (
            self.billing_accounts <= accounts
            and self.ordering_units <= accounts
            and self.foreign <= fx_pairs
            and all(
                top * rates.get(pair, 0) < MAX_AMOUNT
                for pair, top in (self.foreign_max if rates is not None else ())
            )
        )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _select_list(path: Path) -> str | None:
    """SQL reading the contract's invoice columns, or None when the file's header or column
    types are anything the pandas loader would treat differently from typed values."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except Exception:  # noqa: BLE001 - the pandas path reports an unreadable file
        return None
    names = [re.sub(r"\s+", "_", str(c).strip().lower()) for c in schema.names]
    if len(set(names)) != len(names):
        return None
    fields = dict(zip(names, schema, strict=True))
    parts = []
    for col in _INVOICES.columns:
        f = fields.get(col.name)
        if f is None:
            if col.required:
                return None
            parts.append(f"NULL::{_SQL_TYPES.get(col.kind, 'VARCHAR')} AS {col.name}")
            continue
        t = f.type
        if col.kind == "date":
            if pa.types.is_date(t):
                parts.append(f"{_ident(f.name)} AS {col.name}")
            elif pa.types.is_timestamp(t) and t.tz is None:
                parts.append(f"CAST({_ident(f.name)} AS DATE) AS {col.name}")
            else:
                return None
        elif col.kind == "money":
            if not (pa.types.is_integer(t) or pa.types.is_float32(t) or pa.types.is_float64(t)):
                return None
            parts.append(f"CAST({_ident(f.name)} AS DOUBLE) AS {col.name}")
        elif col.kind == "integer":
            if not pa.types.is_integer(t) or t == pa.uint64():
                return None
            parts.append(f"CAST({_ident(f.name)} AS BIGINT) AS {col.name}")
        elif col.kind in ("id", "text", "currency", "choice"):
            if not (pa.types.is_string(t) or pa.types.is_large_string(t)):
                return None
            parts.append(f"{_ident(f.name)} AS {col.name}")
        else:  # no other kinds among the invoice columns
            return None
    return ", ".join(parts)


# One in-memory DuckDB database per process, opened on first use: opening one costs
# 50-90 ms, a connection to an open one ~1 ms (the property tests and a batch build many
# small cubes). Each scan or build has a connection of its own, so its temp macros, temp
# tables and registered frames stay private and go when it closes. Settings that DuckDB
# keeps per database are the same for every connection, so they are set once here.
_DATABASE: tuple[int, object] | None = None  # (pid that opened it, the database)
_DATABASE_LOCK = threading.Lock()


def _open_database():
    import duckdb

    db = duckdb.connect(
        config={
            "preserve_insertion_order": False,  # every result is ordered explicitly
            "arrow_large_buffer_size": True,  # large_string, as pandas keeps them
        }
    )
    # The name tables are the build sides of the cube's joins: without this DuckDB, which
    # cannot estimate the size of an aggregate, builds its hash tables on the aggregate
    # (~1 s instead of 0.1).
    try:
        db.execute("SET disabled_optimizers = 'build_side_probe_side'")
    except duckdb.Error:  # a DuckDB without that optimizer: the same result, only slower
        pass
    return db


def connect():
    """A new connection to this process's in-memory DuckDB database (opened on first use);
    the caller closes it.

    >>> con = connect()
    >>> con.execute("SELECT 40 + 2").fetchone()
    (42,)
    >>> con.close()
    """
    global _DATABASE

    with _DATABASE_LOCK:
        # A forked child opens its own: a database is not to be shared across a fork.
        if _DATABASE is None or _DATABASE[0] != os.getpid():
            _DATABASE = (os.getpid(), _open_database())
        con = _DATABASE[1].cursor()
    con.execute("SET enable_progress_bar = false")  # kept per connection
    return con


def _clean(values) -> bool:
    return all(v is None or v == v.strip() for v in values)


def scan_invoices(path: Path, reporting_currency: str) -> ParquetInvoices | None:
    """The file as :class:`ParquetInvoices` when DuckDB proves its lines clean, else None.

    None means: load it with the pandas path, which accepts it or reports its problems.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> lines = pd.DataFrame({"invoice_id": ["F1", "F2"],
    ...                       "invoice_date": pd.to_datetime(["2026-01-05", "2026-02-05"]).date,
    ...                       "billing_account": ["A", "A"], "net_amount": [100.0, 20.5]})
    >>> lines.to_parquet(folder / "clean.parquet")
    >>> scan_invoices(folder / "clean.parquet", "EUR").rows
    2
    >>> lines.assign(billing_account=["A", " A"]).to_parquet(folder / "spaces.parquet")
    >>> scan_invoices(folder / "spaces.parquet", "EUR") is None  # the pandas loader decides
    True
    """
    if path.suffix != ".parquet":
        return None
    select = _select_list(path)
    if select is None:
        return None

    con = connect()
    try:
        return _scan(con, path, select, reporting_currency)
    finally:
        con.close()


def _scan(con, path: Path, select: str, rc: str) -> ParquetInvoices | None:
    rel = f"(SELECT {select} FROM read_parquet({_literal(str(path))}))"
    has = {
        c.name: f"NULL::{_SQL_TYPES.get(c.kind, 'VARCHAR')} AS {c.name}" not in select
        for c in _INVOICES.columns
    }
    # 1. Per line, one pass without groups: missing values, amounts that are not finite, too
    # large (schema.MAX_AMOUNT) or have a third decimal, the date range and the distinct
    # values the references need.
    null = "NULL::VARCHAR"
    (
        lines,
        missing,
        bad_money,
        line_nos,
        first,
        last,
        billing,
        currencies,
        ordering,
        services,
        managers,
        statuses,
    ) = con.execute(f"""
        SELECT count(*),
          count(*) FILTER (WHERE invoice_date IS NULL OR billing_account IS NULL
                           OR net_amount IS NULL),
          count(*) FILTER (WHERE NOT isfinite(net_amount) OR abs(net_amount) >= {MAX_AMOUNT}
                           OR abs(net_amount * 100 - round_even(net_amount * 100, 0))
                              > 1e-6 * greatest(1, abs(net_amount * 100))),
          count(line_no), min(invoice_date), max(invoice_date),
          list(DISTINCT billing_account), list(DISTINCT coalesce(currency, '')),
          {
        ", ".join(
            f"list(DISTINCT {c if has[c] else null})"
            for c in ("ordering_unit", "service_line", "account_manager", "status")
        )
    }
        FROM {rel}""").fetchone()
    if not lines or missing or bad_money:
        return None
    if first.year < 1000 or last.year > 9999:
        return None
    if not all(v and v == v.strip() for v in billing):
        return None
    if not all(v == "" or re.fullmatch(r"[A-Z]{3}", v) for v in currencies):
        return None
    if not all(_clean(v) for v in (ordering, services, managers)):
        return None
    if not all(v is None or v in ("", *INVOICE_STATUSES) for v in statuses):
        return None
    # 2. Grouped per invoice: one date, account and currency per invoice (the minimum and
    # maximum of a 64-bit hash of the three differ otherwise; a collision would need two
    # different headers hashing alike), an invoice id without surrounding spaces, and
    # unique line numbers: those of an invoice spanning fewer than 64 values are distinct
    # exactly when their residues mod 64 are (one bit each); other invoices are
    # "suspects", counted exactly below.
    bits = "bit_or(1::UBIGINT << ((line_no % 64 + 64) % 64)::INTEGER)"
    edge = " OR ".join(_EDGE.format(c=c) for c in ("invoice_id", "right(invoice_id, 1)"))
    header = "hash(invoice_date, billing_account, coalesce(currency, ''))"
    (bad_invoices, suspects) = con.execute(f"""
        SELECT count(*) FILTER (WHERE invoice_id IS NULL OR invoice_id = '' OR {edge}
                                OR h1 <> h2),
          list(invoice_id) FILTER (WHERE mx - mn >= 64 OR bit_count(bits) <> n)
        FROM (SELECT invoice_id, count(*) AS n, min(line_no) AS mn, max(line_no) AS mx,
                {bits if has["line_no"] else "NULL::UBIGINT"} AS bits,
                min({header}) AS h1, max({header}) AS h2
              FROM {rel} GROUP BY invoice_id)""").fetchone()
    if bad_invoices:
        return None
    foreign = con.execute(
        f"""
        SELECT strftime(invoice_date, '%Y-%m'), currency, max(abs(net_amount)) FROM {rel}
        WHERE currency <> '' AND currency <> $rc GROUP BY ALL""",
        {"rc": rc},
    ).fetchall()
    if suspects and line_nos == lines:  # with a missing line number nothing is unique
        con.register("suspects", pd.DataFrame({"invoice_id": suspects}))
        (dupes,) = con.execute(f"""
            SELECT count(*) FROM (SELECT invoice_id, line_no FROM {rel}
              WHERE invoice_id IN (SELECT invoice_id FROM suspects)
              GROUP BY ALL HAVING count(*) > 1)""").fetchone()
        if dupes:
            return None
    return ParquetInvoices(
        path=path,
        select=select,
        rows=int(lines),
        billing_accounts=frozenset(billing),
        ordering_units=frozenset(v for v in ordering if v),
        foreign=frozenset((m, c) for m, c, _ in foreign),
        foreign_max=tuple(((m, c), top) for m, c, top in foreign),
        months=(first.year * 12 + first.month - 1, last.year * 12 + last.month - 1),
        # "" always present: NULL reads as "", whether or not list(DISTINCT) kept NULLs.
        service_lines=tuple(sorted({v or "" for v in services} | {""})),
        account_managers=tuple(sorted({v or "" for v in managers} | {""})),
    )
