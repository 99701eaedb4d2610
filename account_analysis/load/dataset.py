"""Loading and validating a dataset folder: the only place that parses input files.

A dataset is a folder holding one file per table of the data contract
(:mod:`account_analysis.load.schema`), as CSV (UTF-8, ``,`` or ``;`` separated, ``.`` or ``,``
decimals), Excel ``.xlsx`` or Parquet, plus optional ``account_plans/*.yaml``.

:func:`load_dataset` returns a :class:`Dataset` of typed, validated DataFrames, or raises
:class:`~account_analysis.errors.InputError` listing every problem found (capped per file),
each with file, row (header = row 1), column, value and what was expected.

Money is kept as integer cents (``int64``; nullable ``Int64`` where optional), so totals
reconcile to the cent without float drift.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "accounts.csv").write_text(
...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n"
...     "U,Unit,3511 CD,NL,G\\nX,Other,5611 EF,NL,\\n")
>>> _ = (folder / "invoices.csv").write_text(
...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
...     "F1,2026-01-15,U,100.00,posted\\nF2,2026-02-01,G,50.50,posted\\n"
...     "F3,2026-03-01,X,25.00,cancelled\\nF4,2026-03-09,X,10.00,posted\\n")
>>> ds = load_dataset(folder)
>>> len(ds.invoices), ds.invoices["net_amount"].tolist()  # integer cents
(4, [10000, 5050, 2500, 1000])
>>> _ = (folder / "invoices.csv").write_text(
...     "invoice_id,invoice_date,billing_account,net_amount\\nF1,2026-01-15,U,twelve\\n")
>>> try:
...     load_dataset(folder)
... except InputError as err:
...     problem = err.problems[0]
>>> problem.file, problem.row, problem.column, problem.value
('invoices.csv', 2, 'net_amount', 'twelve')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .mapping import Mapping, read_mapping
from .parquet import ParquetInvoices, scan_invoices
from .parse import empty_column
from .read import find_file, read_file
from .registration import check_registration_ids
from .schema import (
    ACCOUNT_PLANS_DIR,
    CANCELLED,
    TABLES,
    Table,
)
from .validate import check_references, fx_pairs, fx_rate_map, validate_table

GLEIF_DIR = "gleif"  # GLEIF Level 2 relationship files (RR-CDF CSV) inside a dataset


@dataclass(frozen=True)
class Dataset:
    """A validated dataset: one DataFrame per table of the data contract.

    Absent optional tables are empty frames with the contract's columns. ``sources``
    names the file each table came from. Frames are never mutated by the library.

    Invoice lines from a Parquet file that DuckDB validated (``parquet_invoices``, see
    :mod:`account_analysis.load.parquet`) are not held in memory: ``invoices`` is read (by the
    pandas loader, as for any other file) on first access. :func:`build_cube` does not need
    it; it aggregates the file in DuckDB.

    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text(
    ...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n")
    >>> _ = (folder / "invoices.csv").write_text(
    ...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...     "F1,2026-01-15,G,100.00,posted\\n")
    >>> d = load_dataset(folder)
    >>> d.reporting_currency, sorted(d.sources), len(d.wallets)  # wallets: absent, empty
    ('EUR', ['accounts', 'invoices'], 0)
    >>> list(d.wallets.columns[:4])
    ['group_id', 'as_of', 'annual_wallet', 'currency']
    """

    path: Path
    reporting_currency: str
    invoices: pd.DataFrame
    accounts: pd.DataFrame
    parent_links: pd.DataFrame
    attribution_rules: pd.DataFrame
    wallets: pd.DataFrame
    complaints: pd.DataFrame
    account_managers: pd.DataFrame
    territories: pd.DataFrame
    decisions: pd.DataFrame
    fx_rates: pd.DataFrame
    account_plans: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)
    row_numbers: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    gleif_links: pd.DataFrame | None = None
    gleif_counts: dict = field(default_factory=dict)
    gleif_sources: tuple[Path, ...] = ()
    parquet_invoices: ParquetInvoices | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.invoices is None:
            if self.parquet_invoices is None:
                raise ValueError("invoices is None without parquet_invoices to read them from")
            object.__delattr__(self, "invoices")  # read on first access: see __getattr__

    def __getattr__(self, name: str):
        # Only reached for attributes not set: the invoice lines of parquet_invoices.
        source = self.__dict__.get("parquet_invoices")
        if name != "invoices" or source is None:
            raise AttributeError(name)
        frame = _invoices_frame(source.path, self.reporting_currency)
        object.__setattr__(self, "invoices", frame)
        return frame

    @property
    def invoices_in_memory(self) -> bool:
        """False while the invoice lines are only in their (validated) Parquet file."""
        return "invoices" in self.__dict__

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    def summary(self) -> dict:
        """Rows per table, invoice date range and net totals per currency.

        Totals are in cents (``int``), cancelled lines excluded.
        """
        inv = self.invoices
        live = inv[inv["status"] != CANCELLED]
        totals = live.groupby("currency", sort=True)["net_amount"].sum().astype("int64").to_dict()
        return {
            "rows": {name: len(self.table(name)) for name in TABLES},
            "account_plans": len(self.account_plans),
            "first_invoice": inv["invoice_date"].min().date() if len(inv) else None,
            "last_invoice": inv["invoice_date"].max().date() if len(inv) else None,
            "invoices": int(inv["invoice_id"].nunique()),
            "cancelled_lines": int((inv["status"] == CANCELLED).sum()),
            "credit_lines": int((live["net_amount"] < 0).sum()),
            "totals_cents": {str(k): int(v) for k, v in totals.items()},
        }


# --------------------------------------------------------------------------- account plans


def _load_account_plans(folder: Path, tables: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """The validated plans of ``<folder>/account_plans/`` (see :mod:`.plans`)."""
    from .plans import load_account_plans

    return load_account_plans(
        folder / ACCOUNT_PLANS_DIR, tables["accounts"], tables["parent_links"]
    )


# --------------------------------------------------------------------------- entry point


def load_table(path: str | Path, table: str, mapping: Mapping | None = None) -> pd.DataFrame:
    """Read and validate one file as the named table of the data contract, its columns and
    values first translated by ``mapping`` (a dataset's ``mapping.yaml``) if given.

    Returns the typed frame with a ``_row`` column (the spreadsheet row of each record).
    Does not check references to other tables.

    >>> import tempfile
    >>> from pathlib import Path
    >>> file = Path(tempfile.mkdtemp()) / "invoices.csv"
    >>> _ = file.write_text("invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...                     'F1,15-01-2026,NOWHERE,"1.234,50",posted\\n')
    >>> t = load_table(file, "invoices")  # NOWHERE is in no accounts file: not checked here
    >>> t[["_row", "invoice_id", "invoice_date", "billing_account", "net_amount"]]
       _row invoice_id invoice_date billing_account  net_amount
    0     2         F1   2026-01-15         NOWHERE      123450
    """
    path = Path(path)
    frame = read_file(path)
    if mapping is not None:
        frame = mapping.apply(table, frame, path.name)
    frame = validate_table(TABLES[table], frame, path.name)
    if table == "accounts":
        frame = check_registration_ids(frame, path.name)
    return frame


def load_dataset(
    path: str | Path,
    reporting_currency: str = "EUR",
    *,
    skip_invoices: bool = False,
    engine: str = "auto",
) -> Dataset:
    """Load and validate every table of a dataset folder.

    Raises :class:`InputError` with all problems found: each file is checked completely,
    then (when every file is readable) the references between tables and the FX rates.

    ``skip_invoices`` leaves the invoice lines unread (an empty ``invoices`` frame; its file
    is still found and named in ``sources``). For callers that take the lines from a cube
    cached for the same file content, where they were validated when it was built.

    ``engine``: ``"auto"`` (default) lets DuckDB prove a typed Parquet invoice file clean
    and leaves its lines in the file (:mod:`~account_analysis.load.parquet`; the cube is
    then computed there); ``"pandas"`` reads every file into memory. Both accept and refuse
    the same files with the same messages.

    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text(
    ...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n"
    ...     "U,Unit,3511 CD,NL,G\\n")
    >>> _ = (folder / "invoices.csv").write_text(
    ...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...     "F1,2026-01-15,U,100.00,posted\\nF2,2026-02-01,G,50.50,posted\\n")
    >>> load_dataset(folder).invoices[["invoice_id", "billing_account", "net_amount"]]
      invoice_id billing_account  net_amount
    0         F1               U       10000
    1         F2               G        5050
    >>> _ = (folder / "invoices.csv").write_text(
    ...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...     "F1,2026-02-31,U,100.00,posted\\n")
    >>> load_dataset(folder)
    Traceback (most recent call last):
    account_analysis.errors.InputError: invoices.csv, row 2, column invoice_date: \
'2026-02-31' \u2014 expected a date such as 2026-09-30 or 30-09-2026
    """
    if engine not in ("auto", "pandas"):
        raise ValueError(f"engine must be auto or pandas, not {engine!r}")
    folder = Path(path)
    if not folder.is_dir():
        raise InputError.single(folder, "a dataset folder holding invoices and accounts files")
    reporting_currency = reporting_currency.upper()
    mapping = read_mapping(folder)
    tables, sources, errors, fast = _read_tables(
        folder, reporting_currency, skip_invoices, engine, mapping
    )
    if (
        fast is not None
        and not errors
        and not fast.references_ok(
            set(tables["accounts"]["account_id"].to_numpy(dtype=object)),
            fx_pairs(tables["fx_rates"]),
            fx_rate_map(tables["fx_rates"]),
        )
    ):
        # Unknown accounts, missing rates or amounts too large once converted: the pandas
        # path names them, line by line.
        tables["invoices"] = load_table(fast.path, "invoices")
        fast = None
    if not errors:
        _fill_defaults(tables, reporting_currency)
        errors = check_references(tables, sources, reporting_currency)
    plans = {}
    gleif = None
    if not errors:
        plans, gleif, errors = _load_structure(folder, tables, sources)
    if errors and mapping is not None:  # the export's own column names
        files = {path.name: name for name, path in sources.items()}
        errors = [mapping.in_users_words(e, files) for e in errors]
    if errors:
        raise InputError([p for e in errors for p in e.problems], sum(e.more for e in errors))
    frames = {name: tables[name].drop(columns="_row") for name in TABLES}
    rows = {name: tables[name]["_row"].to_numpy() for name in TABLES}
    if fast is not None:
        frames["invoices"] = None
        rows["invoices"] = np.arange(2, fast.rows + 2)  # Parquet: row = position + 2
    return Dataset(
        path=folder,
        reporting_currency=reporting_currency,
        account_plans=plans,
        sources=sources,
        row_numbers=rows,
        gleif_links=gleif[0] if gleif else None,
        gleif_counts=gleif[1] if gleif else {},
        gleif_sources=gleif[2] if gleif else (),
        parquet_invoices=fast,
        **frames,
    )


def _read_tables(
    folder: Path,
    reporting_currency: str,
    skip_invoices: bool,
    engine: str,
    mapping: Mapping | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, Path], list[InputError], ParquetInvoices | None]:
    """Each table of ``folder`` read and checked, an absent optional one empty (as
    :func:`load_dataset` asks): the tables, their files, one error per file that is not
    valid, and the Parquet invoice file DuckDB proved clean (its lines not read), if any."""
    tables: dict[str, pd.DataFrame] = {}
    sources: dict[str, Path] = {}
    errors: list[InputError] = []
    fast: ParquetInvoices | None = None
    for name, table in TABLES.items():
        try:
            file = find_file(folder, name) if mapping is None else mapping.find_file(folder, name)
            if file is None:
                if table.required:
                    found = ", ".join(sorted(p.name for p in folder.iterdir())) or "nothing"
                    raise InputError.single(
                        folder,
                        f"a file {name}.csv, {name}.xlsx or {name}.parquet "
                        f"(required); the folder holds {found}",
                    )
                tables[name] = _empty_table(table)
                continue
            sources[name] = file
            if skip_invoices and name == "invoices":
                tables[name] = _empty_table(table)
                continue
            mapped = mapping is not None and name in mapping.tables
            if name == "invoices" and engine == "auto" and not mapped:
                fast = scan_invoices(file, reporting_currency)
                if fast is not None:  # proven clean by DuckDB: not read into memory
                    tables[name] = _empty_table(table)
                    continue
            tables[name] = load_table(file, name, mapping)
        except InputError as err:
            errors.append(err)
    return tables, sources, errors, fast


def _load_structure(
    folder: Path, tables: dict[str, pd.DataFrame], sources: dict[str, Path]
) -> tuple[dict, tuple | None, list[InputError]]:
    """The account plans and the GLEIF links of a dataset whose tables are valid, and the
    group structure checked: ``(plans, gleif, errors)``. The hierarchy is checked only when
    the plans and the GLEIF files are valid."""
    errors: list[InputError] = []
    plans = {}
    gleif = None
    try:
        plans = _load_account_plans(folder, tables)
    except InputError as err:
        errors.append(err)
    try:
        gleif = _load_gleif(folder, tables["accounts"].drop(columns="_row"))
    except InputError as err:
        errors.append(err)
    if not errors:
        try:
            _check_hierarchy(tables, gleif[0] if gleif else None, sources)
        except InputError as err:
            errors.append(err)
    return plans, gleif, errors


def _invoices_frame(path: Path, reporting_currency: str) -> pd.DataFrame:
    """The invoice lines of a validated file as :func:`load_dataset` returns them."""
    frame = _invoice_defaults(load_table(path, "invoices"), reporting_currency)
    return frame.drop(columns="_row")


def _invoice_defaults(inv: pd.DataFrame, reporting_currency: str) -> pd.DataFrame:
    """Empty currency means the reporting currency; empty status means posted."""
    return inv.assign(
        currency=inv["currency"].mask(inv["currency"] == "", reporting_currency),
        status=inv["status"].mask(inv["status"] == "", "posted"),
    )


def _check_hierarchy(
    tables: dict[str, pd.DataFrame], gleif_links: pd.DataFrame | None, sources: dict[str, Path]
) -> None:
    """The parent links of accounts, parent_links and GLEIF roll up on every day: no cycle
    (of any length), no self-parent, one parent per source at a time. Checked here so that
    ``validate`` refuses what building the cube would; raises :class:`InputError`."""
    from .hierarchy import Hierarchy

    names = ("accounts", "parent_links")
    Hierarchy.build(
        tables["accounts"].drop(columns="_row"),
        tables["parent_links"].drop(columns="_row"),
        gleif_links,
        rows={n: tables[n]["_row"].to_numpy() for n in names},
        files={n: sources[n].name for n in names if n in sources},
    )


def _load_gleif(folder: Path, accounts: pd.DataFrame):
    """Links from GLEIF relationship files in ``<dataset>/gleif/*.csv``, or None."""
    files = (
        tuple(sorted((folder / GLEIF_DIR).glob("*.csv"))) if (folder / GLEIF_DIR).is_dir() else ()
    )
    if not files:
        return None
    from .gleif import read_gleif_relationships

    parts, counts = [], {}
    for path in files:
        result = read_gleif_relationships(path, accounts)
        # Where each link comes from, for messages about the hierarchy.
        parts.append(result.links.assign(file=f"{GLEIF_DIR}/{path.name}", row=result.rows))
        for key, value in result.counts.items():
            if isinstance(value, dict):
                merged = counts.setdefault(key, {})
                for k, v in value.items():
                    merged[k] = merged.get(k, 0) + v
            else:
                counts[key] = counts.get(key, 0) + value
    return pd.concat(parts, ignore_index=True), counts, files


_EMPTY_TABLES: dict[str, pd.DataFrame] = {}


def _empty_table(table: Table) -> pd.DataFrame:
    """The table with no rows. Built once per table (~6 ms each, and a dataset has several
    absent tables), handed out as a shallow copy: with copy-on-write a caller's change never
    reaches the kept frame."""
    if table.name not in _EMPTY_TABLES:
        _EMPTY_TABLES[table.name] = _new_empty_table(table)
    return _EMPTY_TABLES[table.name].copy(deep=False)


def _new_empty_table(table: Table) -> pd.DataFrame:
    index = pd.RangeIndex(0)
    cols = {"_row": pd.Series([], dtype="int64")}
    cols.update({c.name: empty_column(c, 0, index) for c in table.columns})
    return pd.DataFrame(cols)


def _fill_defaults(tables: dict[str, pd.DataFrame], reporting_currency: str) -> None:
    """Empty currency means the reporting currency; empty status means posted."""
    tables["invoices"] = _invoice_defaults(tables["invoices"], reporting_currency)
    wallets = tables["wallets"]
    tables["wallets"] = wallets.assign(
        currency=wallets["currency"].mask(wallets["currency"] == "", reporting_currency)
    )
    comp = tables["complaints"]
    derived = np.where(comp["closed_on"].isna(), "open", "closed")
    tables["complaints"] = comp.assign(
        status=comp["status"].mask(comp["status"] == "", pd.Series(derived, index=comp.index))
    )


def tables_in(folder: Path) -> Iterable[tuple[str, Path]]:
    """(table, file) for each table file present in a dataset folder.

    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("accounts.csv", "invoices.parquet", "notes.txt"):
    ...     _ = (folder / name).write_text("")
    >>> [(table, file.name) for table, file in tables_in(folder)]
    [('invoices', 'invoices.parquet'), ('accounts', 'accounts.csv')]
    """
    for name in TABLES:
        file = find_file(folder, name)
        if file is not None:
            yield name, file
