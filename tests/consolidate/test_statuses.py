"""Disputed and on-hold lines (issue 15 item 5): counted, excluded with their status as the
reason, or counted and flagged, as ``status_treatment`` says; the same in both engines, in
the cache key and in the ledger, and no cent lost under any treatment."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import make_dataset
from hypothesis import given
from hypothesis import strategies as st
from test_cube import PROPERTY, accounts, datasets, frame, line, oracle
from test_duckdb_engine import assert_same, typed_invoices

from account_analysis import InputError, load_dataset, window_for
from account_analysis.consolidate.cube import build_cube, cache_key, consolidate_lines
from account_analysis.consolidate.window import flags_in_window, reconcile, reconciliation_holds
from account_analysis.settings.parameters import Settings
from account_analysis.settings.statuses import STATUS_CODES, TREATMENTS

ACC = accounts(("G", ""), ("U", "G"), ("X", ""))
CSV_ACCOUNTS = (
    "account_id,name,postcode,country,parent_id\nG,Group,1011 AB,NL,\nU,Unit,3511 CD,NL,G\n"
)
# 100.00 posted, 20.00 disputed, 3.00 On Hold (an export's own case), 4.00 cancelled.
CSV_INVOICES = (
    "invoice_id,invoice_date,billing_account,net_amount,status\n"
    "F1,2026-01-15,U,100.00,posted\nF2,2026-02-01,G,20.00,Disputed\n"
    "F3,2026-02-03,U,3.00,On Hold\nF4,2026-03-01,U,4.00,cancelled\n"
)


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "accounts.csv").write_text(CSV_ACCOUNTS)
    (tmp_path / "invoices.csv").write_text(CSV_INVOICES)
    return tmp_path


def ledger(c) -> dict[str, tuple[int, int]]:
    table = reconcile(c, window_for("2026-Q1", 3))
    assert reconciliation_holds(table)
    return {item: (cents, lines) for item, cents, lines in table.itertuples(index=False)}


def test_by_default_doubtful_lines_are_counted_and_flagged(folder):
    c = build_cube(load_dataset(folder), cache_dir=None)
    rows = ledger(c)
    assert rows["consolidated"] == (12300, 3)
    assert rows["excluded"] == (400, 1) and "excluded:disputed" not in rows
    flags = flags_in_window(c, window_for("2026-Q1", 3))
    assert flags.values.tolist() == [["disputed", 2000, 1], ["on_hold", 300, 1]]
    assert c.flags[["status", "group_at_date", "month"]].values.tolist() == [
        ["disputed", "G", "2026-02"],
        ["on_hold", "G", "2026-02"],
    ]


def test_excluded_lines_leave_revenue_with_their_status_as_the_reason(folder):
    statuses = {"disputed": "exclude", "on hold": "exclude"}
    c = build_cube(load_dataset(folder), cache_dir=None, statuses=statuses)
    rows = ledger(c)
    assert rows["consolidated"] == (10000, 1)
    assert rows["excluded:disputed"] == (2000, 1) and rows["excluded:on_hold"] == (300, 1)
    assert rows["excluded"] == (2700, 3)
    assert len(c.flags) == 0


def test_counted_lines_are_neither_excluded_nor_flagged(folder):
    statuses = {"disputed": "count", "on hold": "count"}
    c = build_cube(load_dataset(folder), cache_dir=None, statuses=statuses)
    assert ledger(c)["consolidated"] == (12300, 3) and len(c.flags) == 0


def test_each_treatment_has_its_own_cache_key(folder):
    ds = load_dataset(folder)
    keys = {cache_key(ds, {"disputed": t}) for t in TREATMENTS}
    assert len(keys) == 3
    assert cache_key(ds) == cache_key(ds, {"disputed": "flag", "on hold": "flag"})


def test_a_cached_cube_of_one_treatment_is_not_read_for_another(folder, tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    ds = load_dataset(folder)
    counted = build_cube(ds, cache_dir=cache)
    excluded = build_cube(ds, cache_dir=cache, statuses={"disputed": "exclude"})
    assert ledger(counted)["consolidated"] == (12300, 3)
    assert ledger(excluded)["consolidated"] == (10300, 2)


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_the_duckdb_engine_gives_the_pandas_tables(folder, tmp_path, treatment):
    inv = load_dataset(folder).invoices
    pq_folder = tmp_path / "pq"
    pq_folder.mkdir()
    (pq_folder / "accounts.csv").write_text(CSV_ACCOUNTS)
    pq.write_table(typed_invoices(inv), pq_folder / "invoices.parquet")
    statuses = dict.fromkeys(STATUS_CODES, treatment)
    fast = load_dataset(pq_folder)
    assert not fast.invoices_in_memory  # the lines stay in their file
    a = build_cube(fast, cache_dir=None, statuses=statuses)
    b = build_cube(load_dataset(pq_folder, engine="pandas"), cache_dir=None, statuses=statuses)
    assert_same(a, b)
    pd.testing.assert_frame_equal(a.flags, b.flags)


# --------------------------------------------------------------------------- property


@PROPERTY
@given(
    datasets(),
    st.lists(st.sampled_from(["posted", "cancelled", "disputed", "on hold"]), max_size=30),
    st.fixed_dictionaries({s: st.sampled_from(TREATMENTS) for s in STATUS_CODES}),
)
def test_every_treatment_places_each_line_once_and_loses_no_cent(ds, statuses, treatment):
    n = len(ds.invoices)
    drawn = (statuses + ["posted"] * n)[:n]
    ds = dataclasses.replace(ds, invoices=ds.invoices.assign(status=drawn))
    lines = consolidate_lines(ds, statuses=treatment)
    expected = []
    for (_, _, reason), status in zip(oracle(ds), drawn, strict=True):
        if status in STATUS_CODES and treatment[status] == "exclude":
            reason = STATUS_CODES[status]  # the status before intercompany
        expected.append(reason)
    assert lines["excluded"].tolist() == expected
    flagged = [
        STATUS_CODES[s] if s in STATUS_CODES and treatment[s] == "flag" and r == "" else ""
        for s, r in zip(drawn, expected, strict=True)
    ]
    assert lines["flag"].tolist() == flagged
    c = build_cube(ds, cache_dir=None, statuses=treatment)
    w = window_for("2026", 36)
    table = reconcile(c, w)
    assert reconciliation_holds(table)
    kept = lines["excluded"] == ""
    assert int(c.flags["revenue_cents"].sum()) == int(
        lines.loc[kept & (lines["flag"] != ""), "revenue_cents"].sum()
    )


# --------------------------------------------------------------------------- settings


def test_the_setting_names_each_doubtful_status_with_its_treatment():
    s = Settings.from_mapping({"period": "2026-Q3", "status_treatment": {"Disputed": "Exclude"}})
    assert s.statuses == {"disputed": "exclude", "on hold": "flag"}
    assert s.as_parameters()["status_treatment"] == s.statuses


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ({"in dispute": "exclude"}, "status_treatment: 'in dispute' — expected a status in doubt"),
        ({"disputed": "drop"}, "status_treatment.disputed: 'drop' — expected one of count"),
        ("exclude", "status_treatment: 'exclude' — expected a mapping such as"),
    ],
)
def test_a_bad_status_treatment_is_a_clear_error(given, says):
    with pytest.raises(InputError) as err:
        Settings.from_mapping({"period": "2026-Q3", "status_treatment": given})
    assert says in str(err.value).replace("\u2014", "—")


def test_an_unknown_status_is_still_refused_with_the_list(folder):
    (folder / "invoices.csv").write_text(CSV_INVOICES.replace("Disputed", "in dispute"))
    with pytest.raises(InputError) as err:
        load_dataset(folder)
    text = str(err.value)
    assert "invoices.csv, row 3, column status: 'in dispute'" in text
    assert "disputed" in text and "on hold" in text


def test_in_memory_lines_take_the_same_treatment():
    inv = frame(
        [
            line("F1", "2026-01-05", "U", 500, status="disputed"),
            line("F2", "2026-01-06", "X", 70, status="on hold"),
        ]
    )
    ds = make_dataset(inv, ACC)
    c = build_cube(ds, cache_dir=None, statuses={"on hold": "exclude"})
    assert c.cube["revenue_cents"].tolist() == [500]
    assert c.exclusions[["reason", "revenue_cents"]].values.tolist() == [["on_hold", 70]]
    assert c.flags[["status", "revenue_cents"]].values.tolist() == [["disputed", 500]]
