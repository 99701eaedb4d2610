"""The demo dataset: deterministic, big enough, true to the data contract and to its story.

The story is checked the way the source article measures it, with plain pandas and no
library code: revenue over the 24 months to 2026-09-30, cancelled lines and intercompany
accounts left out, each line on its ordering unit when the export names one (else on its
billing account), rolled up to the top-level account through ``accounts.parent_id`` and
``parent_links`` (the acquisition counted as if it had always been in its group).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pandas as pd
import pytest
import yaml

from account_analysis import config
from account_analysis.authoring.demo import DEFAULT_SEED, write_demo_dataset
from account_analysis.authoring.demo.story import DATA_DIR
from account_analysis.load.schema import ACCOUNT_PLANS_DIR, TABLES

PERIOD_END = "2026-09-30"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    directory = tmp_path_factory.mktemp("demo") / "nested" / "demo"  # folder is created
    return directory, write_demo_dataset(directory)


@pytest.fixture(scope="module")
def data(demo: tuple[Path, dict[str, int]]) -> dict[str, pd.DataFrame]:
    directory, _ = demo
    out = {}
    for name in TABLES:
        sep = ";" if name == "invoices" else ","
        out[name] = pd.read_csv(directory / f"{name}.csv", sep=sep, dtype=str,
                                keep_default_na=False)  # fmt: skip
    inv = pd.read_csv(directory / "invoices.csv", sep=";", decimal=",",
                      dtype={"ordering_unit": str, "po_reference": str})  # fmt: skip
    out["invoices_numeric"] = inv
    return out


def _files(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _top_map(data: dict[str, pd.DataFrame]) -> dict[str, str]:
    accounts, links = data["accounts"], data["parent_links"]
    parent = {a: p for a, p in zip(accounts["account_id"], accounts["parent_id"], strict=True) if p}
    parent.update(zip(links["account_id"], links["parent_id"], strict=True))  # acquisition: always
    tops = {}
    for account in accounts["account_id"]:
        seen, top = {account}, account
        while top in parent:
            top = parent[top]
            assert top not in seen, f"parent cycle through {account}"
            seen.add(top)
        tops[account] = top
    return tops


def _group_shares(data: dict[str, pd.DataFrame], months: int) -> pd.Series:
    """Share of each customer group in the revenue of the last ``months`` months."""
    inv = data["invoices_numeric"]
    accounts = data["accounts"]
    start = str(pd.Timestamp(PERIOD_END) - pd.DateOffset(months=months) + pd.Timedelta(days=1))
    inv = inv[(inv["invoice_date"] >= start[:10]) & (inv["invoice_date"] <= PERIOD_END)]
    inv = inv[inv["status"] != "cancelled"]
    unit = inv["ordering_unit"].fillna(inv["billing_account"])
    intercompany = set(accounts.loc[accounts["intercompany"] == "true", "account_id"])
    inv = inv[~unit.isin(intercompany) & ~inv["billing_account"].isin(intercompany)]
    unit = unit[inv.index]
    fx = data["fx_rates"]
    rate = pd.Series(fx["rate"].astype(float).to_numpy(), index=fx["month"] + fx["currency"])
    factor = (inv["invoice_date"].str[:7] + inv["currency"]).map(rate)
    assert factor[inv["currency"] != "EUR"].notna().all()
    eur = inv["net_amount"] * factor.where(inv["currency"] != "EUR", 1.0)
    revenue = eur.groupby(unit.map(_top_map(data))).sum()
    return (revenue / revenue.sum()).sort_values(ascending=False)


def _group_id(data: dict[str, pd.DataFrame], name_start: str) -> str:
    accounts = data["accounts"]
    hits = accounts[(accounts["parent_id"] == "") & accounts["name"].str.startswith(name_start)]
    assert len(hits) == 1, name_start
    return hits["account_id"].iloc[0]


# --- determinism ----------------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(demo, tmp_path):
    directory, counts = demo
    again = write_demo_dataset(tmp_path / "again", seed=DEFAULT_SEED)
    first, second = _files(directory), _files(tmp_path / "again")
    assert again == counts
    expected = {f"{name}.csv" for name in TABLES}
    assert expected <= set(first)
    plans = [f for f in first if f.startswith(f"{ACCOUNT_PLANS_DIR}/")]
    assert len(plans) == 3
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], f"{name} differs between two runs"


def test_other_seed_gives_other_invoices_and_overwrites(demo, tmp_path):
    directory, _ = demo
    (tmp_path / "invoices.csv").write_text("stale\n", encoding="utf-8")
    write_demo_dataset(tmp_path, seed=DEFAULT_SEED + 1)
    other = (tmp_path / "invoices.csv").read_bytes()
    assert other.startswith(b"invoice_id;invoice_date;")
    assert other != (directory / "invoices.csv").read_bytes()


# --- the generator's place: its data files ship, a period's run never imports it ------


def test_data_files_explain_themselves_ship_with_the_package_and_rebuild_the_demo():
    files = sorted(DATA_DIR.glob("*"))
    assert len(files) >= 10 and all(f.suffix == ".yaml" for f in files), files
    package = DATA_DIR.parents[2]  # account_analysis/
    globs = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text())["tool"][
        "setuptools"
    ]["package-data"]["account_analysis"]
    make = (config.PROJECT_ROOT / "Makefile").read_text()
    for path in files:
        assert path.read_text(encoding="utf-8").startswith("# "), f"{path.name}: no comment"
        rel = path.relative_to(package).as_posix()
        assert any(fnmatch(rel, g) for g in globs), f"{rel} is not package data"
    assert "$(wildcard account_analysis/authoring/demo/data/*.yaml)" in make
    if (config.PROJECT_ROOT / ".git").exists():  # committed: no ignore rule catches them
        ignored = subprocess.run(
            ["git", "check-ignore", "--no-index", *map(str, files)],
            cwd=config.PROJECT_ROOT,
            capture_output=True,
            text=True,
        )
        assert ignored.returncode == 1, ignored.stdout


def test_a_period_run_does_not_import_the_demo():
    code = (
        "import sys, account_analysis, account_analysis.batch, account_analysis.cli; "
        "print([m for m in sys.modules if m.startswith('account_analysis.authoring.demo')])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)  # fmt: skip
    assert result.stdout.strip() == "[]"


# --- size and contract ----------------------------------------------------------------


def test_sizes(demo, data):
    _, counts = demo
    for name in TABLES:
        assert counts[name] == len(data[name]), name
    assert counts["invoices"] >= 100_000
    accounts = data["accounts"]
    assert 1_100 <= len(accounts) <= 1_300
    assert 650 <= (accounts["parent_id"] == "").sum() <= 750
    dates = data["invoices"]["invoice_date"]
    assert dates.min()[:7] == "2023-10" and dates.max()[:7] == "2026-09"
    assert dates.str[:7].nunique() == 36


def test_files_follow_the_contract_and_dialects(demo, data):
    directory, _ = demo
    for name, table in TABLES.items():
        raw = (directory / f"{name}.csv").read_bytes()
        assert b"\r" not in raw, name
        raw.decode("utf-8")
        assert list(data[name].columns) == table.column_names, name
        for column in table.required_columns:
            assert (data[name][column] != "").all(), (name, column)
        for column in table.columns:
            values = data[name][column.name]
            if column.kind == "date":
                assert values[values != ""].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), column
            if column.choices:
                assert set(values) - {""} <= set(column.choices), (name, column.name)
    inv = data["invoices"]
    assert inv["net_amount"].str.fullmatch(r"-?\d+,\d{2}").all()
    assert (directory / "invoices.csv").read_text(encoding="utf-8").splitlines()[0].count(";") == 10
    assert not inv.duplicated(["invoice_id", "line_no"]).any()
    assert inv["invoice_id"].str.fullmatch(r"F\d{4}-\d{6}").all()
    assert (inv["invoice_id"].str[1:5] == inv["invoice_date"].str[:4]).all()
    per_invoice = inv.groupby("invoice_id")[["invoice_date", "billing_account", "currency"]]
    assert (per_invoice.nunique() == 1).all().all()
    assert set(inv["currency"]) == {"EUR", "GBP", "USD"}
    assert data["accounts"]["account_id"].str.fullmatch(r"C\d{5}").all()
    assert data["accounts"]["account_id"].is_unique


def test_every_account_used_exists_and_groups_are_trees(data):
    ids = set(data["accounts"]["account_id"])
    inv = data["invoices"]
    assert set(inv["billing_account"]) <= ids
    assert set(inv["ordering_unit"]) - {""} <= ids
    assert set(data["accounts"]["parent_id"]) - {""} <= ids
    assert set(data["parent_links"]["account_id"]) | set(data["parent_links"]["parent_id"]) <= ids
    assert set(data["attribution_rules"]["to_unit"]) <= ids
    assert set(data["attribution_rules"]["billing_account"]) - {""} <= ids
    assert set(data["complaints"]["account_id"]) <= ids
    assert set(data["wallets"]["group_id"]) <= ids
    assert set(data["decisions"]["group_id"]) <= ids
    managers = set(data["account_managers"]["manager_id"])
    assert managers == {f"AM0{i}" for i in range(1, 7)}
    assert set(inv["account_manager"]) <= managers
    assert set(data["complaints"]["account_manager"]) <= managers
    tops = _top_map(data)  # raises on cycles
    depth = {a: 0 for a in ids}
    parent = dict(zip(data["accounts"]["account_id"], data["accounts"]["parent_id"], strict=True))
    for account in ids:
        a = account
        while parent[a]:
            a, depth[account] = parent[a], depth[account] + 1
    assert max(depth.values()) == 2  # holding -> company -> site
    group_sizes = pd.Series(tops).value_counts()
    assert (group_sizes == 1).sum() > 400 and ((group_sizes >= 2) & (group_sizes <= 5)).sum() > 50


def test_acquisition_rules_and_cooperative(data):
    links = data["parent_links"]
    assert len(links) == 1 and links["valid_from"].iloc[0] == "2025-06-01"
    acquired = links["account_id"].iloc[0]
    accounts = data["accounts"].set_index("account_id")
    assert accounts.loc[acquired, "parent_id"] == ""
    assert _top_map(data)[acquired] == _group_id(data, "Van Houten")

    rules = data["attribution_rules"]
    assert rules["rule_id"].is_unique and (rules["reason"] != "").all()
    by_invoice = rules["invoice_id"] != ""
    by_pattern = (rules["billing_account"] != "") & (rules["po_pattern"] != "")
    by_service = (rules["billing_account"] != "") & (rules["service_line"] != "")
    alone = (rules["billing_account"] != "") & (rules[["po_pattern", "service_line"]] == "").all(
        axis=1
    )
    assert by_invoice.sum() >= 2 and by_pattern.any() and by_service.any() and alone.any()
    assert ((rules["valid_from"] != "") | (rules["valid_to"] != "")).any()
    inv = data["invoices"]
    assert set(rules.loc[by_invoice, "invoice_id"]) <= set(inv["invoice_id"])
    for _, rule in rules[by_pattern].iterrows():  # every PO rule has lines to move
        billed = inv[inv["billing_account"] == rule["billing_account"]]
        assert billed["po_reference"].str.contains(rule["po_pattern"], regex=True).any(), rule
    assert rules["po_pattern"].map(lambda p: re.compile(p) if p else None).notna().sum() > 0

    coop = _group_id(data, "Inkoopcombinatie")
    numeric = data["invoices_numeric"]
    coop_revenue = numeric.loc[numeric["billing_account"] == coop, "net_amount"].sum()
    assert 0 < coop_revenue < 0.01 * numeric["net_amount"].sum()
    coop_rules = rules[rules["billing_account"] == coop]
    assert len(coop_rules) >= 3
    assert {_top_map(data)[u] for u in coop_rules["to_unit"]}.isdisjoint({coop})


def test_credit_notes_statuses_and_rates(data):
    inv = data["invoices_numeric"]
    negative = inv["net_amount"] < 0
    assert 0.01 <= negative.mean() <= 0.03
    refs = inv.loc[negative, "po_reference"].fillna("")
    assert refs.str.fullmatch(r"F\d{4}-\d{6}").any() and (~refs.str.match("F")).any()
    assert set(refs[refs.str.match(r"F\d{4}-")]) <= set(inv["invoice_id"])
    status = inv["status"].value_counts(normalize=True)
    assert 0.005 <= status["cancelled"] <= 0.02
    assert inv.loc[inv["status"] == "open", "invoice_date"].min() >= "2026-06-01"
    fx = data["fx_rates"]
    assert len(fx) == 72 and set(fx["currency"]) == {"GBP", "USD"}
    rates = fx["rate"].astype(float)
    assert rates[fx["currency"] == "GBP"].between(1.13, 1.20).all()
    assert rates[fx["currency"] == "USD"].between(0.88, 0.95).all()
    assert fx["rate"].str.fullmatch(r"\d\.\d{4}").all()
    intercompany = data["accounts"].loc[data["accounts"]["intercompany"] == "true", "account_id"]
    assert 2 <= len(intercompany) <= 3
    assert inv["billing_account"].isin(intercompany).any()


def test_managers_territories_wallets_decisions_and_plans(demo, data):
    directory, _ = demo
    managers = data["account_managers"]
    challenge = managers[managers["wants_new_challenge"] == "true"]
    assert list(challenge["name"]) == ["Pieter Bakker"]
    pieter = challenge["manager_id"].iloc[0]

    territories = data["territories"]
    ranges = sorted(zip(territories["postcode_from"].astype(int),
                        territories["postcode_to"].astype(int), strict=True))  # fmt: skip
    assert ranges[0][0] == 1000 and all(
        a[1] < b[0] for a, b in zip(ranges, ranges[1:], strict=False)
    )
    accounts = data["accounts"]
    nl = accounts[accounts["country"] == "NL"]
    assert nl["postcode"].str.fullmatch(r"[1-9]\d{3} [A-Z]{2}").all()
    foreign = accounts.loc[accounts["country"] != "NL", "postcode"]
    assert len(foreign) >= 4 and not foreign.str.fullmatch(r"\d{4} ?[A-Z]{2}").any()

    decisions = data["decisions"]
    q3 = decisions[decisions["period"] == "2026-Q3"]
    designated = set(q3.loc[q3["decision"] == "designate", "group_id"])
    assert len(designated) == 3
    assert pieter in set(q3["account_manager"])
    quarters = ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert sorted(set(decisions["period"])) == quarters
    for quarter in quarters:  # the three are designated in 2025-Q4 and confirmed since
        mine = decisions[decisions["period"] == quarter]
        assert set(mine.loc[mine["decision"] == "designate", "group_id"]) == designated
    van_houten = _group_id(data, "Van Houten")
    assert q3.loc[q3["group_id"] == van_houten, "decision"].iloc[0] == "decline"
    earlier = decisions[(decisions["group_id"] == van_houten) & (decisions["period"] != "2026-Q3")]
    assert set(earlier["decision"]) == {"watch"}

    plans = {}
    for path in sorted((directory / ACCOUNT_PLANS_DIR).glob("*.yaml")):
        plan = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert path.stem == plan["group_id"]
        plans[plan["group_id"]] = plan
    assert set(plans) == designated
    for plan in plans.values():
        assert {"market", "competitors", "stakeholders", "objectives", "benefits"} <= set(plan)
        assert all(list(o["status"]) == quarters for o in plan["objectives"])
    # The outcome in the article: framework agreements signed with 2 of the 3 by 2026-Q3.
    signed = {
        g
        for g, plan in plans.items()
        for o in plan["objectives"]
        if "Raamovereenkomst" in o["measure"] and o["status"]["2026-Q3"] == "achieved"
    }
    assert len(signed) == 2

    # Pieter's track record: most of the revenue of two big groups, few complaints there.
    inv = data["invoices_numeric"]
    tops = _top_map(data)
    group = inv["ordering_unit"].fillna(inv["billing_account"]).map(tops)
    handled = inv[inv["account_manager"] == pieter].groupby(group)["net_amount"].sum()
    shares = _group_shares(data, 24)
    assert (handled.reindex(shares.index[:4]).fillna(0) > 5_000_000).sum() == 2


def test_story_four_groups_make_almost_forty_percent(data):
    shares = _group_shares(data, 24)
    top = shares.iloc[:6]
    assert (top.iloc[:4] >= 0.05).all(), top
    assert 0.38 <= top.iloc[:4].sum() <= 0.41, top
    assert 0.03 <= top.iloc[4] < 0.05, top  # the near miss
    assert 0.025 <= top.iloc[5] < 0.03 and top.iloc[5] + shares.iloc[6] > 0.05, top  # merger
    names = data["accounts"].set_index("account_id")["name"]
    assert names[top.index[1]].startswith("Van Houten"), names[top.index[:4]]

    # Individually the billing accounts are much smaller: that is why we consolidate.
    inv = data["invoices_numeric"]
    inv = inv[(inv["invoice_date"] >= "2024-10-01") & (inv["status"] != "cancelled")]
    per_account = inv.groupby("billing_account")["net_amount"].sum() / inv["net_amount"].sum()
    assert per_account.max() < 0.05

    wallets = data["wallets"]
    van_houten = wallets[wallets["group_id"] == _group_id(data, "Van Houten")]
    latest = van_houten.sort_values("as_of").iloc[-1]
    assert latest["our_rank"] == "5" and int(latest["n_suppliers"]) > 5
    for group in top.index[:4].drop(_group_id(data, "Van Houten")):
        ranks = wallets.loc[wallets["group_id"] == group].sort_values("as_of")["our_rank"]
        assert int(ranks.iloc[-1]) <= 3, group


def test_story_van_houten_has_the_two_open_escalations_its_decision_names(data):
    # The board's 2026-Q3 decision speaks of two open escalations; the reports count the
    # escalations open on 2026-09-30 in the data: they must be the same two.
    c = data["complaints"]
    tops = _top_map(data)
    at_end = (c["status"] == "open") | (c["closed_on"] > PERIOD_END)
    mine = c[
        (c["account_id"].map(tops) == _group_id(data, "Van Houten"))
        & (c["kind"] == "escalation")
        & at_end
        & (c["opened_on"] <= PERIOD_END)
    ]
    assert len(mine) == 2, mine


def test_story_window_changes_the_ranking(data):
    """The construction group's long project puts it third over 24 months, lower over 12."""
    polderland = _group_id(data, "Polderland")
    rank = {m: list(_group_shares(data, m).index).index(polderland) + 1 for m in (12, 24, 36)}
    assert rank[24] == 3 and rank[12] > rank[24] and rank[36] <= 4, rank
