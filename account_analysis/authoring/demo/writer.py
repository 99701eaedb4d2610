"""Writing the demo dataset: every table of the data contract and the account plans."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from account_analysis.load.schema import ACCOUNT_PLANS_DIR, TABLES

from . import tables
from .customers import build_customers
from .invoices import simulate_invoices
from .plans import account_plans
from .revenue import calibrate, eur_cents, group_revenue
from .story import read_story
from .timeline import WINDOW_12_FROM, WINDOW_FROM

DEFAULT_SEED = 20260930


def _write_csv(frame: pd.DataFrame, path: Path, table: str, sep: str = ",") -> int:
    expected = TABLES[table].column_names
    if list(frame.columns) != expected:
        raise AssertionError(f"{table}: columns {list(frame.columns)} != {expected}")
    frame.to_csv(path, sep=sep, index=False, lineterminator="\n", encoding="utf-8")
    return len(frame)


def write_demo_dataset(directory: str | Path, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the demo dataset into ``directory`` and return {table name: rows written}.

    The folder is created if needed; files of the same names are overwritten. The content
    depends only on ``seed`` (and the data files): the same seed gives byte-identical files.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    story = read_story()
    rng = np.random.default_rng(seed)
    master = build_customers(rng, story)
    lines, rates = simulate_invoices(rng, master)
    calibrate(lines, master, rates)

    keys = [a.key for a in master.accounts]
    id_list = [f"C{10001 + i}" for i in range(len(keys))]
    ids = dict(zip(keys, id_list, strict=True))
    index = master.index()

    eur24, grp24 = group_revenue(lines, master, rates, WINDOW_FROM)
    eur12, grp12 = group_revenue(lines, master, rates, WINDOW_12_FROM)
    by24 = np.bincount(grp24, eur24, len(keys)) / 100.0
    by12 = np.bincount(grp12, eur12, len(keys)) / 100.0
    acquired = story.other_customers["acquisition"]["account"]["key"]
    tops = [a.key for a in master.accounts if a.parent is None and a.key != acquired]
    rev24 = {k: float(by24[index[k]]) for k in tops}
    rev12 = {k: float(by12[index[k]]) for k in tops}
    account_rev = np.bincount(lines.unit, eur_cents(lines, master, rates), len(keys)) / 100.0

    invoices, invoice_ids = tables.invoices_frame(lines, master, np.array(id_list))
    misaddressed = [str(invoice_ids[i]) for i in lines.misaddressed]
    written: dict[str, tuple[pd.DataFrame, str]] = {
        "invoices": (invoices, ";"),
        "accounts": (tables.accounts_frame(master, ids), ","),
        "parent_links": (tables.parent_links_frame(master, ids), ","),
        "attribution_rules": (tables.attribution_rules_frame(master, ids, misaddressed), ","),
    }
    wallets = tables.wallets_frame(rng, master, ids, rev24, rev12)
    written["wallets"] = (wallets, ",")
    written["complaints"] = (tables.complaints_frame(rng, master, ids, account_rev), ",")
    written["account_managers"] = (tables.account_managers_frame(master), ",")
    written["territories"] = (tables.territories_frame(master), ",")
    written["decisions"] = (tables.decisions_frame(master, ids), ",")
    written["fx_rates"] = (tables.fx_rates_frame(rates), ",")

    counts = {}
    for name, (frame, sep) in written.items():
        counts[name] = _write_csv(frame, out / f"{name}.csv", name, sep)

    plans_dir = out / ACCOUNT_PLANS_DIR
    plans_dir.mkdir(exist_ok=True)
    for plan in account_plans(story, ids, wallets):
        text = yaml.safe_dump(plan, sort_keys=False, allow_unicode=True, width=100)
        (plans_dir / f"{plan['group_id']}.yaml").write_text(text, encoding="utf-8", newline="\n")
    return counts
