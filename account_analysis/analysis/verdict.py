"""The verdict of a period, as facts: how dependent revenue is on a few customer groups
(:func:`dependency`) and what moved since the previous period (:func:`period_moves`).

**Dependency** is judged by three rules, each giving its own level; the report names the
rule beside the level:

- *the single-customer mark* (``major_customer_mark``, 10% by default): a customer group
  bringing at least this share of revenue is a major customer, the line of the US GAAP
  ASC 280 and IFRS 8 major-customer disclosure and the usual due-diligence check;
- *the top-3 mark* (``top3_loss_mark``, 25% by default): the revenue lost if the three
  largest groups leave, a due-diligence rule of thumb (ours, a setting);
- *the HHI band* (:func:`~account_analysis.analysis.concentration.hhi_band`): a market
  measure from the US 2023 merger guidelines, shown beside the other two, never alone.

The marks are settings (``params/defaults.yaml`` is their one source); the level is
``high`` when a group is at or above the single-customer mark or the HHI is highly
concentrated, ``elevated`` when only the top-3 mark is reached or the HHI is moderately
concentrated, else ``low``.

**Moves** compare each assessed group (candidate or near miss) of this period with the
previous period's assessment of it (the designation frames of
:class:`~account_analysis.analysis.scoring.PeriodScore`, its one source): its status,
recommendation, decision and final designation; its share of revenue, 12-month trend,
share of wallet, headroom and open escalations. A figure has moved when it changed by at
least its line in :data:`MOVE_LINES` (named once, here); a code when it is different. No
moves means nothing moved.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .concentration import HHI_BANDS

LEVELS = ("high", "elevated", "low")
# The level each HHI band gives (a key of concentration.HHI_BANDS; "" without revenue).
BAND_LEVELS = {"highly": "high", "moderately": "elevated", "unconcentrated": "low"}
# What counts as moved between two periods: a figure changed by at least this much.
MOVE_LINES = {
    "share": 0.005,  # share of revenue: half a percentage point
    "trend": 0.05,  # 12-month trend: 5 percentage points
    "share_of_wallet": 0.02,  # share of wallet: 2 percentage points
    "headroom_cents": 0.10,  # headroom in the wallet: 10% of its previous value
    "open_escalations": 1,  # open escalations: any change
}
MOVE_CODES = ("status", "recommendation", "decision", "final")  # moved when different
MOVE_FACTS = (*MOVE_CODES, *MOVE_LINES)  # the order moves are listed in, per group
MOVE_COLUMNS = ["group_id", "name", "fact", "before", "now"]


@dataclass(frozen=True)
class Dependency:
    """How dependent revenue is on a few customer groups: the measured values, the marks
    they are judged by and the level (a code of :data:`LEVELS`).

    ``largest_id``, ``largest_name``, ``largest_share``: the largest group (empty and NaN
    without revenue); ``major_customers``: how many groups are at or above
    ``major_customer_mark``; ``top3_share``: the share lost if the ``top3_groups`` largest
    leave (at most 3); ``hhi`` and ``hhi_band`` (a key of
    :data:`~account_analysis.analysis.concentration.HHI_BANDS`, ``""`` without revenue).

    >>> d = Dependency("high", "a", "A", 0.125, 2, 0.10, 3, 0.32, 0.25, 450.0, "unconcentrated")
    >>> d.above_major_mark, d.above_top3_mark
    (True, True)
    """

    level: str
    largest_id: str
    largest_name: str
    largest_share: float
    major_customers: int
    major_customer_mark: float
    top3_groups: int
    top3_share: float
    top3_loss_mark: float
    hhi: float
    hhi_band: str

    @property
    def above_major_mark(self) -> bool:
        return bool(self.largest_share >= self.major_customer_mark)

    @property
    def above_top3_mark(self) -> bool:
        return bool(self.top3_share >= self.top3_loss_mark)


def dependency(
    concentration: pd.DataFrame,
    metrics: dict,
    loss_top3: dict,
    major_customer_mark: float,
    top3_loss_mark: float,
) -> Dependency:
    """The :class:`Dependency` of a period from the figures the report shows elsewhere:
    ``concentration`` (:func:`~account_analysis.analysis.concentration.concentration_table`),
    ``metrics`` (:func:`~account_analysis.analysis.concentration.concentration_metrics`) and
    ``loss_top3`` (:func:`~account_analysis.analysis.scenarios.loss_of_top` with n = 3).
    Does not mutate its inputs.

    >>> from account_analysis.analysis.concentration import concentration_metrics, \\
    ...     concentration_table
    >>> from account_analysis.analysis.scenarios import loss_of_top
    >>> rev = pd.DataFrame({"group_id": list("abcdefghijklmno"), "name": list("ABCDEFGHIJKLMNO"),
    ...                     "revenue_cents": [125, 105, 90, 75] + [55] * 11})
    >>> d = dependency(concentration_table(rev), concentration_metrics(rev),
    ...                loss_of_top(rev, 3), 0.10, 0.25)
    >>> d.level, d.largest_name, d.largest_share, d.major_customers, round(d.top3_share, 3)
    ('high', 'A', 0.125, 2, 0.32)
    >>> d.hhi_band, dependency(concentration_table(rev), concentration_metrics(rev),
    ...                        loss_of_top(rev, 3), 0.15, 0.25).level
    ('unconcentrated', 'elevated')
    """
    if concentration.empty:
        largest_id, largest_name, largest = "", "", float("nan")
        majors = 0
    else:
        top = concentration.iloc[0]
        largest_id = str(top["group_id"])
        name = top.get("name")
        largest_name = name if isinstance(name, str) and name else largest_id
        largest = float(top["share"])
        majors = int((concentration["share"] >= major_customer_mark).sum())
    band = {v: k for k, v in HHI_BANDS.items()}.get(metrics["hhi_band"], "")
    top3 = float(loss_top3["at_risk_share"]) if len(loss_top3["lost"]) else float("nan")
    out = Dependency(
        level="low",
        largest_id=largest_id,
        largest_name=largest_name,
        largest_share=largest,
        major_customers=majors,
        major_customer_mark=float(major_customer_mark),
        top3_groups=len(loss_top3["lost"]),
        top3_share=top3,
        top3_loss_mark=float(top3_loss_mark),
        hhi=float(metrics["hhi"]),
        hhi_band=band,
    )
    by_rule = (
        "high" if out.above_major_mark else "low",
        "elevated" if out.above_top3_mark else "low",
        BAND_LEVELS.get(band, "low"),
    )
    level = min(by_rule, key=LEVELS.index)  # the highest level any rule gives
    return Dependency(**{**out.__dict__, "level": level})


# --------------------------------------------------------------------------- moves


def _moved(fact: str, before, now) -> bool:
    """Whether ``fact`` moved from ``before`` to ``now`` (missing on one side is a move,
    missing on both is not)."""
    gone, there = pd.isna(before), pd.isna(now)
    if gone or there:
        return bool(gone != there)
    if fact in MOVE_CODES:
        return str(before) != str(now)
    line = MOVE_LINES[fact]
    if fact == "headroom_cents":
        base = abs(float(before))
        return abs(float(now) - float(before)) >= (line * base if base else 1)
    return bool(abs(float(now) - float(before)) >= line - 1e-12)


def _value(frame: pd.DataFrame, group_id, fact: str):
    if group_id not in frame.index:
        return None
    value = frame.at[group_id, fact]
    if pd.isna(value) or (isinstance(value, str) and value == ""):
        return None
    if fact in MOVE_CODES:
        return str(value)
    return int(value) if fact in ("headroom_cents", "open_escalations") else float(value)


def period_moves(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """What moved for each assessed group between the previous period and this one.

    ``current``, ``previous``: the designation frames of the two periods (as from
    :func:`~account_analysis.analysis.designation.designate_large_accounts`: ``group_id``,
    ``name`` and the columns of :data:`MOVE_FACTS`). A group assessed in only one of them
    has one move, its ``status`` (``None`` on the side where it was not assessed). Returns
    one row per moved fact: ``group_id``, ``name``, ``fact`` (a key of :data:`MOVE_FACTS`),
    ``before`` and ``now`` (the values, ``None`` where missing: codes as text,
    ``headroom_cents`` and ``open_escalations`` as whole numbers, the rest as floats);
    groups largest first (by this period's share, else the previous one's), facts in the
    order of :data:`MOVE_FACTS`. Empty when nothing moved. Does not mutate its inputs.

    >>> now = pd.DataFrame({"group_id": ["A"], "name": ["Alfa"], "status": ["candidate"],
    ...     "recommendation": ["decline"], "decision": ["decline"], "final": ["decline"],
    ...     "share": [0.105], "trend": [-0.12], "share_of_wallet": [0.105],
    ...     "headroom_cents": [4_265], "open_escalations": [4]})
    >>> before = now.assign(decision=["watch"], final=["watch"], open_escalations=[2])
    >>> period_moves(now, before)[["fact", "before", "now"]]
                   fact before      now
    0          decision  watch  decline
    1             final  watch  decline
    2  open_escalations      2        4
    """
    cur = current.drop_duplicates("group_id").set_index("group_id")
    prev = previous.drop_duplicates("group_id").set_index("group_id")
    ids = pd.unique(pd.concat([cur.index.to_series(), prev.index.to_series()], ignore_index=True))
    size = cur["share"].reindex(ids).fillna(prev["share"].reindex(ids)).fillna(0.0)
    order = pd.DataFrame({"group_id": ids, "size": size.to_numpy(dtype=float)}).sort_values(
        ["size", "group_id"], ascending=[False, True], kind="stable"
    )
    rows = []
    for group_id in order["group_id"]:
        name = cur["name"].get(group_id) if group_id in cur.index else prev["name"].get(group_id)
        # A group assessed in one period only: its status says it, its figures would repeat it.
        facts = MOVE_FACTS if group_id in cur.index and group_id in prev.index else ("status",)
        for fact in facts:
            before, now = _value(prev, group_id, fact), _value(cur, group_id, fact)
            if _moved(fact, np.nan if before is None else before, np.nan if now is None else now):
                rows.append((group_id, name, fact, before, now))
    out = pd.DataFrame(rows, columns=MOVE_COLUMNS)
    # The values as they are, None where missing: inferred, a column of text and None would
    # become text with NaN, and whole numbers beside a None floats.
    return out.assign(
        **{
            column: pd.Series([row[i] for row in rows], dtype=object)
            for i, column in enumerate(MOVE_COLUMNS)
            if column in ("before", "now")
        }
    )
