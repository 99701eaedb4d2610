"""Postcode territories: matching, the Large Account units that left, unmatched units,
revenue conservation (property), bad ranges, and the demo."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import run_cli, set_cell
from hypothesis import given, settings
from hypothesis import strategies as st

from account_analysis import Settings, revenue_by_group, score_period
from account_analysis.analysis.territories import (
    STATUSES,
    assign_territories,
    check_territories,
    postcode_digits,
)
from account_analysis.errors import InputError

TERRITORIES = pd.DataFrame(
    {
        "territory_id": ["T1", "T1", "T2"],
        "name": ["Noord", "Noord", "Zuid"],
        "postcode_from": [1000, 8200, 2200],
        "postcode_to": [2199, 8399, 3399],
        "account_manager": ["AM01", "AM01", "AM03"],
    }
)


def test_postcode_digits_and_reasons():
    digits, reason = postcode_digits(
        pd.Series(["2316 XB", "2316xb", " 8300 ", "", "0123 AB", "23161", "B-2440", "2316 XB"]),
        pd.Series(["NL", "nl", "NL", "NL", "NL", "NL", "BE", "DE"]),
    )
    assert digits.tolist() == [2316, 2316, 8300, -1, -1, -1, -1, -1]
    assert reason.tolist() == [
        "",
        "",
        "",
        "no_postcode",
        "invalid_postcode",
        "invalid_postcode",
        "abroad",
        "abroad",
    ]


def _accounts(rows):
    return pd.DataFrame(rows, columns=["account_id", "name", "postcode", "country"])


def test_units_sorted_into_territory_large_account_and_unmatched():
    revenue = pd.DataFrame(
        {
            "unit_id": ["u1", "u1", "u2", "u3", "u4", "u5", "L1", "L2"],
            "group_id": ["g1", "g1", "g2", "g3", "g4", "g5", "LA", "LA"],
            "revenue_cents": [100, 50, 200, 30, 7, 11, 500, 400],
        }
    )
    accounts = _accounts(
        [
            ("u1", "Unit 1", "1011 AB", "NL"),
            ("u2", "Unit 2", "8301 CD", "NL"),
            ("u3", "Unit 3", "9931 EF", "NL"),
            ("u4", "Unit 4", "", "NL"),
            ("u5", "Unit 5", "B-2440", "BE"),
            ("L1", "Large 1", "2500 AA", "NL"),
            ("L2", "Large 2", "9990 AA", "NL"),
            ("LA", "Large group", "2500 AA", "NL"),
        ]
    )
    t = assign_territories(revenue, accounts, TERRITORIES, ["LA"])
    by = t.accounts.set_index("account_id")
    assert by.at["u1", "revenue_cents"] == 150 and by.at["u1", "territory_id"] == "T1"
    assert by.at["u2", "territory_id"] == "T1"  # second range of T1
    assert by.at["u1", "account_manager"] == "AM01"
    summary = t.summary.set_index("territory_id")
    assert summary.at["T1", "customers"] == 2 and summary.at["T1", "revenue_cents"] == 350
    assert summary.at["T1", "ranges"] == "1000–2199, 8200–8399"
    assert summary.at["T2", "customers"] == 0 and summary.at["T2", "revenue_cents"] == 0
    assert t.left[["account_id", "group_id", "group_name", "territory_id"]].to_numpy().tolist() == [
        ["L1", "LA", "Large group", "T2"],
        ["L2", "LA", "Large group", ""],
    ]
    assert t.unmatched.set_index("account_id")["reason"].to_dict() == {
        "u3": "no_range",
        "u5": "abroad",
        "u4": "no_postcode",
    }
    assert t.totals == {"territory": 350, "large_account": 900, "unmatched": 48, "total": 1298}


def test_no_territories_table_leaves_every_unit_unmatched():
    empty = TERRITORIES.iloc[0:0]
    t = assign_territories(
        pd.DataFrame({"unit_id": ["u1"], "group_id": ["g1"], "revenue_cents": [5]}),
        _accounts([("u1", "U", "1011 AB", "NL")]),
        empty,
        [],
    )
    assert t.summary.empty and t.unmatched["reason"].tolist() == ["no_range"]
    assert t.totals["unmatched"] == 5


@pytest.mark.parametrize(
    "change, column, expected",
    [
        (
            {"postcode_from": [1000, 2100, 2200]},
            "postcode_from",
            "a range that overlaps no other; 2100–8399 (T1) overlaps 1000–2199 (T1, row 2)",
        ),
        (
            {"postcode_to": [2199, 8100, 3399]},
            "postcode_to",
            "a postcode at or above postcode_from (8200)",
        ),
        (
            {"postcode_to": [2199, 8399, 10000]},
            "postcode_to",
            "a four-digit postcode from 1000 to 9999",
        ),
    ],
)
def test_bad_ranges_are_input_errors(change, column, expected):
    with pytest.raises(InputError) as err:
        check_territories(TERRITORIES.assign(**change))
    problem = err.value.problems[0]
    assert problem.file == "territories.csv" and problem.column == column
    assert problem.expected == expected


def test_touching_ranges_are_fine():
    check_territories(
        TERRITORIES.assign(postcode_from=[1000, 2200, 3400], postcode_to=[2199, 3399, 3999])
    )


# --------------------------------------------------------------------------- conservation


@st.composite
def worlds(draw):
    n_units = draw(st.integers(1, 12))
    units = [f"u{i}" for i in range(n_units)]
    postcodes = st.one_of(
        st.integers(1000, 9999).map(lambda d: f"{d} AB"),
        st.sampled_from(["", "12", "B-2440", "0999 XX"]),
    )
    accounts = _accounts(
        [(u, u.upper(), draw(postcodes), draw(st.sampled_from(["NL", "BE"]))) for u in units]
    )
    bounds = sorted(draw(st.sets(st.integers(1000, 9999), min_size=0, max_size=8)))
    ranges = [(bounds[i], bounds[i + 1] - 1) for i in range(0, len(bounds) - 1, 2)]
    territories = pd.DataFrame(
        {
            "territory_id": [f"T{i % 3}" for i in range(len(ranges))],
            "name": [f"Territory {i % 3}" for i in range(len(ranges))],
            "postcode_from": [lo for lo, _ in ranges],
            "postcode_to": [hi for _, hi in ranges],
            "account_manager": ["AM01"] * len(ranges),
        }
    )
    n_rows = draw(st.integers(0, 30))
    revenue = pd.DataFrame(
        {
            "unit_id": [draw(st.sampled_from(units)) for _ in range(n_rows)],
            "group_id": [draw(st.sampled_from(["G1", "G2", "G3"])) for _ in range(n_rows)],
            "revenue_cents": [draw(st.integers(-10_000, 10_000_000)) for _ in range(n_rows)],
        }
    )
    designated = draw(st.sets(st.sampled_from(["G1", "G2", "G3"])))
    return revenue, accounts, territories, designated


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_revenue_is_conserved_and_every_unit_lands_once(world):
    revenue, accounts, territories, designated = world
    t = assign_territories(revenue, accounts, territories, designated)
    total = int(revenue["revenue_cents"].sum())
    assert t.totals["territory"] + t.totals["large_account"] + t.totals["unmatched"] == total
    assert t.totals["total"] == total
    assert int(t.summary["revenue_cents"].sum()) == t.totals["territory"]
    assert int(t.left["revenue_cents"].sum()) == t.totals["large_account"]
    assert int(t.unmatched["revenue_cents"].sum()) == t.totals["unmatched"]
    assert set(t.accounts["status"]) <= set(STATUSES)
    # One row per unit and group; a unit of a designated group is never in a territory.
    assert not t.accounts.duplicated(["account_id", "group_id"]).any()
    assert not (
        (t.accounts["status"] == "territory") & t.accounts["group_id"].isin(designated)
    ).any()
    # A matched unit's postcode lies in a range of its territory.
    matched = t.accounts[t.accounts["status"] == "territory"]
    for pc, tid in zip(matched["postcode"], matched["territory_id"], strict=True):
        d = int(pc[:4])
        mine = territories[territories["territory_id"] == tid]
        assert ((mine["postcode_from"] <= d) & (d <= mine["postcode_to"])).any()


# --------------------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def demo_score(demo_dir, demo_dataset, demo_cube):
    return score_period(
        demo_cube,
        demo_dataset,
        Settings.from_mapping({"period": "2026-Q3", "dataset": str(demo_dir)}),
    )


def test_demo_territories_add_up_to_the_window_revenue(demo_score):
    t = demo_score.territories
    total = int(
        revenue_by_group(demo_score.consolidation, demo_score.settings.window)[
            "revenue_cents"
        ].sum()
    )
    assert t.totals["total"] == total
    assert sum(t.totals[s] for s in STATUSES) == total
    assert list(t.summary["territory_id"]) == ["T1", "T2", "T3", "T4", "T5"]
    assert (t.summary["customers"] > 0).all()


def test_demo_large_account_units_left_their_territories(demo_score):
    left = demo_score.territories.left
    assert set(left["group_id"]) == {"C10001", "C10041", "C10055"}
    # Zorggroep Vlietstreek is a Leiden group: its units left Zuid-Holland.
    zr = left[left["group_id"] == "C10001"]
    assert (zr["territory_id"] == "T2").mean() > 0.8
    large = set(demo_score.large_accounts["group_id"])
    in_territory = demo_score.territories.accounts
    assert not in_territory[in_territory["status"] == "territory"]["group_id"].isin(large).any()


def test_demo_gap_and_foreign_customers_are_listed(demo_score):
    unmatched = demo_score.territories.unmatched
    gap = unmatched[unmatched["reason"] == "no_range"]
    assert len(gap) >= 2  # the customers in Delfzijl, in the 9900–9999 gap
    assert gap["postcode"].str[:2].eq("99").all()
    assert set(unmatched.loc[unmatched["reason"] == "abroad", "country"]) == {
        "BE",
        "DE",
        "GB",
        "US",
    }


# --------------------------------------------------------------------------- bad input


def test_overlapping_territories_are_an_input_error(broken_copy):
    path = broken_copy / "territories.csv"
    set_cell(path, 3, "postcode_from", "2100")  # T1 8200–8399 becomes 2100–8399
    result = run_cli("validate", broken_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "territories.csv, row 3, column postcode_from: 2100" in result.stderr
    assert "overlaps 1000–2199 (T1, row 2)" in result.stderr


def test_reversed_range_is_an_input_error(broken_copy):
    set_cell(broken_copy / "territories.csv", 4, "postcode_to", "2100")  # T2 2200–2100
    result = run_cli("validate", broken_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "territories.csv, row 4, column postcode_to: 2100" in result.stderr
    assert "a postcode at or above postcode_from (2200)" in result.stderr
