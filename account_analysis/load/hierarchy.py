"""Customer groups: every account rolled up to its ultimate parent, with effective dating.

Parent links come from three places, in this order of precedence when more than one is
valid for an account on a day: the ``parent_links`` table, the ``parent_id`` of the
customer master (with ``parent_valid_from``/``parent_valid_to``), and links imported from
GLEIF (direct before ultimate). Two links of the same source valid for one account on the
same day, a self-parent and a cycle are input errors. A cycle is checked in the links the
hierarchy uses on each day (one per account, by that precedence), whatever their sources
and its length: every distinct cycle is reported, naming its accounts and the file and row
of each of its links.

The hierarchy is piecewise constant in time: it only changes on the days links start or
end. :class:`Hierarchy` computes the group of every account for each such interval once
(pointer jumping over integer codes), so looking up millions of lines is one array index.

>>> acc = pd.DataFrame({"account_id": ["H", "D", "S"], "parent_id": ["", "H", "D"],
...                     "parent_valid_from": pd.NaT, "parent_valid_to": pd.NaT})
>>> h = Hierarchy.build(acc)
>>> h.groups_as_of(pd.Timestamp("2026-09-30")).to_dict()
{'H': 'H', 'D': 'H', 'S': 'H'}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError, Problem

# Precedence of link sources (lower wins).
SOURCES = ("parent_links", "accounts", "gleif_direct", "gleif_ultimate")
_FAR_FUTURE = np.datetime64("9999-12-31", "D")
_FAR_PAST = np.datetime64("0001-01-01", "D")


def collect_links(
    accounts: pd.DataFrame,
    parent_links: pd.DataFrame | None = None,
    gleif_links: pd.DataFrame | None = None,
    rows: dict[str, np.ndarray] | None = None,
    files: dict[str, str] | None = None,
) -> pd.DataFrame:
    """All parent links as one frame: account_id, parent_id, valid_from, valid_to, source,
    row, file.

    ``valid_from``/``valid_to`` are inclusive days (``datetime64[D]``); open ends are filled
    with far past/future. ``row`` is the spreadsheet row in its source (0 when unknown).
    ``file`` names the source file for messages: ``files`` maps ``accounts`` and
    ``parent_links`` to their file names (the table name when absent); a GLEIF link names
    the ``file`` column of ``gleif_links`` when it has one, else ``gleif``. Does not mutate
    its inputs.

    >>> acc = pd.DataFrame({"account_id": ["H", "D", "S"], "parent_id": ["", "H", ""],
    ...                     "parent_valid_from": pd.NaT, "parent_valid_to": pd.NaT})
    >>> links = pd.DataFrame({"account_id": ["S"], "parent_id": ["D"],
    ...                       "valid_from": pd.to_datetime(["2026-07-01"]), "valid_to": pd.NaT})
    >>> collect_links(acc, links, files={"parent_links": "parent_links.csv"})[
    ...     ["account_id", "parent_id", "valid_from", "source", "row", "file"]]
      account_id parent_id valid_from        source  row              file
    0          D         H 0001-01-01      accounts    3          accounts
    1          S         D 2026-07-01  parent_links    2  parent_links.csv
    """
    rows = rows or {}
    files = files or {}

    def row_numbers(table: str, frame: pd.DataFrame, mask=None) -> np.ndarray:
        known = rows.get(table)
        numbers = np.asarray(known) if known is not None else np.arange(len(frame)) + 2
        return numbers if mask is None else numbers[np.asarray(mask)]

    parts = []
    has_parent = (accounts["parent_id"].fillna("") != "").to_numpy()
    acc = accounts[has_parent]
    parts.append(
        pd.DataFrame(
            {
                "account_id": acc["account_id"].to_numpy(dtype=object),
                "parent_id": acc["parent_id"].to_numpy(dtype=object),
                "valid_from": _days(acc.get("parent_valid_from"), len(acc), _FAR_PAST),
                "valid_to": _days(acc.get("parent_valid_to"), len(acc), _FAR_FUTURE),
                "source": "accounts",
                "row": row_numbers("accounts", accounts, has_parent),
                "file": files.get("accounts", "accounts"),
            }
        )
    )
    if parent_links is not None and len(parent_links):
        pl = parent_links
        parts.append(
            pd.DataFrame(
                {
                    "account_id": pl["account_id"].to_numpy(dtype=object),
                    "parent_id": pl["parent_id"].to_numpy(dtype=object),
                    "valid_from": _days(pl["valid_from"], len(pl), _FAR_PAST),
                    "valid_to": _days(pl.get("valid_to"), len(pl), _FAR_FUTURE),
                    "source": "parent_links",
                    "row": row_numbers("parent_links", pl),
                    "file": files.get("parent_links", "parent_links"),
                }
            )
        )
    if gleif_links is not None and len(gleif_links):
        gl = gleif_links
        kind = gl.get("relationship_type", pd.Series("", index=gl.index)).astype(str)
        parts.append(
            pd.DataFrame(
                {
                    "account_id": gl["account_id"].to_numpy(dtype=object),
                    "parent_id": gl["parent_id"].to_numpy(dtype=object),
                    "valid_from": _days(gl.get("valid_from"), len(gl), _FAR_PAST),
                    "valid_to": _days(gl.get("valid_to"), len(gl), _FAR_FUTURE),
                    "source": np.where(
                        kind.str.contains("ULTIMATE").to_numpy(), "gleif_ultimate", "gleif_direct"
                    ),
                    "row": gl["row"].to_numpy() if "row" in gl else 0,
                    "file": gl["file"].to_numpy(dtype=object) if "file" in gl else "gleif",
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _days(values, n: int, fill: np.datetime64) -> np.ndarray:
    if values is None:
        return np.full(n, fill)
    arr = pd.to_datetime(pd.Series(values)).to_numpy().astype("datetime64[D]")
    return np.where(np.isnat(arr), fill, arr)


@dataclass(frozen=True)
class Hierarchy:
    """Groups of every account over time.

    ``starts[k]`` is the first day of interval ``k``; ``groups[k, i]`` the code of the
    group of account ``accounts[i]`` during it.

    >>> acc = pd.DataFrame({"account_id": ["H", "D", "S"], "parent_id": ["", "H", ""],
    ...                     "parent_valid_from": pd.NaT, "parent_valid_to": pd.NaT})
    >>> links = pd.DataFrame({"account_id": ["S"], "parent_id": ["D"],  # S joins on 1 July
    ...                       "valid_from": pd.to_datetime(["2026-07-01"]), "valid_to": pd.NaT})
    >>> h = Hierarchy.build(acc, links)
    >>> h.starts.tolist()
    [datetime.date(1, 1, 1), datetime.date(2026, 7, 1)]
    >>> h.groups_as_of("2026-06-30").to_dict()
    {'H': 'H', 'D': 'H', 'S': 'S'}
    >>> h.group_at(["S", "S"], pd.to_datetime(["2026-06-30", "2026-07-01"])).tolist()
    ['S', 'H']
    >>> Hierarchy.build(acc.assign(parent_id=["D", "H", ""]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    account_analysis.errors.InputError: accounts, row 2, column parent_id: 'H → D → H' — ...
    """

    accounts: pd.Index
    starts: np.ndarray
    groups: np.ndarray

    @classmethod
    def build(
        cls,
        accounts: pd.DataFrame,
        parent_links: pd.DataFrame | None = None,
        gleif_links: pd.DataFrame | None = None,
        rows: dict[str, np.ndarray] | None = None,
        files: dict[str, str] | None = None,
    ) -> Hierarchy:
        """Build from the customer master and links; ``rows`` maps a table to the
        spreadsheet row of each record and ``files`` a table to its file name, for error
        messages (see :func:`collect_links`). Raises :class:`InputError` for bad links
        (see the module docstring), listing every cycle found on any day."""
        links = collect_links(accounts, parent_links, gleif_links, rows, files)
        index = pd.Index(accounts["account_id"].to_numpy(dtype=object))
        _check_links(links, index)
        child = index.get_indexer(links["account_id"])
        parent = index.get_indexer(links["parent_id"])
        vf = links["valid_from"].to_numpy().astype("datetime64[D]")
        vt = links["valid_to"].to_numpy().astype("datetime64[D]")
        prio = links["source"].map({s: i for i, s in enumerate(SOURCES)}).to_numpy()
        bounds = np.unique(np.concatenate([[_FAR_PAST], vf, vt[vt < _FAR_FUTURE] + 1]))
        n = len(index)
        groups = np.empty((len(bounds), n), dtype=np.int32)
        order = np.argsort(prio, kind="stable")  # highest-precedence links first
        cycles: dict[tuple, Problem] = {}
        for k, day in enumerate(bounds):
            active = order[(vf[order] <= day) & (vt[order] >= day)]
            # Per account the first active link in precedence order.
            _, first = np.unique(child[active], return_index=True)
            chosen = active[first]
            p = np.arange(n, dtype=np.int32)
            p[child[chosen]] = parent[chosen]
            groups[k] = _roll_up(p, index, links, chosen, child, cycles)
        if cycles:
            raise InputError(
                list(cycles.values())[:MAX_CYCLES_LISTED], max(0, len(cycles) - MAX_CYCLES_LISTED)
            )
        return cls(index, bounds, groups)

    def _codes(self, accounts) -> np.ndarray:
        codes = self.accounts.get_indexer(pd.Index(accounts))
        if (codes < 0).any():
            unknown = pd.Index(accounts)[codes < 0][0]
            raise KeyError(f"account {unknown!r} is not in the customer master")
        return codes

    def groups_as_of(self, day) -> pd.Series:
        """Group of every account on ``day``: account_id → group_id."""
        k = (
            np.searchsorted(self.starts, np.datetime64(pd.Timestamp(day).date(), "D"), side="right")
            - 1
        )
        return pd.Series(
            self.accounts[self.groups[k]].to_numpy(), index=self.accounts, name="group_id"
        )

    def group_codes_at(self, account_codes: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Group codes for accounts (as codes) on the given days (``datetime64``)."""
        k = np.searchsorted(self.starts, days.astype("datetime64[D]"), side="right") - 1
        return self.groups[k, account_codes]

    def group_at(self, accounts, days) -> np.ndarray:
        """Group ids of ``accounts`` on ``days`` (aligned sequences)."""
        codes = self.group_codes_at(self._codes(accounts), np.asarray(days))
        return self.accounts[codes].to_numpy()


MAX_CYCLES_LISTED = 20


def _roll_up(
    p: np.ndarray,
    index: pd.Index,
    links: pd.DataFrame,
    chosen: np.ndarray,
    child: np.ndarray,
    cycles: dict[tuple, Problem],
) -> np.ndarray:
    """Ultimate parent of every node by pointer jumping; cycles go into ``cycles``.

    Pointer jumping alone does not see every cycle: on a cycle of 2, 4, 8… accounts the
    doubled pointers come back to each node itself and look like roots. So the result is
    checked: the top of every node must be a root (its own parent). Each new cycle (by its
    accounts, in order) adds one :class:`Problem` to ``cycles``.
    """
    top = p
    for _ in range(64):  # 2**64 levels: any depth
        nxt = top[top]
        if np.array_equal(nxt, top):
            break
        top = nxt
    not_rooted = np.flatnonzero(p[top] != top)  # on a cycle or below one
    if len(not_rooted):
        link_of = pd.Series(chosen, index=child[chosen])  # child code → its link
        for cycle in _cycles(p, not_rooted):
            key = tuple(index[i] for i in cycle)
            if key not in cycles:
                cycles[key] = _cycle_problem(key, links.iloc[link_of.loc[cycle].to_numpy()])
    return top


def _cycles(p: np.ndarray, starts: np.ndarray) -> list[list[int]]:
    """The distinct cycles reached from ``starts`` following ``p``, each starting at its
    smallest code."""
    seen: set[int] = set()
    found = []
    for start in starts:
        path: dict[int, int] = {}
        node = int(start)
        while node not in seen and node not in path:
            path[node] = len(path)
            node = int(p[node])
        if node in path:  # a new cycle, not one reached before
            cycle = list(path)[path[node] :]
            first = cycle.index(min(cycle))
            found.append(cycle[first:] + cycle[:first])
        seen.update(path)
    return found


def _cycle_problem(accounts: tuple, links: pd.DataFrame) -> Problem:
    """One problem for one cycle, at its first link: the accounts around it, when its links
    hold together and where each link is."""
    names = " → ".join(str(a) for a in (*accounts, accounts[0]))
    start = links["valid_from"].max()
    end = links["valid_to"].min()
    when = [f"from {np.datetime_as_string(np.datetime64(start, 'D'))}"] if start > _FAR_PAST else []
    if end < _FAR_FUTURE:
        when.append(f"to {np.datetime_as_string(np.datetime64(end, 'D'))}")
    where = [
        f"{f} row {r}" if r else str(f) for f, r in zip(links["file"], links["row"], strict=True)
    ]
    first = links.iloc[0]
    return Problem(
        str(first["file"]),
        int(first["row"]) or None,
        "parent_id",
        names,
        f"parent links without a cycle (each account rolling up to a top account); these "
        f"{len(accounts)} accounts are parents of each other in a loop "
        f"({' '.join(when) or 'on every day'}; links: {', '.join(where)})",
    )


def _check_links(links: pd.DataFrame, index: pd.Index) -> None:
    # Each check as a numpy mask first: rows are looked at only where one is set (most
    # hierarchies have none, and frame indexing costs more than the checks on small ones).
    problems = []
    account = links["account_id"].to_numpy(dtype=object)
    parent = links["parent_id"].to_numpy(dtype=object)
    selfp = account == parent
    for _, r in links[selfp].head(20).iterrows() if selfp.any() else ():
        problems.append(
            Problem(
                r["file"],
                int(r["row"]) or None,
                "parent_id",
                r["parent_id"],
                "a parent other than the account itself",
            )
        )
    # get_indexer, not Series.isin: isin on pandas' Arrow-backed strings is very slow.
    unknown = (index.get_indexer(account) < 0) | (index.get_indexer(parent) < 0)
    for _, r in links[unknown].head(20).iterrows() if unknown.any() else ():
        problems.append(
            Problem(
                r["source"],
                int(r["row"]) or None,
                "parent_id",
                r["parent_id"],
                "accounts that exist in accounts",
            )
        )
    backwards = links["valid_to"].to_numpy() < links["valid_from"].to_numpy()
    for _, r in links[backwards].head(20).iterrows() if backwards.any() else ():
        problems.append(
            Problem(
                r["source"],
                int(r["row"]) or None,
                "valid_to",
                str(r["valid_to"]),
                "a valid_to on or after valid_from",
            )
        )
    # Two links of one source for one account on the same day.
    keys = list(zip(account, links["source"].to_numpy(dtype=object), strict=True))
    dup = (
        links[links.duplicated(["account_id", "source"], keep=False)]
        if len(set(keys)) < len(keys)
        else None
    )
    for (acc, src), g in (
        dup.groupby(["account_id", "source"], sort=True) if dup is not None else ()
    ):
        g = g.sort_values("valid_from")
        vf, vt = g["valid_from"].to_numpy(), g["valid_to"].to_numpy()
        overlap = np.flatnonzero(vf[1:] <= vt[:-1])
        for i in overlap[:1]:
            a, b = g.iloc[i], g.iloc[i + 1]
            if a["parent_id"] == b["parent_id"]:
                continue
            problems.append(
                Problem(
                    src,
                    int(b["row"]) or None,
                    "parent_id",
                    b["parent_id"],
                    f"one parent at a time for {acc}; row {a['row']} links it to "
                    f"{a['parent_id']} over the same days",
                )
            )
    if problems:
        raise InputError(problems)
