"""Large Account candidates, their criteria, the recommendation and the decisions.

The pipeline for one period::

    assessed = assess_candidates(consolidation, dataset, window)        # criteria per group
    designated = designate_large_accounts(assessed, dataset.decisions, period)
    changes = designation_changes(designated, designated_previous_period)

**Candidates** bring at least ``threshold`` (5%) of the window's revenue; **near misses** at
least ``near_miss × threshold`` (60% of it, so 3%).

**The recommendation rule** (from the source article: a Large Account must have us in its
top 3 of suppliers, or we must state the ambition to get there), applied in this order:

1. a near miss → ``watch``;
2. a candidate where we are a top-3 supplier (``our_rank ≤ 3``), or for which the period's
   decisions record ``ambition_top3`` → ``designate``;
3. a candidate whose supplier rank is unknown → ``watch`` (find out the rank first);
4. any other candidate (rank > 3, no ambition stated) → ``decline``.

The period's recorded decision, when there is one, overrides the recommendation in
``final``; ``differs`` flags where the two disagree, so the report can show both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..consolidate.cube import Consolidation
from ..consolidate.window import monthly_revenue_by_group, revenue_by_group
from ..errors import InputError
from ..load.dataset import Dataset
from ..periods import Window
from .concentration import DEFAULT_THRESHOLD, concentration_table
from .wallet import WALLET_COLUMNS, share_of_wallet

DEFAULT_NEAR_MISS = 0.6  # near misses bring at least this fraction of the threshold
TOP_SUPPLIERS = 3
RECOMMENDATIONS = ("designate", "watch", "decline")
# The branch of the rule that gave each recommendation (the ``reason`` column), in the order
# the rule tries them, with the recommendation each gives.
REASONS = {
    "near_miss": "watch",
    "top3": "designate",
    "ambition": "designate",
    "rank_unknown": "watch",
    "not_top3": "decline",
}
CHANGES = ("entered", "kept", "left")

ASSESSED_COLUMNS = [
    "group_id",
    "name",
    "rank",
    "revenue_cents",
    "share",
    "annual_revenue_cents",
    "prior_annual_revenue_cents",
    "trend",
    *WALLET_COLUMNS[1:],
    "complaints",
    "escalations",
    "open_escalations",
    "status",
]
DECISION_COLUMNS = [
    "decision",
    "decision_reason",
    "decided_by",
    "decided_on",
    "decided_account_manager",
]


# --------------------------------------------------------------------------- criteria


def annual_revenue(monthly: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Revenue of the last 12 months of ``window``, of the 12 before, and the trend.

    ``monthly``: ``group_id``, ``month`` (``YYYY-MM``), ``revenue_cents`` (as from
    :func:`~account_analysis.consolidate.window.monthly_revenue_by_group`). Returns one row per
    group: ``group_id``, ``annual_revenue_cents`` (int64; a window shorter than 12 months is
    scaled up to a year), ``prior_annual_revenue_cents`` (Int64, NA when the window has fewer
    than 24 months), ``trend`` (last 12 ÷ prior 12 − 1; NaN without a positive prior).
    Does not mutate ``monthly``.

    >>> from account_analysis.periods import window_for
    >>> m = pd.DataFrame({"group_id": ["A", "A", "B"], "month": ["2025-03", "2026-03", "2026-09"],
    ...                   "revenue_cents": [100, 150, 70]})
    >>> annual_revenue(m, window_for("2026-Q3", 24))
      group_id  annual_revenue_cents  prior_annual_revenue_cents  trend
    0        A                   150                         100    0.5
    1        B                    70                           0    NaN
    """
    labels = window.month_labels()
    last, prior = labels[-12:], labels[-24:-12] if len(labels) >= 24 else []
    month = monthly["month"].astype(str)
    cents = monthly["revenue_cents"].astype("int64")
    groups = pd.Index(pd.unique(monthly["group_id"]), name="group_id")
    this = (
        cents.where(month.isin(last), 0)
        .groupby(monthly["group_id"])
        .sum()
        .reindex(groups, fill_value=0)
    )
    if len(labels) < 12:
        this = (this * 12 / len(labels)).round()
    before = (
        cents.where(month.isin(prior), 0)
        .groupby(monthly["group_id"])
        .sum()
        .reindex(groups, fill_value=0)
    )
    before = before.astype("Int64") if prior else pd.Series(pd.NA, index=groups, dtype="Int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = this.to_numpy(dtype=float) / before.to_numpy(dtype=float, na_value=np.nan)
        trend = np.where(before.to_numpy(dtype=float, na_value=np.nan) > 0, ratio - 1, np.nan)
    return pd.DataFrame(
        {
            "group_id": groups.to_numpy(),
            "annual_revenue_cents": this.to_numpy().astype("int64"),
            "prior_annual_revenue_cents": before.array,
            "trend": trend,
        }
    )


def complaint_counts(
    complaints: pd.DataFrame, group_of_account: pd.Series, window: Window
) -> pd.DataFrame:
    """Complaints and escalations per group in ``window``, and escalations open at its end.

    ``complaints``: the table of the data contract (``account_id``, ``opened_on``, ``kind``,
    ``closed_on``, ``status``). ``group_of_account``: account_id → group_id (the hierarchy
    as of the window's end). Counted by ``opened_on`` inside the window. An escalation is
    open at the window's end when opened by then and closed after it, or not closed and of
    status ``open`` (so an escalation closed after the window counts as open in it).
    Returns ``group_id``, ``complaints``, ``escalations``, ``open_escalations`` (int64) for
    the groups with any. Does not mutate its inputs.

    >>> from account_analysis.periods import window_for
    >>> c = pd.DataFrame({"account_id": ["a1", "a2", "a2", "b1"],
    ...     "opened_on": pd.to_datetime(["2026-01-05", "2026-02-01", "2026-09-01", "2023-01-01"]),
    ...     "kind": ["complaint", "complaint", "escalation", "complaint"],
    ...     "closed_on": pd.to_datetime(["2026-01-20", None, "2026-10-03", "2023-02-01"]),
    ...     "status": ["closed", "open", "closed", "closed"]})
    >>> groups = pd.Series({"a1": "A", "a2": "A", "b1": "B"})
    >>> complaint_counts(c, groups, window_for("2026-Q3"))
      group_id  complaints  escalations  open_escalations
    0        A           2            1                 1
    """
    end = pd.Timestamp(window.end)
    opened = pd.to_datetime(complaints["opened_on"])
    closed = pd.to_datetime(complaints["closed_on"])
    group = group_of_account.reindex(complaints["account_id"]).to_numpy()
    inside = window.contains(opened).to_numpy()
    kind = complaints["kind"].astype(str).to_numpy()
    escalation = kind == "escalation"
    still_open = (closed > end).to_numpy() | (
        closed.isna().to_numpy() & (complaints["status"].astype(str) == "open").to_numpy()
    )
    open_at_end = escalation & (opened <= end).to_numpy() & still_open
    frame = pd.DataFrame(
        {
            "group_id": group,
            "complaints": (inside & (kind == "complaint")).astype("int64"),
            "escalations": (inside & escalation).astype("int64"),
            "open_escalations": open_at_end.astype("int64"),
        }
    )
    frame = frame[pd.notna(group)]
    out = frame.groupby("group_id", sort=True).sum().reset_index()
    return out[out[["complaints", "escalations", "open_escalations"]].sum(axis=1) > 0].reset_index(
        drop=True
    )


def assess_candidates(
    consolidation: Consolidation,
    dataset: Dataset,
    window: Window,
    threshold: float = DEFAULT_THRESHOLD,
    near_miss: float = DEFAULT_NEAR_MISS,
    restate_hierarchy: bool | None = None,
) -> pd.DataFrame:
    """The Large Account candidates and near misses of a window, with their criteria.

    One row per group bringing at least ``near_miss × threshold`` of the window's revenue,
    largest share first: ``group_id``, ``name``, ``rank``, ``revenue_cents`` (window) and
    ``share`` (from :func:`~account_analysis.analysis.concentration.concentration_table`, the share
    base: the same as :func:`~account_analysis.analysis.concentration.candidates_above`),
    ``annual_revenue_cents``,
    ``prior_annual_revenue_cents``, ``trend`` (see :func:`annual_revenue`), the wallet
    columns of :func:`~account_analysis.analysis.wallet.share_of_wallet` (known on the
    window's end),
    ``complaints``, ``escalations``, ``open_escalations`` (see :func:`complaint_counts`) and
    ``status`` (``candidate`` | ``near miss``).

    >>> import tempfile, pathlib
    >>> from account_analysis import build_cube, load_dataset, window_for
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text("account_id,name,postcode,country\\n"
    ...     "A,Alfa,1234 AB,NL\\nB,Beta,1234 AB,NL\\nC,Gamma,1234 AB,NL\\n")
    >>> _ = (folder / "invoices.csv").write_text("invoice_id,invoice_date,billing_account,"
    ...     "net_amount\\nF1,2026-03-01,A,900\\nF2,2026-04-01,B,96\\nF3,2026-05-01,C,4\\n")
    >>> ds = load_dataset(folder)
    >>> t = assess_candidates(build_cube(ds, cache_dir=None), ds, window_for("2026-Q3"))
    >>> t[["group_id", "share", "annual_revenue_cents", "wallet_source", "status"]]
      group_id  share  annual_revenue_cents wallet_source     status
    0        A  0.900                 90000       unknown  candidate
    1        B  0.096                  9600       unknown  candidate
    """
    table = concentration_table(revenue_by_group(consolidation, window, restate_hierarchy))
    keep = table["share"] >= near_miss * threshold
    annual = annual_revenue(
        monthly_revenue_by_group(consolidation, window, restate_hierarchy), window
    )
    annual = annual.set_index("group_id").reindex(table["group_id"])
    annual = annual.assign(
        annual_revenue_cents=annual["annual_revenue_cents"].fillna(0).astype("int64")
    ).reset_index()
    wallets = share_of_wallet(
        annual[["group_id", "annual_revenue_cents"]],
        dataset.wallets,
        dataset.accounts,
        window.end,
        fx_rates=dataset.fx_rates,
        reporting_currency=consolidation.reporting_currency,
    )
    chosen = table[keep]
    at = pd.Index(table["group_id"]).get_indexer(chosen["group_id"])
    counts = (
        complaint_counts(
            dataset.complaints, consolidation.hierarchy.groups_as_of(window.end), window
        )
        .set_index("group_id")
        .reindex(chosen["group_id"], fill_value=0)
    )
    out = pd.concat(
        [
            chosen[["group_id", "name", "rank", "revenue_cents", "share"]].reset_index(drop=True),
            annual.iloc[at, 1:].reset_index(drop=True),
            wallets.iloc[at, 1:].reset_index(drop=True),
            counts.reset_index(drop=True).astype("int64"),
        ],
        axis=1,
    )
    status = np.where(out["share"] >= threshold, "candidate", "near miss")
    return out.assign(status=pd.array(status, dtype="str"))[ASSESSED_COLUMNS]


# --------------------------------------------------------------------------- recommendation


def _period_decisions(decisions: pd.DataFrame, period) -> pd.DataFrame:
    """The decisions of ``period``, indexed by group_id; a group decided twice is an error."""
    mine = decisions[decisions["period"].astype(str) == str(period)]
    twice = mine["group_id"].duplicated()
    if twice.any():
        group = mine["group_id"][twice].iloc[0]
        raise InputError.single(
            "decisions",
            f"one decision per group and period; {group} has more than one for {period}",
            column="group_id",
            value=group,
        )
    return mine.set_index("group_id")


def designate_large_accounts(
    assessed: pd.DataFrame, decisions: pd.DataFrame, period
) -> pd.DataFrame:
    """The recommendation per candidate, the rule's reason for it, and the period's decisions.

    ``assessed``: as from :func:`assess_candidates`. ``decisions``: the table of the data
    contract; only rows with ``period == str(period)`` count. Rule: module docstring.
    Returns ``assessed`` (largest share first) with ``ambition_top3`` (bool, from the
    decisions), ``recommendation`` (``designate`` | ``watch`` | ``decline``), ``reason``
    (the branch of the rule that gave it, a key of :data:`REASONS`; the report's sentence is
    :func:`account_analysis.present.reasons.rationale`), ``decision``, ``decision_reason``,
    ``decided_by``,
    ``decided_on``, ``decided_account_manager`` (missing when nothing was decided),
    ``final`` (the decision, else the recommendation) and ``differs`` (a decision was made
    and it is not the recommendation). Does not mutate its inputs.

    >>> assessed = pd.DataFrame({"group_id": ["A", "B"], "name": ["Alfa", "Beta"],
    ...     "share": [0.12, 0.10], "our_rank": pd.array([1, 5], dtype="Int64"),
    ...     "n_suppliers": pd.array([3, 7], dtype="Int64"), "share_of_wallet": [0.46, 0.08],
    ...     "wallet_source": ["stated", "stated"],
    ...     "headroom_cents": pd.array([140_000_000, 900_000_000], dtype="Int64"),
    ...     "trend": [0.01, None], "open_escalations": [0, 0],
    ...     "status": ["candidate", "candidate"]})
    >>> decisions = pd.DataFrame({"period": ["2026-Q3"], "group_id": ["B"],
    ...     "decision": ["designate"], "reason": ["Strategic"], "decided_by": ["Board"],
    ...     "decided_on": pd.to_datetime(["2026-10-05"]), "account_manager": [""],
    ...     "ambition_top3": [False]})
    >>> out = designate_large_accounts(assessed, decisions, "2026-Q3")
    >>> out[["group_id", "recommendation", "reason", "final", "differs"]]
      group_id recommendation    reason      final  differs
    0        A      designate      top3  designate    False
    1        B        decline  not_top3  designate     True
    """
    out = assessed.sort_values(
        ["share", "group_id"], ascending=[False, True], kind="stable", ignore_index=True
    )
    mine = _period_decisions(decisions, period)
    ambition = (
        mine["ambition_top3"].reindex(out["group_id"]).fillna(False).to_numpy(dtype=bool)
        if "ambition_top3" in mine
        else np.zeros(len(out), dtype=bool)
    )
    rank = out["our_rank"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    candidate = (out["status"] == "candidate").to_numpy()
    known = ~np.isnan(rank)
    top3 = known & (rank <= TOP_SUPPLIERS)
    branch = np.select(
        [~candidate, top3, ambition, ~known],
        ["near_miss", "top3", "ambition", "rank_unknown"],
        default="not_top3",
    )
    recommendation = pd.Series(branch).map(REASONS).to_numpy()

    decided = mine.reindex(out["group_id"])
    decision = decided["decision"].astype(object).to_numpy()
    decision = np.where(pd.isna(decision) | (decision == ""), None, decision)
    has_decision = pd.notna(decision)
    final = np.where(has_decision, decision, recommendation)
    return out.assign(
        ambition_top3=ambition,
        recommendation=pd.array(recommendation, dtype="str"),
        reason=pd.array(branch, dtype="str"),
        decision=pd.array(decision, dtype="str"),
        decision_reason=pd.array(decided["reason"].to_numpy(dtype=object), dtype="str"),
        decided_by=pd.array(decided["decided_by"].to_numpy(dtype=object), dtype="str"),
        decided_on=pd.to_datetime(decided["decided_on"]).to_numpy()
        if "decided_on" in decided
        else pd.NaT,
        decided_account_manager=pd.array(
            decided["account_manager"].to_numpy(dtype=object), dtype="str"
        )
        if "account_manager" in decided
        else pd.array([None] * len(out), dtype="str"),
        final=pd.array(final, dtype="str"),
        differs=has_decision & (final != recommendation),
    )


# --------------------------------------------------------------------------- changes


def designation_changes(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Which groups entered, left or kept the Large Accounts between two periods.

    ``current``, ``previous``: as from :func:`designate_large_accounts` for this period and
    the one before (``group_id``, ``name``, ``share``, ``final``). A group is a Large Account
    when its ``final`` is ``designate``. Returns ``group_id``, ``name``, ``change``
    (``entered`` | ``kept`` | ``left``), ``share_now``, ``share_before`` (NaN where the group
    was not assessed), in that order of change, then largest share first. Does not mutate
    its inputs.

    >>> now = pd.DataFrame({"group_id": ["A", "B"], "name": ["Alfa", "Beta"],
    ...                     "share": [0.12, 0.06], "final": ["designate", "designate"]})
    >>> before = pd.DataFrame({"group_id": ["A", "C"], "name": ["Alfa", "Gamma"],
    ...                        "share": [0.11, 0.05], "final": ["designate", "designate"]})
    >>> designation_changes(now, before)
      group_id   name   change  share_now  share_before
    0        B   Beta  entered       0.06           NaN
    1        A   Alfa     kept       0.12          0.11
    2        C  Gamma     left        NaN          0.05
    """
    is_now = current["group_id"][(current["final"] == "designate").to_numpy()]
    was = previous["group_id"][(previous["final"] == "designate").to_numpy()]
    ids = pd.Index(pd.unique(pd.concat([is_now, was], ignore_index=True)), name="group_id")
    now_in, before_in = ids.isin(is_now), ids.isin(was)
    change = np.select([now_in & ~before_in, now_in & before_in], ["entered", "kept"], "left")
    cur = current.drop_duplicates("group_id").set_index("group_id")
    prev = previous.drop_duplicates("group_id").set_index("group_id")
    name = cur["name"].reindex(ids).fillna(prev["name"].reindex(ids))
    out = pd.DataFrame(
        {
            "group_id": ids.to_numpy(),
            "name": name.to_numpy(),
            "change": pd.array(change, dtype="str"),
            "share_now": cur["share"].reindex(ids).to_numpy(dtype=float),
            "share_before": prev["share"].reindex(ids).to_numpy(dtype=float),
        }
    )
    order = pd.Series(out["change"]).map({c: i for i, c in enumerate(CHANGES)})
    size = out["share_now"].fillna(out["share_before"])
    return (
        out.assign(_o=order, _s=-size)
        .sort_values(["_o", "_s", "group_id"], kind="stable")
        .drop(columns=["_o", "_s"])
        .reset_index(drop=True)
    )
