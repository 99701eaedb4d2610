"""Window sensitivity: ranks under 12/24/36 months, Spearman without scipy, changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import make_dataset
from hypothesis import given, settings
from hypothesis import strategies as st

import account_analysis as aa
from account_analysis.analysis.sensitivity import WindowSensitivity, spearman, window_sensitivity


def small_consolidation():
    """Four top-level groups whose revenue sits in different years (period 2026-Q3):
    A in 2026-03 (every window), B in 2025-03 (24 and 36 months), C in 2024-03 (36 months
    only), D in 2026-06 (every window)."""
    ids = ["A", "B", "C", "D"]
    accounts = {
        "account_id": ids,
        "name": [f"Name {i}" for i in ids],
        "postcode": ["1234 AB"] * 4,
        "country": ["NL"] * 4,
        "parent_id": [""] * 4,
        "parent_valid_from": [pd.NaT] * 4,
        "intercompany": [False] * 4,
    }
    invoices = pd.DataFrame(
        {
            "invoice_id": ["F1", "F2", "F3", "F4"],
            "invoice_date": ["2026-03-10", "2025-03-10", "2024-03-10", "2026-06-10"],
            "billing_account": ids,
            "net_amount": [500, 800, 1000, 100],
        }
    )
    return aa.build_cube(make_dataset(invoices, accounts), cache_dir=None)


def test_small_consolidation_by_hand():
    s = window_sensitivity(small_consolidation(), "2026-Q3", threshold=0.3)
    assert isinstance(s, WindowSensitivity) and s.reference == 24
    ranks = s.ranks.set_index("group_id")
    assert s.ranks["group_id"].tolist() == ["B", "A", "D", "C"]  # by the 24-month rank
    assert ranks.loc["A", "share_12m"] == pytest.approx(5 / 6)
    assert ranks.loc["B", "share_24m"] == pytest.approx(8 / 14)
    assert ranks.loc["C", "share_36m"] == pytest.approx(10 / 24)
    assert ranks.loc["B", "share_12m"] == 0 and pd.isna(ranks.loc["B", "rank_12m"])
    assert ranks["rank_24m"].tolist()[:3] == [1, 2, 3]
    assert ranks.loc["A", "name"] == "Name A"
    assert s.candidates == {12: frozenset("A"), 24: frozenset("AB"), 36: frozenset("BC")}
    changes = {(r.window, r.change, r.group_id) for r in s.changes.itertuples()}
    assert changes == {(12, "leaves", "B"), (36, "enters", "C"), (36, "leaves", "A")}
    # ranks over A, B, C, D by hand (ties averaged): 12 m: 4, 1.5, 1.5, 3; 24 m: 3, 4, 1, 2
    expected = np.corrcoef([4, 1.5, 1.5, 3], [3, 4, 1, 2])[0, 1]
    corr = s.correlation.set_index(["window_a", "window_b"])
    assert corr.loc[(12, 24), "spearman"] == pytest.approx(expected)
    assert corr.loc[(12, 24), "groups"] == 4
    assert list(corr.index) == [(12, 24), (12, 36), (24, 36)]


def test_top_limits_the_union():
    s = window_sensitivity(small_consolidation(), "2026-Q3", top=1)
    assert set(s.ranks["group_id"]) == {"A", "B", "C"}  # the number one of each window


def test_reference_is_the_middle_window_without_24():
    s = window_sensitivity(small_consolidation(), "2026-Q3", windows=(36, 12, 6))
    assert s.reference == 12


def test_bad_windows():
    with pytest.raises(ValueError, match="distinct"):
        window_sensitivity(small_consolidation(), "2026-Q3", windows=(12, 12))
    with pytest.raises(ValueError, match="whole number"):
        window_sensitivity(small_consolidation(), "2026-Q3", windows=(0, 12))


def test_spearman_by_hand():
    assert spearman(np.array([1, 2, 3, 4]), np.array([10, 20, 40, 30])) == pytest.approx(0.8)
    assert np.isnan(spearman(np.array([1.0]), np.array([2.0])))
    assert np.isnan(spearman(np.array([1, 1, 1]), np.array([1, 2, 3])))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)),
        min_size=3,
        max_size=50,
        unique_by=(lambda t: t[0], lambda t: t[1]),
    )
)
def test_spearman_matches_the_textbook_formula_without_ties(pairs):
    x = np.array([p[0] for p in pairs])
    y = np.array([p[1] for p in pairs])
    n = len(x)
    d = np.argsort(np.argsort(x)) - np.argsort(np.argsort(y))
    expected = 1 - 6 * (d.astype(float) ** 2).sum() / (n * (n * n - 1))
    assert spearman(x, y) == pytest.approx(expected, abs=1e-9)
    assert spearman(y, x) == pytest.approx(spearman(x, y))
    assert spearman(x, x) == pytest.approx(1.0)


# --------------------------------------------------------------------------- demo


@pytest.fixture(scope="module")
def demo(demo_cube):
    return demo_cube


def test_demo_construction_group_ranks_lower_over_12_months(demo):
    s = window_sensitivity(demo, "2026-Q3")
    ranks = s.ranks.set_index("group_id")
    construction = ranks.index[ranks["name"].str.contains("Bouwgroep")]
    assert len(construction) == 1
    row = ranks.loc[construction[0]]
    assert row["rank_12m"] > row["rank_24m"]
    assert row["share_12m"] < row["share_24m"]
    assert len(s.candidates[24]) == 4
    assert (s.correlation["spearman"] > 0.5).all()
    assert len(s.ranks) >= 20 and s.ranks["group_id"].is_unique


@pytest.mark.parametrize("restate", [True, False])
def test_demo_shares_agree_with_revenue_by_group(demo, restate):
    from account_analysis.analysis.concentration import concentration_table

    s = window_sensitivity(demo, "2026-Q3", restate_hierarchy=restate)
    for months in s.windows:
        revenue = aa.revenue_by_group(demo, aa.parse_period("2026-Q3").window(months), restate)
        table = concentration_table(revenue).set_index("group_id")
        mine = s.ranks.set_index("group_id")
        present = mine.index[mine[f"rank_{months}m"].notna()]
        np.testing.assert_allclose(
            mine.loc[present, f"share_{months}m"], table.loc[present, "share"], rtol=1e-12
        )
        assert (
            mine.loc[present, f"rank_{months}m"].to_numpy() == table.loc[present, "rank"].to_numpy()
        ).all()
        assert s.candidates[months] == frozenset(table.index[table["share"] >= 0.05])


def test_a_reference_outside_the_windows_is_refused(demo_cube):
    with pytest.raises(ValueError, match="reference window"):
        window_sensitivity(demo_cube, "2026-Q3", (12, 36), reference=24)
