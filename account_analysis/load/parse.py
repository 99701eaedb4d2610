"""Parsing the cells of one column by its kind in the data contract (dates, months, money
as integer cents, numbers, whole numbers, booleans, currencies, choices, patterns), and the
decimal convention of a file decided from all its number columns together.

>>> import pandas as pd
>>> as_text(pd.Series([" a ", None, 3])).tolist()  # stripped text, missing as ''
['a', '', '3']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .columns import (
    MAX_AMOUNT,
    Column,
    rule_pattern,
)
from .read import cell_text

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_TRUE = {"true", "yes", "y", "ja", "j", "1", "waar", "1.0"}
_FALSE = {"false", "no", "n", "nee", "0", "onwaar", "0.0", ""}


def as_text(raw: pd.Series) -> pd.Series:
    """Values as stripped text; missing values become ''.

    Excel cells arrive as Python objects: dates become ``YYYY-MM-DD``, whole floats lose
    their ``.0``.

    >>> import datetime
    >>> raw = pd.Series([datetime.date(2026, 1, 5), 12.0, " PO-17 ", None], dtype=object)
    >>> as_text(raw).tolist()
    ['2026-01-05', '12', 'PO-17', '']
    """
    if pd.api.types.is_datetime64_any_dtype(raw):
        out = raw.dt.strftime("%Y-%m-%d")
    elif raw.dtype == object:
        # Excel cells arrive as Python objects: dates, ints, floats and strings mixed.
        out = raw.map(cell_text)
    else:
        out = raw.astype("str")
    if out.hasnans:
        out = out.fillna("")
    return out.astype("str").str.strip()


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
# from all its number and money columns together (see decimal_convention).
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


def number_text(raw: pd.Series, money: bool) -> _NumberText | None:
    """The text cells of a number column, or None when it holds typed numbers only.

    Excel columns mix number cells (Python ints and floats, parsed as numbers) with text
    cells (parsed as CSV values); Parquet and CSV columns are one or the other.

    >>> cells = number_text(pd.Series([" 125,00- ", "7", ""]), money=True)
    >>> cells.positions.tolist(), cells.text.tolist()  # a trailing minus moves to the front
    ([0, 1, 2], ['-125,00', '7', ''])
    >>> number_text(pd.Series([1.5, 2.0]), money=False) is None  # typed numbers only
    True
    """
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        return None
    if raw.dtype == object:
        typed = np.fromiter((_is_number(v) for v in raw.to_numpy()), bool, len(raw))
        positions = np.flatnonzero(~typed)
        text = as_text(raw.iloc[positions])
    else:
        positions = np.arange(len(raw))
        text = as_text(raw)
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
        dot_lean, comma_lean = (
            (_LEANS_COMMA, _LEANS_POINT) if money else (_LEANS_POINT, _LEANS_COMMA)
        )
        classes[both] = np.where(has_dot, dot_lean, np.where(has_comma, comma_lean, _PLAIN))
    classes[(text == "").to_numpy()] = _PLAIN
    return _NumberText(positions, text, classes)


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(
        v, (bool, np.bool_)
    )


def decimal_convention(cells: dict[str, _NumberText], rows: np.ndarray) -> _Decimals:
    """The file's decimal separator, from the evidence of all its number columns.

    A file whose values use only one convention (or fit both alike) is read in it; a value
    that fits only one (1.1712, 12,50, 1.234,50) or, failing that, the separator of an
    ambiguous value (1.153, 1,164) is evidence. When both conventions have evidence, the
    side with a value that fits it only wins (then the one with more values, then the
    earlier row), and every value of the other side is in conflict: it is reported, never
    read as a thousands separator.

    ``cells`` maps a column name to its :func:`number_text`; ``rows`` gives the file row of
    each position, for the message.

    >>> amounts = pd.Series(["1.234,50", "12,50", "3"])
    >>> rows = np.array([2, 3, 4])
    >>> decimal_convention({"net_amount": number_text(amounts, money=True)}, rows).sep
    ','
    >>> mixed = number_text(pd.Series(["1.234,50", "12.50", "3,00"]), money=True)
    >>> d = decimal_convention({"net_amount": mixed}, rows)
    >>> d.sep, d.conflicts["net_amount"].tolist()  # 12.50 is written the other way
    (',', [False, True, False])
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
    expected = (
        f"a number written like the rest of the file, which has '{sep}' as decimal "
        f"{_WORD[sep]} ({where}: {value!r}); this value reads otherwise, with "
        f"'{other}' as decimal {_WORD[other]}, and one file must not mix the two"
    )
    return _Decimals(sep, cells, side[other], expected)


def _amount_message(col: Column) -> str:
    return (
        f"an amount smaller than {MAX_AMOUNT:,} in absolute value (larger amounts are "
        "not kept exact to the cent)"
    )


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
            numbers[pos] = (
                pd.to_numeric(norm.where(ok), errors="coerce").astype("float64").to_numpy()
            )
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
    values = pd.to_numeric(text.where(ok).str.replace(r"\.0+$", "", regex=True), errors="coerce")
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
        return (
            pd.Series(np.where(bad | empty, np.nan, v), index=raw.index).astype("Int64"),
            bad,
            empty,
        )
    if kind == "bool" and pd.api.types.is_bool_dtype(dtype):
        return raw.fillna(False).astype(bool), nobad, empty
    return None


def parse_column(raw: pd.Series, col: Column, decimals: _Decimals):
    """(typed values, mask of unparseable non-empty values, mask of empty ones, reasons).

    ``reasons`` lists (mask, expected) for bad values that have a message of their own;
    the other bad values get the kind's message.

    Money becomes integer cents in the file's decimal convention (see
    :func:`decimal_convention`); dates are ISO or day-month-year.

    >>> from account_analysis.load.schema import TABLES
    >>> amount = TABLES["invoices"].column("net_amount")
    >>> raw = pd.Series(["1.234,50", "12,50", "", "abc"])
    >>> decimals = decimal_convention({"net_amount": number_text(raw, money=True)},
    ...                               np.arange(2, 6))
    >>> cents, bad, empty, reasons = parse_column(raw, amount, decimals)
    >>> cents.tolist(), bad.tolist(), empty.tolist()
    ([123450, 1250, 0, 0], [False, False, False, True], [False, False, True, False])
    >>> day = TABLES["invoices"].column("invoice_date")
    >>> raw = pd.Series(["2026-01-05", "5-1-2026", "soon"])
    >>> dates, bad, empty, reasons = parse_column(raw, day, decimals)
    >>> dates.dt.strftime("%Y-%m-%d").tolist(), bad.tolist()
    (['2026-01-05', '2026-01-05', nan], [False, False, True])
    """
    if col.kind in ("money", "number"):
        return _parse_numeric(raw, col, decimals)
    typed = _typed_column(raw, col)
    if typed is not None:
        return (*typed, [])
    text = as_text(raw)
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


def empty_column(col: Column, n: int, index) -> pd.Series:
    """The column ``col`` of an absent optional table or column: missing values (``False``
    for booleans, "" for text kinds) in the dtype a parsed column of its kind has.

    >>> from account_analysis.load.schema import TABLES
    >>> empty_column(TABLES["invoices"].column("net_amount"), 2, pd.RangeIndex(2))
    0    <NA>
    1    <NA>
    dtype: Int64
    >>> empty_column(TABLES["accounts"].column("name"), 2, pd.RangeIndex(2)).tolist()
    ['', '']
    """
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
