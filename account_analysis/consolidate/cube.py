"""From invoice lines to customer groups: the only place that touches invoice lines (with
its parts: :mod:`.fx` converts, :mod:`.attribution` attributes, :mod:`.window` reads the
result through a window of months).

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
``flags``
    counted lines whose status is in doubt and flagged (``status_treatment``: a disputed or
    on-hold line is counted, excluded with its status as the reason, or counted and
    flagged, the default): ``status`` (``disputed``, ``on_hold``), ``group_at_date``,
    ``month``, ``revenue_cents``, ``lines``. Part of the cube, not beside it.

Per month, raw = cube + exclusions, exactly, in integer cents;
:func:`~account_analysis.consolidate.window.reconcile` states it for a window. The cube is
cached on disk under a key derived from the content of the input files, so a batch of
periods builds it once and a changed rule file rebuilds it.

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
>>> from account_analysis import load_dataset
>>> c = build_cube(load_dataset(folder), cache_dir=None)  # U's line lands in its group G
>>> c.cube[["group_at_date", "unit_id", "month", "revenue_cents"]].values.tolist()
[['G', 'G', '2026-02', 5050], ['G', 'U', '2026-01', 10000], ['X', 'X', '2026-03', 1000]]
>>> c.exclusions[["reason", "account_id", "revenue_cents"]].values.tolist()
[['cancelled', 'X', 2500]]
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..load.dataset import Dataset
from ..load.hierarchy import Hierarchy
from ..load.mapping import read_mapping
from ..load.schema import CANCELLED
from ..periods import Window
from .attribution import attribute_codes, classify_rules, codes_in
from .codes import (
    EXCLUSION_CODES,
    MATCH_CODES,
    STATUS_CODES,
    no_flags,
    status_treatment,
    statuses_treated,
)
from .fx import to_reporting_cents

EXCLUSION_REASONS = {
    "cancelled": "cancelled invoice line",
    "intercompany": "intercompany account (our own group)",
    "disputed": "disputed invoice line (status_treatment: exclude)",
    "on_hold": "invoice line on hold (status_treatment: exclude)",
    "outside_window": "invoice date outside the window",
}
CUBE_VERSION = "3"  # bump when the cached tables change shape or meaning
CACHED_TABLES = ("cube", "movements", "exclusions", "raw", "flags")


@dataclass(frozen=True)
class Consolidation:
    """The consolidated view of a dataset; see the module docstring for the tables.

    ``restate_hierarchy`` is the grouping that the per-window views (:func:`revenue_by_group`
    and the analyses built on it) use when a call does not say: ``True`` (the group at the
    window's end) unless set otherwise, as :func:`~account_analysis.open_period` does from
    the settings. ``dataclasses.replace(c, restate_hierarchy=False)`` gives the other view.

    >>> import dataclasses, tempfile
    >>> from pathlib import Path
    >>> from account_analysis import load_dataset, revenue_by_group, window_for
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text(  # U joins group G on 1 March
    ...     "account_id,name,postcode,country,parent_id,parent_valid_from\\n"
    ...     "G,Group,1011 AB,NL,,\\nU,Unit,3511 CD,NL,G,2026-03-01\\n")
    >>> _ = (folder / "invoices.csv").write_text(
    ...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...     "F1,2026-01-15,U,100.00,posted\\nF2,2026-02-01,G,50.50,posted\\n")
    >>> c = build_cube(load_dataset(folder), cache_dir=None)
    >>> c.reporting_currency, c.restate_hierarchy
    ('EUR', True)
    >>> w = window_for("2026-Q1", 3)
    >>> revenue_by_group(c, w)[["group_id", "revenue_cents"]]
      group_id  revenue_cents
    0        G          15050
    >>> as_on_dates = dataclasses.replace(c, restate_hierarchy=False)
    >>> revenue_by_group(as_on_dates, w)[["group_id", "revenue_cents"]]
      group_id  revenue_cents
    0        U          10000
    1        G           5050
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
    flags: pd.DataFrame = field(default_factory=no_flags)

    def group_of_units(self, window: Window, restate_hierarchy: bool | None = None) -> pd.Series:
        """Cube-aligned group ids: as of the window end (restated) or as on invoice dates;
        ``None`` takes this consolidation's own ``restate_hierarchy``."""
        if restate_hierarchy is None:
            restate_hierarchy = self.restate_hierarchy
        if not restate_hierarchy:
            return self.cube["group_at_date"]
        asof = self.hierarchy.groups_as_of(window.end)
        return pd.Series(
            asof.reindex(self.cube["unit_id"]).to_numpy(), index=self.cube.index, name="group_id"
        )


# --------------------------------------------------------------------------- lines → cube


def _categorical(codes: np.ndarray, categories) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes whose order is the lexical order of the values ('' for missing)."""
    codes, uniques = pd.factorize(values.fillna(""), sort=True)
    return codes, np.asarray(uniques, dtype=object)


def consolidate_lines(
    dataset: Dataset, hierarchy: Hierarchy | None = None, statuses=None
) -> pd.DataFrame:
    """Every invoice line with its attribution, group and fate, aligned with the invoices.

    Columns (categoricals with sorted categories, and integer cents): ``billing_account``,
    ``unit_id``, ``rule_id``, ``match``, ``group_at_date``, ``month`` (``YYYY-MM``),
    ``service_line``, ``account_manager``, ``revenue_cents`` (reporting currency),
    ``excluded`` (an :data:`EXCLUSION_REASONS` key, or ""), ``flag`` (the code of a
    counted line's doubtful status that ``statuses``, the setting ``status_treatment``,
    flags, or "").

    >>> import tempfile
    >>> from pathlib import Path
    >>> from account_analysis import load_dataset
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text(
    ...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n"
    ...     "U,Unit,3511 CD,NL,G\\nX,Other,5611 EF,NL,\\n")
    >>> _ = (folder / "invoices.csv").write_text(
    ...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...     "F1,2026-01-15,U,100.00,posted\\nF2,2026-02-01,G,50.50,posted\\n"
    ...     "F3,2026-03-01,X,25.00,cancelled\\n")
    >>> lines = consolidate_lines(load_dataset(folder))
    >>> lines[["billing_account", "unit_id", "group_at_date", "month", "excluded",
    ...        "revenue_cents"]]
      billing_account unit_id group_at_date    month   excluded  revenue_cents
    0               U       U             G  2026-01                     10000
    1               G       G             G  2026-02                      5050
    2               X       X             X  2026-03  cancelled           2500
    """
    inv = dataset.invoices
    hierarchy = hierarchy or build_hierarchy(dataset)
    accounts = hierarchy.accounts
    order = np.argsort(accounts.to_numpy(dtype=object))  # sorted account codes for output
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    sorted_accounts = accounts.to_numpy(dtype=object)[order]

    rules = classify_rules(dataset.attribution_rules, dataset.row_numbers.get("attribution_rules"))
    unit, rule_pos, match = attribute_codes(inv, rules, accounts)
    billing = codes_in(inv["billing_account"], accounts)
    cents = to_reporting_cents(
        inv, dataset.fx_rates, dataset.reporting_currency, dataset.row_numbers.get("invoices")
    )
    days = inv["invoice_date"].to_numpy().astype("datetime64[D]")
    group = hierarchy.group_codes_at(unit, days)
    ic = dataset.accounts["intercompany"].fillna(False).astype(bool).to_numpy()
    ic_by_code = np.zeros(len(accounts), dtype=bool)
    ic_by_code[accounts.get_indexer(dataset.accounts["account_id"].to_numpy(dtype=object))] = ic
    intercompany = ic_by_code[billing] | ic_by_code[unit] | ic_by_code[group]
    status = inv["status"]
    excluded = np.where(intercompany, EXCLUSION_CODES.index("intercompany"), 0)
    # A status first (cancelled, then a doubtful one excluded), then intercompany.
    for s in statuses_treated(statuses, "exclude"):
        here = (status == s).to_numpy()
        excluded = np.where(here, EXCLUSION_CODES.index(STATUS_CODES[s]), excluded)
    cancelled = (status == CANCELLED).to_numpy()
    excluded = np.where(cancelled, EXCLUSION_CODES.index("cancelled"), excluded).astype(np.int8)
    flag_codes = ("", *sorted(STATUS_CODES.values()))
    flag = np.zeros(len(inv), dtype=np.int8)
    for s in statuses_treated(statuses, "flag"):
        flag[(status == s).to_numpy() & (excluded == 0)] = flag_codes.index(STATUS_CODES[s])

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
    return pd.DataFrame(
        {
            "billing_account": _categorical(rank[billing], sorted_accounts),
            "unit_id": _categorical(rank[unit], sorted_accounts),
            "rule_id": _categorical(rule_rank[rule_pos], ["", *rule_ids[rule_order]]),
            "match": _categorical(
                match_rank[match], np.asarray(MATCH_CODES, dtype=object)[match_order]
            ),
            "group_at_date": _categorical(rank[group], sorted_accounts),
            "month": _categorical(month_codes, month_names),
            "service_line": _categorical(svc_codes, svc_names),
            "account_manager": _categorical(am_codes, am_names),
            "revenue_cents": cents.to_numpy(),
            "excluded": _categorical(excluded, EXCLUSION_CODES),
            "flag": _categorical(flag, flag_codes),
        },
        index=inv.index,
    )


def build_hierarchy(dataset: Dataset) -> Hierarchy:
    """The group structure of a dataset (customer master, parent links, GLEIF links).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from account_analysis import load_dataset
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text(
    ...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n"
    ...     "U,Unit,3511 CD,NL,G\\nX,Other,5611 EF,NL,\\n")
    >>> _ = (folder / "invoices.csv").write_text(
    ...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...     "F1,2026-01-15,U,100.00,posted\\nF2,2026-02-01,G,50.50,posted\\n"
    ...     "F3,2026-03-01,X,25.00,cancelled\\n")
    >>> h = build_hierarchy(load_dataset(folder))
    >>> h.groups_as_of(pd.Timestamp("2026-03-31")).to_dict()
    {'G': 'G', 'U': 'G', 'X': 'X'}
    """
    return Hierarchy.build(
        dataset.accounts,
        dataset.parent_links,
        getattr(dataset, "gleif_links", None),
        dataset.row_numbers,
        {name: path.name for name, path in dataset.sources.items()},
    )


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
    revenue = np.add.reduceat(cents[order], starts) if n else np.zeros(0, dtype=np.int64)
    out = {}
    for c, sc in zip(by, sorted_codes, strict=True):
        categories = np.asarray(frame[c].cat.categories, dtype=object)
        out[c] = pd.array(categories[sc[starts]], dtype="str")
    out["revenue_cents"] = revenue.astype(np.int64)
    out["lines"] = np.diff(np.append(starts, n)).astype(np.int64)
    return pd.DataFrame(out)


def tables_from_lines(lines: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The cube and ledger tables aggregated from :func:`consolidate_lines`.

    A dict of the four tables of a :class:`Consolidation` (see the module docstring):
    ``cube``, ``movements``, ``exclusions`` and ``raw``.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from account_analysis import load_dataset
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text(
    ...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n"
    ...     "U,Unit,3511 CD,NL,G\\nX,Other,5611 EF,NL,\\n")
    >>> _ = (folder / "invoices.csv").write_text(
    ...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...     "F1,2026-01-15,U,100.00,posted\\nF2,2026-02-01,G,50.50,posted\\n"
    ...     "F3,2026-03-01,X,25.00,cancelled\\n")
    >>> tables = tables_from_lines(consolidate_lines(load_dataset(folder)))
    >>> tables["cube"][["group_at_date", "unit_id", "month", "revenue_cents", "lines"]]
      group_at_date unit_id    month  revenue_cents  lines
    0             G       G  2026-02           5050      1
    1             G       U  2026-01          10000      1
    >>> tables["exclusions"]
          reason account_id    month  revenue_cents  lines
    0  cancelled          X  2026-03           2500      1
    >>> tables["raw"]["revenue_cents"].sum() == 10000 + 5050 + 2500
    np.True_
    """
    excluded = lines["excluded"].cat.codes.to_numpy() != 0
    kept = lines[~excluded]
    moved = kept[kept["match"].cat.codes.to_numpy() != 0].rename(  # code 0 is ""
        columns={
            "billing_account": "from_account",
            "unit_id": "to_unit",
            "group_at_date": "to_group",
        }
    )
    return {
        "cube": _sum(
            kept, ["group_at_date", "unit_id", "month", "service_line", "account_manager"]
        ),
        "movements": _sum(
            moved, ["rule_id", "match", "from_account", "to_unit", "to_group", "month"]
        ),
        "exclusions": _sum(
            lines[excluded].rename(columns={"excluded": "reason", "billing_account": "account_id"}),
            ["reason", "account_id", "month"],
        ),
        "raw": _sum(lines, ["month"]),
        "flags": _flags(kept),
    }


def _flags(kept: pd.DataFrame) -> pd.DataFrame:
    if "flag" not in kept:
        return no_flags()
    flagged = kept[kept["flag"].cat.codes.to_numpy() != 0].rename(columns={"flag": "status"})
    return _sum(flagged, ["status", "group_at_date", "month"])


def cache_key(dataset: Dataset, statuses=None) -> str:
    """A key over the content of every input the cube depends on, the cube version and
    ``statuses`` (the treatment of doubtful statuses, :func:`.codes.status_treatment`).

    24 hexadecimal characters; the same files give the same key, a changed one another.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from account_analysis import load_dataset
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text(
    ...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n"
    ...     "U,Unit,3511 CD,NL,G\\nX,Other,5611 EF,NL,\\n")
    >>> _ = (folder / "invoices.csv").write_text(
    ...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...     "F1,2026-01-15,U,100.00,posted\\nF2,2026-02-01,G,50.50,posted\\n"
    ...     "F3,2026-03-01,X,25.00,cancelled\\n")
    >>> dataset = load_dataset(folder)
    >>> key = cache_key(dataset)
    >>> len(key), key == cache_key(dataset)
    (24, True)
    >>> _ = (folder / "invoices.csv").write_text(  # the key reads the files themselves
    ...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...     "F1,2026-01-15,U,100.01,posted\\n")
    >>> cache_key(dataset) == key
    False
    """
    treated = sorted(status_treatment(statuses).items())
    h = hashlib.sha256(f"cube {CUBE_VERSION} {dataset.reporting_currency} {treated}".encode())
    for table in ("invoices", "accounts", "parent_links", "attribution_rules", "fx_rates"):
        source = dataset.sources.get(table)
        h.update(f"|{table}|".encode())
        if source is not None:
            with open(source, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
    for path in sorted(getattr(dataset, "gleif_sources", ()) or ()):
        h.update(Path(path).read_bytes())
    mapping = read_mapping(dataset.path) if getattr(dataset, "path", None) else None
    if mapping is not None:  # the same export read through another mapping is other data
        h.update(mapping.fingerprint())
    return h.hexdigest()[:24]


def cached_cube_exists(
    dataset: Dataset, cache_dir: Path | str = config.CACHE_DIR, statuses=None
) -> bool:
    """Whether a cube for the content of this dataset's files is in the cache.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from account_analysis import load_dataset
    >>> folder, cache = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text(
    ...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n")
    >>> _ = (folder / "invoices.csv").write_text(
    ...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...     "F1,2026-01-15,G,100.00,posted\\n")
    >>> dataset = load_dataset(folder)
    >>> cached_cube_exists(dataset, cache)
    False
    >>> _ = build_cube(dataset, cache_dir=cache)
    >>> cached_cube_exists(dataset, cache)
    True
    """
    folder = Path(cache_dir) / cache_key(dataset, statuses)
    return all((folder / f"{t}.parquet").exists() for t in CACHED_TABLES)


def cached_cube(
    dataset: Dataset, cache_dir: Path | str = config.CACHE_DIR, statuses=None
) -> Consolidation | None:
    """The cached :class:`Consolidation` for the content of this dataset's files, or None.

    Hashes the input files once (where ``cached_cube_exists`` then ``build_cube`` hash them
    twice); the dataset may be loaded with ``skip_invoices``: its lines are not needed.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from account_analysis import load_dataset
    >>> folder, cache = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text(
    ...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n"
    ...     "U,Unit,3511 CD,NL,G\\n")
    >>> _ = (folder / "invoices.csv").write_text(
    ...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...     "F1,2026-01-15,U,100.00,posted\\nF2,2026-02-01,G,50.50,posted\\n")
    >>> cached_cube(load_dataset(folder), cache) is None  # nothing built yet
    True
    >>> built = build_cube(load_dataset(folder), cache_dir=cache)
    >>> c = cached_cube(load_dataset(folder, skip_invoices=True), cache)  # lines unread
    >>> c.key == built.key, c.cube["revenue_cents"].tolist()
    (True, [5050, 10000])
    """
    return _read_cache(dataset, Path(cache_dir), cache_key(dataset, statuses))


def _read_cache(dataset: Dataset, cache_dir: Path, key: str) -> Consolidation | None:
    folder = cache_dir / key
    if not all((folder / f"{t}.parquet").exists() for t in CACHED_TABLES):
        return None
    tables = {t: pd.read_parquet(folder / f"{t}.parquet") for t in CACHED_TABLES}
    return Consolidation(
        **tables,
        hierarchy=build_hierarchy(dataset),
        names=dataset.accounts.set_index("account_id")["name"],
        reporting_currency=dataset.reporting_currency,
        key=key,
    )


ENGINES = ("auto", "pandas", "duckdb")


def build_cube(
    dataset: Dataset,
    cache_dir: Path | str | None = config.CACHE_DIR,
    engine: str = "auto",
    statuses=None,
) -> Consolidation:
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

    ``statuses`` is the setting ``status_treatment`` (``{"disputed": "exclude"}``; a
    doubtful status not named is counted and flagged): what becomes of disputed and on-hold
    lines (see the ``flags`` table).

    >>> build_cube(None, engine="spark")
    Traceback (most recent call last):
    ValueError: engine must be one of auto, pandas, duckdb, not 'spark'
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    in_file = not getattr(dataset, "invoices_in_memory", True)
    if engine == "duckdb" and not in_file:
        raise ValueError(
            "engine='duckdb' needs the invoice lines in a Parquet file that "
            "load_dataset proved clean; these lines are in memory"
        )
    key = cache_key(dataset, statuses) if cache_dir is not None else ""
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

        rules = classify_rules(
            dataset.attribution_rules, dataset.row_numbers.get("attribution_rules")
        )
        tables = cube_tables(dataset, hierarchy, rules, statuses)
    if tables is None:
        if len(dataset.invoices) == 0 and "invoices" in dataset.sources:
            raise ValueError("the dataset was loaded with skip_invoices and its cube is not cached")
        tables = tables_from_lines(consolidate_lines(dataset, hierarchy, statuses))
    if cache_dir is not None:
        _write_cache(Path(cache_dir), key, tables)
    return Consolidation(
        **tables,
        hierarchy=hierarchy,
        names=names,
        reporting_currency=dataset.reporting_currency,
        key=key,
    )


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
