"""Generate a large, contract-valid dataset for the cube benchmark (``bench_cube.py``).

Default size: 5,000,000 invoice lines over 36 months (2023-10 .. 2026-09), 50,000 accounts
in a forest up to 5 levels deep (many single accounts, a few deep groups), 2,000 attribution
rules of the four kinds, a few effective-dated parent links, monthly GBP and USD rates.

Files written into the folder (the data contract of :mod:`account_analysis.load.schema`):

* ``invoices.parquet``: typed columns; ``invoice_date`` is a Parquet DATE (``--date-type
  timestamp`` writes ``timestamp[ms]`` instead), ``net_amount`` float64 rounded to cents,
  ``line_no`` int32, the rest strings (missing optional values are null).
* ``accounts.parquet``: ``intercompany`` is a boolean column.
* ``attribution_rules.csv``, ``parent_links.csv``, ``fx_rates.csv``.
* ``.bench-dataset.json``: written last; records the parameters and a hash of this script.
  A folder whose marker matches both is reused as it is (generation is skipped).

Everything is vectorised (numpy, pyarrow.compute); the output depends only on the
parameters and ``seed``. Keep the folder outside the git work tree, or under ``data/``
(git-ignored)::

    .venv/bin/python benchmarks/gen_large.py [FOLDER] [--lines 5000000] [--seed 1]

Without FOLDER the data goes to ``$TMPDIR/account_analysis-bench/<parameters>/``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

GENERATOR_VERSION = 1
MARKER = ".bench-dataset.json"
DEFAULT_SEED = 20260930
N_MONTHS = 36
FIRST_DAY = np.datetime64("2023-10-01", "D")
LAST_DAY = np.datetime64("2026-09-30", "D")
SERVICE_LINES = ("Onderhoud", "Installatie", "Storingsdienst", "Projecten", "Advies", "Beveiliging")
SERVICE_P = (0.34, 0.20, 0.16, 0.12, 0.10, 0.08)
SECTORS = ("Zorg", "Logistiek", "Bouw", "Onderwijs", "Overheid", "Retail", "Industrie", "Vastgoed")
N_MANAGERS = 20
# Tree shape inside a group: position p (0 = root) is at the level whose [LO, HI) range
# holds p; its parent is a random node of the level above. Level 4 is the deepest: a group
# of 64 accounts or more spans 5 levels.
LEVEL_LO = np.array([0, 1, 4, 16, 64])
LEVEL_HI = np.array([1, 4, 16, 64, np.iinfo(np.int64).max])
# An edit of this file invalidates datasets it generated before.
_CODE_HASH = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
FILES = (
    "invoices.parquet",
    "accounts.parquet",
    "attribution_rules.csv",
    "parent_links.csv",
    "fx_rates.csv",
)


def default_folder(**params) -> Path:
    p = _params(**params)
    name = (
        f"lines{p['n_lines']}-acc{p['n_accounts']}-rules{p['n_rules']}"
        f"-seed{p['seed']}-{p['date_type']}-v{GENERATOR_VERSION}"
    )
    return Path(tempfile.gettempdir()) / "account_analysis-bench" / name


def _params(
    n_lines=5_000_000, n_accounts=50_000, n_rules=2_000, seed=DEFAULT_SEED, date_type="date"
) -> dict:
    if date_type not in ("date", "timestamp"):
        raise ValueError(f"date_type must be 'date' or 'timestamp', not {date_type!r}")
    return {
        "n_lines": int(n_lines),
        "n_accounts": int(n_accounts),
        "n_rules": int(n_rules),
        "seed": int(seed),
        "date_type": date_type,
        "version": GENERATOR_VERSION,
        "code": _CODE_HASH,
    }


def is_complete(folder: str | Path, **params) -> bool:
    """True when ``folder`` holds a finished dataset generated with these parameters."""
    marker = Path(folder) / MARKER
    if not marker.is_file():
        return False
    try:
        meta = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if meta.get("params") != _params(**params):
        return False
    sizes = meta.get("sizes", {})
    return all(
        (Path(folder) / f).is_file() and (Path(folder) / f).stat().st_size == sizes.get(f)
        for f in FILES
    )


# --------------------------------------------------------------------------- helpers


def _digits(values: np.ndarray, width: int) -> pa.Array:
    """Non-negative integers as zero-padded text."""
    return pc.utf8_lpad(pc.cast(pa.array(values, pa.int64()), pa.string()), width, "0")


def _concat(*parts) -> pa.Array:
    """Element-wise concatenation of string arrays and scalars."""
    return pc.binary_join_element_wise(*parts, "")


def _run_positions(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For runs of the given sizes laid end to end: run index and position in the run."""
    run = np.repeat(np.arange(len(sizes)), sizes)
    starts = np.cumsum(sizes) - sizes
    return run, np.arange(len(run)) - starts[run]


def _sizes_summing_to(rng, total: int, draw, first=()) -> np.ndarray:
    """Sizes from ``draw(rng, k)`` (each ≥ 1), ``first`` in front, cut to sum exactly to total."""
    parts = [np.asarray(first, dtype=np.int64)]
    have = int(parts[0].sum())
    while have < total:
        more = draw(rng, max(1024, (total - have) // 2)).astype(np.int64)
        parts.append(more)
        have += int(more.sum())
    sizes = np.concatenate(parts)
    cum = np.cumsum(sizes)
    k = int(np.searchsorted(cum, total)) + 1
    sizes = sizes[:k].copy()
    sizes[-1] -= int(cum[k - 1] - total)
    return sizes[sizes > 0]


# --------------------------------------------------------------------------- accounts


def _forest(rng, n_accounts: int) -> dict[str, np.ndarray]:
    """Groups as consecutive node ranges: parent node (-1 for roots), level, group."""
    n_single = int(n_accounts * 0.62)
    big = [
        s
        for s in (2_000, 900, 400, 250, 150, 120, 100, 80, 70, 64)
        if s * 4 < n_accounts - n_single
    ]
    n_grouped = n_accounts - n_single
    grouped = _sizes_summing_to(
        rng,
        n_grouped,
        lambda r, k: np.minimum(2 + np.floor(r.lognormal(0.6, 1.0, k)), 60),
        first=big,
    )
    if grouped[-1] == 1:  # a one-account remainder is a single account
        grouped = grouped[:-1]
    sizes = np.concatenate([grouped, np.ones(n_accounts - int(grouped.sum()), np.int64)])
    group, pos = _run_positions(sizes)
    level = np.searchsorted(LEVEL_LO, pos, side="right") - 1
    starts = np.cumsum(sizes) - sizes
    parent = np.full(n_accounts, -1, dtype=np.int64)
    below = level > 0
    lo = LEVEL_LO[level[below] - 1]
    hi = LEVEL_HI[level[below] - 1]
    parent[below] = (
        starts[group[below]]
        + lo
        + np.floor(rng.random(int(below.sum())) * (hi - lo)).astype(np.int64)
    )
    return {"parent": parent, "level": level, "group": group, "sizes": sizes, "starts": starts}


def _accounts(rng, n_accounts: int) -> tuple[pa.Table, dict]:
    f = _forest(rng, n_accounts)
    # Account numbers are handed out in no particular order, as in a real customer master.
    number = 100_000 + rng.permutation(n_accounts)
    ids = _concat("C", _digits(number, 6))
    parent = f["parent"]
    parent_ids = pc.if_else(pa.array(parent >= 0), ids.take(pa.array(np.maximum(parent, 0))), "")
    letters = np.array(list("ABCEGHJKLMNPRSTVWXZ"))
    postcode = _concat(
        _digits(rng.integers(1000, 10000, n_accounts), 4),
        " ",
        pa.array(letters[rng.integers(0, len(letters), n_accounts)]),
        pa.array(letters[rng.integers(0, len(letters), n_accounts)]),
    )
    kinds = np.array([" B.V.", " Holding B.V.", " Groep N.V.", " Vestiging"])
    kind = np.where(
        parent < 0, np.where(f["sizes"][f["group"]] > 1, 1, 0), np.where(f["level"] == 1, 2, 3)
    )
    names = _concat("Klant ", _digits(number - 100_000, 5), pa.array(kinds[kind]))
    sector = np.array(SECTORS)[rng.integers(0, len(SECTORS), len(f["sizes"]))][f["group"]]
    singles = np.flatnonzero(f["sizes"][f["group"]] == 1)
    intercompany = np.zeros(n_accounts, dtype=bool)
    intercompany[rng.choice(singles, size=min(5, len(singles)), replace=False)] = True
    table = pa.table(
        {
            "account_id": ids,
            "name": names,
            "postcode": postcode,
            "country": pa.array(np.full(n_accounts, "NL")),
            "parent_id": parent_ids,
            "lei": pa.array(np.full(n_accounts, "")),
            "sector": pa.array(sector),
            "intercompany": pa.array(intercompany),
        }
    )
    f["ids"] = ids
    f["number"] = number
    f["intercompany"] = intercompany
    return table, f


def _some_child(parent: np.ndarray) -> np.ndarray:
    """For each node one of its children (-1 when it has none)."""
    child = np.full(len(parent), -1, dtype=np.int64)
    has = parent >= 0
    child[parent[has]] = np.flatnonzero(has)
    return child


def _other_unit(rng, f: dict, nodes: np.ndarray) -> np.ndarray:
    """A unit to attribute lines of ``nodes`` to: a child, else another group member, else
    any other account (a purchasing cooperative paying for someone else)."""
    out = _some_child(f["parent"])[nodes]
    size = f["sizes"][f["group"][nodes]]
    sibling = f["starts"][f["group"][nodes]] + np.floor(rng.random(len(nodes)) * size).astype(
        np.int64
    )
    sibling = np.where(
        sibling == nodes,
        f["starts"][f["group"][nodes]] + ((sibling - f["starts"][f["group"][nodes]] + 1) % size),
        sibling,
    )
    out = np.where((out < 0) & (size > 1), sibling, out)
    anyone = (nodes + 1 + rng.integers(0, len(f["parent"]) - 1, len(nodes))) % len(f["parent"])
    return np.where(out < 0, anyone, out)


# --------------------------------------------------------------------------- invoices


def _invoices(rng, n_lines: int, f: dict, date_type: str) -> tuple[pa.Table, dict]:
    n_accounts = len(f["parent"])
    sizes = _sizes_summing_to(rng, n_lines, lambda r, k: np.minimum(r.geometric(0.25, k), 60))
    n_inv = len(sizes)
    # Billing accounts: heavy-tailed volume; intercompany accounts bill a little too.
    weight = rng.lognormal(0.0, 1.6, n_accounts)
    account = rng.choice(n_accounts, size=n_inv, p=weight / weight.sum())
    days = np.arange(FIRST_DAY, LAST_DAY + 1)
    workdays = days[((days.astype("datetime64[D]").view("int64") - 4) % 7) < 5]
    # Mild growth over the 36 months.
    growth = 1.0 + 0.25 * np.linspace(0.0, 1.0, len(workdays))
    date = workdays[rng.choice(len(workdays), size=n_inv, p=growth / growth.sum())]
    order = np.lexsort((account, date))  # an export sorted by date
    account, date = account[order], date[order]
    year = date.astype("datetime64[Y]").astype(np.int64) + 1970
    first_of_year = np.searchsorted(year, year, side="left")
    seq = np.arange(n_inv) - first_of_year + 1
    invoice_id = _concat("F", pc.cast(pa.array(year), pa.string()), "-", _digits(seq, 7))
    u = rng.random(n_inv)
    currency = np.where(u < 0.005, "GBP", np.where(u < 0.010, "USD", "EUR"))
    s = rng.random(n_inv)
    status = np.where(s < 0.01, "cancelled", np.where(date < LAST_DAY - 60, "paid", "posted"))
    status = np.where((s >= 0.01) & (s < 0.30) & (date < LAST_DAY - 60), "posted", status)
    # PO references: PO-<code>-<number>; each account uses up to three codes (sites), which
    # the po_pattern rules match (^PO-0042-). Some quote a cost centre instead, most nothing.
    code = (f["number"][account] * 3 + rng.integers(0, 3, n_inv)) % 10_000
    p = rng.random(n_inv)
    po = _concat("PO-", _digits(code, 4), "-", _digits(rng.integers(0, 1_000_000, n_inv), 6))
    kst = _concat("KST-", _digits(rng.integers(0, 10_000, n_inv), 4))
    po = pc.if_else(
        pa.array(p < 0.45), po, pc.if_else(pa.array(p < 0.55), kst, pa.scalar(None, pa.string()))
    )
    manager = _concat("AM", _digits(1 + (f["number"] % N_MANAGERS), 2))

    inv, line_no = _run_positions(sizes)
    idx = pa.array(inv)
    line_account = account[inv]
    # Lines: amounts log-normal around EUR 700, about 2% credit lines.
    amount = rng.lognormal(6.3, 1.1, n_lines)
    amount = np.where(rng.random(n_lines) < 0.02, -amount, amount)
    amount = np.round(amount * 100.0) / 100.0
    service = np.array(SERVICE_LINES)[rng.choice(len(SERVICE_LINES), size=n_lines, p=SERVICE_P)]
    # Some lines (8% of those billed to an account with units, ~1% of all) name the unit that
    # placed the order: a child of the billing account.
    child = _some_child(f["parent"])[line_account]
    ordering = pc.if_else(
        pa.array((child >= 0) & (rng.random(n_lines) < 0.08)),
        f["ids"].take(pa.array(np.maximum(child, 0))),
        pa.scalar(None, pa.string()),
    )
    line_date = date[inv]
    if date_type == "date":
        date_arr = pa.array(line_date.astype("datetime64[D]"), pa.date32())
    else:
        date_arr = pa.array(line_date.astype("datetime64[ms]"), pa.timestamp("ms"))
    table = pa.table(
        {
            "invoice_id": invoice_id.take(idx),
            "line_no": pa.array((line_no + 1).astype(np.int32)),
            "invoice_date": date_arr,
            "billing_account": f["ids"].take(pa.array(line_account)),
            "net_amount": pa.array(amount),
            "currency": pa.array(currency).take(idx),
            "ordering_unit": ordering,
            "service_line": pa.array(service),
            "account_manager": manager.take(pa.array(line_account)),
            "status": pa.array(status).take(idx),
            "po_reference": po.take(idx),
        }
    )
    facts = {
        "invoice_id": invoice_id,
        "account": account,
        "date": date,
        "code_base": f["number"] * 3,
        "lines_per_account": np.bincount(line_account, minlength=n_accounts),
    }
    return table, facts


# --------------------------------------------------------------------------- rules & co


def _rules(rng, n_rules: int, f: dict, facts: dict) -> pd.DataFrame:
    """The four kinds of rule; never two of the same kind for the same key."""
    ids = np.asarray(f["ids"].to_numpy(zero_copy_only=False), dtype=object)
    n_inv = len(facts["account"])
    n_kind = np.array([0.20, 0.30, 0.25, 0.25]) * n_rules
    n_kind = np.floor(n_kind).astype(int)
    n_kind[1] += n_rules - int(n_kind.sum())
    n_id, n_ba, n_sl, n_po = (int(k) for k in n_kind)
    # Billing accounts with rules: drawn by volume (sqrt, so not only the very largest).
    lines = facts["lines_per_account"].astype(float)
    active = np.flatnonzero(lines > 0)
    w = np.sqrt(lines[active])
    w /= w.sum()

    def accounts(k: int) -> np.ndarray:
        return active[rng.choice(len(active), size=min(k, len(active)), replace=False, p=w)]

    rows = []
    inv = rng.choice(n_inv, size=min(n_id, n_inv), replace=False)
    inv_account = facts["account"][inv]
    rows.append(
        pd.DataFrame(
            {
                "kind": "invoice",
                "node": inv_account,
                "invoice_id": np.asarray(
                    facts["invoice_id"].take(pa.array(inv)).to_numpy(zero_copy_only=False),
                    dtype=object,
                ),
                "billing_account": "",
                "service_line": "",
                "po_pattern": "",
            }
        )
    )
    ba = accounts(n_ba)
    rows.append(
        pd.DataFrame(
            {
                "kind": "account",
                "node": ba,
                "invoice_id": "",
                "billing_account": ids[ba],
                "service_line": "",
                "po_pattern": "",
            }
        )
    )
    sl = accounts(n_sl)
    rows.append(
        pd.DataFrame(
            {
                "kind": "service",
                "node": sl,
                "invoice_id": "",
                "billing_account": ids[sl],
                "service_line": np.array(SERVICE_LINES)[
                    rng.integers(0, len(SERVICE_LINES), len(sl))
                ],
                "po_pattern": "",
            }
        )
    )
    po = accounts(n_po)
    code = (facts["code_base"][po] + rng.integers(0, 3, len(po))) % 10_000
    rows.append(
        pd.DataFrame(
            {
                "kind": "po",
                "node": po,
                "invoice_id": "",
                "billing_account": ids[po],
                "service_line": "",
                "po_pattern": np.array([f"^PO-{c:04d}-" for c in code], dtype=object),
            }
        )
    )
    rules = pd.concat(rows, ignore_index=True)
    to = _other_unit(rng, f, rules["node"].to_numpy())
    rules["to_unit"] = ids[to]
    # About a fifth of the non-invoice rules hold for part of the period only.
    n = len(rules)
    months = (np.datetime64("2023-10", "M") + rng.integers(1, N_MONTHS, n)).astype("datetime64[D]")
    dated = (rules["kind"] != "invoice").to_numpy() & (rng.random(n) < 0.2)
    ends = rng.random(n) < 0.5
    valid_from = np.where(dated, np.datetime_as_string(months), "")
    until = (months + rng.integers(90, 500, n)).astype("datetime64[D]")
    valid_to = np.where(dated & ends & (until < LAST_DAY), np.datetime_as_string(until), "")
    what = {
        "invoice": "Invoice ordered by ",
        "account": "Orders placed by ",
        "service": "Service-line orders of ",
        "po": "PO-coded site orders of ",
    }
    reason = [
        what[k] + t + " via the invoice address"
        for k, t in zip(rules["kind"], rules["to_unit"], strict=True)
    ]
    order = rng.permutation(n)
    out = pd.DataFrame(
        {
            "rule_id": [f"R{i:05d}" for i in range(1, n + 1)],
            "to_unit": rules["to_unit"].to_numpy()[order],
            "reason": np.array(reason, dtype=object)[order],
            "invoice_id": rules["invoice_id"].to_numpy()[order],
            "billing_account": rules["billing_account"].to_numpy()[order],
            "service_line": rules["service_line"].to_numpy()[order],
            "po_pattern": rules["po_pattern"].to_numpy()[order],
            "valid_from": valid_from[order],
            "valid_to": valid_to[order],
        }
    )
    return out


def _parent_links(rng, f: dict, n_links: int) -> pd.DataFrame:
    """Acquisitions: single, top-level accounts that join a group on a date."""
    ids = np.asarray(f["ids"].to_numpy(zero_copy_only=False), dtype=object)
    single = np.flatnonzero((f["sizes"][f["group"]] == 1) & ~f["intercompany"])
    target = np.flatnonzero((f["sizes"][f["group"]] > 1) & (f["level"] <= 3))
    n_links = min(n_links, len(single), len(target))
    sub = rng.choice(single, size=n_links, replace=False)
    par = rng.choice(target, size=n_links, replace=False)
    start = (np.datetime64("2024-01", "M") + rng.integers(0, 30, n_links)).astype("datetime64[D]")
    return pd.DataFrame(
        {
            "account_id": ids[sub],
            "parent_id": ids[par],
            "valid_from": np.datetime_as_string(start),
            "valid_to": "",
            "reason": [f"Acquired by {ids[p]}" for p in par],
        }
    )


def _fx_rates(rng) -> pd.DataFrame:
    months = np.arange(np.datetime64("2023-10", "M"), np.datetime64("2023-10", "M") + N_MONTHS)
    rows = []
    for cur, start, step in (("GBP", 1.1530, 0.0055), ("USD", 0.9450, 0.0085)):
        path = start + np.cumsum(np.r_[0.0, rng.normal(0.0, step, N_MONTHS - 1)])
        rows.append(
            pd.DataFrame(
                {
                    "month": np.datetime_as_string(months),
                    "currency": cur,
                    "rate": [f"{r:.4f}" for r in path],
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


# --------------------------------------------------------------------------- entry point


def generate(
    folder: str | Path,
    n_lines: int = 5_000_000,
    n_accounts: int = 50_000,
    n_rules: int = 2_000,
    seed: int = DEFAULT_SEED,
    date_type: str = "date",
    force: bool = False,
    verbose: bool = False,
) -> dict:
    """Write the dataset into ``folder`` (created) unless it already holds it.

    Returns the marker's content: parameters, rows per table, file sizes, seconds taken
    (``generated`` False when an existing dataset was reused). Refuses to overwrite a
    folder holding an ``invoices`` file it did not write, unless ``force``.
    """
    params = _params(n_lines, n_accounts, n_rules, seed, date_type)
    out = Path(folder)
    if is_complete(out, **{k: v for k, v in params.items() if k not in ("version", "code")}):
        meta = json.loads((out / MARKER).read_text(encoding="utf-8"))
        return {**meta, "generated": False}
    ours = (out / MARKER).exists()
    foreign = [p.name for p in out.glob("invoices.*")] if out.is_dir() else []
    if foreign and not ours and not force:
        raise FileExistsError(
            f"{out} holds {', '.join(foreign)} that this generator did not "
            "write; pass force=True (--force) to overwrite"
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).unlink(missing_ok=True)
    for stale in out.glob("*.*"):
        if (
            stale.stem in ("invoices", "accounts", "attribution_rules", "parent_links", "fx_rates")
            and stale.name not in FILES
        ):
            stale.unlink()  # e.g. an invoices.csv next to our invoices.parquet
    started = time.perf_counter()
    step = started

    def tick(what: str) -> None:
        nonlocal step
        if verbose:
            now = time.perf_counter()
            print(f"  {what}: {now - step:.1f} s", flush=True)
            step = now

    rng = np.random.default_rng(seed)
    accounts, f = _accounts(rng, n_accounts)
    tick("accounts")
    invoices, facts = _invoices(rng, n_lines, f, date_type)
    tick("invoices")
    rules = _rules(rng, n_rules, f, facts)
    links = _parent_links(rng, f, max(1, n_accounts // 1000))
    fx = _fx_rates(rng)
    tick("rules, links, rates")
    pq.write_table(accounts, out / "accounts.parquet")
    pq.write_table(invoices, out / "invoices.parquet", row_group_size=1_000_000)
    tick("write parquet")
    for frame, name in ((rules, "attribution_rules"), (links, "parent_links"), (fx, "fx_rates")):
        frame.to_csv(out / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
    meta = {
        "params": params,
        "rows": {
            "invoices": invoices.num_rows,
            "accounts": accounts.num_rows,
            "attribution_rules": len(rules),
            "parent_links": len(links),
            "fx_rates": len(fx),
            "invoice_ids": len(facts["account"]),
        },
        "max_depth": int(f["level"].max()) + 1,
        "sizes": {name: (out / name).stat().st_size for name in FILES},
        "seconds": round(time.perf_counter() - started, 2),
    }
    (out / MARKER).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return {**meta, "generated": True}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        help="dataset folder (default: a folder under the temp directory)",
    )
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--rules", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--date-type", choices=("date", "timestamp"), default="date")
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite a folder holding a dataset this script did not write",
    )
    args = parser.parse_args(argv)
    params = dict(
        n_lines=args.lines,
        n_accounts=args.accounts,
        n_rules=args.rules,
        seed=args.seed,
        date_type=args.date_type,
    )
    folder = args.folder or default_folder(**params)
    try:
        meta = generate(folder, **params, force=args.force, verbose=True)
    except FileExistsError as err:
        print(f"gen_large: {err}", file=sys.stderr)
        return 2
    state = f"generated in {meta['seconds']:.1f} s" if meta["generated"] else "reused"
    print(f"{folder}: {state}")
    for name, size in meta["sizes"].items():
        print(f"  {name:24s} {size / 1e6:9.1f} MB")
    print("  rows: " + ", ".join(f"{k} {v:,}" for k, v in meta["rows"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
