"""The verdict's facts: the dependency of a period (the single-customer mark, the top-3
mark, the HHI band) and what moved for each assessed group since the previous period.

The hand cases are worked out in cents so that every share is exact; the property tests
check the invariants on generated revenue and designation frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from account_analysis.analysis.concentration import (
    concentration_metrics,
    concentration_table,
    hhi_band,
)
from account_analysis.analysis.scenarios import loss_of_top
from account_analysis.analysis.verdict import (
    LEVELS,
    MOVE_CODES,
    MOVE_COLUMNS,
    MOVE_FACTS,
    MOVE_LINES,
    dependency,
    period_moves,
)

PROPERTY = settings(max_examples=50, deadline=None)
RANK = {level: i for i, level in enumerate(reversed(LEVELS))}  # low 0, elevated 1, high 2


def revenue(cents, names=True) -> pd.DataFrame:
    ids = [f"G{i:02d}" for i in range(len(cents))]
    out = pd.DataFrame({"group_id": ids, "revenue_cents": np.asarray(cents, dtype=np.int64)})
    return out.assign(name=[f"Group {i}" for i in ids]) if names else out


def dep(cents, major=0.10, top3=0.25, names=True):
    rev = revenue(cents, names)
    return dependency(
        concentration_table(rev), concentration_metrics(rev), loss_of_top(rev, 3), major, top3
    )


# --------------------------------------------------------------------------- dependency


def test_dependency_by_hand():
    # 1,000 cents over 15 groups: 12.5%, 10.5%, 9%, 7.5% and 11 × 5.5%.
    d = dep([125, 105, 90, 75] + [55] * 11)
    assert (d.largest_id, d.largest_name, d.largest_share) == ("G00", "Group G00", 0.125)
    assert d.major_customers == 2  # 12.5% and 10.5%; 9% is below the 10% mark
    assert d.top3_groups == 3 and d.top3_share == pytest.approx(0.32)
    # HHI = 12.5² + 10.5² + 9² + 7.5² + 11 · 5.5² = 156.25 + 110.25 + 81 + 56.25 + 332.75
    assert d.hhi == pytest.approx(736.5) and d.hhi_band == "unconcentrated"
    assert d.above_major_mark and d.above_top3_mark
    assert d.level == "high"
    assert (d.major_customer_mark, d.top3_loss_mark) == (0.10, 0.25)


def test_the_single_customer_mark_at_above_and_below():
    # At the mark: 10 of 100 is a major customer (10%, not "more than 10%").
    at = dep([10] + [9] * 10)
    assert at.largest_share == 0.10 and at.major_customers == 1 and at.above_major_mark
    assert at.hhi == pytest.approx(910.0) and at.level == "high"
    # Just below it: 9.999% is not, and the level falls to the top-3 mark's (28%).
    below = dep([9_999, 9_001] + [9_000] * 9)
    assert below.largest_share == pytest.approx(0.09999) and below.major_customers == 0
    assert not below.above_major_mark and below.top3_share == pytest.approx(0.28)
    assert below.hhi_band == "unconcentrated" and below.level == "elevated"
    # Above it, by the same cents under a lower mark.
    assert dep([9_999, 9_001] + [9_000] * 9, major=0.09).level == "high"


def test_the_top3_mark_at_and_below():
    # 9 + 8 + 8 = 25 of 100: exactly the 25% mark, no group at 10%, HHI 794.
    at = dep([9, 8, 8] + [8] * 9 + [3])
    assert at.top3_share == 0.25 and at.above_top3_mark and at.major_customers == 0
    assert at.hhi == pytest.approx(81 + 11 * 64 + 9) and at.level == "elevated"
    # 24.99%: below the mark, below the single-customer mark, unconcentrated: low.
    below = dep([900, 800, 799] + [799] * 9 + [310])
    assert below.top3_share == pytest.approx(0.2499) and not below.above_top3_mark
    assert below.hhi_band == "unconcentrated" and below.level == "low"


def test_the_count_of_major_customers_follows_the_mark():
    cents = [300, 200, 150, 100, 99, 99, 52]  # 30%, 20%, 15%, 10%, 9.9%, 9.9%, 5.2%
    assert [dep(cents, major=m).major_customers for m in (0.10, 0.15, 0.2, 0.31)] == [4, 3, 2, 0]


def test_the_hhi_band_lifts_the_level_only_under_raised_marks():
    # 30/30/20/20: HHI 2,600, highly concentrated; largest 30% and top-3 80% are below
    # marks of 50% and 90%, so the level is the band's.
    highly = dep([30, 30, 20, 20], major=0.5, top3=0.9)
    assert highly.hhi == pytest.approx(2600) and highly.hhi_band == "highly"
    assert not highly.above_major_mark and not highly.above_top3_mark
    assert highly.level == "high"
    # Ten groups of 10%: HHI 1,000, moderately concentrated: elevated under those marks.
    moderate = dep([10] * 10, major=0.5, top3=0.9)
    assert moderate.hhi == pytest.approx(1000) and moderate.hhi_band == "moderately"
    assert moderate.level == "elevated"
    # Unconcentrated and below both marks: low.
    assert dep([1] * 20, major=0.5, top3=0.9).level == "low"


def test_fewer_than_three_groups_and_no_names():
    d = dep([700, 300], names=False)
    assert d.top3_groups == 2 and d.top3_share == 1.0
    assert d.largest_name == d.largest_id == "G00"  # no name: the id stands in
    assert d.hhi == pytest.approx(5800) and d.hhi_band == "highly" and d.level == "high"


@pytest.mark.parametrize(
    "cents", [[], [0, -100], [-5]], ids=["no groups", "zero and credit", "only credit"]
)
def test_no_group_with_revenue(cents):
    d = dep(cents)
    assert (d.largest_id, d.largest_name, d.hhi_band) == ("", "", "")
    assert math.isnan(d.largest_share) and math.isnan(d.top3_share) and math.isnan(d.hhi)
    assert d.major_customers == 0 and d.top3_groups == 0
    assert not d.above_major_mark and not d.above_top3_mark
    assert d.level == "low"


# A revenue frame: up to 25 groups, some with credit (left out of every share); or 10 to
# 30 groups of similar size, so that the largest is often below 10% and the HHI low.
cents_lists = st.one_of(
    st.lists(st.integers(-1_000, 1_000_000), min_size=0, max_size=25),
    st.lists(st.integers(400_000, 1_000_000), min_size=10, max_size=30),
)
marks = st.floats(0.01, 1.0)


def level_from_rules(d) -> str:
    """The level as docs/analysis.md states it."""
    if d.above_major_mark or d.hhi_band == "highly":
        return "high"
    if d.above_top3_mark or d.hhi_band == "moderately":
        return "elevated"
    return "low"


@PROPERTY
@given(cents_lists, marks, marks)
def test_dependency_invariants(cents, major, top3):
    d = dep(cents, major, top3)
    shares = concentration_table(revenue(cents))["share"]
    assert d.level in LEVELS and d.level == level_from_rules(d)
    if shares.empty:
        assert d.largest_id == "" and d.level == "low"
        return
    assert 0 < d.largest_share <= d.top3_share <= 1
    assert d.largest_share == shares.max()
    assert d.top3_groups == min(3, len(shares))
    assert d.major_customers == int((shares >= major).sum())
    assert (d.major_customers > 0) == d.above_major_mark
    assert d.major_customers <= math.floor(1 / major + 1e-9)  # shares add up to 1
    assert {
        "highly": "highly concentrated",
        "moderately": "moderately concentrated",
        "unconcentrated": "unconcentrated",
    }[d.hhi_band] == hhi_band(d.hhi)


@PROPERTY
@given(cents_lists.filter(lambda c: any(x > 0 for x in c)), st.integers(0, 5_000_000), marks, marks)
def test_the_level_never_falls_as_the_largest_group_grows(cents, more, major, top3):
    grown = list(cents)
    grown[int(np.argmax(grown))] += more
    before, after = dep(cents, major, top3), dep(grown, major, top3)
    assert after.largest_share >= before.largest_share - 1e-12
    assert RANK[after.level] >= RANK[before.level]


@PROPERTY
@given(cents_lists, marks, marks, st.floats(0.01, 1.0))
def test_a_lower_mark_never_lowers_the_level(cents, major, top3, factor):
    strict, lenient = dep(cents, major, top3), dep(cents, major * factor, top3 * factor)
    assert RANK[lenient.level] >= RANK[strict.level]
    assert lenient.major_customers >= strict.major_customers


@PROPERTY
@given(cents_lists, marks, st.floats(0.01, 0.10))
def test_under_the_default_single_customer_mark_the_hhi_never_decides(cents, top3, major):
    """An HHI of 1,000 or more needs a group of 10% or more (Σ sᵢ² ≤ max sᵢ), so with
    the mark at 10% or below the two marks alone give the level."""
    d = dep(cents, major, top3)
    by_marks = "high" if d.above_major_mark else "elevated" if d.above_top3_mark else "low"
    assert d.level == by_marks


# --------------------------------------------------------------------------- moves


def assessed(**overrides) -> pd.DataFrame:
    """Two assessed groups as the designation frame carries them (one row each)."""
    base = {
        "group_id": ["A", "B"],
        "name": ["Alfa", "Bravo"],
        "status": ["candidate", "near miss"],
        "recommendation": ["designate", "watch"],
        "decision": ["designate", None],
        "final": ["designate", "watch"],
        "share": [0.20, 0.04],
        "trend": [0.10, -0.02],
        "share_of_wallet": [0.30, None],
        "headroom_cents": [1_000_000, None],
        "open_escalations": [1, 0],
    }
    frame = pd.DataFrame({**base, **overrides})
    return frame.astype(
        {
            "status": "str",
            "recommendation": "str",
            "decision": "str",
            "final": "str",
            "headroom_cents": "Int64",
        }
    )


def moved(frame: pd.DataFrame) -> list[tuple]:
    return list(frame[["group_id", "fact", "before", "now"]].itertuples(index=False, name=None))


def test_nothing_moved_is_empty():
    out = period_moves(assessed(), assessed())
    assert out.empty and list(out.columns) == MOVE_COLUMNS


# For each figure of MOVE_LINES: the first group's value, moved just to its line and just
# short of it (headroom: 10% of its previous 1,000,000 cents).
FIGURE_CASES = {
    "share": ([0.20, 0.04], [0.205, 0.04], [0.2049, 0.04]),
    "trend": ([0.10, -0.02], [0.05, -0.02], [0.0501, -0.02]),
    "share_of_wallet": ([0.30, None], [0.32, None], [0.3199, None]),
    "headroom_cents": ([1_000_000, None], [900_000, None], [900_001, None]),
    "open_escalations": ([1, 0], [2, 0], [1, 0]),
}


def test_every_line_has_a_case():
    assert set(FIGURE_CASES) == set(MOVE_LINES)


@pytest.mark.parametrize("fact", sorted(MOVE_LINES))
def test_a_figure_moves_at_its_line_and_not_short_of_it(fact):
    before_values, at_line, short = FIGURE_CASES[fact]
    before = assessed(**{fact: before_values})
    out = period_moves(assessed(**{fact: at_line}), before)
    assert moved(out) == [("A", fact, before_values[0], at_line[0])]
    assert period_moves(assessed(**{fact: short}), before).empty


@pytest.mark.parametrize("fact", MOVE_CODES)
def test_a_code_moves_when_it_differs(fact):
    before = assessed()
    other = {"status": "near miss"}.get(fact, "decline")  # Alfa's only; Bravo's kept
    now = before.assign(**{fact: [other, before[fact].iloc[1]]})
    assert moved(period_moves(now, before)) == [("A", fact, before[fact].iloc[0], other)]


def test_a_code_or_figure_appearing_or_disappearing_moves():
    # Bravo gets its first decision and a share of wallet: each a move from None.
    now = assessed(decision=["designate", "watch"], share_of_wallet=[0.30, 0.25])
    assert moved(period_moves(now, assessed())) == [
        ("B", "decision", None, "watch"),
        ("B", "share_of_wallet", None, 0.25),
    ]
    assert moved(period_moves(assessed(), now)) == [
        ("B", "decision", "watch", None),
        ("B", "share_of_wallet", 0.25, None),
    ]


def test_several_moves_largest_group_first_facts_in_order():
    now = assessed(
        final=["decline", "designate"],
        decision=["decline", None],
        share=[0.21, 0.05],
        open_escalations=[3, 0],
        status=["candidate"] * 2,
        recommendation=["designate", "designate"],
    )
    out = period_moves(now, assessed())
    assert moved(out) == [
        ("A", "decision", "designate", "decline"),
        ("A", "final", "designate", "decline"),
        ("A", "share", 0.20, 0.21),
        ("A", "open_escalations", 1, 3),
        ("B", "status", "near miss", "candidate"),
        ("B", "recommendation", "watch", "designate"),
        ("B", "final", "watch", "designate"),
        ("B", "share", 0.04, 0.05),
    ]
    assert out["name"].tolist()[:4] == ["Alfa"] * 4
    # The figures' types: whole numbers for headroom and escalations, floats for the rest.
    assert type(out.loc[3, "now"]) is int and type(out.loc[2, "now"]) is float


def test_membership_changes_are_one_status_move():
    previous = assessed()
    # Charlie is assessed for the first time, Bravo no longer: one status move each, their
    # figures not repeated; the larger (by this period's share, else the previous one's) first.
    charlie = assessed().iloc[[1]].assign(group_id="C", name="Charlie", share=0.06)
    now = pd.concat([assessed().iloc[[0]], charlie], ignore_index=True)
    out = period_moves(now, previous)
    assert moved(out) == [("C", "status", None, "near miss"), ("B", "status", "near miss", None)]
    assert out["name"].tolist() == ["Charlie", "Bravo"]
    # Nobody assessed before: every group is new.
    empty = previous.iloc[0:0]
    assert moved(period_moves(previous, empty)) == [
        ("A", "status", None, "candidate"),
        ("B", "status", None, "near miss"),
    ]
    assert period_moves(empty, empty).empty


def test_a_missing_value_stays_none_beside_values_of_its_kind():
    """Regression: a column of moves holding only text and None (or only whole numbers and
    None) was inferred as text with NaN (or as floats), so a group entering and another
    leaving in the same period read "nan", and the verdict's words failed on it."""
    previous = assessed()
    charlie = previous.iloc[[1]].assign(group_id="C", name="Charlie", share=0.06)
    out = period_moves(pd.concat([previous.iloc[[0]], charlie], ignore_index=True), previous)
    assert moved(out) == [("C", "status", None, "near miss"), ("B", "status", "near miss", None)]
    assert out.loc[0, "before"] is None and out.loc[1, "now"] is None
    now = assessed(headroom_cents=[2_000_000, 5], decision=["decline", "watch"])
    out = period_moves(now, assessed())
    assert moved(out) == [
        ("A", "decision", "designate", "decline"),
        ("A", "headroom_cents", 1_000_000, 2_000_000),
        ("B", "decision", None, "watch"),
        ("B", "headroom_cents", None, 5),
    ]
    assert [type(v) for v in out["before"]] == [str, int, type(None), type(None)]


def test_headroom_is_measured_against_its_previous_value():
    # 10% of the previous value: 1,000,000 → 1,100,000 moves (+10%), back does not (−9.1%).
    up = assessed(headroom_cents=[1_100_000, None])
    assert moved(period_moves(up, assessed())) == [("A", "headroom_cents", 1_000_000, 1_100_000)]
    assert period_moves(assessed(), up).empty
    # From zero any cent is a move.
    zero = assessed(headroom_cents=[0, None])
    assert len(period_moves(assessed(headroom_cents=[1, None]), zero)) == 1


def test_moves_do_not_mutate_their_inputs():
    now, before = assessed(share=[0.3, 0.04]), assessed()
    copies = now.copy(), before.copy()
    period_moves(now, before)
    pd.testing.assert_frame_equal(now, copies[0])
    pd.testing.assert_frame_equal(before, copies[1])


# A designation frame of up to 6 groups out of 8 ids, each fact drawn near the others so
# that moves past and short of each line both occur.
IDS = [f"G{i}" for i in range(8)]
codes = st.sampled_from(["designate", "decline", "watch", None])


@st.composite
def designations(draw) -> pd.DataFrame:
    ids = draw(st.lists(st.sampled_from(IDS), unique=True, max_size=6))
    rows = []
    for group_id in ids:
        rows.append(
            {
                "group_id": group_id,
                "name": f"Name {group_id}",
                "status": draw(st.sampled_from(["candidate", "near miss"])),
                "recommendation": draw(codes),
                "decision": draw(codes),
                "final": draw(codes),
                "share": draw(st.sampled_from([0.03, 0.034, 0.035, 0.05, 0.06, 0.12])),
                "trend": draw(st.sampled_from([-0.2, -0.15, 0.0, 0.04, 0.05, None])),
                "share_of_wallet": draw(st.sampled_from([0.1, 0.11, 0.12, 0.5, None])),
                "headroom_cents": draw(st.sampled_from([0, 1, 100, 109, 110, 1_000, None])),
                "open_escalations": draw(st.integers(0, 3)),
            }
        )
    columns = ["group_id", "name", *MOVE_FACTS]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(
        {
            "group_id": "str",
            "name": "str",
            "status": "str",
            "recommendation": "str",
            "decision": "str",
            "final": "str",
            "share": "float64",
            "trend": "float64",
            "share_of_wallet": "float64",
            "headroom_cents": "Int64",
            "open_escalations": "int64",
        }
    )


@PROPERTY
@given(designations())
def test_a_period_against_itself_has_no_moves(frame):
    assert period_moves(frame, frame).empty


@PROPERTY
@given(designations(), designations())
def test_moves_are_symmetric_in_before_and_now(now, before):
    """Swapping the periods swaps before and now (headroom aside: its line is a share of
    the previous value, so it is symmetric only where both sides move it)."""

    def pairs(frame):
        return {(g, f): (b, n) for g, f, b, n in moved(frame) if f != "headroom_cents"}

    forward, backward = pairs(period_moves(now, before)), pairs(period_moves(before, now))
    assert forward == {k: (n, b) for k, (b, n) in backward.items()}


@PROPERTY
@given(designations(), designations())
def test_each_move_is_past_its_line_and_each_group_is_assessed(now, before):
    out = period_moves(now, before)
    assert list(out.columns) == MOVE_COLUMNS
    assert set(out["group_id"]) <= set(now["group_id"]) | set(before["group_id"])
    assert not out.duplicated(["group_id", "fact"]).any()
    only_one = set(now["group_id"]) ^ set(before["group_id"])
    assert set(out.loc[out["group_id"].isin(only_one), "fact"]) <= {"status"}
    assert only_one <= set(out["group_id"])  # entering or leaving is always a move
    for row in out.itertuples(index=False):
        assert row.before != row.now
        if row.fact in MOVE_LINES and row.before is not None and row.now is not None:
            line = MOVE_LINES[row.fact]
            if row.fact == "headroom_cents":
                line = line * abs(row.before) or 1
            assert abs(row.now - row.before) >= line - 1e-9
