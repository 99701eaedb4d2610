"""Account manager proposals: the optimal assignment (against brute force), the score and
its reasons, decisions that fix a pair, bad input, and the demo's story."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from conftest import make_dataset, read_rows, run_cli, set_cell, write_rows
from hypothesis import given, settings
from hypothesis import strategies as st

from account_analysis import Settings, build_cube, load_dataset, score_period
from account_analysis.analysis.assignment import (
    CHALLENGE_POINTS,
    COMPLAINT_POINTS,
    DEFAULT_CAPACITY,
    TRACK_POINTS,
    assign_account_managers,
    manager_load,
    optimal_assignment,
    score_managers,
    track_record,
)
from account_analysis.errors import InputError
from account_analysis.periods import window_for
from account_analysis.present.reasons import match_reason, with_assignment_reasons

# --------------------------------------------------------------------------- the core


def test_optimal_not_greedy():
    # Greedy would give group 0 its best manager (0) and leave group 1 with a poor one.
    scores = [[10, 9], [9, 0]]
    assert optimal_assignment(scores, [1, 1]).tolist() == [1, 0]


def test_capacity_repeats_a_manager_and_zero_capacity_is_never_used():
    scores = [[5, 9, 1], [5, 8, 1], [5, 7, 1]]
    result = optimal_assignment(scores, [3, 2, 0])
    assert sorted(result.tolist()) == [0, 1, 1]
    assert 2 not in result.tolist()


def test_more_groups_than_slots_leaves_the_weakest_unassigned():
    result = optimal_assignment([[1], [7], [3]], [2])
    assert result.tolist() == [-1, 0, 0]


def test_fixed_pair_is_kept_and_uses_a_slot():
    scores = [[9, 0], [8, 1]]
    assert optimal_assignment(scores, [1, 1], fixed=[(1, 0)]).tolist() == [1, 0]
    # Fixed beyond capacity: kept, and the manager gets nothing else.
    assert optimal_assignment(scores, [0, 1], fixed=[(0, 0)]).tolist() == [0, 1]


@pytest.mark.parametrize(
    "bad",
    [
        dict(scores=[[1, 2]], capacities=[1]),
        dict(scores=[[1, 2]], capacities=[1, -1]),
        dict(scores=[[np.nan, 2]], capacities=[1, 1]),
        dict(scores=[[1, 2]], capacities=[1, 1], fixed=[(0, 0), (0, 1)]),
        dict(scores=[[1, 2]], capacities=[1, 1], fixed=[(0, 2)]),
    ],
)
def test_core_refuses_malformed_arguments(bad):
    with pytest.raises(ValueError):
        optimal_assignment(**bad)


def _brute_force(scores, capacities, fixed):
    """Best total over every assignment of the free groups that assigns as many as the
    free slots allow, by enumeration."""
    n_groups, n_managers = scores.shape
    fixed_groups = {g for g, _ in fixed}
    left = np.array(capacities) - np.bincount([m for _, m in fixed], minlength=n_managers)
    left = np.maximum(left, 0)
    free = [g for g in range(n_groups) if g not in fixed_groups]
    must = min(len(free), int(left.sum()))
    best = None
    for choice in itertools.product(range(-1, n_managers), repeat=len(free)):
        picked = [m for m in choice if m >= 0]
        if len(picked) != must:
            continue
        if (np.bincount(picked, minlength=n_managers) > left).any():
            continue
        total = sum(scores[g, m] for g, m in zip(free, choice, strict=True) if m >= 0)
        best = total if best is None else max(best, total)
    return best, must


@st.composite
def fixtures(draw):
    n_groups = draw(st.integers(1, 5))
    n_managers = draw(st.integers(1, 4))
    # Few distinct values, so ties are common.
    scores = np.array(
        draw(
            st.lists(
                st.lists(
                    st.sampled_from([-5, 0, 1, 2, 3, 10]), min_size=n_managers, max_size=n_managers
                ),
                min_size=n_groups,
                max_size=n_groups,
            )
        ),
        dtype=float,
    )
    capacities = draw(st.lists(st.integers(0, 3), min_size=n_managers, max_size=n_managers))
    fixed_groups = draw(st.sets(st.integers(0, n_groups - 1), max_size=2))
    fixed = [(g, draw(st.integers(0, n_managers - 1))) for g in sorted(fixed_groups)]
    return scores, capacities, fixed


@settings(max_examples=400, deadline=None)
@given(fixtures())
def test_assignment_is_optimal_against_brute_force(case):
    scores, capacities, fixed = case
    result = optimal_assignment(scores, capacities, fixed)
    # Fixed pairs kept.
    for g, m in fixed:
        assert result[g] == m
    # Capacity never exceeded (a manager fixed beyond it gets nothing else).
    fixed_count = np.bincount([m for _, m in fixed], minlength=len(capacities))
    count = np.bincount(result[result >= 0], minlength=len(capacities))
    assert (count <= np.maximum(capacities, fixed_count)).all()
    # As many groups as the slots allow, every group when they suffice, and the optimum.
    best, must = _brute_force(scores, capacities, fixed)
    fixed_groups = {g for g, _ in fixed}
    free = [g for g in range(len(result)) if g not in fixed_groups]
    assigned = [g for g in free if result[g] >= 0]
    assert len(assigned) == must
    if must == len(free):
        assert (result >= 0).all()
    total = sum(scores[g, result[g]] for g in assigned)
    assert total == pytest.approx(best)


# --------------------------------------------------------------------------- the score


def _record(handled, complaints=None):
    frame = pd.DataFrame(handled, columns=["group_id", "manager_id", "revenue_cents"])
    return {
        "handled": frame,
        "group_cents": frame.groupby("group_id")["revenue_cents"].sum(),
        "manager_cents": frame.groupby("manager_id")["revenue_cents"].sum(),
        "complaints": pd.Series(complaints or {}, dtype="int64"),
    }


MANAGERS = pd.DataFrame(
    {
        "manager_id": ["M1", "M2", "M3"],
        "name": ["Ann", "Bob", "Cas"],
        "email": ["a@x.nl", "b@x.nl", "c@x.nl"],
        "capacity": pd.array([1, 2, None], dtype="Int64"),
        "wants_new_challenge": [False, True, False],
        "language": ["nl", "en", "nl"],
    }
)


def test_score_components_follow_the_documented_formula():
    record = _record(
        [("A", "M1", 300_000_000), ("A", "M2", 100_000_000), ("B", "M2", 100_000_000)],
        {"M1": 6, "M2": 1},
    )
    s = score_managers(record, ["A", "B"], MANAGERS).set_index(["group_id", "manager_id"])
    m1 = s.loc[("A", "M1")]
    assert m1["handled_share"] == 0.75 and m1["complaints_per_mln"] == 2.0
    assert m1["score"] == pytest.approx(TRACK_POINTS * 0.75 - COMPLAINT_POINTS * 2.0)
    m2 = s.loc[("A", "M2")]  # € 2 mln handled overall, 1 complaint: 0.5 per € 1 mln
    assert m2["complaints_per_mln"] == 0.5
    assert m2["score"] == pytest.approx(
        TRACK_POINTS * 0.25 + CHALLENGE_POINTS - COMPLAINT_POINTS * 0.5
    )
    # M3 handled nothing: no rate of its own, the average of all (7 per € 5 mln) counts.
    m3 = s.loc[("B", "M3")]
    assert np.isnan(m3["complaints_per_mln"])
    assert m3["complaint_points"] == pytest.approx(-COMPLAINT_POINTS * 7 / 5)
    assert m3["handled_share"] == 0 and m3["track_points"] == 0


def test_reason_cites_the_components_in_both_languages():
    row = {
        "handled_cents": 123_456_789,
        "handled_share": 0.945,
        "complaints_per_mln": 1.44,
        "wants_new_challenge": True,
    }
    en, nl = match_reason(row, "en"), match_reason(row, "nl")
    assert "€1.2m" in en and "94.5%" in en and "1.4 complaints" in en and "challenge" in en
    assert "€\xa01,2\xa0mln" in nl and "94,5%" in nl and "1,4 klachten" in nl and "uitdaging" in nl
    quiet = match_reason(
        {
            **row,
            "handled_cents": 0,
            "handled_share": 0.0,
            "complaints_per_mln": np.nan,
            "wants_new_challenge": False,
        }
    )
    assert "no revenue with this group" in quiet and "challenge" not in quiet


def _designated(groups, fixed=None):
    fixed = fixed or {}
    return pd.DataFrame(
        {
            "group_id": groups,
            "name": [f"Group {g}" for g in groups],
            "decided_account_manager": [fixed.get(g, "") for g in groups],
        }
    )


def test_decision_fixes_a_pair_and_is_flagged_when_it_differs():
    record = _record([("A", "M1", 300_000_000), ("B", "M2", 200_000_000)])
    scores = score_managers(record, ["A", "B"], MANAGERS)
    out = assign_account_managers(scores, _designated(["A", "B"], {"A": "M3"}), MANAGERS)
    out = with_assignment_reasons(out, MANAGERS)
    a, b = out.set_index("group_id").loc["A"], out.set_index("group_id").loc["B"]
    assert (a["manager_id"], a["source"], a["proposed_manager_id"]) == ("M3", "decision", "M1")
    assert a["differs"] and not a["over_capacity"]
    assert a["reason"].startswith("fixed by decision; the proposal would have been Ann")
    assert (b["manager_id"], b["source"], b["differs"]) == ("M2", "proposal", False)
    assert b["manager_email"] == "b@x.nl" and b["manager_language"] == "en"
    assert b["handled_cents"] == 200_000_000 and b["score"] == pytest.approx(
        scores.set_index(["group_id", "manager_id"]).at[("B", "M2"), "score"]
    )


def test_decision_beyond_capacity_is_honoured_and_flagged():
    managers = MANAGERS.assign(capacity=pd.array([0, 1, 1], dtype="Int64"))
    record = _record([("A", "M1", 100_000_000), ("B", "M1", 100_000_000)])
    scores = score_managers(record, ["A", "B"], managers)
    out = with_assignment_reasons(
        assign_account_managers(scores, _designated(["A", "B"], {"A": "M1"}), managers),
        managers,
        "nl",
    ).set_index("group_id")
    assert out.at["A", "manager_id"] == "M1" and out.at["A", "over_capacity"]
    assert "boven de capaciteit van 0" in out.at["A", "reason"]
    assert out.at["B", "manager_id"] != "M1"


def test_groups_beyond_the_slots_are_unassigned_and_say_so():
    managers = MANAGERS.assign(capacity=pd.array([1, 0, 0], dtype="Int64"))
    record = _record([("A", "M1", 100_000_000), ("A", "M2", 100_000_000), ("B", "M1", 300_000_000)])
    scores = score_managers(record, ["A", "B"], managers)
    out = with_assignment_reasons(
        assign_account_managers(scores, _designated(["A", "B"]), managers), managers
    ).set_index("group_id")
    assert out.at["B", "manager_id"] == "M1"
    assert out.at["A", "source"] == "unassigned" and pd.isna(out.at["A", "manager_id"])
    assert "1 slots for 2 Large Accounts" in out.at["A", "reason"]
    load = manager_load(out.reset_index(), managers).set_index("manager_id")
    assert load.at["M1", "assigned"] == 1 and load.at["M1", "free"] == 0


def test_empty_capacity_counts_as_the_default():
    load = manager_load(pd.DataFrame({"manager_id": pd.array([], dtype="str")}), MANAGERS)
    assert load.set_index("manager_id").at["M3", "capacity"] == DEFAULT_CAPACITY


def test_track_record_from_the_cube_and_the_complaints():
    ds = make_dataset(
        invoices={
            "invoice_id": ["F1", "F2", "F3", "F4"],
            "invoice_date": ["2026-03-01", "2026-04-01", "2026-05-01", "2023-01-01"],
            "billing_account": ["U1", "U2", "X", "U1"],
            "net_amount": [90_000, 10_000, 50_000, 70_000],
            "account_manager": ["M1", "M2", "M1", "M2"],
        },
        accounts={
            "account_id": ["G", "U1", "U2", "X"],
            "name": ["Grp", "U1", "U2", "X"],
            "postcode": ["1000 AA"] * 4,
            "country": ["NL"] * 4,
            "parent_id": ["", "G", "G", ""],
        },
        complaints={
            "complaint_id": ["K1", "K2", "K3"],
            "account_id": ["U1", "X", "X"],
            "opened_on": pd.to_datetime(["2026-02-01", "2026-02-01", "2020-01-01"]),
            "kind": ["complaint", "escalation", "complaint"],
            "closed_on": pd.to_datetime([None, None, None]),
            "status": ["open", "open", "open"],
            "account_manager": ["M1", "", "M1"],
        },
    )
    record = track_record(build_cube(ds, cache_dir=None), ds.complaints, window_for("2026-Q3"))
    handled = record["handled"].set_index(["group_id", "manager_id"])["revenue_cents"]
    assert handled.to_dict() == {("G", "M1"): 90_000, ("G", "M2"): 10_000, ("X", "M1"): 50_000}
    assert record["group_cents"].to_dict() == {"G": 100_000, "X": 50_000}
    assert record["manager_cents"].to_dict() == {"M1": 140_000, "M2": 10_000}
    # Only the complaint in the window with a manager counts.
    assert record["complaints"].to_dict() == {"M1": 1}


# --------------------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def demo(demo_dir, demo_dataset, demo_cube):
    ds, cube = demo_dataset, demo_cube

    def score(period, language="en"):
        return score_period(
            cube,
            ds,
            Settings.from_mapping(
                {"period": period, "dataset": str(demo_dir), "language": language}
            ),
        )

    return score


def test_demo_pieter_bakker_gets_the_two_groups_of_his_record(demo):
    # In the article one account manager wanted a new challenge and had a good record at
    # two of the three: in the demo Pieter Bakker (AM03) handled most of Zorggroep
    # Vlietstreek's and Polderland Bouwgroep's revenue; the board fixed the first.
    score = demo("2026-Q3", "nl")
    out = with_assignment_reasons(
        score.assignments, score.dataset.account_managers, "nl"
    ).set_index("group_id")
    assert out["manager_id"].to_dict() == {"C10001": "AM03", "C10041": "AM03", "C10055": "AM04"}
    assert out.at["C10001", "source"] == "decision" and not out.at["C10001", "differs"]
    assert out.at["C10041", "source"] == "proposal"
    assert out.at["C10041", "proposed_manager_id"] == "AM03"
    assert out.loc[["C10001", "C10041"], "handled_share"].min() > 0.9
    assert "wil een nieuwe uitdaging" in out.at["C10041", "reason"]
    assert out.at["C10041", "manager_name"] == "Pieter Bakker"
    assert not out["over_capacity"].any()


def test_demo_assignment_is_the_optimum_of_the_score_matrix(demo):
    score = demo("2026-Q3")
    matrix = score.manager_scores.pivot(index="group_id", columns="manager_id", values="score")
    out = score.assignments.set_index("group_id")
    total = sum(matrix.at[g, m] for g, m in out["manager_id"].items())
    caps = score.dataset.account_managers.set_index("manager_id")["capacity"]
    for combo in itertools.product(matrix.columns, repeat=len(matrix)):
        if combo[list(matrix.index).index("C10001")] != "AM03":
            continue  # fixed by decision
        if any(combo.count(m) > caps[m] for m in set(combo)):
            continue
        assert (
            sum(matrix.at[g, m] for g, m in zip(matrix.index, combo, strict=True)) <= total + 1e-9
        )


def test_demo_period_without_large_accounts_has_no_assignments(demo):
    score = demo("2026-Q2")
    watch = score.with_parts(designations=score.designations.assign(final="watch"))
    assert watch.assignments.empty
    assert len(score.assignments) == 3  # the demo designates three groups every quarter


# --------------------------------------------------------------------------- bad input


def test_decision_naming_an_unknown_manager_is_an_input_error(broken_copy):
    path = broken_copy / "decisions.csv"
    rows, _ = read_rows(path)
    row = next(i for i, r in enumerate(rows[1:], 2) if r[rows[0].index("account_manager")])
    set_cell(path, row, "account_manager", "AM99")
    result = run_cli("validate", broken_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"decisions.csv, row {row}, column account_manager: 'AM99'" in result.stderr
    assert "a manager_id that exists in account_managers" in result.stderr


def test_negative_capacity_is_an_input_error(broken_copy):
    set_cell(broken_copy / "account_managers.csv", 3, "capacity", "-1")
    result = run_cli("validate", broken_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "account_managers.csv, row 3, column capacity: '-1'" in result.stderr
    assert "a capacity of 0 or more" in result.stderr


def test_decision_naming_a_manager_without_a_managers_file(broken_copy):
    (broken_copy / "account_managers.csv").unlink()
    with pytest.raises(InputError, match="the dataset has no account_managers file"):
        from account_analysis.analysis.assignment import check_account_managers

        check_account_managers(load_dataset(broken_copy))


def test_capacity_zero_is_valid_input(broken_copy):
    path = broken_copy / "account_managers.csv"
    rows, sep = read_rows(path)
    rows[1][rows[0].index("capacity")] = "0"
    write_rows(path, rows, sep)
    assert run_cli("validate", broken_copy).returncode == 0
