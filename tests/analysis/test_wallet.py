"""Share of wallet: latest-as-of rule, precedence, the Wallet Allocation Rule, similar customers,
currencies. Every expected number below is computed by hand in the comment beside it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from account_analysis import InputError
from account_analysis.analysis.wallet import (
    WALLET_COLUMNS,
    share_of_wallet,
    size_band,
    wallet_allocation_share,
)
from account_analysis.present.reasons import wallet_method

AS_OF = "2026-09-30"


def wallets(*rows):
    """rows: (group_id, as_of, annual_wallet cents or None, our_rank, n_suppliers, source
    [, currency])"""
    return pd.DataFrame(
        {
            "group_id": [r[0] for r in rows],
            "as_of": pd.to_datetime([r[1] for r in rows]),
            "annual_wallet": pd.array([r[2] for r in rows], dtype="Int64"),
            "currency": [r[6] if len(r) > 6 else "EUR" for r in rows],
            "our_rank": pd.array([r[3] for r in rows], dtype="Int64"),
            "n_suppliers": pd.array([r[4] for r in rows], dtype="Int64"),
            "source": [r[5] for r in rows],
            "competitors": ["X|Y" for _ in rows],
        }
    )


def groups(**revenue):
    return pd.DataFrame(
        {
            "group_id": list(revenue),
            "annual_revenue_cents": np.array(list(revenue.values()), dtype="int64"),
        }
    )


def accounts(sectors: dict):
    return pd.DataFrame({"account_id": list(sectors), "sector": list(sectors.values())})


NO_WALLETS = wallets()


def one(frame, group):
    return frame.set_index("group_id").loc[group]


# --------------------------------------------------------------------------- Wallet Allocation Rule


def test_wallet_allocation_rule_by_hand():
    # r=1, n=3: (1 - 1/4) * 2/3 = 0.75 * 0.6667 = 0.5
    # r=5, n=7: (1 - 5/8) * 2/7 = 0.375 * 0.2857 = 0.10714
    assert wallet_allocation_share([1, 5], [3, 7]) == pytest.approx([0.5, 0.375 * 2 / 7])
    # rank outside 1..n, or missing: no share
    assert np.isnan(wallet_allocation_share([0, 4, None], [3, 3, 3])).all()


@given(st.integers(1, 30))
@settings(max_examples=50, deadline=None)
def test_wallet_allocation_shares_add_up_to_one(n):
    assert wallet_allocation_share(np.arange(1, n + 1), np.full(n, n)).sum() == pytest.approx(1)


def test_estimate_from_rank_is_revenue_over_expected_share():
    g = groups(A=1_000_000)  # €10,000 a year, rank 1 of 3 → share 0.5 → wallet €20,000
    w = wallets(("A", "2026-06-30", None, 1, 3, "survey"))
    out = one(share_of_wallet(g, w, accounts({"A": "Zorg"}), AS_OF), "A")
    assert out["wallet_cents"] == 2_000_000
    assert out["wallet_source"] == "estimated"
    assert wallet_method(out) == "Wallet Allocation Rule from rank 1 of 3"
    assert out["share_of_wallet"] == pytest.approx(0.5)
    assert out["headroom_cents"] == 1_000_000
    assert (out["our_rank"], out["n_suppliers"], out["competitors"]) == (1, 3, "X|Y")


# --------------------------------------------------------------------------- latest as of


@pytest.mark.parametrize(
    "day, wallet, known_on",
    [
        ("2026-09-30", 2_000_000, "2026-06-30"),  # the 2026-12-31 row is not yet known
        ("2026-06-30", 2_000_000, "2026-06-30"),  # as_of on the day itself counts
        ("2026-06-29", 1_000_000, "2025-06-30"),
        ("2025-06-29", None, None),  # nothing known yet
    ],
)
def test_latest_row_known_on_the_day(day, wallet, known_on):
    w = wallets(
        ("A", "2026-12-31", 3_000_000, 1, 2, "stated"),
        ("A", "2025-06-30", 1_000_000, 1, 2, "stated"),
        ("A", "2026-06-30", 2_000_000, 2, 2, "stated"),
    )
    out = one(share_of_wallet(groups(A=500_000), w, accounts({"A": ""}), day), "A")
    if wallet is None:
        assert pd.isna(out["wallet_cents"]) and out["wallet_source"] == "unknown"
        assert wallet_method(out) == "no wallet known"
    else:
        assert out["wallet_cents"] == wallet and out["wallet_source"] == "stated"
        assert wallet_method(out) == f"stated by the customer ({known_on})"


def test_latest_row_wins_even_when_it_has_no_amount():
    # The newer survey knows the rank but not the amount: an estimate from the rank, not the
    # older stated amount.
    w = wallets(
        ("A", "2025-06-30", 9_000_000, 1, 3, "stated"), ("A", "2026-06-30", None, 2, 3, "survey")
    )
    out = one(share_of_wallet(groups(A=1_000_000), w, accounts({"A": ""}), AS_OF), "A")
    # r=2, n=3: (1 - 2/4) * 2/3 = 1/3 → 1,000,000 / (1/3) = 3,000,000
    assert out["wallet_cents"] == 3_000_000
    assert out["wallet_source"] == "estimated"


# --------------------------------------------------------------------------- precedence


def test_stated_before_recorded_estimate_before_rank_before_similar():
    g = groups(
        S=1_000_000,
        R=1_000_000,
        W=1_000_000,
        Q=20_000_000,
        P1=30_000_000,
        P2=40_000_000,
        P3=50_000_000,
        P4=60_000_000,
    )
    w = wallets(
        ("S", "2026-06-30", 5_000_000, 1, 3, "annual_report"),  # stated, rank ignored
        ("R", "2026-06-30", 7_000_000, 1, 3, "estimate"),  # recorded estimate
        ("W", "2026-06-30", None, 1, 3, "survey"),
    )  # rank → WAR
    sectors = accounts({k: "Zorg" for k in g["group_id"]})
    out = share_of_wallet(g, w, sectors, AS_OF).set_index("group_id")
    assert out.loc["S", ["wallet_cents", "wallet_source"]].tolist() == [5_000_000, "stated"]
    assert wallet_method(out.loc["S"]) == "from the customer's annual report (2026-06-30)"
    assert out.loc["R", ["wallet_cents", "wallet_source"]].tolist() == [7_000_000, "estimated"]
    assert wallet_method(out.loc["R"]) == "our own recorded estimate (2026-06-30)"
    unsourced = wallets(("A", "2026-06-30", 7_000_000, 1, 3, ""))
    u = one(share_of_wallet(groups(A=1), unsourced, accounts({}), AS_OF), "A")
    assert (u["wallet_source"], wallet_method(u)) == (
        "estimated",
        "recorded without a source (2026-06-30)",
    )
    assert out.loc["W", "wallet_cents"] == 2_000_000
    assert wallet_method(out.loc["W"]).startswith("Wallet Allocation Rule")
    assert wallet_method(out.loc["Q"]).startswith("90th percentile of similar customers")
    assert out.loc["Q", "wallet_source"] == "estimated"


def test_columns_and_order_follow_the_input():
    g = groups(B=100, A=200)
    out = share_of_wallet(g, NO_WALLETS, accounts({}), AS_OF)
    assert list(out.columns) == WALLET_COLUMNS
    assert out["group_id"].tolist() == ["B", "A"]
    assert str(out["wallet_cents"].dtype) == "Int64"
    assert (out["wallet_source"] == "unknown").all() and out["share_of_wallet"].isna().all()


# --------------------------------------------------------------------------- similar customers


def test_similar_customers_percentile_by_hand():
    # Five Zorg groups in size band 3 (€100k–€1m = 10M–100M cents): 20, 30, 40, 50, 60 M.
    # 90th percentile, linear: position 0.9 × 4 = 3.6 → 50M + 0.6 × 10M = 56M.
    # A Bouw group of 40M and a Zorg group in band 4 are no peers.
    g = groups(
        A=20_000_000,
        B=30_000_000,
        C=40_000_000,
        D=50_000_000,
        E=60_000_000,
        F=40_000_000,
        G=150_000_000,
    )
    sectors = accounts(
        {"A": "Zorg", "B": "Zorg", "C": "Zorg", "D": "Zorg", "E": "Zorg", "F": "Bouw", "G": "Zorg"}
    )
    out = share_of_wallet(g, NO_WALLETS, sectors, AS_OF).set_index("group_id")
    assert out.loc["A", "wallet_cents"] == 56_000_000
    assert wallet_method(out.loc["A"]) == "90th percentile of similar customers (Zorg, size band 3)"
    assert out.loc["A", "headroom_cents"] == 36_000_000
    assert out.loc["D", "wallet_cents"] == 56_000_000  # 56M > 50M
    assert out.loc["E", "wallet_source"] == "unknown"  # 56M does not exceed 60M
    assert out.loc["F", "wallet_source"] == "unknown"  # one Bouw group: too few peers
    assert out.loc["G", "wallet_source"] == "unknown"  # alone in band 4
    nl = share_of_wallet(g, NO_WALLETS, sectors, AS_OF, quantile=0.5)
    # median of 20..60M is 40M
    assert nl.loc[0, "wallet_cents"] == 40_000_000
    assert (
        wallet_method(nl.loc[0], "nl")
        == "50e percentiel van vergelijkbare klanten (Zorg, omvangklasse 3)"
    )


def test_size_bands_are_fixed_limits():
    assert size_band([0, 999_999, 1_000_000, 9_999_999, 10_000_000, 100_000_000]).tolist() == [
        1,
        1,
        2,
        2,
        3,
        4,
    ]


# --------------------------------------------------------------------------- currencies, edges


def test_foreign_wallet_is_converted_with_the_month_rate():
    w = wallets(("A", "2026-06-30", 1_000_000, 1, 3, "stated", "USD"))
    fx = pd.DataFrame(
        {"month": ["2026-05", "2026-06"], "currency": ["USD", "USD"], "rate": [0.5, 0.9]}
    )
    out = one(share_of_wallet(groups(A=450_000), w, accounts({"A": ""}), AS_OF, fx_rates=fx), "A")
    assert out["wallet_cents"] == 900_000  # 1,000,000 × 0.9 (June's rate)
    assert wallet_method(out) == "stated by the customer (2026-06-30), converted from USD"
    assert out["share_of_wallet"] == pytest.approx(0.5)


def test_foreign_wallet_half_cent_product_rounds_half_to_even_exactly():
    # GBP 18,207.75 × 1.14 = 20,756.835 exactly → 20,756.84; a float product gave .83.
    w = wallets(("A", "2026-06-30", 1_820_775, 1, 3, "stated", "GBP"))
    fx = pd.DataFrame({"month": ["2026-06"], "currency": ["GBP"], "rate": [1.14]})
    out = one(share_of_wallet(groups(A=1), w, accounts({"A": ""}), AS_OF, fx_rates=fx), "A")
    assert out["wallet_cents"] == 2_075_684


@pytest.mark.parametrize(
    "fx", [None, pd.DataFrame({"month": ["2026-05"], "currency": ["USD"], "rate": [0.5]})]
)
def test_foreign_wallet_without_rate_is_an_input_error(fx):
    w = wallets(
        ("A", "2026-06-30", 1_000_000, 1, 3, "stated", "EUR"),
        ("B", "2026-06-30", 1_000_000, 1, 3, "stated", "USD"),
    )
    with pytest.raises(InputError) as err:
        share_of_wallet(groups(A=1, B=1), w, accounts({}), AS_OF, fx_rates=fx)
    problem = err.value.problems[0]
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "wallets",
        3,
        "currency",
        "USD",
    )
    assert "USD in 2026-06" in problem.expected


def test_stated_wallet_below_our_revenue_has_no_negative_headroom():
    w = wallets(("A", "2026-06-30", 800_000, 1, 1, "stated"))
    out = one(share_of_wallet(groups(A=1_000_000), w, accounts({}), AS_OF), "A")
    assert out["headroom_cents"] == 0
    assert out["share_of_wallet"] == pytest.approx(1.25)


def test_inputs_are_not_mutated():
    g = groups(A=1_000_000, B=2)
    w = wallets(("A", "2026-06-30", None, 2, 4, "survey"), ("B", "2027-01-01", 5, 1, 1, "stated"))
    a = accounts({"A": "Zorg", "B": "Zorg"})
    before = [f.copy(deep=True) for f in (g, w, a)]
    share_of_wallet(g, w, a, AS_OF)
    for old, new in zip(before, (g, w, a), strict=True):
        pd.testing.assert_frame_equal(old, new)
