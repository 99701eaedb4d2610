"""Concentration metrics: hand-computed fixtures, properties against independent formulas,
and the demo's figures."""

from __future__ import annotations

import math
import warnings
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import account_analysis as aa
from account_analysis.analysis.concentration import (
    candidates_above,
    concentration_metrics,
    concentration_table,
    concentration_trend,
    hhi_band,
    lorenz_curve,
    positive_revenue,
)


def frame(cents, ids=None):
    ids = ids or [f"G{i:03d}" for i in range(len(cents))]
    return pd.DataFrame({"group_id": ids, "revenue_cents": np.asarray(cents, dtype=np.int64)})


# --------------------------------------------------------------------------- hand-computed


def test_metrics_by_hand():
    # shares 0.4, 0.3, 0.2, 0.05, 0.05
    m = concentration_metrics(frame([400, 300, 200, 50, 50]))
    assert m["total_cents"] == 1000 and m["groups"] == 5
    assert m["cr1"] == pytest.approx(0.4)
    assert m["cr4"] == pytest.approx(0.95)
    assert m["cr10"] == pytest.approx(1.0)
    assert m["hhi"] == pytest.approx(1600 + 900 + 400 + 25 + 25)  # 2950
    assert m["hhi_band"] == "highly concentrated"
    assert m["effective_number"] == pytest.approx(10_000 / 2950)
    # Lorenz points (ascending 50, 50, 200, 300, 400): 0, .05, .10, .30, .60, 1.0
    area = 0.2 * sum(
        (a + b) / 2
        for a, b in zip([0, 0.05, 0.10, 0.30, 0.60], [0.05, 0.10, 0.30, 0.60, 1.0], strict=True)
    )
    assert m["gini"] == pytest.approx(1 - 2 * area)
    assert m["gini"] == pytest.approx(0.38)  # 1 − 2·0.2·1.55


def test_equal_groups_are_unconcentrated():
    m = concentration_metrics(frame([100] * 20))
    assert m["hhi"] == pytest.approx(500)
    assert m["hhi_band"] == "unconcentrated"
    assert m["effective_number"] == pytest.approx(20)
    assert m["gini"] == pytest.approx(0.0, abs=1e-12)
    assert m["cr4"] == pytest.approx(0.2) and m["cr10"] == pytest.approx(0.5)


def test_single_group():
    m = concentration_metrics(frame([12345]))
    assert (m["cr1"], m["cr4"], m["cr10"]) == (1.0, 1.0, 1.0)
    assert m["hhi"] == pytest.approx(10_000) and m["effective_number"] == pytest.approx(1)
    assert m["gini"] == pytest.approx(0.0)


@pytest.mark.parametrize(
    "hhi, band",
    [
        (1800.01, "highly concentrated"),
        (1800.0, "moderately concentrated"),
        (1000.0, "moderately concentrated"),
        (999.99, "unconcentrated"),
        (0.0, "unconcentrated"),
        (float("nan"), ""),
    ],
)
def test_bands(hhi, band):
    assert hhi_band(hhi) == band


def test_net_credit_groups_are_left_out_and_counted():
    df = frame([600, 300, 100, -70, 0], ids=["a", "b", "c", "credit", "zero"])
    m = concentration_metrics(df)
    assert m["groups"] == 3 and m["total_cents"] == 1000
    assert m["credit_groups"] == 2 and m["credit_cents"] == -70
    assert m["total_cents"] + m["credit_cents"] == df["revenue_cents"].sum()
    assert m["hhi"] == pytest.approx(3600 + 900 + 100)
    assert m == concentration_metrics(df[df["revenue_cents"] > 0]) | {
        "credit_groups": 2,
        "credit_cents": -70,
    }
    assert "credit" not in set(lorenz_curve(df)["group_id"])
    assert positive_revenue(df)["group_id"].tolist() == ["a", "b", "c"]


def test_no_positive_revenue():
    m = concentration_metrics(frame([-5, 0]))
    assert m["groups"] == 0 and m["total_cents"] == 0 and m["credit_groups"] == 2
    assert math.isnan(m["hhi"]) and math.isnan(m["gini"]) and m["hhi_band"] == ""
    curve = lorenz_curve(frame([-5]))
    assert len(curve) == 1 and curve.iloc[0]["cumulative_revenue_share"] == 0


def test_lorenz_by_hand():
    curve = lorenz_curve(frame([300, 100, 600], ids=["x", "y", "z"]))
    assert curve["group_id"].tolist() == ["", "y", "x", "z"]
    assert curve["revenue_cents"].tolist() == [0, 100, 300, 600]
    np.testing.assert_allclose(curve["cumulative_group_share"], [0, 1 / 3, 2 / 3, 1])
    np.testing.assert_allclose(curve["cumulative_revenue_share"], [0, 0.1, 0.4, 1.0])


def test_inputs_are_not_mutated():
    df = frame([5, 3, 9, -1])
    before = df.copy()
    concentration_metrics(df)
    lorenz_curve(df)
    candidates_above(df, 0.1)
    pd.testing.assert_frame_equal(df, before)


# --------------------------------------------------------------------------- the share base


def test_a_credit_group_leaves_the_other_shares_alone_issue12():
    # issue 12: the table divided by the net total 952 (shares 1.0504, 0.0546, −0.1050,
    # cumulative above 1) while the metrics divided by 1052 (CR1 0.9506).
    df = frame([1000, 52, -100], ids=["a", "b", "credit"])
    table = concentration_table(df)
    assert table["group_id"].tolist() == ["a", "b"]  # the credit group is left out
    assert table["share"].tolist() == [1000 / 1052, 52 / 1052]
    assert table["cumulative_share"].tolist() == [1000 / 1052, 1.0]
    m = concentration_metrics(df)
    assert m["cr1"] == table["share"].iloc[0] and m["total_cents"] == 1052
    assert candidates_above(df, 0.05)["group_id"].tolist() == ["a"]  # b: 4.94%, not 5.46%
    assert candidates_above(df, 0.049)["share"].tolist() == table["share"].tolist()


def test_a_zero_net_total_still_has_shares():
    # Net total 0, but one group with revenue: it holds everything (the old table gave 0).
    table = concentration_table(frame([100, -100], ids=["a", "credit"]))
    assert table["group_id"].tolist() == ["a"] and table["share"].tolist() == [1.0]


EMPTY_CASES = {"no rows": [], "zero revenue": [0, 0], "only credit": [-5, -10]}


@pytest.mark.parametrize("cents", EMPTY_CASES.values(), ids=EMPTY_CASES.keys())
def test_no_share_is_defined_without_positive_revenue(cents):
    df = frame(cents).astype({"group_id": "str"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division warnings on the way
        table = concentration_table(df)
        m = concentration_metrics(df)
        above = candidates_above(df, 0.0)
        curve = lorenz_curve(df)
        loss = aa.loss_of_top(df, 1)
        screen = aa.merger_screen(df)
    # All-credit used to get positive shares (−5 / −15 = 0.33): now no row at all.
    assert len(table) == 0 and len(above) == 0 and len(screen) == 0
    assert list(table.columns) == ["group_id", "revenue_cents", "rank", "share", "cumulative_share"]
    assert table["share"].dtype == np.float64 and table["rank"].dtype == np.int64
    assert (m["groups"], m["total_cents"], m["credit_groups"]) == (0, 0, len(cents))
    assert m["credit_cents"] == sum(cents) and m["hhi_band"] == ""
    for key in ("cr1", "cr4", "cr10", "hhi", "effective_number", "gini"):
        assert math.isnan(m[key]), key
    assert curve[["cumulative_group_share", "cumulative_revenue_share"]].values.tolist() == [
        [0.0, 0.0]
    ]
    assert math.isnan(loss["at_risk_share"]) and math.isnan(loss["remaining_share"])
    assert math.isnan(loss["hhi_before"]) and math.isnan(loss["hhi_after"])
    assert loss["at_risk_cents"] == 0 and loss["groups_after"] == 0
    assert math.isnan(screen.attrs["hhi_before"])


revenues_with_credit = st.lists(
    st.integers(min_value=-(10**9), max_value=10**9), min_size=0, max_size=40
)


@settings(max_examples=300, deadline=None)
@given(revenues_with_credit, st.sampled_from([0.0, 0.01, 0.05, 0.2, 0.5]))
def test_share_base_invariants_with_credit_groups(cents, threshold):
    df = frame(cents)
    positive = df[df["revenue_cents"] > 0]
    table = concentration_table(df)
    share = table["share"].to_numpy()
    cumulative = table["cumulative_share"].to_numpy()
    assert sorted(table["group_id"]) == sorted(positive["group_id"])
    assert ((share >= 0) & (share <= 1)).all()
    assert (np.diff(cumulative) >= 0).all() and (cumulative <= 1).all()
    if len(table):
        assert share.sum() == pytest.approx(1.0, rel=1e-12)
        assert cumulative[-1] == 1.0
        total = int(positive["revenue_cents"].sum())
        expected = positive.set_index("group_id")["revenue_cents"] / total
        np.testing.assert_array_equal(share, expected.reindex(table["group_id"]).to_numpy())
    by_id = table.set_index("group_id")["share"]
    # Every consumer reports the table's share for the same group.
    m = concentration_metrics(df)
    for k, key in ((1, "cr1"), (4, "cr4"), (10, "cr10")):
        if len(table):
            assert m[key] == cumulative[min(k, len(table)) - 1]
    above = candidates_above(df, threshold)
    assert above["group_id"].tolist() == table.loc[share >= threshold, "group_id"].tolist()
    assert above["share"].tolist() == by_id.reindex(above["group_id"]).tolist()
    curve = lorenz_curve(df)
    assert curve["group_id"].tolist()[1:] == table["group_id"].tolist()[::-1]


@settings(max_examples=100, deadline=None)
@given(revenues_with_credit)
def test_scenarios_report_the_share_base(cents):
    df = frame(cents)
    table = concentration_table(df)
    cumulative = table["cumulative_share"].to_numpy()
    by_id = table.set_index("group_id")["share"]
    m = concentration_metrics(df)
    loss = aa.loss_of_top(df, 3, show=50)
    assert loss["lost"]["share"].tolist() == by_id.reindex(loss["lost"]["group_id"]).tolist()
    assert (
        loss["remaining"]["old_share"].tolist()
        == by_id.reindex(loss["remaining"]["group_id"]).tolist()
    )
    if len(table):
        assert loss["at_risk_share"] == cumulative[min(3, len(table)) - 1]
        assert aa.loss_of_top(df, 1)["at_risk_share"] == m["cr1"]
    screen = aa.merger_screen(df, top=5)
    for side in ("a", "b"):
        assert (
            screen[f"share_{side}"].tolist()
            == by_id.reindex(screen[f"group_{side}"]).fillna(0.0).tolist()
        )


# --------------------------------------------------------------------------- properties

revenues = st.lists(st.integers(min_value=1, max_value=10**11), min_size=1, max_size=60)


def lorenz_gini(curve: pd.DataFrame) -> float:
    x = curve["cumulative_group_share"].to_numpy()
    y = curve["cumulative_revenue_share"].to_numpy()
    return 1 - 2 * float(((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2).sum())


@settings(max_examples=300, deadline=None)
@given(revenues)
def test_metrics_against_independent_formulas(cents):
    df = frame(cents)
    m = concentration_metrics(df)
    s = np.array(cents, dtype=float) / sum(cents)
    assert m["hhi"] == pytest.approx(10_000 * (s**2).sum(), rel=1e-9)
    assert m["gini"] == pytest.approx(lorenz_gini(lorenz_curve(df)), abs=1e-9)
    assert 1 - 1e-9 <= m["effective_number"] <= len(cents) + 1e-9
    assert m["cr1"] <= m["cr4"] + 1e-12 <= m["cr10"] + 2e-12 <= 1 + 3e-12
    top = np.sort(s)[::-1]
    assert m["cr4"] == pytest.approx(top[:4].sum())
    assert concentration_table(df)["share"].sum() == pytest.approx(1.0)
    assert -1e-12 <= m["gini"] <= (len(cents) - 1) / len(cents) + 1e-9


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=-(10**6), max_value=10**9), min_size=1, max_size=40),
    st.randoms(use_true_random=False),
)
def test_independent_of_row_order(cents, rnd):
    df = frame(cents)
    order = list(range(len(df)))
    rnd.shuffle(order)
    shuffled = df.iloc[order]
    a, b = concentration_metrics(df), concentration_metrics(shuffled)
    for key in a:
        if isinstance(a[key], str):
            assert a[key] == b[key]
        elif math.isnan(a[key]):
            assert math.isnan(b[key])
        else:
            assert a[key] == pytest.approx(b[key], rel=1e-12)
    pd.testing.assert_frame_equal(lorenz_curve(df), lorenz_curve(shuffled))


@settings(max_examples=200, deadline=None)
@given(revenues)
def test_lorenz_curve_shape(cents):
    curve = lorenz_curve(frame(cents))
    x = curve["cumulative_group_share"].to_numpy()
    y = curve["cumulative_revenue_share"].to_numpy()
    assert (x[0], y[0]) == (0, 0)
    assert x[-1] == pytest.approx(1) and y[-1] == pytest.approx(1)
    assert (np.diff(y) >= 0).all() and (y <= x + 1e-12).all()  # below the diagonal
    assert (np.diff(curve["revenue_cents"].to_numpy()[1:]) >= 0).all()  # smallest first


# --------------------------------------------------------------------------- demo


@pytest.fixture(scope="module")
def demo(demo_cube):
    return demo_cube


def test_demo_four_groups_bring_about_forty_percent(demo):
    window = aa.parse_period("2026-Q3").window(24)
    assert (window.start, window.end) == (date(2024, 10, 1), date(2026, 9, 30))
    revenue = aa.revenue_by_group(demo, window)
    above = candidates_above(revenue, 0.05)
    assert len(above) == 4
    assert 0.38 <= above["share"].sum() <= 0.41
    m = concentration_metrics(revenue)
    assert m["cr4"] == pytest.approx(above["share"].sum())
    assert m["total_cents"] + m["credit_cents"] == revenue["revenue_cents"].sum()


def test_demo_trend(demo):
    periods = ["2025-Q3", "2026-Q1", "2026-Q3"]
    trend = concentration_trend(demo, periods)
    assert trend["period"].tolist() == periods
    assert trend["window_end"].tolist() == [aa.parse_period(p).end for p in periods]
    last = trend.iloc[-1]
    revenue = aa.revenue_by_group(demo, aa.parse_period("2026-Q3").window(24))
    assert last["hhi"] == pytest.approx(concentration_metrics(revenue)["hhi"])
    assert last["candidates"] == 4 and 0.38 <= last["candidates_share"] <= 0.41
    assert trend["total_cents"].dtype == np.int64
