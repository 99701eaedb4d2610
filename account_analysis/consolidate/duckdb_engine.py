"""The cube computed by DuckDB from a Parquet invoice file the loader proved clean
(:class:`~account_analysis.load.parquet.ParquetInvoices`): attribution, FX, hierarchy and
exclusions as joins on small tables prepared in Python, in one SQL aggregation.

It gives exactly the tables of the pandas engine
(:func:`~account_analysis.consolidate.cube.tables_from_lines`), which stays the single
definition of the rules; where it cannot be sure (a PO line two rules with different
targets could match, a rate whose fraction does not fit 62 bits, too many key combinations
to pack into 64 bits, a converted amount beyond 64 bits) it returns None and the pandas
engine decides, naming the line. The tests compare the two on every file.

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
>>> from account_analysis import build_cube, load_dataset
>>> ds = load_dataset(folder)
>>> ds.parquet_invoices is not None  # proven clean: the lines stay in the file
True
>>> fast = build_cube(ds, cache_dir=None)  # this engine, on the file
>>> slow = build_cube(load_dataset(folder, engine="pandas"), cache_dir=None, engine="pandas")
>>> fast.cube.equals(slow.cube), fast.cube["revenue_cents"].tolist(), ds.invoices_in_memory
(True, [10000, 2050], False)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..load.parquet import ParquetInvoices, connect
from ..load.schema import CANCELLED, rule_pattern
from .codes import DAY_MAX as _DAY_MAX
from .codes import DAY_MIN as _DAY_MIN
from .codes import EXCLUSION_CODES, MATCH_CODES, STATUS_CODES, no_flags, statuses_treated

# --------------------------------------------------------------------------- cube


def _intervals(keys: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """Per key, non-overlapping day intervals with the rule that wins there.

    ``rules`` (aligned with ``keys``) holds ``pos`` (precedence within the kind: lowest
    wins), ``vf``/``vt`` (inclusive days), ``rule_id`` and ``to_unit``. Returns the key
    columns with ``vf``, ``vt``, ``rule_id``, ``to_unit``. Equal keys whose rules send lines
    to different units on one day do not occur here (classify_rules refuses them, and
    :func:`_po_matches` hands such PO lines to the pandas path).
    """
    cols = list(keys.columns)
    frame = pd.concat([keys.reset_index(drop=True), rules.reset_index(drop=True)], axis=1)
    cols_out = [*cols, "vf", "vt", "rule_id", "to_unit"]
    shared = frame.duplicated(cols, keep=False).to_numpy()
    out = [frame[~shared]]
    for _, g in frame[shared].groupby(cols, sort=False):
        vf, vt = g["vf"].to_numpy(), g["vt"].to_numpy()
        bounds = np.unique(np.concatenate([vf, vt[vt < _DAY_MAX] + np.timedelta64(1, "D")]))
        g = g.sort_values("pos")
        for i, start in enumerate(bounds):
            end = bounds[i + 1] - np.timedelta64(1, "D") if i + 1 < len(bounds) else _DAY_MAX
            valid = g[(g["vf"] <= start) & (g["vt"] >= start)]
            if len(valid):
                out.append(valid.iloc[[0]].assign(vf=start, vt=end))
    return pd.concat(out, ignore_index=True)[cols_out]


def _arrow(frame: pd.DataFrame):
    """A pyarrow table with ``vf``/``vt``/``month`` as DATE, ``ic`` as boolean, codes as
    integers and every other column as strings (None as NULL)."""
    import pyarrow as pa

    cols = {}
    for c in frame.columns:
        values = frame[c].to_numpy()
        if c in ("vf", "vt", "month"):
            cols[c] = pa.array(values.astype("datetime64[D]"), type=pa.date32())
        elif c in ("ic", "icself"):
            cols[c] = pa.array(values.astype(bool), type=pa.bool_())
        elif c in _CODES:
            cols[c] = pa.array(pd.array(frame[c], dtype="Int32"))
        else:
            cols[c] = pa.array(values.astype(object), type=pa.string(), from_pandas=True)
    return pa.table(cols)


_CODES = ("code", "rk", "bcode", "ucode", "gcode", "tcode", "gself")
# Sorted, so that ordering by code is ordering by name, as the pandas engine does.
MATCHES = tuple(sorted(MATCH_CODES))
REASONS = EXCLUSION_CODES  # already sorted
_PO_COLUMNS = ["billing", "po", "vf", "vt", "rule_id", "to_unit"]


def _po_matches(con, source: ParquetInvoices, po_rules: pd.DataFrame):
    """PO-pattern rules resolved per (billing account, PO reference) pair, or None when a
    pair is matched by rules with different targets valid on a common day (the pandas
    path decides whether a line falls on such a day, and names the rules)."""
    empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in _PO_COLUMNS})
    if not len(po_rules):
        return empty
    con.register(
        "po_accounts",
        pd.DataFrame({"account": po_rules["billing_account"].unique().astype(object)}),
    )
    pairs = con.execute(f"""
        SELECT billing_account AS billing, list(DISTINCT coalesce(po_reference, '')) AS po
        FROM {source.relation()}
        WHERE billing_account IN (SELECT account FROM po_accounts)
        GROUP BY billing_account""").fetchall()
    positions = {}
    for i, acct in enumerate(po_rules["billing_account"]):
        positions.setdefault(acct, []).append(i)
    patterns = po_rules["po_pattern"].to_numpy(dtype=object)
    vf = po_rules["vf"].to_numpy().astype("datetime64[D]")
    vt = po_rules["vt"].to_numpy().astype("datetime64[D]")
    targets = po_rules["to_unit"].to_numpy(dtype=object)
    key_b, key_po, hit = [], [], []
    for billing, refs in pairs:
        searches = [(rule_pattern(patterns[i]).search, i) for i in positions[billing]]
        for po in refs:
            text = po.strip()
            matched = [i for search, i in searches if search(text) is not None]
            if len({targets[i] for i in matched}) > 1 and _overlap(matched, targets, vf, vt):
                return None
            key_b += [billing] * len(matched)
            key_po += [po] * len(matched)
            hit += matched
    if not hit:
        return empty
    spec = po_rules[["pos", "vf", "vt", "rule_id", "to_unit"]].iloc[hit]
    return _intervals(pd.DataFrame({"billing": key_b, "po": key_po}), spec)


def _overlap(matched: list[int], targets, vf, vt) -> bool:
    """Whether two of the matched rules with different targets are valid on a common day."""
    return any(
        targets[a] != targets[b] and vf[a] <= vt[b] and vf[b] <= vt[a]
        for i, a in enumerate(matched)
        for b in matched[i + 1 :]
    )


def _hierarchy_intervals(hierarchy, ic: np.ndarray) -> pd.DataFrame:
    """Per account, the day intervals over which its group stays the same, covering every
    day, with ``ic``: the account or its group is intercompany."""
    groups = hierarchy.groups  # (intervals, accounts)
    starts = hierarchy.starts.astype("datetime64[D]")
    k_count, n = groups.shape
    change = np.ones((k_count, n), dtype=bool)
    change[1:] = groups[1:] != groups[:-1]
    acct, k = np.nonzero(change.T)  # ordered by account, then interval
    nxt = np.append(k[1:], k_count)
    last = np.append(acct[1:] != acct[:-1], True)
    end_k = np.where(last, k_count, nxt)
    vt = np.where(
        end_k >= k_count, _DAY_MAX, starts[np.minimum(end_k, k_count - 1)] - np.timedelta64(1, "D")
    )
    names = hierarchy.accounts.to_numpy(dtype=object)
    grp = groups[k, acct]
    return pd.DataFrame(
        {
            "account": names[acct],
            "vf": starts[k],
            "vt": vt,
            "grp": names[grp],
            "ic": ic[acct] | ic[grp],
        }
    )


def _billing_intervals(accounts: np.ndarray, ic: np.ndarray, rules: pd.DataFrame) -> pd.DataFrame:
    """Per billing account, day intervals covering every day with the billing-account rule
    in force (``rule_id``/``to_unit``, None when none) and ``ic`` (intercompany)."""
    ic_of = dict(zip(accounts, ic, strict=True))
    ruled = set(rules["billing_account"])
    plain = np.array([a not in ruled for a in accounts], dtype=bool)
    parts = [
        pd.DataFrame(
            {
                "billing_account": accounts[plain],
                "vf": _DAY_MIN,
                "vt": _DAY_MAX,
                "rule_id": None,
                "to_unit": None,
                "ic": ic[plain],
            }
        )
    ]
    rows = []
    one = np.timedelta64(1, "D")
    r = rules.sort_values(["billing_account", "vf"])
    vf = r["vf"].to_numpy().astype("datetime64[D]")
    vt = r["vt"].to_numpy().astype("datetime64[D]")
    day, prev = _DAY_MIN, None
    for acct, f, t, rule_id, to in zip(
        r["billing_account"], vf, vt, r["rule_id"], r["to_unit"], strict=True
    ):
        if acct != prev:
            if prev is not None and day is not None:
                rows.append((prev, day, _DAY_MAX, None, None))
            day, prev = _DAY_MIN, acct
        if day is None:
            continue
        if f > day:
            rows.append((acct, day, f - one, None, None))
        rows.append((acct, f, t, rule_id, to))
        day = t + one if t < _DAY_MAX else None
    if prev is not None and day is not None:
        rows.append((prev, day, _DAY_MAX, None, None))
    if rows:
        extra = pd.DataFrame(rows, columns=["billing_account", "vf", "vt", "rule_id", "to_unit"])
        extra["ic"] = extra["billing_account"].map(ic_of).astype(bool)
        parts.append(extra)
    return pd.concat(parts, ignore_index=True)


def cube_tables(
    dataset, hierarchy, rules: pd.DataFrame, statuses=None
) -> dict[str, pd.DataFrame] | None:
    """The cube and ledger tables of :func:`~account_analysis.consolidate.cube.tables_from_lines`,
    computed by DuckDB from the Parquet file; None when the pandas path must decide.

    ``dataset`` holds ``parquet_invoices`` (the loader proved its file clean); ``hierarchy``
    is its :func:`~account_analysis.consolidate.cube.build_hierarchy`, ``rules`` its
    attribution rules through :func:`~account_analysis.consolidate.attribution.classify_rules`;
    ``statuses`` the setting ``status_treatment``. Lines to be flagged are left to the
    pandas path (None when the file holds any).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from account_analysis import load_dataset
    >>> from account_analysis.consolidate.attribution import classify_rules
    >>> from account_analysis.consolidate.cube import build_hierarchy
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text(
    ...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n"
    ...     "U,Unit,3511 CD,NL,G\\n")
    >>> pd.DataFrame({"invoice_id": ["F1", "F2"],
    ...               "invoice_date": pd.to_datetime(["2026-01-05", "2026-02-05"]).date,
    ...               "billing_account": ["U", "G"], "net_amount": [100.0, 20.5]}
    ...              ).to_parquet(folder / "invoices.parquet")
    >>> ds = load_dataset(folder)
    >>> t = cube_tables(ds, build_hierarchy(ds), classify_rules(ds.attribution_rules))
    >>> sorted(t)
    ['cube', 'exclusions', 'flags', 'movements', 'raw']
    >>> t["cube"][["group_at_date", "unit_id", "month", "revenue_cents"]].values.tolist()
    [['G', 'G', '2026-02', 2050], ['G', 'U', '2026-01', 10000]]
    """
    source: ParquetInvoices = dataset.parquet_invoices
    con = connect()
    try:
        flagged = statuses_treated(statuses, "flag")
        if flagged and _any_status(con, source, flagged):
            return None  # the pandas path counts and flags them
        excluded = statuses_treated(statuses, "exclude")
        return _cube_tables(con, source, dataset, hierarchy, rules, excluded)
    finally:
        con.close()


def _any_status(con, source, statuses: tuple[str, ...]) -> bool:
    """Whether any line of the file has one of ``statuses``."""
    found = con.execute(
        f"SELECT count(*) FROM {source.relation()} WHERE status IN (SELECT unnest($s))",
        {"s": list(statuses)},
    ).fetchall()
    return bool(found[0][0])


def _cube_tables(con, source, dataset, hierarchy, rules, excluded=()):
    rules = rules.assign(pos=np.arange(len(rules)))
    spec = ["pos", "vf", "vt", "rule_id", "to_unit"]
    po = _po_matches(con, source, rules[rules["kind"] == "po"])
    if po is None:
        return None
    by_kind = {k: rules[rules["kind"] == k] for k in ("invoice", "service_line", "account")}
    accounts = hierarchy.accounts.to_numpy(dtype=object)
    ic = np.zeros(len(accounts), dtype=bool)
    flags = dataset.accounts["intercompany"].fillna(False).astype(bool).to_numpy()
    ic[hierarchy.accounts.get_indexer(dataset.accounts["account_id"].to_numpy(dtype=object))] = (
        flags
    )
    tables = {
        "r_invoice": _intervals(by_kind["invoice"][["invoice_id"]], by_kind["invoice"][spec]),
        "r_po": po,
        "r_service": _intervals(
            by_kind["service_line"][["billing_account", "service_line"]],
            by_kind["service_line"][spec],
        ),
        "bill": _billing_intervals(
            accounts,
            ic,
            _intervals(by_kind["account"][["billing_account"]], by_kind["account"][spec]),
        ),
        "hier": _hierarchy_intervals(hierarchy, ic),
    }
    # Accounts and rules as integer codes in lexical order: the aggregation groups on
    # integers, and the output is decoded (and ordered) through small name tables.
    names = pd.Index(np.sort(accounts))
    rule_names = pd.Index(np.sort(rules["rule_id"].to_numpy(dtype=object)))
    for name in ("r_invoice", "r_po", "r_service", "bill"):
        t = tables[name]
        rank = rule_names.get_indexer(t["rule_id"].to_numpy(dtype=object)) + 1
        tables[name] = (
            t.assign(rk=np.where(t["rule_id"].isna().to_numpy(), -1, rank))
            .astype({"rk": "Int32"})
            .replace({"rk": {-1: pd.NA}})
        )
        target = names.get_indexer(t["to_unit"].to_numpy(dtype=object))
        tcode = pd.array(target, dtype="Int32")
        tcode[target < 0] = pd.NA
        tables[name] = tables[name].assign(tcode=tcode)
    hier = tables["hier"].assign(
        ucode=names.get_indexer(tables["hier"]["account"].to_numpy(dtype=object)),
        gcode=names.get_indexer(tables["hier"]["grp"].to_numpy(dtype=object)),
    )
    tables["hier"] = hier[["ucode", "vf", "vt", "gcode", "ic"]]
    # Billing intervals split where the billing account's own group changes, with that
    # group (gself) and its intercompany flag (icself): a line that stays on its billing
    # account needs no join on the hierarchy.
    bill = tables["bill"].assign(
        bcode=names.get_indexer(tables["bill"]["billing_account"].to_numpy(dtype=object))
    )
    both = bill.merge(
        hier[["ucode", "vf", "vt", "gcode", "ic"]].rename(
            columns={"ucode": "bcode", "vf": "hvf", "vt": "hvt", "gcode": "gself", "ic": "icself"}
        ),
        on="bcode",
    )
    vf = np.maximum(
        both["vf"].to_numpy().astype("datetime64[D]"),
        both["hvf"].to_numpy().astype("datetime64[D]"),
    )
    vt = np.minimum(
        both["vt"].to_numpy().astype("datetime64[D]"),
        both["hvt"].to_numpy().astype("datetime64[D]"),
    )
    tables["bill"] = both.assign(vf=vf, vt=vt)[vf <= vt][
        ["billing_account", "vf", "vt", "rk", "tcode", "ic", "bcode", "gself", "icself"]
    ]
    tables["ord_codes"] = pd.DataFrame({"name": sorted(source.ordering_units)})
    tables["ord_codes"]["code"] = names.get_indexer(
        tables["ord_codes"]["name"].to_numpy(dtype=object)
    )
    # FX rates as exact fractions (consolidate.exact_rate, as the pandas path takes them),
    # found through a map "<month number> <currency>" -> position, for foreign lines only
    # (a join would probe every line); passed as parameters. A rate whose fraction does not
    # fit in 62 bits: the pandas path converts (in Python integers).
    from ..consolidate.fx import exact_rate

    fx = dataset.fx_rates
    m0 = source.months[0]
    fx_months = [int(t[:4]) * 12 + int(t[5:7]) - 1 - m0 for t in fx["month"].astype(str)]
    fx_keys = [
        f"{mi} {cur}"
        for mi, cur in zip(fx_months, fx["currency"].to_numpy(dtype=object), strict=True)
    ]
    fractions = [exact_rate(r) for r in fx["rate"].to_numpy(dtype="float64")]
    if any(abs(n) >= 2**62 or d >= 2**62 for n, d in fractions):
        return None
    for name, frame in tables.items():
        con.register(name, _arrow(frame))
    # Joins with an empty side are left out (their columns are NULL).
    joins, cols = [], {}
    optional = {
        "ri": ("r_invoice", "ri.invoice_id = l.invoice_id", len(tables["r_invoice"])),
        "rp": ("r_po", "rp.billing = l.billing AND rp.po = l.po", len(po)),
        "rs": (
            "r_service",
            "rs.billing_account = l.billing AND rs.service_line = l.svc",
            len(tables["r_service"]),
        ),
    }
    for alias, (table, on, present) in optional.items():
        if present:
            dated = f" AND l.day BETWEEN {alias}.vf AND {alias}.vt"
            joins.append(f"LEFT JOIN {table} {alias} ON {on}{dated}")
        for c in ("rk", "tcode"):
            cols[f"{alias}.{c}"] = f"{alias}.{c}" if present else "NULL"
    c = cols.get

    def m(match: str) -> int:
        return MATCHES.index(match)

    # Every key as an integer code in lexical order (accounts, rules, match kinds, reasons,
    # service lines, account managers; months counted from the first), packed into two
    # integers: k1 = the cube's key (group, unit, month, service line, account manager) in
    # the cube's order, k2 = reason, rule, match kind and billing account. One aggregate on
    # the two, kept in DuckDB, from which the four tables are summed, decoded and ordered.
    import duckdb
    import pyarrow as pa

    n_acc, n_rk, n_match = len(names), len(rule_names) + 1, len(MATCHES)
    m0, m1 = source.months
    dims1 = (n_acc, n_acc, m1 - m0 + 1, len(source.service_lines), len(source.account_managers))
    dims2 = (len(REASONS), n_rk, n_match, n_acc)
    if max(np.prod(np.array(dims1, dtype=float)), np.prod(np.array(dims2, dtype=float))) >= 2.0**62:
        return None  # too many combinations to pack into 64 bits: the pandas path decides
    for col, values in (("svc", source.service_lines), ("am", source.account_managers)):
        con.register(
            f"{col}_codes",
            pa.table(
                {
                    "name": pa.array(values, type=pa.string()),
                    "code": pa.array(range(len(values)), type=pa.int64()),
                }
            ),
        )
    # An excluded doubtful status: its reason code (literals of our own list, not data).
    status_case = (
        " ".join(f"WHEN status = '{s}' THEN {REASONS.index(STATUS_CODES[s])}" for s in excluded)
        or "WHEN false THEN 0"
    )
    main = f"""
      WITH l AS (
        SELECT invoice_id, invoice_date AS day,
          year(invoice_date) * 12 + month(invoice_date) - 1 - {m0} AS mi,
          billing_account AS billing, ordering_unit AS ordering,
          coalesce(service_line, '') AS svc, coalesce(account_manager, '') AS am,
          coalesce(status, '') = '{CANCELLED}' AS cancelled,
          CASE {status_case} ELSE 0 END AS status_reason,
          coalesce(nullif(currency, ''), $rc) AS cur, coalesce(po_reference, '') AS po,
          round_even(net_amount * 100, 0)::BIGINT AS cents
        FROM {source.relation()}
      ), a AS (
        SELECT l.day, l.mi, l.cancelled, l.status_reason, b.ic AS ic_billing,
          sc.code AS sc, ac.code AS ac,
          CASE WHEN l.cur = $rc THEN l.cents
               ELSE fx_even(l.cents, map_extract(MAP($fx_keys::VARCHAR[],
                 range(1, len($fx_keys::VARCHAR[]) + 1)), l.mi || ' ' || l.cur)[1]) END
            AS cents,
          coalesce({c("ri.tcode")}, {c("rp.tcode")}, {c("rs.tcode")}, b.tcode,
                   CASE WHEN o.code <> b.bcode THEN o.code END) AS unit,
          coalesce({c("ri.rk")}, {c("rp.rk")}, {c("rs.rk")}, b.rk, 0) AS rk,
          CASE WHEN {c("ri.rk")} IS NOT NULL THEN {m("invoice")}
               WHEN {c("rp.rk")} IS NOT NULL THEN {m("po")}
               WHEN {c("rs.rk")} IS NOT NULL THEN {m("service_line")}
               WHEN b.rk IS NOT NULL THEN {m("account")}
               WHEN o.code <> b.bcode THEN {m("ordering_unit")}
               ELSE {m("")} END AS match, b.bcode, b.gself, b.icself
        FROM l
        JOIN bill b ON b.billing_account = l.billing AND l.day BETWEEN b.vf AND b.vt
        JOIN svc_codes sc ON sc.name = l.svc
        JOIN am_codes ac ON ac.name = l.am
        LEFT JOIN ord_codes o ON o.name = l.ordering
        {chr(10).join(joins)}
      ), u AS (  -- lines moved off their billing account: the group of their unit
        SELECT a.*, coalesce(a.unit, a.bcode) AS ucode,
          CASE WHEN a.unit IS NULL THEN a.gself ELSE h.gcode END AS gcode,
          CASE WHEN a.unit IS NULL THEN a.icself ELSE h.ic END AS ic_unit
        FROM a LEFT JOIN hier h ON h.ucode = a.unit AND a.day BETWEEN h.vf AND h.vt
      )
      SELECT ((((u.gcode::BIGINT * {dims1[1]} + u.ucode) * {dims1[2]} + u.mi) * {dims1[3]}
               + u.sc) * {dims1[4]} + u.ac) AS k1,
        ((CASE WHEN u.cancelled THEN {REASONS.index("cancelled")}
               WHEN u.status_reason > 0 THEN u.status_reason
               WHEN u.ic_billing OR u.ic_unit THEN {REASONS.index("intercompany")}
               ELSE 0 END::BIGINT * {n_rk} + u.rk) * {n_match} + u.match) * {n_acc} + u.bcode
          AS k2,
        sum(u.cents)::BIGINT AS cents, count(*) AS n
      FROM u
      GROUP BY ALL
      """
    # A foreign line's cents: cents × num / den of its rate (list position i), exact in
    # 128-bit integers, rounded half to even (on the magnitude: the rule is symmetric).
    num = ", ".join(str(n) for n, _ in fractions) or "0"
    den = ", ".join(str(d) for _, d in fractions) or "1"
    con.execute(f"CREATE TEMP MACRO fx_num(i) AS ([{num}]::BIGINT[])[i]::HUGEINT")
    con.execute(f"CREATE TEMP MACRO fx_den(i) AS ([{den}]::BIGINT[])[i]::HUGEINT")
    con.execute(
        "CREATE TEMP MACRO half_even(p, d) AS (abs(p) // d + CASE WHEN "
        "2 * (abs(p) % d) > d OR (2 * (abs(p) % d) = d AND (abs(p) // d) % 2 = 1) "
        "THEN 1 ELSE 0 END) * sign(p)"
    )
    con.execute(
        "CREATE TEMP MACRO fx_even(c, i) AS half_even(c::HUGEINT * fx_num(i), fx_den(i))::BIGINT"
    )
    # The aggregate stays in DuckDB; each table is fetched once as Arrow.
    try:
        con.execute(
            f"CREATE TEMP TABLE agg AS {main}",
            {"rc": dataset.reporting_currency, "fx_keys": fx_keys},
        )
    except (duckdb.ConversionException, duckdb.OutOfRangeException):
        return None  # a converted amount beyond 64 bits: the pandas path names the line
    # Each table summed, decoded (joins on small code -> name tables) and ordered by
    # DuckDB: codes are in lexical order, so ordering by codes is ordering by name.
    text = {
        "acc": names.to_numpy(dtype=object),
        "rule": ["", *rule_names.to_numpy(dtype=object)],
        "match": MATCHES,
        "reason": REASONS,
        "svc": source.service_lines,
        "am": source.account_managers,
        "month": [f"{(m0 + i) // 12:04d}-{(m0 + i) % 12 + 1:02d}" for i in range(dims1[2])],
    }
    for label, values in text.items():
        con.register(
            f"n_{label}",
            pa.table(
                {
                    "code": pa.array(range(len(values)), type=pa.int32()),
                    "name": pa.array(list(values), type=pa.string()),
                }
            ),
        )
    k1 = dict(zip(("g", "u", "mi", "sc", "ac"), _parts("k1", dims1), strict=True))
    k2 = dict(zip(("reason", "rk", "mk", "b"), _parts("k2", dims2), strict=True))
    keep = f"k2 < {int(np.prod(dims2[1:]))}"  # reason "" (the most significant part)
    sums = "sum(cents)::BIGINT AS revenue_cents, sum(n)::BIGINT AS lines"

    def fetch(columns: dict, sql: str, order: str) -> pd.DataFrame:
        """``columns``: output name -> (code column of ``sql``, name table)."""
        select = ", ".join(f"j{i}.name AS {out}" for i, out in enumerate(columns))
        joins = " ".join(
            f"JOIN n_{table} j{i} ON j{i}.code = t.{code}"
            for i, (code, table) in enumerate(columns.values())
        )
        rel = con.sql(
            f"SELECT {select}, t.revenue_cents, t.lines FROM ({sql}) t {joins} ORDER BY {order}"
        )
        to_table = getattr(rel, "to_arrow_table", None) or rel.arrow  # DuckDB 2.x / 1.x
        return _to_pandas(to_table())

    out = {
        "cube": fetch(
            {
                "group_at_date": ("g", "acc"),
                "unit_id": ("u", "acc"),
                "month": ("mi", "month"),
                "service_line": ("sc", "svc"),
                "account_manager": ("ac", "am"),
            },
            f"SELECT k1, {', '.join(f'{v}::INTEGER AS {k}' for k, v in k1.items())}, {sums} "
            f"FROM agg WHERE {keep} GROUP BY k1",
            "t.k1",
        )
    }
    out["movements"] = fetch(
        {
            "rule_id": ("rk", "rule"),
            "match": ("mk", "match"),
            "from_account": ("b", "acc"),
            "to_unit": ("u", "acc"),
            "to_group": ("g", "acc"),
            "month": ("mi", "month"),
        },
        f"SELECT {k2['rk']}::INTEGER AS rk, {k2['mk']}::INTEGER AS mk, "
        f"{k2['b']}::INTEGER AS b, {k1['u']}::INTEGER AS u, {k1['g']}::INTEGER AS g, "
        f"{k1['mi']}::INTEGER AS mi, {sums} FROM agg "
        f"WHERE {keep} AND {k2['mk']} <> {m('')} GROUP BY ALL",
        "rk, mk, b, u, g, mi",
    )
    out["exclusions"] = fetch(
        {"reason": ("r", "reason"), "account_id": ("b", "acc"), "month": ("mi", "month")},
        f"SELECT {k2['reason']}::INTEGER AS r, {k2['b']}::INTEGER AS b, "
        f"{k1['mi']}::INTEGER AS mi, {sums} FROM agg WHERE NOT ({keep}) GROUP BY ALL",
        "r, b, mi",
    )
    out["raw"] = fetch(
        {"month": ("mi", "month")},
        f"SELECT {k1['mi']}::INTEGER AS mi, {sums} FROM agg GROUP BY ALL",
        "mi",
    )
    out["flags"] = no_flags()  # flagged lines are left to the pandas path
    con.execute("DROP TABLE agg")
    return out


def _parts(key: str, dims: tuple) -> list[str]:
    """SQL for the codes packed mixed-radix into ``key`` (the first dimension most
    significant)."""
    out = []
    for i, d in enumerate(dims):
        below = int(np.prod(dims[i + 1 :], dtype=object)) if i + 1 < len(dims) else 1
        part = key if below == 1 else f"({key} // {below})"
        out.append(part if i == 0 else f"({part} % {d})")
    return out


def _to_pandas(table) -> pd.DataFrame:
    import pyarrow as pa

    text = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str"
    mapping = {pa.string(): text, pa.large_string(): text, pa.string_view(): text}
    return table.to_pandas(types_mapper=mapping.get)
