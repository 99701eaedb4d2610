"""Large Account candidates, criteria, recommendation, decisions and changes.

Small hand-computed fixtures for each rule, a property over random candidate tables, and the
acceptance story on the demo data (24 months to 2026-09-30)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import make_dataset
from hypothesis import given, settings
from hypothesis import strategies as st

from account_analysis import build_cube, parse_period, window_for
from account_analysis.analysis.concentration import (
    candidates_above,
    concentration_table,
    concentration_trend,
)
from account_analysis.analysis.designation import (
    ASSESSED_COLUMNS,
    annual_revenue,
    assess_candidates,
    complaint_counts,
    designate_large_accounts,
    designation_changes,
)
from account_analysis.analysis.sensitivity import window_sensitivity
from account_analysis.consolidate.window import revenue_by_group
from account_analysis.present.reasons import rationale, with_rationale

NaT = pd.NaT
Q3 = parse_period("2026-Q3")


# --------------------------------------------------------------------------- annual revenue, trend


def test_trend_is_last_twelve_over_the_twelve_before():
    m = pd.DataFrame(
        {
            "group_id": ["A", "A", "A", "B", "C"],
            "month": ["2024-10", "2025-09", "2026-09", "2025-01", "2026-01"],
            "revenue_cents": [300, 100, 500, 80, 60],
        }
    )
    out = annual_revenue(m, window_for(Q3, 24)).set_index("group_id")
    # A: last 12 (2025-10..2026-09) = 500; prior 12 (2024-10..2025-09) = 300 + 100 = 400
    assert out.loc["A"].tolist() == [500, 400, pytest.approx(0.25)]
    # B: nothing in the last 12 → trend −100%
    assert out.loc["B", "trend"] == pytest.approx(-1.0)
    # C: no prior revenue → no trend
    assert out.loc["C", "prior_annual_revenue_cents"] == 0 and np.isnan(out.loc["C", "trend"])


def test_no_prior_year_in_a_short_window_and_short_windows_are_annualised():
    m = pd.DataFrame(
        {"group_id": ["A", "A"], "month": ["2026-07", "2026-09"], "revenue_cents": [100, 200]}
    )
    twelve = annual_revenue(m, window_for(Q3, 12))
    assert twelve.loc[0, "annual_revenue_cents"] == 300
    assert pd.isna(twelve.loc[0, "prior_annual_revenue_cents"])
    assert np.isnan(twelve.loc[0, "trend"])
    six = annual_revenue(m, window_for(Q3, 6))
    assert six.loc[0, "annual_revenue_cents"] == 600  # 300 in 6 months × 12/6


# --------------------------------------------------------------------------- complaints


def complaints(*rows):
    """rows: (account_id, opened_on, kind, closed_on, status)"""
    return pd.DataFrame(
        {
            "complaint_id": [f"K{i}" for i in range(len(rows))],
            "account_id": [r[0] for r in rows],
            "opened_on": pd.to_datetime([r[1] for r in rows]),
            "kind": [r[2] for r in rows],
            "closed_on": pd.to_datetime([r[3] for r in rows]),
            "status": [r[4] for r in rows],
        }
    )


def test_complaints_counted_in_the_window_per_group():
    c = complaints(
        ("a1", "2024-10-01", "complaint", "2024-10-05", "closed"),  # first day: in
        ("a2", "2024-09-30", "complaint", "2024-10-05", "closed"),  # day before: out
        ("a2", "2026-09-30", "complaint", None, "open"),  # last day: in
        ("a1", "2025-05-01", "escalation", "2025-06-01", "closed"),  # closed: not open
        ("a2", "2026-09-01", "escalation", "2026-10-02", "closed"),  # closed after: open
        ("a2", "2026-08-01", "escalation", None, "open"),  # open
        ("a1", "2024-01-01", "escalation", None, "open"),  # open, opened before
        ("a1", "2026-08-01", "escalation", None, "closed"),  # closed, no date: closed
        ("b1", "2026-10-01", "escalation", None, "open"),  # after the window
        ("zz", "2026-01-01", "complaint", None, "open"),  # account in no group
    )
    groups = pd.Series({"a1": "A", "a2": "A", "b1": "B"})
    out = complaint_counts(c, groups, window_for(Q3, 24)).set_index("group_id")
    # complaints: 2 in the window; escalations opened in it: 4; open on 2026-09-30: 3
    assert out.loc["A"].tolist() == [2, 4, 3]
    assert "B" not in out.index


# --------------------------------------------------------------------------- assess (small data)


def small_dataset(**tables):
    """Group G (top G, units G1, and S which joins G on 2026-06-01), group H, group K.

    Revenue (cents) over the 24 months to 2026-09-30: G 70000 + S 20000 = 90000 (S's lines
    before it joined count for G when restated), H 6000, K 4000; total 100000.
    """
    acc = {
        "account_id": ["G", "G1", "S", "H", "K"],
        "name": ["Groep G", "G eins", "Sub S", "Holding H", "K B.V."],
        "postcode": ["1234 AB"] * 5,
        "country": ["NL"] * 5,
        "parent_id": ["", "G", "G", "", ""],
        "parent_valid_from": [NaT, NaT, pd.Timestamp("2026-06-01"), NaT, NaT],
        "sector": ["Zorg", "Zorg", "Zorg", "Bouw", "Bouw"],
    }
    inv = {
        "invoice_id": ["F1", "F2", "F3", "F4", "F5", "F6", "F7"],
        "invoice_date": [
            "2025-01-15",
            "2026-02-15",
            "2025-03-01",
            "2026-09-01",
            "2025-11-01",
            "2026-04-01",
            "2023-01-01",
        ],
        "billing_account": ["G1", "G", "S", "H", "K", "G", "H"],
        "net_amount": [30000, 40000, 20000, 6000, 4000, 0, 99999],
    }
    return make_dataset(inv, acc, **tables)


def test_assess_candidates_on_a_small_dataset():
    ds = small_dataset(
        complaints={
            "complaint_id": ["K1", "K2", "K3"],
            "account_id": ["S", "S", "H"],
            "opened_on": pd.to_datetime(["2025-02-01", "2026-09-10", "2026-01-01"]),
            "kind": ["complaint", "escalation", "complaint"],
            "closed_on": pd.to_datetime([None, None, "2026-01-02"]),
            "status": ["closed", "open", "closed"],
        },
        wallets={
            "group_id": ["G"],
            "as_of": pd.to_datetime(["2026-06-30"]),
            "annual_wallet": pd.array([200000], dtype="Int64"),
            "currency": ["EUR"],
            "our_rank": pd.array([2], dtype="Int64"),
            "n_suppliers": pd.array([4], dtype="Int64"),
            "source": ["stated"],
            "competitors": ["X|Y|Z"],
        },
    )
    cons = build_cube(ds, cache_dir=None)
    out = assess_candidates(cons, ds, Q3.window(24), threshold=0.1, near_miss=0.5)
    assert list(out.columns) == ASSESSED_COLUMNS
    # shares: G 0.9, H 0.06, K 0.04; near miss from 0.05 → K is out
    assert out["group_id"].tolist() == ["G", "H"]
    assert out["status"].tolist() == ["candidate", "near miss"]
    g = out.set_index("group_id").loc["G"]
    assert (g["rank"], g["revenue_cents"], g["share"]) == (1, 90000, pytest.approx(0.9))
    # last 12 months (2025-10..2026-09): 40000; prior 12: 30000 + 20000 (S restated)
    assert (g["annual_revenue_cents"], g["prior_annual_revenue_cents"]) == (40000, 50000)
    assert g["trend"] == pytest.approx(-0.2)
    # stated wallet 200000 a year: share 40000 / 200000 = 0.2, headroom 160000
    assert g["wallet_source"] == "stated" and g["headroom_cents"] == 160000
    assert g["share_of_wallet"] == pytest.approx(0.2)
    assert (g["our_rank"], g["n_suppliers"], g["competitors"]) == (2, 4, "X|Y|Z")
    # S's complaints count for G (the group as of the window's end), also from before it joined
    assert (g["complaints"], g["escalations"], g["open_escalations"]) == (1, 1, 1)
    h = out.set_index("group_id").loc["H"]
    assert (h["complaints"], h["escalations"], h["wallet_source"]) == (1, 0, "unknown")


def test_assess_does_not_mutate_the_dataset():
    ds = small_dataset()
    before = {
        n: ds.table(n).copy(deep=True) for n in ("invoices", "accounts", "wallets", "complaints")
    }
    cons = build_cube(ds, cache_dir=None)
    cube = cons.cube.copy(deep=True)
    assess_candidates(cons, ds, Q3.window(24))
    for name, frame in before.items():
        pd.testing.assert_frame_equal(frame, ds.table(name))
    pd.testing.assert_frame_equal(cube, cons.cube)


def groups_dataset(cents):
    """One account (its own group) per amount, each with one invoice line of that amount in
    cents on 2026-03-01: a negative amount is a group with net credit."""
    ids = [f"C{10001 + i}" for i in range(len(cents))]
    acc = {
        "account_id": ids,
        "name": [f"Klant {i}" for i in ids],
        "postcode": ["1234 AB"] * len(ids),
        "country": ["NL"] * len(ids),
    }
    inv = {
        "invoice_id": [f"F{i}" for i in range(len(ids))],
        "invoice_date": ["2026-03-01"] * len(ids),
        "billing_account": ids,
        "net_amount": list(cents),
    }
    return make_dataset(inv, acc)


def test_a_credit_group_does_not_make_a_candidate_issue12():
    # issue 12: revenue [1000, 52, −100] made C10002 a candidate at 5.46% (52 / 952) in the
    # designation while candidates_above gave it 4.94% (52 / 1052).
    ds = groups_dataset([100000, 5200, -10000])
    cons = build_cube(ds, cache_dir=None)
    out = assess_candidates(cons, ds, Q3.window(24))
    assert out["group_id"].tolist() == ["C10001", "C10002"]
    assert out["status"].tolist() == ["candidate", "near miss"]
    assert out["share"].tolist() == [1000 / 1052, 52 / 1052]
    above = candidates_above(revenue_by_group(cons, Q3.window(24)), 0.05)
    assert above["group_id"].tolist() == ["C10001"]


@pytest.mark.parametrize("cents", [[0, 0], [-500, -100]], ids=["zero revenue", "only credit"])
def test_no_candidates_without_positive_revenue(cents):
    ds = groups_dataset(cents)
    out = assess_candidates(build_cube(ds, cache_dir=None), ds, Q3.window(24))
    assert len(out) == 0 and list(out.columns) == ASSESSED_COLUMNS
    assert len(designate_large_accounts(out, ds.decisions, Q3.label)) == 0


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=-(10**7), max_value=10**8), min_size=1, max_size=12))
def test_designation_and_candidates_above_agree(cents):
    """Every consumer of the share base reports one share per group and one candidate set."""
    ds = groups_dataset(cents)
    cons = build_cube(ds, cache_dir=None)
    window = Q3.window(24)
    table = concentration_table(revenue_by_group(cons, window)).set_index("group_id")
    out = assess_candidates(cons, ds, window)
    assert out["share"].tolist() == table["share"].reindex(out["group_id"]).tolist()
    assert out["rank"].tolist() == table["rank"].reindex(out["group_id"]).tolist()
    candidates = out.loc[out["status"] == "candidate", "group_id"].tolist()
    above = candidates_above(revenue_by_group(cons, window), 0.05)
    assert candidates == above["group_id"].tolist()
    designated = designate_large_accounts(out, ds.decisions, Q3.label)
    assert (
        designated.set_index("group_id")["share"].to_dict()
        == out.set_index("group_id")["share"].to_dict()
    )
    sens = window_sensitivity(cons, Q3.label, windows=(24,))
    assert sens.candidates[24] == frozenset(candidates)
    shares = sens.ranks.set_index("group_id")["share_24m"]
    assert shares.to_dict() == table["share"].reindex(shares.index).to_dict()
    trend = concentration_trend(cons, [Q3.label])
    assert trend["candidates"].iloc[0] == len(candidates)


# --------------------------------------------------------------------------- recommendation


def assessed_row(
    group,
    share,
    rank,
    n=7,
    status="candidate",
    sow=0.2,
    source="stated",
    headroom=1_000_000_00,
    trend=0.0,
    open_escalations=0,
    name=None,
):
    return {
        "group_id": group,
        "name": name or f"Groep {group}",
        "share": share,
        "our_rank": rank,
        "n_suppliers": n,
        "share_of_wallet": sow,
        "wallet_source": source,
        "headroom_cents": headroom,
        "trend": trend,
        "open_escalations": open_escalations,
        "status": status,
    }


def assessed(*rows):
    frame = pd.DataFrame(list(rows))
    return frame.astype(
        {
            "our_rank": "Int64",
            "n_suppliers": "Int64",
            "headroom_cents": "Int64",
            "share_of_wallet": "float64",
            "trend": "float64",
        }
    )


def decisions(*rows):
    """rows: (period, group_id, decision, ambition_top3)"""
    return pd.DataFrame(
        {
            "period": [r[0] for r in rows],
            "group_id": [r[1] for r in rows],
            "decision": [r[2] for r in rows],
            "reason": [f"reason {r[1]}" for r in rows],
            "decided_by": ["Directie" for _ in rows],
            "decided_on": pd.to_datetime(["2026-10-05" for _ in rows]),
            "account_manager": ["AM03" for _ in rows],
            "ambition_top3": pd.array([r[3] for r in rows], dtype="boolean"),
        }
    )


NO_DECISIONS = decisions()


def test_each_recommendation_branch():
    table = assessed(
        assessed_row("TOP", 0.12, 3, n=5, sow=0.46, headroom=140_000_000),
        assessed_row("AMB", 0.10, 5, n=7),
        assessed_row("NOT", 0.09, 4, n=6, sow=0.08, trend=-0.12, open_escalations=2),
        assessed_row("UNK", 0.08, None, n=None, sow=np.nan, source="unknown", headroom=None),
        assessed_row("NEAR", 0.035, 1, n=3, status="near miss"),
        assessed_row("AMBUNK", 0.06, None, n=None),
    )
    ds = decisions(
        ("2026-Q3", "AMB", "", True),
        ("2026-Q3", "AMBUNK", "", True),
        ("2026-Q2", "NOT", "designate", True),
    )  # Q2's ambition does not count in Q3
    out = designate_large_accounts(table, ds, Q3).set_index("group_id")
    assert out["recommendation"].to_dict() == {
        "TOP": "designate",
        "AMB": "designate",
        "NOT": "decline",
        "UNK": "watch",
        "AMBUNK": "designate",
        "NEAR": "watch",
    }
    assert out["reason"].to_dict() == {
        "TOP": "top3",
        "AMB": "ambition",
        "NOT": "not_top3",
        "UNK": "rank_unknown",
        "AMBUNK": "ambition",
        "NEAR": "near_miss",
    }
    why = with_rationale(out, 0.05)["rationale"]
    assert why["TOP"] == (
        "Groep TOP brings 12.0% of revenue; we are its 3rd supplier of 5 "
        "with a share of wallet of 46% and ≈\u00a0€1.4m headroom: recommended."
    )
    assert "only its 5th supplier of 7" in why["AMB"] and "ambition" in why["AMB"]
    assert why["NOT"] == (
        "Groep NOT brings 9.0% of revenue, but we are only its 4th supplier "
        "of 6 with a share of wallet of 8%: not recommended unless we state "
        "the ambition to reach the top 3. Revenue fell 12.0% over the last 12 "
        "months. 2 escalations are open."
    )
    assert "rank among its suppliers is unknown" in why["UNK"] and why["UNK"].endswith(
        "watch until it is known."
    )
    assert "below the 5% threshold" in why["NEAR"]
    assert "unknown, but we state the ambition" in why["AMBUNK"]
    nl = with_rationale(out, 0.05, "nl")
    assert nl.loc["TOP", "rationale"] == (
        "Groep TOP brengt 12,0% van de omzet; wij zijn de 3e van 5 leveranciers met een share "
        "of wallet van 46% en ≈\xa0€\xa01,4\xa0mln ruimte in de wallet: aanbevolen."
    )
    assert "slechts de 4e van 6 leveranciers" in nl.loc["NOT", "rationale"]
    assert (nl["recommendation"] == out["recommendation"].reindex(nl.index)).all()


def test_estimated_wallet_is_said_to_be_estimated():
    table = assessed(assessed_row("A", 0.1, 2, n=4, sow=0.3, source="estimated"))
    out = with_rationale(designate_large_accounts(table, NO_DECISIONS, Q3), 0.05)
    assert "an estimated share of wallet of 30%" in out.loc[0, "rationale"]


def test_decision_overrides_and_differs_flag():
    table = assessed(
        assessed_row("A", 0.12, 1),
        assessed_row("B", 0.10, 5),
        assessed_row("C", 0.08, 2),
        assessed_row("D", 0.04, 2, status="near miss"),
    )
    ds = decisions(
        ("2026-Q3", "A", "designate", False),
        ("2026-Q3", "B", "designate", False),
        ("2026-Q2", "C", "decline", False),
        ("2026-Q3", "X", "designate", False),
    )
    out = designate_large_accounts(table, ds, "2026-Q3").set_index("group_id")
    assert out["recommendation"].tolist() == ["designate", "decline", "designate", "watch"]
    assert out["final"].tolist() == ["designate", "designate", "designate", "watch"]
    assert out["differs"].tolist() == [False, True, False, False]
    assert out.loc["B", ["decision_reason", "decided_by", "decided_account_manager"]].tolist() == [
        "reason B",
        "Directie",
        "AM03",
    ]
    assert out.loc["B", "decided_on"] == pd.Timestamp("2026-10-05")
    assert pd.isna(out.loc["C", "decision"]) and pd.isna(out.loc["C", "decided_on"])
    assert "X" not in out.index  # a decision for a group not assessed adds no row


def test_two_decisions_for_one_group_in_a_period_are_an_input_error():
    from account_analysis import InputError

    ds = decisions(("2026-Q3", "A", "designate", False), ("2026-Q3", "A", "decline", False))
    with pytest.raises(InputError, match="one decision per group and period"):
        designate_large_accounts(assessed(assessed_row("A", 0.1, 1)), ds, Q3)


def test_inputs_not_mutated_by_designation():
    table = assessed(assessed_row("B", 0.1, 5), assessed_row("A", 0.12, 1))
    ds = decisions(("2026-Q3", "B", "watch", True))
    copies = table.copy(deep=True), ds.copy(deep=True)
    designate_large_accounts(table, ds, Q3)
    pd.testing.assert_frame_equal(copies[0], table)
    pd.testing.assert_frame_equal(copies[1], ds)


@st.composite
def candidate_tables(draw):
    n = draw(st.integers(1, 8))
    rows, ambitions = [], []
    for i in range(n):
        near = draw(st.booleans())
        n_sup = draw(st.one_of(st.none(), st.integers(1, 9)))
        rank = draw(st.one_of(st.none(), st.integers(1, n_sup or 9)))
        sow = draw(st.one_of(st.just(np.nan), st.floats(0.01, 1.5)))
        rows.append(
            assessed_row(
                f"G{i}",
                draw(st.floats(0.03, 0.049)) if near else draw(st.floats(0.05, 0.5)),
                rank,
                n=n_sup,
                status="near miss" if near else "candidate",
                sow=sow,
                source=draw(st.sampled_from(["stated", "estimated", "unknown"])),
                headroom=None if np.isnan(sow) else draw(st.integers(0, 10**10)),
                trend=draw(st.one_of(st.just(np.nan), st.floats(-1, 3))),
                open_escalations=draw(st.integers(0, 3)),
            )
        )
        if draw(st.booleans()):
            ambitions.append(
                (
                    "2026-Q3",
                    f"G{i}",
                    draw(st.sampled_from(["", "designate", "decline", "watch"])),
                    draw(st.booleans()),
                )
            )
    perm = draw(st.permutations(range(n)))
    return assessed(*rows), decisions(*ambitions), list(perm)


@pytest.mark.slow
@given(candidate_tables())
@settings(max_examples=250, deadline=None)
def test_recommendation_ignores_row_order_and_is_complete(case):
    table, ds, perm = case
    base = designate_large_accounts(table, ds, Q3).set_index("group_id")
    shuffled = designate_large_accounts(table.iloc[perm], ds.iloc[::-1], Q3).set_index("group_id")
    assert sorted(base.index) == sorted(table["group_id"])  # exactly one row per candidate
    assert base.index.is_unique
    cols = ["recommendation", "reason", "final", "differs"]
    pd.testing.assert_frame_equal(base[cols], shuffled.loc[base.index, cols])
    assert base["recommendation"].isin(["designate", "watch", "decline"]).all()
    for language in ("en", "nl"):
        text = with_rationale(base, 0.05, language)["rationale"]
        assert text.notna().all() and (text.str.len() > 20).all()
    # the rule itself
    near = base["status"] == "near miss"
    assert (base.loc[near, "recommendation"] == "watch").all()
    top3 = ~near & (base["our_rank"].fillna(99) <= 3)
    assert (base.loc[top3, "recommendation"] == "designate").all()


# --------------------------------------------------------------------------- changes


def test_changes_entered_left_kept():
    now = pd.DataFrame(
        {
            "group_id": ["A", "B", "C", "E"],
            "name": ["a", "b", "c", "e"],
            "share": [0.12, 0.10, 0.08, 0.06],
            "final": ["designate", "designate", "decline", "designate"],
        }
    )
    before = pd.DataFrame(
        {
            "group_id": ["A", "C", "D", "E"],
            "name": ["a", "c", "d", "e"],
            "share": [0.11, 0.09, 0.07, 0.05],
            "final": ["designate", "designate", "designate", "watch"],
        }
    )
    out = designation_changes(now, before)
    assert out[["group_id", "change"]].values.tolist() == [
        ["B", "entered"],
        ["E", "entered"],
        ["A", "kept"],
        ["C", "left"],
        ["D", "left"],
    ]
    d = out.set_index("group_id")
    assert d.loc["D", "name"] == "d" and np.isnan(d.loc["D", "share_now"])
    assert (d.loc["C", "share_now"], d.loc["C", "share_before"]) == (0.08, 0.09)
    assert np.isnan(d.loc["B", "share_before"])
    assert designation_changes(now, now)["change"].eq("kept").all()


# --------------------------------------------------------------------------- demo acceptance


@pytest.fixture(scope="module")
def demo(demo_dataset, demo_cube):
    return demo_dataset, demo_cube


def test_demo_story(demo):
    ds, cons = demo
    table = assess_candidates(cons, ds, Q3.window(24))
    out = designate_large_accounts(table, ds.decisions, Q3).set_index("group_id")
    candidates = out[out["status"] == "candidate"]
    assert sorted(candidates.index) == ["C10001", "C10023", "C10041", "C10055"]
    assert candidates["share"].sum() == pytest.approx(0.395, abs=0.01)
    designated = candidates.index[candidates["recommendation"] == "designate"]
    assert sorted(designated) == ["C10001", "C10041", "C10055"]
    vh = out.loc["C10023"]
    assert vh["recommendation"] == "decline" and vh["our_rank"] == 5
    assert "5th supplier of 7" in rationale(vh, 0.05)
    assert not candidates["differs"].any()
    assert (candidates["final"] == candidates["recommendation"]).all()
    assert out.loc["C10081", "status"] == "near miss"
    assert out.loc["C10041", "wallet_source"] == "estimated"  # survey gave rank, no amount
    assert "5e van 7 leveranciers" in rationale(vh, 0.05, "nl")


def test_demo_changes_since_previous_quarter(demo):
    ds, cons = demo
    now = designate_large_accounts(assess_candidates(cons, ds, Q3.window(24)), ds.decisions, Q3)
    q2 = Q3.previous()
    before = designate_large_accounts(assess_candidates(cons, ds, q2.window(24)), ds.decisions, q2)
    changes = designation_changes(now, before)
    # The three were designated in 2025-Q4 and are confirmed every quarter since.
    assert changes.set_index("group_id")["change"].to_dict() == {
        "C10001": "kept",
        "C10041": "kept",
        "C10055": "kept",
    }
    q4 = parse_period("2025-Q4")
    first = designate_large_accounts(assess_candidates(cons, ds, q4.window(24)), ds.decisions, q4)
    q3_2025 = q4.previous()
    without = designate_large_accounts(
        assess_candidates(cons, ds, q3_2025.window(24)), ds.decisions, q3_2025
    )
    # Before the first decisions only the recommendation counts: the largest group alone.
    assert designation_changes(first, without).set_index("group_id")["change"].to_dict() == {
        "C10041": "entered",
        "C10055": "entered",
        "C10001": "kept",
    }
