"""Scenarios: loss of the top groups, mergers and the merger screen, sell wide vs deep."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import account_analysis as aa
from account_analysis.analysis.concentration import concentration_metrics
from account_analysis.analysis.scenarios import (
    loss_of_top,
    merged_metrics,
    merger,
    merger_screen,
    sell_wide_vs_deep,
)
from account_analysis.errors import InputError


def frame(cents, ids=None):
    ids = ids or [f"G{i:03d}" for i in range(len(cents))]
    return pd.DataFrame(
        {
            "group_id": ids,
            "name": [f"Name {i}" for i in ids],
            "revenue_cents": np.asarray(cents, dtype=np.int64),
        }
    )


# --------------------------------------------------------------------------- loss of top


def test_loss_of_top_by_hand():
    df = frame([400, 300, 200, 100], ids=list("abcd"))
    out = loss_of_top(df, 2)
    assert out["lost"]["group_id"].tolist() == ["a", "b"]
    assert out["at_risk_cents"] == 700 and out["at_risk_share"] == pytest.approx(0.7)
    rem = out["remaining"]
    assert rem["group_id"].tolist() == ["c", "d"]
    np.testing.assert_allclose(rem["old_share"], [0.2, 0.1])
    np.testing.assert_allclose(rem["new_share"], [2 / 3, 1 / 3])
    assert rem["old_rank"].tolist() == [3, 4] and rem["new_rank"].tolist() == [1, 2]
    assert out["hhi_before"] == pytest.approx(3000)
    assert out["hhi_after"] == pytest.approx(10_000 * (4 / 9 + 1 / 9))
    assert out["groups_after"] == 2


def test_loss_of_everyone_and_of_nobody():
    df = frame([5, 5])
    everyone = loss_of_top(df, 3)
    assert everyone["at_risk_cents"] == 10 and everyone["remaining"].empty
    assert math.isnan(everyone["hhi_after"])
    nobody = loss_of_top(df, 0)
    assert nobody["at_risk_cents"] == 0 and nobody["hhi_after"] == pytest.approx(5000)
    with pytest.raises(ValueError, match="whole number"):
        loss_of_top(df, -1)


def test_loss_of_top_ignores_credit_groups():
    df = frame([600, -50, 400], ids=["a", "credit", "b"])
    out = loss_of_top(df, 1)
    assert out["at_risk_cents"] == 600 and out["at_risk_share"] == pytest.approx(0.6)
    assert out["remaining"]["group_id"].tolist() == ["b"]


revenues = st.lists(st.integers(min_value=1, max_value=10**10), min_size=2, max_size=40)


@settings(max_examples=200, deadline=None)
@given(revenues, st.integers(min_value=0, max_value=5))
def test_loss_of_top_renormalises(cents, n):
    assume(n < len(cents))
    out = loss_of_top(frame(cents), n, show=len(cents))
    rem = out["remaining"]
    assert rem["new_share"].sum() == pytest.approx(1.0)
    expected = rem["old_share"] / (1 - out["at_risk_share"])
    np.testing.assert_allclose(rem["new_share"], expected, rtol=1e-6)
    assert out["at_risk_cents"] + rem["revenue_cents"].sum() == sum(cents)


# --------------------------------------------------------------------------- mergers


def test_merger_by_hand():
    df = frame([500, 250, 150, 60, 40], ids=list("abcde"))
    m = merger(df, "d", "e", threshold=0.08)
    assert m["merged_share"] == pytest.approx(0.10)
    assert m["delta_hhi"] == pytest.approx(2 * 0.06 * 0.04 * 10_000)  # 48
    assert m["hhi_after"] - m["hhi_before"] == pytest.approx(48)
    assert not m["significant"] and m["crosses_threshold"]
    assert m["candidates_before"] == ["a", "b", "c"]
    assert m["candidates_after"] == ["a", "b", "c", "d+e"]
    assert m["name_a"] == "Name d"
    big = merger(df, "a", "b")
    assert big["delta_hhi"] == pytest.approx(2500) and big["significant"]
    assert not big["crosses_threshold"]  # both were above already


def test_merger_unknown_id_names_the_parameter():
    df = frame([1, 2], ids=["a", "b"])
    with pytest.raises(InputError) as err:
        merger(df, "a", "NOPE")
    assert "merger_pairs" in str(err.value) and "NOPE" in str(err.value)
    with pytest.raises(InputError) as err:
        merger_screen(df, pairs=[("a", "b"), ("b", "X9")])
    assert err.value.problems[0].column == "merger_pairs"
    assert "X9" in str(err.value)
    with pytest.raises(InputError, match="two different"):
        merger_screen(df, pairs=[("a", "a")])


@settings(max_examples=300, deadline=None)
@given(revenues, st.data())
def test_merger_delta_equals_recomputed_hhi(cents, data):
    df = frame(cents)
    i, j = data.draw(st.lists(st.integers(0, len(cents) - 1), min_size=2, max_size=2, unique=True))
    a, b = df["group_id"].iloc[i], df["group_id"].iloc[j]
    m = merger(df, a, b)
    s = np.array(cents, dtype=float) / sum(cents)
    assert m["delta_hhi"] == pytest.approx(2 * s[i] * s[j] * 10_000, rel=1e-9, abs=1e-9)
    assert m["hhi_after"] - m["hhi_before"] == pytest.approx(m["delta_hhi"], abs=1e-6)
    # and from cents: merge the rows, recompute the index
    before = concentration_metrics(df)["hhi"]
    after = merged_metrics(df, a, b)["hhi"]
    assert after - before == pytest.approx(m["delta_hhi"], abs=1e-6)
    assert m["merged_share"] == pytest.approx(s[i] + s[j])


def test_merger_screen_by_hand():
    df = frame([500, 250, 150, 60, 40], ids=list("abcde"))
    s = merger_screen(df, top=3, pairs=[("e", "d"), ("b", "a")], threshold=0.08)
    assert len(s) == 4  # a-b, a-c, b-c and d-e; b-a is a-b again
    assert s["delta_hhi"].is_monotonic_decreasing
    row = s.set_index(["group_a", "group_b"]).loc[("d", "e")]
    assert row["delta_hhi"] == pytest.approx(48) and row["crosses_threshold"]
    assert not row["significant"]
    assert s.attrs["hhi_before"] == pytest.approx(concentration_metrics(df)["hhi"])
    for r in s.itertuples():
        m = merger(df, r.group_a, r.group_b, threshold=0.08)
        assert r.delta_hhi == pytest.approx(m["delta_hhi"])
        assert r.hhi_after == pytest.approx(m["hhi_after"])
        assert r.crosses_threshold == m["crosses_threshold"]


@settings(max_examples=200, deadline=None)
@given(revenues, st.randoms(use_true_random=False))
def test_merger_screen_independent_of_row_order(cents, rnd):
    df = frame(cents)
    order = list(range(len(df)))
    rnd.shuffle(order)
    a = merger_screen(df)
    b = merger_screen(df.iloc[order])
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)
    assert len(a) == math.comb(min(10, len(cents)), 2)


def test_inputs_are_not_mutated():
    df = frame([5, 3, 9, -1])
    before = df.copy()
    loss_of_top(df, 1)
    merger(df, "G000", "G001")
    merger_screen(df, pairs=[("G003", "G000")])
    pd.testing.assert_frame_equal(df, before)


# --------------------------------------------------------------------------- wide vs deep


def candidates(rows):
    return pd.DataFrame(
        {
            "group_id": [r[0] for r in rows],
            "annual_revenue_cents": pd.array([r[1] for r in rows], dtype="int64"),
            "wallet_cents": pd.array([r[2] for r in rows], dtype="Int64"),
            "headroom_cents": pd.array([r[3] for r in rows], dtype="Int64"),
        }
    )


def test_sell_wide_vs_deep_by_hand():
    rev = frame([40_000_00, 30_000_00, 20_000_00, 7_000_00, 3_000_00], ids=list("abcde"))
    cand = candidates(
        [
            ("a", 40_000_00, 100_000_00, 60_000_00),
            ("b", 30_000_00, 50_000_00, 20_000_00),
            ("c", 20_000_00, None, None),
        ]
    )
    out = sell_wide_vs_deep(rev, cand, growth_target=0.10)
    assert out["annual_revenue_cents"] == 100_000_00
    assert out["growth_needed_cents"] == 10_000_00
    assert out["median_customer_cents"] == 20_000_00
    assert out["new_customers_needed"] == 1
    assert out["candidates"] == 3 and out["candidates_with_wallet"] == 2
    assert out["wallet_cents"] == 150_000_00
    assert out["candidate_revenue_cents"] == 70_000_00
    assert out["share_of_wallet"] == pytest.approx(70 / 150)
    assert out["share_of_wallet_gain_pp"] == pytest.approx(100 * 10 / 150)
    assert out["headroom_cents"] == 80_000_00 and out["headroom_covers"] is True


def test_sell_wide_rounds_up_and_headroom_may_fall_short():
    rev = frame([100_00, 100_00, 100_00])
    annual = pd.DataFrame(
        {"group_id": ["G000", "G001", "G002"], "annual_revenue_cents": [1000_00, 300_00, 200_00]}
    )
    cand = candidates([("G000", 1000_00, 1050_00, 50_00), ("G001", 300_00, 250_00, -50_00)])
    out = sell_wide_vs_deep(rev, cand, growth_target=0.25, annual_revenue=annual)
    assert out["growth_needed_cents"] == 375_00  # 0.25 × 1,500
    assert out["median_customer_cents"] == 300_00
    assert out["new_customers_needed"] == 2  # ⌈375 / 300⌉
    assert out["headroom_cents"] == 50_00  # negative headroom clipped at 0
    assert out["headroom_covers"] is False


def test_sell_deep_without_any_wallet():
    cand = candidates([("G000", 100, None, None)])
    out = sell_wide_vs_deep(frame([100, 50]), cand)
    assert out["candidates_with_wallet"] == 0 and math.isnan(out["share_of_wallet_gain_pp"])
    assert out["headroom_covers"] is None


# --------------------------------------------------------------------------- demo


@pytest.fixture(scope="module")
def demo_revenue(demo_cube):
    return aa.revenue_by_group(demo_cube, aa.parse_period("2026-Q3").window(24))


def test_demo_screen_flags_the_retail_merger(demo_revenue):
    screen = merger_screen(demo_revenue, pairs=[("C10090", "C10086")])
    row = screen.set_index(["group_a", "group_b"]).loc[("C10086", "C10090")]
    assert row["crosses_threshold"]
    assert row["share_a"] < 0.05 and row["share_b"] < 0.05 and row["merged_share"] >= 0.05
    assert len(screen) == 45  # the given pair is one of the top-10 pairs
    m = merger(demo_revenue, "C10086", "C10090")
    assert "C10086+C10090" in m["candidates_after"] and len(m["candidates_after"]) == 5


def test_demo_loss_of_top(demo_revenue):
    out = loss_of_top(demo_revenue, 1)
    assert out["lost"]["group_id"].tolist() == [demo_revenue["group_id"].iloc[0]]
    assert out["at_risk_cents"] == demo_revenue["revenue_cents"].iloc[0]


def test_candidates_without_annual_revenue_take_it_from_the_annual_frame():
    rev = frame([600_00, 300_00, 100_00], ids=list("abc"))
    cand = candidates([("a", 0, 1000_00, 400_00)]).drop(columns="annual_revenue_cents")
    before = cand.copy()
    out = sell_wide_vs_deep(rev, cand)
    assert out["candidate_revenue_cents"] == 600_00
    assert out["share_of_wallet"] == pytest.approx(0.6)
    pd.testing.assert_frame_equal(cand, before)
