"""Group links from a GLEIF Level 2 relationship file (RR-CDF golden copy, CSV).

GLEIF publishes who consolidates whom: one record per relationship between two legal
entities, each named by its LEI. :func:`read_gleif_relationships` turns the records that
concern our customers into parent links shaped like the ``parent_links`` table, joined to
the customer master through its ``lei`` column.

Only two relationship types say "this entity belongs to that group":
``IS_DIRECTLY_CONSOLIDATED_BY`` and ``IS_ULTIMATELY_CONSOLIDATED_BY``. Other types
(branches, fund management, …) are counted and left out. A link holds during the record's
``RELATIONSHIP_PERIOD``; accounting and filing periods in the same record describe the
evidence, not the link, and are ignored.

Real files hold hundreds of thousands of records with dozens of columns, so only the
needed columns are read and every step works on whole columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import CAP_PER_FILE as CAP
from ..errors import InputError, Problem
from ..errors import ProblemCollector as _Problems

START_ID = "Relationship.StartNode.NodeID"
START_TYPE = "Relationship.StartNode.NodeIDType"
END_ID = "Relationship.EndNode.NodeID"
END_TYPE = "Relationship.EndNode.NodeIDType"
REL_TYPE = "Relationship.RelationshipType"
REL_STATUS = "Relationship.RelationshipStatus"
REQUIRED_COLUMNS = (START_ID, START_TYPE, END_ID, END_TYPE, REL_TYPE, REL_STATUS)
# Period columns come numbered: Relationship.Period.1.startDate, ….2.periodType, …
_PERIOD_COLUMN = re.compile(r"^Relationship\.Period\.(\d+)\.(startDate|endDate|periodType)$")

DIRECT = "IS_DIRECTLY_CONSOLIDATED_BY"
ULTIMATE = "IS_ULTIMATELY_CONSOLIDATED_BY"
GROUP_TYPES = (DIRECT, ULTIMATE)
RELATIONSHIP_PERIOD = "RELATIONSHIP_PERIOD"
ACTIVE, INACTIVE = "ACTIVE", "INACTIVE"

LINK_COLUMNS = ("account_id", "parent_id", "valid_from", "valid_to", "reason", "relationship_type")
_SORT = ("account_id", "relationship_type", "valid_from", "valid_to", "parent_id")


_EXPECT_LEI_SHAPE = "an LEI: 20 characters, 18 letters or digits followed by 2 check digits"
_EXPECT_LEI_CHECK = "an LEI with valid check digits (ISO 17442: as a number, mod 97 = 1)"
_EXPECT_DATE = "an ISO 8601 date such as 2018-01-01 or 2018-01-01T00:00:00Z"
# Date, optionally a time, optionally a zone; the calendar day is taken as written, so
# 2018-01-01T00:00:00+01:00 is 1 January even though it is 31 December in UTC.
_ISO_DATE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})"
    r"(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?)?"
    r"(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$"
)


@dataclass(frozen=True, eq=False)
class GleifLinks:
    """Parent links imported from GLEIF and what happened to every record.

    ``links`` has the columns of the ``parent_links`` table (account_id, parent_id,
    valid_from, valid_to, reason) plus ``relationship_type``; dates are ``datetime64[s]``,
    NaT where the link is open, and ``valid_to`` is the last day the link holds.

    ``counts`` reconciles the file: ``rows_read`` = ``rows_used`` + the sum of
    ``ignored_types`` + the three ``skipped_*`` counts. ``links`` counts output rows (a
    record with two relationship periods gives two links).

    ``rows``: the spreadsheet row (header = row 1) of the record of each link, aligned with
    ``links``, for messages about a link.

    >>> import tempfile
    >>> child, parent = "5493001KJTIIGC8Y1R12", "724500HOLDINGNV00117"
    >>> head = ("Relationship.StartNode.NodeID,Relationship.StartNode.NodeIDType,"
    ...         "Relationship.EndNode.NodeID,Relationship.EndNode.NodeIDType,"
    ...         "Relationship.RelationshipType,Relationship.RelationshipStatus,"
    ...         "Relationship.Period.1.startDate,Relationship.Period.1.endDate,"
    ...         "Relationship.Period.1.periodType")
    >>> ended = (f"{child},LEI,{parent},LEI,IS_ULTIMATELY_CONSOLIDATED_BY,INACTIVE,"
    ...          "2018-01-01,2024-06-30,RELATIONSHIP_PERIOD")
    >>> fund = f"{child},LEI,{parent},LEI,IS_FUND-MANAGED_BY,ACTIVE,,,"
    >>> accounts = pd.DataFrame({"account_id": ["C1", "H1"], "lei": [child, parent]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = Path(folder) / "rr.csv"
    ...     _ = file.write_text("\\n".join([head, ended, fund, ""]), encoding="utf-8")
    ...     g = read_gleif_relationships(file, accounts)
    >>> g.links[["account_id", "parent_id", "valid_from", "valid_to"]].values.tolist()
    [['C1', 'H1', Timestamp('2018-01-01 00:00:00'), Timestamp('2024-06-30 00:00:00')]]
    >>> g.counts["rows_read"], g.counts["rows_used"], g.counts["ignored_types"], g.rows.tolist()
    (2, 1, {'IS_FUND-MANAGED_BY': 1}, [2])
    """

    links: pd.DataFrame
    counts: dict
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


# --------------------------------------------------------------------------- LEIs


def lei_check_digits(base: str) -> str:
    """The two ISO 17442 check digits for an 18-character LEI base.

    >>> lei_check_digits("5493001KJTIIGC8Y1R")
    '12'
    """
    number = int("".join(str(int(c, 36)) for c in base.upper() + "00"))
    return f"{98 - number % 97:02d}"


def lei_problems(leis: pd.Series) -> pd.Series:
    """What is wrong with each LEI: ``""`` when valid, else what was expected.

    Letters count A=10 … Z=35 as in IBAN; the whole 20-character string read as a number
    must leave 1 when divided by 97. Vectorised over the 20 character positions, not the
    rows. Does not mutate ``leis``.

    >>> lei_problems(pd.Series(["5493001KJTIIGC8Y1R12", "5493001KJTIIGC8Y1R13", "ABC"])).tolist()
    ... # doctest: +ELLIPSIS
    ['', 'an LEI with valid check digits ...', 'an LEI: 20 characters, ...']
    """
    codes, unique = pd.factorize(leis.astype("str"))
    unique = np.asarray(unique, dtype=object)
    shaped = pd.Series(unique).str.fullmatch(r"[0-9A-Z]{18}[0-9]{2}").to_numpy(dtype=bool)
    verdict = np.full(len(unique), _EXPECT_LEI_SHAPE, dtype=object)
    good = unique[shaped]
    if len(good):
        chars = np.frombuffer("".join(good).encode("ascii"), dtype=np.uint8).reshape(-1, 20)
        values = np.where(chars >= ord("A"), chars - ord("A") + 10, chars - ord("0"))
        values = values.astype(np.int64)
        remainder = np.zeros(len(good), dtype=np.int64)
        for position in range(20):
            v = values[:, position]
            remainder = (remainder * np.where(v >= 10, 100, 10) + v) % 97
        verdict[np.flatnonzero(shaped)] = np.where(remainder == 1, "", _EXPECT_LEI_CHECK)
    return pd.Series(verdict[codes], index=leis.index, dtype="str")


# --------------------------------------------------------------------------- problems


# --------------------------------------------------------------------------- reading


def _wanted(name: str) -> bool:
    name = name.strip()
    return name in REQUIRED_COLUMNS or bool(_PERIOD_COLUMN.match(name))


def _not_utf8(path: Path) -> Problem:
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line_start = data.rfind(b"\n", 0, err.start) + 1
        row = data.count(b"\n", 0, err.start) + 1
        header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace").lstrip("\ufeff")
        names = [h.strip().strip('"') for h in header.split(",")]
        index = data[line_start : err.start].count(b",")
        column = names[index] if index < len(names) and row > 1 else None
        return Problem(
            path.name,
            row,
            column,
            f"byte 0x{data[err.start]:02X}",
            "UTF-8 text, as GLEIF publishes it",
        )
    return Problem(path.name, None, None, None, "UTF-8 text, as GLEIF publishes it")


def _read_csv(path: Path) -> pd.DataFrame:
    """The needed columns as text, with a ``_row`` column (header = row 1)."""
    if not path.is_file():
        raise InputError.single(
            path.name, f"a GLEIF relationship file (RR-CDF CSV); there is no file {path}"
        )
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if not head.strip() and len(head) < 1 << 16:
        raise InputError.single(path.name, "a header row and data rows; the file is empty", row=1)
    try:
        raw = pd.read_csv(
            path,
            usecols=_wanted,
            dtype=str,
            encoding="utf-8-sig",
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
        )
    except UnicodeDecodeError:
        raise InputError([_not_utf8(path)]) from None
    except pd.errors.EmptyDataError:
        raise InputError.single(
            path.name, "a header row and data rows; the file is empty", row=1
        ) from None
    except pd.errors.ParserError as err:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if m:
            raise InputError.single(
                path.name,
                f"{m.group(1)} comma-separated fields as in the header, found {m.group(3)}",
                row=int(m.group(2)),
            ) from None
        raise InputError.single(path.name, f"readable CSV ({err})") from None
    raw.columns = [c.strip() for c in raw.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(
            [Problem(path.name, 1, c, None, f"a column named {c} (required)") for c in missing]
        )
    raw = raw.apply(lambda col: col.str.strip())
    raw.insert(0, "_row", np.arange(2, len(raw) + 2))
    # Blank lines (a trailing newline, a hand edit) are not records.
    blank = raw.drop(columns="_row").eq("").all(axis=1)
    raw = raw.loc[~blank].reset_index(drop=True)
    if raw.empty:
        raise InputError.single(path.name, "data rows below the header; the file has none", row=2)
    return raw


def _periods(raw: pd.DataFrame) -> pd.DataFrame:
    """Every filled-in period of every record, one row each.

    Columns: pos (row position in ``raw``), n (the period's number in the header), start
    and end (text as in the file), kind (periodType, upper case), start_day and end_day
    (``datetime64[s]``, NaT when empty or unparseable).
    """
    numbers = sorted({int(m.group(1)) for c in raw.columns if (m := _PERIOD_COLUMN.match(c))})
    parts = []
    blank = pd.Series("", index=raw.index, dtype="str")
    for n in numbers:
        prefix = f"Relationship.Period.{n}."
        parts.append(
            pd.DataFrame(
                {
                    "pos": np.arange(len(raw)),
                    "n": n,
                    "start": raw.get(prefix + "startDate", blank),
                    "end": raw.get(prefix + "endDate", blank),
                    "kind": raw.get(prefix + "periodType", blank).str.upper(),
                }
            )
        )
    if not parts:  # no period columns: every link is open
        parts.append(
            pd.DataFrame(
                {"pos": np.array([], dtype=np.int64), "n": 0, "start": "", "end": "", "kind": ""}
            ).astype({"start": "str", "end": "str", "kind": "str"})
        )
    long = pd.concat(parts, ignore_index=True)
    long = long.loc[long[["start", "end", "kind"]].ne("").any(axis=1)]
    long = long.assign(start_day=_parse_days(long["start"]), end_day=_parse_days(long["end"]))
    return long


def _parse_days(text: pd.Series) -> pd.Series:
    """Calendar day of ISO 8601 dates (``datetime64[s]``); NaT for empty and bad values."""
    # Real files repeat the same few thousand dates: parse each distinct value once.
    codes, unique = pd.factorize(text)
    day = pd.Series(unique, dtype="str").str.extract(_ISO_DATE, expand=False)
    parsed = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce").astype("datetime64[s]")
    return pd.Series(parsed.to_numpy()[codes], index=text.index)


def _check_records(raw: pd.DataFrame, periods: pd.DataFrame, file: str) -> None:
    problems = _Problems(file)
    rows = raw["_row"]
    for column in (START_TYPE, END_TYPE):
        problems.add_where(
            raw[column].str.upper() != "LEI",
            rows,
            raw[column],
            column,
            "LEI (relationship records link two LEIs)",
        )
    for column in (START_ID, END_ID):
        verdict = lei_problems(raw[column].str.upper())
        for expected in (_EXPECT_LEI_SHAPE, _EXPECT_LEI_CHECK):
            problems.add_where(verdict == expected, rows, raw[column], column, expected)
    same = (raw[START_ID].str.upper() == raw[END_ID].str.upper()) & (raw[END_ID] != "")
    problems.add_where(
        same, rows, raw[END_ID], END_ID, f"a parent LEI different from the child LEI in {START_ID}"
    )
    problems.add_where(
        raw[REL_TYPE] == "", rows, raw[REL_TYPE], REL_TYPE, f"a relationship type such as {DIRECT}"
    )
    problems.add_where(
        ~raw[REL_STATUS].str.upper().isin((ACTIVE, INACTIVE)),
        rows,
        raw[REL_STATUS],
        REL_STATUS,
        f"{ACTIVE} or {INACTIVE}",
    )
    if len(periods):
        period_rows = pd.Series(rows.to_numpy()[periods["pos"].to_numpy()], index=periods.index)
        for side in ("start", "end"):
            bad = (periods[side] != "") & periods[f"{side}_day"].isna()
            for n in periods.loc[bad, "n"].unique():
                which = bad & (periods["n"] == n)
                name = f"Relationship.Period.{n}.{side}Date"
                problems.add_where(which, period_rows, periods[side], name, _EXPECT_DATE)
        backwards = periods["end_day"] < periods["start_day"]
        for n in periods.loc[backwards, "n"].unique():
            which = backwards & (periods["n"] == n)
            problems.add_where(
                which,
                period_rows,
                periods["end"],
                f"Relationship.Period.{n}.endDate",
                "an end date on or after the start date of the period",
            )
    problems.raise_if_any()


# --------------------------------------------------------------------------- master


def _lei_index(accounts: pd.DataFrame) -> pd.Series:
    """LEI → account_id for the accounts that have one, or InputError."""
    for column in ("account_id", "lei"):
        if column not in accounts.columns:
            raise InputError.single(
                "accounts", f"a column {column} in the customer master", column=column
            )
    lei = accounts["lei"].fillna("").astype("str").str.strip().str.upper()
    ids = accounts["account_id"].astype("str")
    has = lei != ""
    lei, ids = lei[has], ids[has]
    problems = _Problems("accounts")
    verdict = lei_problems(lei)
    for i in verdict.index[verdict != ""][:CAP]:
        problems.add(None, "lei", accounts.at[i, "lei"], f"{verdict[i]} (account {ids[i]})")
    twice = lei.duplicated(keep=False)
    if twice.any():
        for value, group in ids[twice].groupby(lei[twice], sort=True):
            names = " and ".join(group.tolist())
            problems.add(
                None, "lei", value, f"each LEI on one account only; accounts {names} share it"
            )
    problems.raise_if_any()
    return pd.Series(ids.to_numpy(), index=pd.Index(lei.to_numpy()), dtype="str")


# --------------------------------------------------------------------------- entry point


def read_gleif_relationships(path: str | Path, accounts: pd.DataFrame) -> GleifLinks:
    """Parent links between our accounts from a GLEIF RR-CDF relationship file.

    ``accounts`` is the validated customer master (``account_id``, ``lei``; ``lei`` is
    ``""`` when unknown). A record becomes a link when its type is direct or ultimate
    consolidation, both LEIs belong to accounts, and it is ACTIVE or INACTIVE with an end
    date (an ended link still tells the history). Each ``RELATIONSHIP_PERIOD`` of a record
    gives one link; a record without one gives a link open at both ends. A child's direct
    and ultimate links are both kept: the hierarchy prefers the direct one.

    Every record is checked, used or not; bad input raises :class:`InputError` naming the
    file, row (header = row 1), column, value and expectation. Reads only the needed
    columns; does not mutate ``accounts``.

    >>> import tempfile
    >>> child, parent = "5493001KJTIIGC8Y1R12", "724500HOLDINGNV00117"
    >>> head = ("Relationship.StartNode.NodeID,Relationship.StartNode.NodeIDType,"
    ...         "Relationship.EndNode.NodeID,Relationship.EndNode.NodeIDType,"
    ...         "Relationship.RelationshipType,Relationship.RelationshipStatus,"
    ...         "Relationship.Period.1.startDate,Relationship.Period.1.endDate,"
    ...         "Relationship.Period.1.periodType")
    >>> line = (f"{child},LEI,{parent},LEI,IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,"
    ...         "2018-01-01T00:00:00.000+01:00,,RELATIONSHIP_PERIOD")
    >>> accounts = pd.DataFrame({"account_id": ["C1", "H1"], "lei": [child, parent]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     file = Path(folder) / "rr.csv"
    ...     _ = file.write_text(head + "\\n" + line + "\\n", encoding="utf-8")
    ...     result = read_gleif_relationships(file, accounts)
    >>> result.links[["account_id", "parent_id", "valid_from"]].to_dict("records")
    [{'account_id': 'C1', 'parent_id': 'H1', 'valid_from': Timestamp('2018-01-01 00:00:00')}]
    >>> result.counts["rows_used"], result.counts["ignored_types"]
    (1, {})
    """
    path = Path(path)
    by_lei = _lei_index(accounts)
    raw = _read_csv(path)
    periods = _periods(raw)
    _check_records(raw, periods, path.name)

    kind = raw[REL_TYPE].str.upper()
    grouping = kind.isin(GROUP_TYPES)
    child = raw[START_ID].str.upper().map(by_lei)
    parent = raw[END_ID].str.upper().map(by_lei)
    inactive = raw[REL_STATUS].str.upper() == INACTIVE

    # One candidate link per relationship period; records without one are open.
    rel = periods.loc[periods["kind"] == RELATIONSHIP_PERIOD, ["pos", "start_day", "end_day"]]
    has_period = np.zeros(len(raw), dtype=bool)
    has_period[rel["pos"].to_numpy()] = True
    no_period = np.flatnonzero(~has_period)
    open_ended = pd.DataFrame(
        {
            "pos": no_period,
            "start_day": pd.Series(pd.NaT, index=range(len(no_period)), dtype="datetime64[s]"),
            "end_day": pd.Series(pd.NaT, index=range(len(no_period)), dtype="datetime64[s]"),
        }
    )
    candidates = pd.concat([rel, open_ended], ignore_index=True)
    # An INACTIVE record only tells history through a period that ended.
    pos = candidates["pos"].to_numpy()
    keep = ~(inactive.to_numpy()[pos] & candidates["end_day"].isna().to_numpy())
    has_link = np.zeros(len(raw), dtype=bool)
    has_link[pos[keep]] = True

    known_child = child.notna()
    known_parent = parent.notna()
    skipped_child = grouping & ~known_child
    skipped_parent = grouping & known_child & ~known_parent
    in_scope = grouping & known_child & known_parent
    skipped_inactive = in_scope & ~pd.Series(has_link, index=raw.index)
    used = in_scope & ~skipped_inactive

    chosen = candidates.loc[keep & used.to_numpy()[pos]]
    at = chosen["pos"].to_numpy()
    links = pd.DataFrame(
        {
            "account_id": child.to_numpy()[at],
            "parent_id": parent.to_numpy()[at],
            "valid_from": chosen["start_day"].to_numpy(),
            "valid_to": chosen["end_day"].to_numpy(),
            "reason": "GLEIF " + kind.to_numpy()[at].astype(object),
            "relationship_type": kind.to_numpy()[at],
        }
    )
    links = links.astype(
        {
            "account_id": "str",
            "parent_id": "str",
            "valid_from": "datetime64[s]",
            "valid_to": "datetime64[s]",
            "reason": "str",
            "relationship_type": "str",
        }
    )
    links = links.assign(_row=raw["_row"].to_numpy(dtype=np.int64)[at])
    links = links.sort_values(list(_SORT), na_position="first", kind="stable")
    rows = links["_row"].to_numpy()
    links = links.reset_index(drop=True)[list(LINK_COLUMNS)]

    ignored = kind[~grouping].value_counts()
    counts = {
        "rows_read": len(raw),
        "rows_used": int(used.sum()),
        "ignored_types": {str(k): int(v) for k, v in sorted(ignored.items())},
        "skipped_child_not_in_master": int(skipped_child.sum()),
        "skipped_parent_not_in_master": int(skipped_parent.sum()),
        "skipped_inactive_without_end_date": int(skipped_inactive.sum()),
        "links": len(links),
    }
    return GleifLinks(links=links, counts=counts, rows=rows)
