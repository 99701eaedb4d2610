"""Reading one input file: CSV (its encoding and separator found, UTF-16 and Windows-1252
named), Excel ``.xlsx`` or Parquet, into a frame of untyped values with normalised header
names. Parsing the values is :mod:`.parse`, checking them :mod:`.validate`.

>>> normal_name("  Net Amount ")
'net_amount'
>>> cell_text(12.0), cell_text(None)
('12', '')
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..errors import ProblemCollector as _Problems

EXTENSIONS = (".csv", ".xlsx", ".parquet")


def find_file(folder: Path, table: str) -> Path | None:
    """The file of ``table`` in ``folder``, or None; InputError when it is not a file.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> find_file(folder, "accounts") is None
    True
    >>> _ = (folder / "accounts.csv").write_text("account_id,name\\nA1,Acme\\n")
    >>> find_file(folder, "accounts").name
    'accounts.csv'
    >>> _ = (folder / "accounts.xlsx").write_bytes(b"")
    >>> find_file(folder, "accounts")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    account_analysis.errors.InputError: ...: expected one file for table accounts, found ...
    """
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
        raise InputError.single(
            path.name,
            "a readable file; this is a symbolic link that "
            "leads nowhere (a link loop or a missing target)",
        )
    if not path.is_file():
        raise InputError.single(
            path.name, "a file; this is a folder" if path.is_dir() else "a regular file"
        )
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
            raise InputError.single(
                path.name,
                f"text in one encoding; this looks like {wide.upper()} but byte {err.start} is not",
            ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError([_not_utf8(path, data, err)]) from None
    if "\x00" in text:
        row = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError.single(
            path.name,
            "text; the file holds zero bytes (a binary file, "
            "or text in an encoding other than UTF-8 and UTF-16?)",
            row=row,
        )
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
        frame.columns = [n if n.strip() else c for n, c in zip(names, frame.columns, strict=True)]
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
    check_names(problems, [normal_name(n) for n in pq.read_schema(path).names])
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


def read_file(path: Path) -> pd.DataFrame:
    """The raw table with header names normalised; values untyped.

    The separator of a CSV file is found from its header; every value is text.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "accounts.csv"
    >>> _ = path.write_text("Account ID;Name;Postcode\\nA1;Acme;1011 AB\\n")
    >>> read_file(path)
      account_id  name postcode
    0         A1  Acme  1011 AB
    """
    frame = read_as_written(path)
    frame.columns = [normal_name(c) for c in frame.columns]
    return frame


def read_as_written(path: Path) -> pd.DataFrame:
    """The raw table with its header names as the file writes them (what
    :func:`read_file` reads before normalising the names).

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "export.csv"
    >>> _ = path.write_text("Invoice Number;Net Amount\\nF1;12,50\\n")
    >>> list(read_as_written(path).columns)
    ['Invoice Number', 'Net Amount']
    """
    if path.suffix == ".csv":
        frame = _read_csv(path)
    elif path.suffix == ".xlsx":
        try:
            # header=None: the header cells as written (pandas renames a repeated one).
            frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl", header=None)
        except Exception as err:  # openpyxl raises many types for a broken file
            raise InputError.single(path.name, f"a readable Excel .xlsx file ({err})") from None
        if len(frame):
            header = ["" if cell_text(v).strip() == "" else cell_text(v) for v in frame.iloc[0]]
            frame = frame.iloc[1:].reset_index(drop=True)
            frame.columns = [h or f"Unnamed: {i}" for i, h in enumerate(header)]
    else:
        try:
            frame = _read_parquet(path)
        except InputError:
            raise
        except Exception as err:  # pyarrow raises many types for a broken file
            raise InputError.single(path.name, f"a readable Parquet file ({err})") from None
    return frame


def normal_name(name) -> str:
    """A header name as the data contract spells it: trimmed, lower case, ``_`` for spaces.

    >>> normal_name("  Net Amount "), normal_name("Billing\\tAccount")
    ('net_amount', 'billing_account')
    """
    return re.sub(r"\s+", "_", str(name).strip().lower())


def cell_text(v) -> str:
    """A spreadsheet cell as text: "" for empty, ``YYYY-MM-DD`` for a date, whole floats
    without ``.0``.

    >>> import datetime
    >>> cell_text(12.0), cell_text(2.5), cell_text(None), cell_text(float("nan"))
    ('12', '2.5', '', '')
    >>> cell_text(datetime.datetime(2026, 1, 5, 0, 0)), cell_text("A1")
    ('2026-01-05', 'A1')
    """
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def check_names(problems: _Problems, names: list[str]) -> None:
    """A problem for each column name that occurs more than once (normalised names).

    >>> problems = _Problems("accounts.csv")
    >>> check_names(problems, ["name", "postcode", "name"])
    >>> problems.listed[0].expected
    'each column name once in the header; columns 1 and 3 both read as name'
    >>> clean = _Problems("accounts.csv")
    >>> check_names(clean, ["name", "postcode"])
    >>> clean.listed
    []
    """
    for name in dict.fromkeys(n for n in names if names.count(n) > 1):
        where = [str(i + 1) for i, n in enumerate(names) if n == name]
        both = "both" if len(where) == 2 else "all"
        problems.add(
            1,
            name,
            None,
            f"each column name once in the header; columns "
            f"{', '.join(where[:-1])} and {where[-1]} {both} read as {name}",
        )
