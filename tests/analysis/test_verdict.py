"""The verdict's facts: what moved for each assessed group since the previous period."""

from __future__ import annotations

import pandas as pd

from account_analysis.analysis.verdict import period_moves


def assessed(**overrides) -> pd.DataFrame:
    """Two assessed groups as the designation frame carries them (one row each)."""
    base = {
        "group_id": ["A", "B"], "name": ["Alfa", "Bravo"],
        "status": ["candidate", "near miss"], "recommendation": ["designate", "watch"],
        "decision": ["designate", None], "final": ["designate", "watch"],
        "share": [0.20, 0.04], "trend": [0.10, -0.02], "share_of_wallet": [0.30, None],
        "headroom_cents": [1_000_000, None], "open_escalations": [1, 0],
    }
    frame = pd.DataFrame({**base, **overrides})
    return frame.astype({"status": "str", "recommendation": "str", "decision": "str",
                         "final": "str", "headroom_cents": "Int64"})


def moved(frame: pd.DataFrame) -> list[tuple]:
    return list(frame[["group_id", "fact", "before", "now"]].itertuples(index=False, name=None))


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
    assert moved(out) == [("A", "decision", "designate", "decline"),
                          ("A", "headroom_cents", 1_000_000, 2_000_000),
                          ("B", "decision", None, "watch"), ("B", "headroom_cents", None, 5)]
    assert [type(v) for v in out["before"]] == [str, int, type(None), type(None)]
