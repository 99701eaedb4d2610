"""Loading and validating a dataset folder: the only place that parses input files.

A dataset is a folder holding one file per table of the data contract
(:mod:`account_analysis.load.schema`), as CSV (UTF-8, ``,`` or ``;`` separated, ``.`` or ``,``
decimals), Excel ``.xlsx`` or Parquet, plus optional ``account_plans/*.yaml``.

:func:`load_dataset` returns a :class:`Dataset` of typed, validated DataFrames, or raises
:class:`~account_analysis.errors.InputError` listing every problem found (capped per file),
each with file, row (header = row 1), column, value and what was expected.

Money is kept as integer cents (``int64``; nullable ``Int64`` where optional), so totals
reconcile to the cent without float drift.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CAP_PER_FILE, InputError, Problem
from ..errors import ProblemCollector as _Problems
from .parquet import ParquetInvoices, scan_invoices
from .schema import (
    ACCOUNT_PLANS_DIR,
    CANCELLED,
    MAX_AMOUNT,
    TABLES,
    Column,
    Table,
    rule_pattern,
)

EXTENSIONS = (".csv", ".xlsx", ".parquet")
GLEIF_DIR = "gleif"  # GLEIF Level 2 relationship files (RR-CDF CSV) inside a dataset

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

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_TRUE = {"true", "yes", "y", "ja", "j", "1", "waar", "1.0"}
_FALSE = {"false", "no", "n", "nee", "0", "onwaar", "0.0", ""}


@dataclass(frozen=True)
class Dataset:
    """A validated dataset: one DataFrame per table of the data contract.

    Absent optional tables are empty frames with the contract's columns. ``sources``
    names the file each table came from. Frames are never mutated by the library.

    Invoice lines from a Parquet file that DuckDB validated (``parquet_invoices``, see
    :mod:`account_analysis.load.parquet`) are not held in memory: ``invoices`` is read (by the
    pandas loader, as for any other file) on first access. :func:`build_cube` does not need
    it; it aggregates the file in DuckDB.
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
        totals = (
            live.groupby("currency", sort=True)["net_amount"].sum().astype("int64").to_dict()
        )
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


# --------------------------------------------------------------------------- problems


# --------------------------------------------------------------------------- reading


def _find_file(folder: Path, table: str) -> Path | None:
    """The file of ``table`` in ``folder``, or None; InputError when it is not a file."""
    candidates = [folder / f"{table}{ext}" for ext in EXTENSIONS]
    # A symbolic link that leads nowhere (a loop, a missing target) is there, but broken.
    found = [p for p in candidates if p.exists() or p.is_symlink()]
    if len(found) > 1:
        names = " and ".join(p.name for p in found)
        raise InputError.single(folder, f"one file for table {table}, found {names}")
    if not found:
        return None
    path = found[0]
    if not path.exists():
        raise InputError.single(path.name, "a readable file; this is a symbolic link that "
                                "leads nowhere (a link loop or a missing target)")
    if not path.is_file():
        raise InputError.single(path.name, "a file; this is a folder" if path.is_dir()
                                else "a regular file")
    return path


def _not_utf8(path: Path, data: bytes, err: UnicodeDecodeError) -> Problem:
    line_start = data.rfind(b"\n", 0, err.start) + 1
    row = data.count(b"\n", 0, err.start) + 1
    header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    sep = _sniff_separator(header)
    before = data[line_start : err.start].decode("utf-8", errors="replace")
    names = [h.strip().strip('"') for h in header.split(sep)]
    col_index = before.count(sep)
    column = names[col_index] if col_index < len(names) else None
    bad = data[err.start : err.start + 1]
    return Problem(
        path.name,
        row,
        column,
        f"byte 0x{bad.hex().upper()}",
        "UTF-8 text (save the file as 'CSV UTF-8'; it looks like Windows-1252 or Latin-1)",
    )


def _sniff_separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda s: (counts[s], s == ","))


def _utf16(data: bytes) -> str | None:
    """The encoding of UTF-16 or UTF-32 text (Excel's "Unicode text"), or None.

    Known by its byte-order mark, or without one by the zero bytes that ASCII characters
    of the header have in every other byte.
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:200]
    if len(head) >= 4 and b"\x00" in head:
        if head[1::2].count(0) == len(head[1::2]) and head[0::2].count(0) == 0:
            return "utf-16-le"
        if head[0::2].count(0) == len(head[0::2]) and head[1::2].count(0) == 0:
            return "utf-16-be"
    return None


def _decode(path: Path, data: bytes) -> str:
    """The text of a CSV file: UTF-8 (a byte-order mark is fine), or UTF-16/32."""
    wide = _utf16(data)
    if wide is not None:
        try:
            return data.decode(wide).removeprefix("\ufeff")
        except UnicodeDecodeError as err:
            raise InputError.single(path.name, f"text in one encoding; this looks like "
                                    f"{wide.upper()} but byte {err.start} is not") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError([_not_utf8(path, data, err)]) from None
    if "\x00" in text:
        row = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError.single(path.name, "text; the file holds zero bytes (a binary file, "
                                "or text in an encoding other than UTF-8 and UTF-16?)", row=row)
    return text


def _header_names(text: str, sep: str) -> list[str]:
    """The header cells as written (pandas would rename a repeated one to ``name.1``)."""
    try:
        return next(csv.reader(io.StringIO(text), delimiter=sep))
    except (csv.Error, StopIteration):
        return []


def _read_csv(path: Path) -> pd.DataFrame:
    data = _read_bytes(path)
    if not data.strip():
        raise InputError.single(path.name, "a header row and data rows; the file is empty")
    text = _decode(path, data)
    if not text.strip():
        raise InputError.single(path.name, "a header row and data rows; the file is empty")
    sep = _sniff_separator(text.split("\n", 1)[0])
    frame = _parse_csv(path, text, sep)
    names = _header_names(text, sep)
    if len(names) == len(frame.columns):
        frame.columns = [n if n.strip() else c for n, c in zip(names, frame.columns,
                                                                strict=True)]
    return frame


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError.single(path.name, f"a readable file ({err.strerror})") from None


def _parse_csv(path: Path, text: str, sep: str) -> pd.DataFrame:
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as err:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if m:
            raise InputError.single(
                path.name,
                f"{m.group(1)} fields separated by '{sep}' as in the header, found "
                f"{m.group(3)} (an unquoted '{sep}' inside a value?)",
                row=int(m.group(2)),
            ) from None
        raise InputError.single(path.name, f"readable CSV ({err})") from None


def _read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet file as pandas, with DATE columns as ``datetime64[s]`` (not Python dates)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    problems = _Problems(path.name)
    _check_names(problems, [_normal_name(n) for n in pq.read_schema(path).names])
    problems.raise_if_any()  # pyarrow cannot select a repeated name
    table = pq.read_table(path)
    for i, f in enumerate(table.schema):
        if pa.types.is_date(f.type):
            table = table.set_column(i, f.name, table.column(i).cast(pa.timestamp("s")))
    text = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str"
    return table.to_pandas(
        types_mapper={pa.string(): text, pa.large_string(): text}.get,
        self_destruct=True,  # free Arrow buffers as columns are converted
    )


def _read_file(path: Path) -> pd.DataFrame:
    """The raw table with header names normalised; values untyped."""
    if path.suffix == ".csv":
        frame = _read_csv(path)
    elif path.suffix == ".xlsx":
        try:
            # header=None: the header cells as written (pandas renames a repeated one).
            frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl",
                                  header=None)
        except Exception as err:  # openpyxl raises many types for a broken file
            raise InputError.single(path.name, f"a readable Excel .xlsx file ({err})") from None
        if len(frame):
            header = ["" if _cell_text(v).strip() == "" else _cell_text(v)
                      for v in frame.iloc[0]]
            frame = frame.iloc[1:].reset_index(drop=True)
            frame.columns = [h or f"Unnamed: {i}" for i, h in enumerate(header)]
    else:
        try:
            frame = _read_parquet(path)
        except InputError:
            raise
        except Exception as err:  # pyarrow raises many types for a broken file
            raise InputError.single(path.name, f"a readable Parquet file ({err})") from None
    frame.columns = [_normal_name(c) for c in frame.columns]
    return frame


# --------------------------------------------------------------------------- parsing


def _as_text(raw: pd.Series) -> pd.Series:
    """Values as stripped text; missing values become ''."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        out = raw.dt.strftime("%Y-%m-%d")
    elif raw.dtype == object:
        # Excel cells arrive as Python objects: dates, ints, floats and strings mixed.
        out = raw.map(_cell_text)
    else:
        out = raw.astype("str")
    if out.hasnans:
        out = out.fillna("")
    return out.astype("str").str.strip()


def _cell_text(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _parse_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    # Fast path: plain ISO dates, parsed in C; the rest goes through the patterns below.
    fast = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    todo = fast.isna().to_numpy() & (text != "").to_numpy()
    if not todo.any():
        return fast.astype("datetime64[s]"), fast.isna()
    slow, bad = _parse_dates_slow(text[todo])
    out = fast.astype("datetime64[s]")
    out[todo] = slow
    bad_all = fast.isna()
    bad_all[todo] = bad
    return out, bad_all


def _parse_dates_slow(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    iso = text.str.extract(_ISO_DATE)
    dmy = text.str.extract(_DMY_DATE)
    year = iso[0].fillna(dmy[2])
    month = iso[1].fillna(dmy[1])
    day = iso[2].fillna(dmy[0])
    parts = pd.DataFrame(
        {
            "year": pd.to_numeric(year, errors="coerce"),
            "month": pd.to_numeric(month, errors="coerce"),
            "day": pd.to_numeric(day, errors="coerce"),
        }
    )
    dates = pd.to_datetime(parts, errors="coerce")
    return dates.astype("datetime64[s]"), dates.isna()


# --------------------------------------------------------------------------- numbers

# A file writes its numbers in one of two conventions: a decimal point with "," grouping
# thousands (1,234.50), or a decimal comma with "." grouping (1.234,50). Some values fit
# both and read differently ("1.153": 1.153 or 1153), so the convention is decided per file
# from all its number and money columns together (see _decimal_convention).
_POINT_NUMBER = r"[-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)"
_COMMA_NUMBER = r"[-+]?(?:(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?|,\d+)"
# Money has at most two decimals (trailing zeros aside), so "1,234" is an amount only with
# "," grouping thousands: evidence of the decimal point.
_POINT_MONEY = r"[-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2}0*)?|\.\d{1,2}0*)"
_COMMA_MONEY = r"[-+]?(?:(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{1,2}0*)?|,\d{1,2}0*)"
# Classes of a text value: no separator (or empty); valid with "." as decimal point only;
# with "," as decimal comma only; valid in both, read differently, leaning to "." or to ","
# (which a file without other evidence follows); valid in neither. A number leans to the
# separator it has (1.153 leans to "."), an amount to the other (1,230 reads 1230 in
# either convention, 1.23 only with a decimal comma and three decimals).
_PLAIN, _POINT_ONLY, _COMMA_ONLY, _LEANS_POINT, _LEANS_COMMA, _INVALID = range(6)
_SIDE = {".": (_POINT_ONLY, _LEANS_POINT), ",": (_COMMA_ONLY, _LEANS_COMMA)}
_WORD = {".": "point", ",": "comma"}


@dataclass(frozen=True)
class _NumberText:
    """The text cells of one number or money column, classified by decimal convention."""

    positions: np.ndarray  # positions of the text cells in the column (typed cells aside)
    text: pd.Series  # their stripped text, a trailing minus moved to the front
    classes: np.ndarray  # int8, one of _PLAIN ... _INVALID


@dataclass(frozen=True)
class _Decimals:
    """The decimal convention of one file and the values written against it."""

    sep: str = "."  # the decimal separator: "." or ","
    cells: dict = field(default_factory=dict)  # column -> _NumberText
    conflicts: dict = field(default_factory=dict)  # column -> mask over cells.positions
    expected: str = ""  # the message for a value in conflict


def _number_text(raw: pd.Series, money: bool) -> _NumberText | None:
    """The text cells of a number column, or None when it holds typed numbers only.

    Excel columns mix number cells (Python ints and floats, parsed as numbers) with text
    cells (parsed as CSV values); Parquet and CSV columns are one or the other.
    """
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        return None
    if raw.dtype == object:
        typed = np.fromiter((_is_number(v) for v in raw.to_numpy()), bool, len(raw))
        positions = np.flatnonzero(~typed)
        text = _as_text(raw.iloc[positions])
    else:
        positions = np.arange(len(raw))
        text = _as_text(raw)
    text = text.str.replace(r"^(.*\d)-$", r"-\1", regex=True)  # 125,00- as exports write
    point = text.str.fullmatch(_POINT_MONEY if money else _POINT_NUMBER)
    comma = text.str.fullmatch(_COMMA_MONEY if money else _COMMA_NUMBER)
    point = point.fillna(False).to_numpy(dtype=bool)
    comma = comma.fillna(False).to_numpy(dtype=bool)
    classes = np.full(len(text), _INVALID, dtype="int8")
    classes[point & ~comma] = _POINT_ONLY
    classes[comma & ~point] = _COMMA_ONLY
    both = np.flatnonzero(point & comma)
    if len(both):
        sub = text.iloc[both]
        has_dot = sub.str.contains(".", regex=False).to_numpy(dtype=bool)
        has_comma = sub.str.contains(",", regex=False).to_numpy(dtype=bool)
        dot_lean, comma_lean = ((_LEANS_COMMA, _LEANS_POINT) if money
                                else (_LEANS_POINT, _LEANS_COMMA))
        classes[both] = np.where(has_dot, dot_lean, np.where(has_comma, comma_lean, _PLAIN))
    classes[(text == "").to_numpy()] = _PLAIN
    return _NumberText(positions, text, classes)


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(
        v, (bool, np.bool_))


def _decimal_convention(cells: dict[str, _NumberText], rows: np.ndarray) -> _Decimals:
    """The file's decimal separator, from the evidence of all its number columns.

    A file whose values use only one convention (or fit both alike) is read in it; a value
    that fits only one (1.1712, 12,50, 1.234,50) or, failing that, the separator of an
    ambiguous value (1.153, 1,164) is evidence. When both conventions have evidence, the
    side with a value that fits it only wins (then the one with more values, then the
    earlier row), and every value of the other side is in conflict: it is reported, never
    read as a thousands separator.
    """
    side = {}
    for sep, (only, leans) in _SIDE.items():
        side[sep] = {name: np.isin(c.classes, (only, leans)) for name, c in cells.items()}
    count = {sep: sum(int(m.sum()) for m in masks.values()) for sep, masks in side.items()}
    if not count[","]:
        return _Decimals(".", cells)
    if not count["."]:
        return _Decimals(",", cells)

    def first(sep: str, classes: tuple) -> tuple[int, str, str] | None:
        """(row, column, value) of the earliest value of ``classes``, or None."""
        best = None
        for name, c in cells.items():
            hit = np.flatnonzero(np.isin(c.classes, classes))
            if len(hit):
                row = int(rows[c.positions[hit[0]]])
                if best is None or row < best[0]:
                    best = (row, name, c.text.iloc[hit[0]])
        return best

    strong = {sep: first(sep, (only,)) for sep, (only, _) in _SIDE.items()}
    earliest = {sep: first(sep, _SIDE[sep]) for sep in _SIDE}
    if bool(strong["."]) != bool(strong[","]):
        sep = "." if strong["."] else ","
    elif count["."] != count[","]:
        sep = "." if count["."] > count[","] else ","
    else:
        sep = "." if earliest["."][0] < earliest[","][0] else ","
    other = "," if sep == "." else "."
    row, column, value = strong[sep] or earliest[sep]
    where = f"row {row}" + (f", column {column}" if len(cells) > 1 else "")
    expected = (f"a number written like the rest of the file, which has '{sep}' as decimal "
                f"{_WORD[sep]} ({where}: {value!r}); this value reads otherwise, with "
                f"'{other}' as decimal {_WORD[other]}, and one file must not mix the two")
    return _Decimals(sep, cells, side[other], expected)


def _amount_message(col: Column) -> str:
    return (f"an amount smaller than {MAX_AMOUNT:,} in absolute value (larger amounts are "
            "not kept exact to the cent)")


def _bounds_message(col: Column) -> str:
    low, high = col.bounds
    return f"a number above {low:,} and below {high:,}"


def _parse_numeric(raw: pd.Series, col: Column, decimals: _Decimals):
    """(values, bad, empty, reasons) of a money or number column.

    Money becomes integer cents (``int64``, 0 where bad or empty), numbers ``float64``.
    ``reasons`` lists (mask, expected) for bad values with a message of their own: out of
    bounds, or written in the other decimal convention than the file's.
    """
    n = len(raw)
    money = col.kind == "money"
    cells = decimals.cells.get(col.name)
    is_text = np.zeros(n, dtype=bool)
    if cells is not None:
        is_text[cells.positions] = True
    empty = raw.isna().to_numpy() & ~is_text
    bad = np.zeros(n, dtype=bool)
    too_big = np.zeros(n, dtype=bool)
    cents = np.zeros(n, dtype="int64")
    numbers = np.full(n, np.nan)
    typed = np.flatnonzero(~is_text & ~empty)
    if len(typed):
        # Typed cells (Excel, Parquet) hold binary floats or integers.
        values = pd.to_numeric(raw.iloc[typed], errors="coerce").astype("float64").to_numpy()
        with np.errstate(invalid="ignore"):
            finite = np.isfinite(values)
            if money:
                too_big[typed] = finite & (np.abs(values) >= MAX_AMOUNT)
                ok = finite & ~too_big[typed]
                scaled = np.where(ok, values, 0) * 100
                rounded = np.round(scaled)
                # Floats carry noise far below a cent; a real third decimal is a problem.
                ok &= np.abs(scaled - rounded) <= 1e-6 * np.maximum(1.0, np.abs(scaled))
                cents[typed] = np.where(ok, rounded, 0).astype("int64")
            else:
                ok = finite
                numbers[typed] = values
        bad[typed] = ~ok
    conflict = np.zeros(n, dtype=bool)
    if cells is not None and len(cells.positions):
        pos, text = cells.positions, cells.text
        empty[pos] = (text == "").to_numpy()
        other = "," if decimals.sep == "." else "."
        ok = ~np.isin(cells.classes, (_INVALID, _SIDE[other][0]))
        if col.name in decimals.conflicts:
            # 10,125 where "," is the decimal comma: three decimals, not another convention.
            invalid_here = ~ok & ~text.str.contains(other, regex=False).to_numpy(dtype=bool)
            conflict[pos] = decimals.conflicts[col.name] & ~invalid_here
            ok &= ~decimals.conflicts[col.name]
        if decimals.sep == ".":
            norm = text.str.replace(",", "", regex=False)
        else:
            norm = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        norm = norm.where(ok, "")
        if money:
            parts = norm.str.extract(r"^([-+]?)(\d*)(?:\.(\d+))?$")
            whole = parts[1].fillna("").str.lstrip("0")
            frac = parts[2].fillna("").str.rstrip("0")
            huge = (whole.str.len() > len(str(MAX_AMOUNT)) - 1).to_numpy()
            ok &= ~huge & (frac.str.len() <= 2).to_numpy()
            too_big[pos] = huge & ~conflict[pos]
            whole = whole.where(ok & (whole != "").to_numpy(), "0")
            frac = frac.where(ok, "").str.ljust(2, "0")
            value = (whole.astype("int64") * 100 + frac.astype("int64")).to_numpy()
            sign = np.where(parts[0].fillna("").eq("-").to_numpy(dtype=bool), -1, 1)
            cents[pos] = np.where(ok, sign * value, 0)
        else:
            numbers[pos] = pd.to_numeric(norm.where(ok), errors="coerce").astype(
                "float64").to_numpy()
        bad[pos] = ~ok
    reasons = []
    out_of_bounds = np.zeros(n, dtype=bool)
    if not money and col.bounds:
        low, high = col.bounds
        with np.errstate(invalid="ignore"):
            out_of_bounds = ~bad & ~empty & ~((numbers > low) & (numbers < high))
        bad |= out_of_bounds
    bad &= ~empty
    if conflict.any():
        conflict &= ~empty
        bad |= conflict
        reasons.append((conflict, decimals.expected))
    if too_big.any():
        bad |= too_big
        reasons.append((too_big & ~conflict, _amount_message(col)))
    if out_of_bounds.any():
        reasons.append((out_of_bounds & ~conflict, _bounds_message(col)))
    index = raw.index
    if money:
        return pd.Series(cents, index=index), bad, empty, reasons
    return pd.Series(numbers, index=index), bad, empty, reasons


def _parse_integer(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    ok = text.str.fullmatch(r"[-+]?\d+(\.0+)?").fillna(False).astype(bool)
    values = pd.to_numeric(text.where(ok).str.replace(r"\.0+$", "", regex=True),
                           errors="coerce")
    return values.astype("Int64"), ~ok


def _typed_column(raw: pd.Series, col: Column):
    """(values, bad, empty) straight from a typed column (Parquet, Excel), or None."""
    kind, dtype = col.kind, raw.dtype
    empty = raw.isna().to_numpy()
    nobad = np.zeros(len(raw), dtype=bool)
    if kind == "date" and pd.api.types.is_datetime64_any_dtype(dtype):
        values = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) else raw
        return values.astype("datetime64[s]"), nobad, empty
    numeric = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    if kind == "integer" and numeric:
        if pd.api.types.is_integer_dtype(dtype):
            return raw.astype("Int64"), nobad, empty
        v = raw.astype("float64").to_numpy()
        bad = ~empty & ~(np.isfinite(v) & (np.floor(np.nan_to_num(v)) == np.nan_to_num(v)))
        return pd.Series(np.where(bad | empty, np.nan, v), index=raw.index).astype("Int64"), \
            bad, empty
    if kind == "bool" and pd.api.types.is_bool_dtype(dtype):
        return raw.fillna(False).astype(bool), nobad, empty
    return None


def _parse_column(raw: pd.Series, col: Column, decimals: _Decimals):
    """(typed values, mask of unparseable non-empty values, mask of empty ones, reasons).

    ``reasons`` lists (mask, expected) for bad values that have a message of their own;
    the other bad values get the kind's message.
    """
    if col.kind in ("money", "number"):
        return _parse_numeric(raw, col, decimals)
    typed = _typed_column(raw, col)
    if typed is not None:
        return (*typed, [])
    text = _as_text(raw)
    empty = (text == "").to_numpy()
    values, bad = _parse_text(raw, text, col)
    return values, np.asarray(bad, dtype=bool) & ~empty, empty, []


def _parse_text(raw: pd.Series, text: pd.Series, col: Column):
    kind = col.kind
    if kind in ("text", "id"):
        return text, pd.Series(False, index=raw.index)
    if kind == "date":
        return _parse_dates(text)
    if kind == "month":
        parts = text.str.extract(r"^(\d{4})-(\d{1,2})$")
        month = pd.to_numeric(parts[1], errors="coerce")
        bad = parts[0].isna() | ~month.between(1, 12)
        normal = parts[0] + "-" + parts[1].str.zfill(2)
        return normal.where(~bad, ""), bad
    if kind == "integer":
        return _parse_integer(text)
    if kind == "bool":
        low = text.str.lower()
        return low.isin(_TRUE), ~(low.isin(_TRUE) | low.isin(_FALSE))
    if kind == "currency":
        up = text.str.upper()
        return up, ~up.str.fullmatch(r"[A-Z]{3}").fillna(False).astype(bool)
    if kind == "choice":
        low = text.str.lower()
        return low, ~low.isin(col.choices)
    if kind == "regex":
        bad = pd.Series(False, index=raw.index)
        for value in text[text != ""].unique():
            try:
                rule_pattern(value)
            except ValueError:
                bad |= text == value
        return text, bad
    raise AssertionError(kind)


def _empty_column(col: Column, n: int, index) -> pd.Series:
    dtype = {
        "date": "datetime64[s]",
        "money": "Int64",
        "number": "float64",
        "integer": "Int64",
        "bool": "boolean",
    }.get(col.kind, "str")
    if col.kind == "bool":
        return pd.Series(False, index=index, dtype="boolean")
    if col.kind in ("text", "id", "month", "currency", "choice", "regex"):
        return pd.Series("", index=index, dtype="str")
    return pd.Series(pd.NA if dtype != "datetime64[s]" else pd.NaT, index=index, dtype=dtype)


def _normal_name(name) -> str:
    return re.sub(r"\s+", "_", str(name).strip().lower())


def _check_names(problems: _Problems, names: list[str]) -> None:
    """A problem for each column name that occurs more than once (normalised names)."""
    for name in dict.fromkeys(n for n in names if names.count(n) > 1):
        where = [str(i + 1) for i, n in enumerate(names) if n == name]
        both = "both" if len(where) == 2 else "all"
        problems.add(1, name, None, f"each column name once in the header; columns "
                     f"{', '.join(where[:-1])} and {where[-1]} {both} read as {name}")


def _validate_table(table: Table, raw: pd.DataFrame, file: str) -> pd.DataFrame:
    """Typed frame with a ``_row`` column (spreadsheet row number), or InputError."""
    problems = _Problems(file)
    _check_names(problems, list(raw.columns))
    missing = [c for c in table.required_columns if c not in raw.columns]
    for name in missing:
        problems.add(1, name, None, f"a column named {name} (required)")
    if problems:
        raise InputError(problems.listed, problems.more)

    rows = np.arange(2, len(raw) + 2)
    texts = {c.name: _number_text(raw[c.name], c.kind == "money") for c in table.columns
             if c.kind in ("money", "number") and c.name in raw.columns}
    decimals = _decimal_convention({k: v for k, v in texts.items() if v is not None}, rows)
    parsed = {c.name: _parse_column(raw[c.name], c, decimals) for c in table.columns
              if c.name in raw.columns}
    # Entirely blank rows (trailing lines of an export) are not data.
    blank = np.logical_and.reduce([p[2] for p in parsed.values()]) if parsed else None
    keep = None
    if blank is not None and blank.any():
        keep = ~blank
        raw, rows = raw[keep], rows[keep]
        parsed = {c: (v[keep], b[keep], e[keep], [(m[keep], x) for m, x in r])
                  for c, (v, b, e, r) in parsed.items()}
    if raw.empty:
        raise InputError.single(file, "data rows below the header; the file has none", row=2)

    def shown(name: str, mask: np.ndarray) -> pd.Series:
        return _as_text(raw[name][mask])

    out: dict[str, pd.Series] = {"_row": pd.Series(rows, index=raw.index, dtype="int64")}
    for col in table.columns:
        if col.name not in parsed:
            out[col.name] = _empty_column(col, len(raw), raw.index)
            continue
        values, bad, empty, reasons = parsed[col.name]
        if col.required and empty.any():
            problems.add_rows(pd.Series(rows[empty]), shown(col.name, empty), col.name,
                              "a value (the column is required)")
        if bad.any():
            plain = bad.copy()
            for mask, expected in reasons:
                if mask.any():
                    problems.add_rows(pd.Series(rows[mask]), shown(col.name, mask), col.name,
                                      expected)
                plain &= ~mask
            if plain.any():
                expected = EXPECTED.get(col.kind) or "one of " + ", ".join(col.choices)
                problems.add_rows(pd.Series(rows[plain]), shown(col.name, plain), col.name,
                                  expected)
        if col.kind in ("money", "integer", "number", "date"):
            if (empty | bad).any():
                values = values.mask(empty | bad)
            if col.kind == "money":
                values = values.astype("int64" if col.required else "Int64") \
                    if not (empty | bad).any() else values.astype("Int64")
        out[col.name] = values
    if problems:
        raise InputError(problems.listed, problems.more)
    for col in table.columns:
        if col.kind == "money" and col.required:
            out[col.name] = out[col.name].astype("int64")
    frame = pd.DataFrame(out, index=raw.index, copy=False).reset_index(drop=True)
    _check_keys(table, frame, file)
    return frame


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
                problems.add(int(row["_row"]), key[0], row[key[0]],
                             f"a unique {' + '.join(key)}; this row {what} row {first_row}")
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
                    int(frame.at[i, "_row"]), column, _show(frame.at[i, column]),
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


def _check_references(tables: dict[str, pd.DataFrame], sources: dict[str, Path],
                      reporting_currency: str) -> list[InputError]:
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
                p.add(int(frame.at[i, "_row"]), "currency", frame.at[i, "currency"],
                      f"a rate for {frame.at[i, 'currency']} in {months[i]} {where}")
            errors.append(InputError(p.listed, p.more))
            continue
        errors += _check_converted(frame, sub, months, rates, sources[table].name,
                                   reporting_currency)
    return errors


def _check_converted(frame, sub, months, rates, file: str, reporting_currency: str):
    """Amounts that exceed MAX_AMOUNT once converted into the reporting currency."""
    column = "net_amount" if "net_amount" in frame.columns else "annual_wallet"
    rate = pd.Series(_fx_rates(rates)).rename_axis(["month", "currency"])
    key = pd.MultiIndex.from_arrays([months.to_numpy(dtype=object),
                                     sub["currency"].to_numpy(dtype=object)])
    factor = rate.reindex(key).to_numpy(dtype="float64")
    cents = sub[column].astype("float64").to_numpy(na_value=0.0)
    with np.errstate(invalid="ignore"):
        big = np.abs(cents) * factor >= MAX_AMOUNT * 100
    if not big.any():
        return []
    p = _Problems(file)
    for i, f in zip(sub.index[big], factor[big], strict=True):
        amount = int(frame.at[i, column])
        p.add(int(frame.at[i, "_row"]), column, _cents_text(amount),
              f"an amount smaller than {MAX_AMOUNT:,} {reporting_currency} in absolute value "
              f"once converted (at rate {f:g} for {frame.at[i, 'currency']} in {months[i]})")
    return [InputError(p.listed, p.more)]


def _cents_text(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


# --------------------------------------------------------------------------- account plans


def _load_account_plans(folder: Path, tables: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """The validated plans of ``<folder>/account_plans/`` (see :mod:`.plans`)."""
    from .plans import load_account_plans

    return load_account_plans(folder / ACCOUNT_PLANS_DIR, tables["accounts"],
                              tables["parent_links"])


# --------------------------------------------------------------------------- entry point


def load_table(path: str | Path, table: str) -> pd.DataFrame:
    """Read and validate one file as the named table of the data contract.

    Returns the typed frame with a ``_row`` column (the spreadsheet row of each record).
    Does not check references to other tables.
    """
    path = Path(path)
    return _validate_table(TABLES[table], _read_file(path), path.name)


def load_dataset(path: str | Path, reporting_currency: str = "EUR", *,
                 skip_invoices: bool = False, engine: str = "auto") -> Dataset:
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
    """
    if engine not in ("auto", "pandas"):
        raise ValueError(f"engine must be auto or pandas, not {engine!r}")
    folder = Path(path)
    if not folder.is_dir():
        raise InputError.single(folder, "a dataset folder holding invoices and accounts files")
    reporting_currency = reporting_currency.upper()
    tables: dict[str, pd.DataFrame] = {}
    sources: dict[str, Path] = {}
    errors: list[InputError] = []
    fast: ParquetInvoices | None = None
    for name, table in TABLES.items():
        try:
            file = _find_file(folder, name)
            if file is None:
                if table.required:
                    found = ", ".join(sorted(p.name for p in folder.iterdir())) or "nothing"
                    raise InputError.single(
                        folder, f"a file {name}.csv, {name}.xlsx or {name}.parquet "
                        f"(required); the folder holds {found}")
                tables[name] = _empty_table(table)
                continue
            sources[name] = file
            if skip_invoices and name == "invoices":
                tables[name] = _empty_table(table)
                continue
            if name == "invoices" and engine == "auto":
                fast = scan_invoices(file, reporting_currency)
                if fast is not None:  # proven clean by DuckDB: not read into memory
                    tables[name] = _empty_table(table)
                    continue
            tables[name] = load_table(file, name)
        except InputError as err:
            errors.append(err)
    if fast is not None and not errors and not fast.references_ok(
            set(tables["accounts"]["account_id"].to_numpy(dtype=object)),
            _fx_pairs(tables["fx_rates"]), _fx_rates(tables["fx_rates"])):
        # Unknown accounts, missing rates or amounts too large once converted: the pandas
        # path names them, line by line.
        tables["invoices"] = load_table(fast.path, "invoices")
        fast = None
    if not errors:
        _fill_defaults(tables, reporting_currency)
        errors = _check_references(tables, sources, reporting_currency)
    plans = {}
    gleif = None
    if not errors:
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
    if errors:
        raise InputError(
            [p for e in errors for p in e.problems], sum(e.more for e in errors)
        )
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


def _fx_pairs(rates: pd.DataFrame) -> set:
    return set(zip(rates["month"], rates["currency"], strict=True))


def _fx_rates(rates: pd.DataFrame) -> dict:
    return dict(zip(zip(rates["month"], rates["currency"], strict=True), rates["rate"],
                    strict=True))


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


def _check_hierarchy(tables: dict[str, pd.DataFrame], gleif_links: pd.DataFrame | None,
                     sources: dict[str, Path]) -> None:
    """The parent links of accounts, parent_links and GLEIF roll up on every day: no cycle
    (of any length), no self-parent, one parent per source at a time. Checked here so that
    ``validate`` refuses what building the cube would; raises :class:`InputError`."""
    from .hierarchy import Hierarchy

    names = ("accounts", "parent_links")
    Hierarchy.build(tables["accounts"].drop(columns="_row"),
                    tables["parent_links"].drop(columns="_row"), gleif_links,
                    rows={n: tables[n]["_row"].to_numpy() for n in names},
                    files={n: sources[n].name for n in names if n in sources})


def _load_gleif(folder: Path, accounts: pd.DataFrame):
    """Links from GLEIF relationship files in ``<dataset>/gleif/*.csv``, or None."""
    files = tuple(sorted((folder / GLEIF_DIR).glob("*.csv"))) if (folder / GLEIF_DIR).is_dir() \
        else ()
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
    cols.update({c.name: _empty_column(c, 0, index) for c in table.columns})
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
    """(table, file) for each table file present in a dataset folder."""
    for name in TABLES:
        file = _find_file(folder, name)
        if file is not None:
            yield name, file
