"""Revenue concentration over customer groups: shares, ranks and top-N."""

from __future__ import annotations

import pandas as pd


def concentration_table(revenue: pd.DataFrame) -> pd.DataFrame:
    """Rank, share and cumulative share per group, largest first.

    Takes a frame with ``group_id`` and ``revenue_cents`` (other columns are kept) and
    returns it with ``rank``, ``share`` and ``cumulative_share`` added. Does not mutate
    its input.

    >>> df = pd.DataFrame({"group_id": ["a", "b", "c"], "revenue_cents": [100, 300, 600]})
    >>> concentration_table(df)[["group_id", "rank", "share", "cumulative_share"]]
      group_id  rank  share  cumulative_share
    0        c     1    0.6               0.6
    1        b     2    0.3               0.9
    2        a     3    0.1               1.0
    """
    out = revenue.sort_values(["revenue_cents", "group_id"], ascending=[False, True],
                              ignore_index=True)
    total = out["revenue_cents"].sum()
    share = out["revenue_cents"] / total if total else out["revenue_cents"] * 0.0
    return out.assign(
        rank=range(1, len(out) + 1),
        share=share,
        cumulative_share=share.cumsum(),
    )
