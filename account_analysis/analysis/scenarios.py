"""What-ifs on revenue by group: the top groups leave, two groups merge, sell wide or deep.

Every function takes a revenue-by-group frame (``group_id``, ``revenue_cents`` and
optionally ``name``, as :func:`~account_analysis.consolidate.window.revenue_by_group` returns) and
works on the shares of :func:`~account_analysis.analysis.concentration.concentration_table`, the one
share base: groups with net revenue ≤ 0 are left out (share 0). Money is integer cents,
shares are floats 0–1, HHI is on the 0–10,000 scale. No function mutates its input.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from .concentration import (
    DEFAULT_THRESHOLD,
    HHI_SIGNIFICANT_CHANGE,
    concentration_metrics,
    concentration_table,
)


def _shares(revenue: pd.DataFrame) -> pd.DataFrame:
    """The share base (positive-revenue groups, largest first), with ``name``."""
    table = concentration_table(revenue)
    if "name" not in table:
        table = table.assign(name=pd.array([pd.NA] * len(table), dtype="str"))
    return table


def _hhi(shares: np.ndarray) -> float:
    """Σ (100·sᵢ)²; NaN for no shares (no group of positive revenue: nothing defined)."""
    return float(((100.0 * shares) ** 2).sum()) if len(shares) else float("nan")


# --------------------------------------------------------------------------- loss of top n


def loss_of_top(revenue: pd.DataFrame, n: int, show: int = 10) -> dict:
    """Revenue at risk when the ``n`` largest groups leave, and the shares that remain.

    Returns a dict:

    ``lost``
        the groups that leave: ``group_id``, ``name``, ``revenue_cents``, ``share``.
    ``at_risk_cents``, ``at_risk_share``, ``remaining_share``
        their revenue (int cents), their combined share Σ sₗ (CRn of
        :func:`~account_analysis.analysis.concentration.concentration_metrics`) and 1 − Σ sₗ.
    ``remaining``
        the new top ``show``: ``group_id``, ``name``, ``revenue_cents``, ``old_rank``,
        ``old_share``, ``new_rank``, ``new_share`` = sₖ / (1 − Σ sₗ).
    ``hhi_before``, ``hhi_after``
        HHI before and after (after: NaN when nobody remains).
    ``groups_after``
        number of groups that remain.

    ``n`` must be a whole number ≥ 0; ``n`` above the number of groups loses them all. With
    no group of positive revenue no share is defined: the shares and HHIs are NaN, the
    frames empty and the counts 0.

    >>> df = pd.DataFrame({"group_id": ["a", "b", "c", "d"],
    ...                    "revenue_cents": [500, 300, 150, 50]})
    >>> out = loss_of_top(df, 1)
    >>> out["at_risk_cents"], out["at_risk_share"], round(out["hhi_after"], 1)
    (500, 0.5, 4600.0)
    >>> out["remaining"][["group_id", "old_share", "new_share"]]
      group_id  old_share  new_share
    0        b       0.30        0.6
    1        c       0.15        0.3
    2        d       0.05        0.1
    """
    if not isinstance(n, int | np.integer) or isinstance(n, bool) or n < 0:
        raise ValueError(f"n must be a whole number of groups ≥ 0, got {n!r}")
    table = _shares(revenue)
    lost = table.iloc[:n]
    rest = table.iloc[n:]
    rest_total = int(rest["revenue_cents"].sum())
    # From the table's cumulative share, so the top 1 at risk is exactly CR1 (and so on).
    at_risk_share = float(table["cumulative_share"].iloc[len(lost) - 1]) if len(lost) else 0.0
    remaining_share = 1.0 - at_risk_share
    # Recomputed from cents rather than sₖ / (1 − Σ sₗ) to keep full precision.
    new_share = rest["revenue_cents"] / rest_total if rest_total else rest["share"] * np.nan
    remaining = pd.DataFrame(
        {
            "group_id": rest["group_id"].to_numpy(),
            "name": rest["name"].to_numpy(),
            "revenue_cents": rest["revenue_cents"].to_numpy(dtype=np.int64),
            "old_rank": rest["rank"].to_numpy(),
            "old_share": rest["share"].to_numpy(),
            "new_rank": np.arange(1, len(rest) + 1),
            "new_share": new_share.to_numpy(),
        }
    ).head(show)
    return {
        "lost": lost[["group_id", "name", "revenue_cents", "share"]].reset_index(drop=True),
        "at_risk_cents": int(lost["revenue_cents"].sum()),
        "at_risk_share": at_risk_share if len(table) else float("nan"),
        "remaining": remaining,
        "remaining_share": remaining_share if len(table) else float("nan"),
        "hhi_before": _hhi(table["share"].to_numpy()),
        "hhi_after": _hhi(new_share.to_numpy()) if rest_total else float("nan"),
        "groups_after": len(rest),
    }


# --------------------------------------------------------------------------- mergers


def _unknown_pairs(pairs, known: pd.Index) -> None:
    problems = []
    for pair in pairs:
        missing = [g for g in pair if g not in known]
        if len(pair) != 2 or pair[0] == pair[1]:
            problems.append(
                Problem(
                    "parameters",
                    None,
                    "merger_pairs",
                    list(pair),
                    "a pair of two different group ids, such as [C10086, C10090]",
                    "key",
                )
            )
        elif missing:
            problems.append(
                Problem(
                    "parameters",
                    None,
                    "merger_pairs",
                    list(pair),
                    "group ids with revenue in the window; unknown: "
                    + ", ".join(map(str, missing)),
                    "key",
                )
            )
    if problems:
        raise InputError(problems)


def merger(revenue: pd.DataFrame, a: str, b: str, threshold: float = DEFAULT_THRESHOLD) -> dict:
    """What happens to concentration if groups ``a`` and ``b`` become one customer.

    The merged group holds sₐ + s_b; the HHI after is recomputed over the merged shares, and
    ΔHHI = 2·sₐ·s_b·10,000 (the two agree to float precision). A group with net revenue ≤ 0
    has share 0, so merging with it changes nothing. Returns a dict: ``group_a``,
    ``group_b``, ``name_a``, ``name_b``, ``share_a``, ``share_b``, ``merged_share``,
    ``hhi_before``, ``hhi_after``, ``delta_hhi``, ``significant`` (ΔHHI > 100, US 2023
    merger guidelines), ``crosses_threshold`` (merged share ≥ ``threshold`` while neither
    was), ``candidates_before`` and ``candidates_after`` (sorted lists of group ids with a
    share ≥ ``threshold``; the merged group is named ``"a+b"``).

    An id that is not in ``revenue`` raises :class:`~account_analysis.errors.InputError`
    naming the key ``merger_pairs``.

    >>> df = pd.DataFrame({"group_id": ["a", "b", "c", "d"],
    ...                    "revenue_cents": [600, 300, 60, 40]})
    >>> m = merger(df, "c", "d", threshold=0.08)
    >>> round(m["merged_share"], 2), round(m["delta_hhi"], 1), m["crosses_threshold"]
    (0.1, 48.0, True)
    >>> m["candidates_after"]
    ['a', 'b', 'c+d']
    """
    _unknown_pairs([(a, b)], pd.Index(revenue["group_id"]))
    table = _shares(revenue)
    by_id = table.set_index("group_id")
    share_a = float(by_id["share"].get(a, 0.0))
    share_b = float(by_id["share"].get(b, 0.0))
    merged_share = share_a + share_b
    names = revenue.set_index("group_id")["name"] if "name" in revenue else pd.Series()
    others = table[~table["group_id"].isin([a, b])]
    after_shares = np.append(others["share"].to_numpy(), merged_share)
    hhi_before = _hhi(table["share"].to_numpy())
    before = table.loc[table["share"] >= threshold, "group_id"]
    after = others.loc[others["share"] >= threshold, "group_id"].tolist()
    if merged_share >= threshold:
        after.append(f"{a}+{b}")
    return {
        "group_a": a,
        "group_b": b,
        "name_a": names.get(a),
        "name_b": names.get(b),
        "share_a": share_a,
        "share_b": share_b,
        "merged_share": merged_share,
        "hhi_before": hhi_before,
        "hhi_after": _hhi(after_shares) if len(table) else float("nan"),
        "delta_hhi": 2.0 * share_a * share_b * 10_000.0,
        "significant": 2.0 * share_a * share_b * 10_000.0 > HHI_SIGNIFICANT_CHANGE,
        "crosses_threshold": bool(
            merged_share >= threshold and share_a < threshold and share_b < threshold
        ),
        "candidates_before": sorted(before),
        "candidates_after": sorted(after),
    }


MERGER_SCREEN_COLUMNS = (
    "group_a",
    "group_b",
    "name_a",
    "name_b",
    "share_a",
    "share_b",
    "merged_share",
    "delta_hhi",
    "hhi_after",
    "significant",
    "crosses_threshold",
)


def merger_screen(
    revenue: pd.DataFrame, pairs=None, top: int = 10, threshold: float = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Every pair among the ``top`` largest groups, plus ``pairs``, merged in thought.

    ``pairs``: extra (group_id, group_id) pairs, e.g. the ``merger_pairs`` parameter; an id
    not in ``revenue`` raises :class:`~account_analysis.errors.InputError` naming the key
    ``merger_pairs`` and the pair. A pair given twice (in either order) is screened once.
    One row per pair: ``group_a``, ``group_b`` (a the larger), ``name_a``, ``name_b``,
    ``share_a``, ``share_b``, ``merged_share``, ``delta_hhi`` (2·sₐ·s_b·10,000),
    ``hhi_after`` (HHI before + ΔHHI), ``significant`` (ΔHHI > 100) and
    ``crosses_threshold`` (merged share ≥ ``threshold`` while neither was); sorted by
    ΔHHI descending, then ``group_a``, ``group_b``. The HHI before is in
    ``df.attrs["hhi_before"]``.

    >>> df = pd.DataFrame({"group_id": ["a", "b", "c", "d"],
    ...                    "revenue_cents": [600, 300, 60, 40]})
    >>> s = merger_screen(df, top=3, pairs=[("d", "a")])
    >>> s[["group_a", "group_b", "delta_hhi", "significant"]].round(1)
      group_a group_b  delta_hhi  significant
    0       a       b     3600.0         True
    1       a       c      720.0         True
    2       a       d      480.0         True
    3       b       c      360.0         True
    """
    pairs = [tuple(p) for p in (pairs or [])]
    _unknown_pairs(pairs, pd.Index(revenue["group_id"]))
    table = _shares(revenue)
    ids = table["group_id"].to_numpy(dtype=object)
    auto = list(combinations(ids[:top], 2))
    # Rank position of every id in ``revenue`` (positive or not), to order each pair.
    position = pd.Series(np.arange(len(ids)), index=ids)
    known = pd.Index(revenue["group_id"])
    extra = known.difference(pd.Index(ids))
    position = pd.concat([position, pd.Series(len(ids) + np.arange(len(extra)), index=extra)])
    frame = pd.DataFrame(auto + pairs, columns=["x", "y"], dtype=object)
    px, py = position.reindex(frame["x"]).to_numpy(), position.reindex(frame["y"]).to_numpy()
    first = px <= py
    frame = pd.DataFrame(
        {
            "group_a": np.where(first, frame["x"], frame["y"]),
            "group_b": np.where(first, frame["y"], frame["x"]),
        }
    )
    frame = frame.drop_duplicates(ignore_index=True)
    share = table.set_index("group_id")["share"]
    names = revenue.set_index("group_id")["name"] if "name" in revenue else pd.Series()
    sa = share.reindex(frame["group_a"]).fillna(0.0).to_numpy()
    sb = share.reindex(frame["group_b"]).fillna(0.0).to_numpy()
    hhi_before = _hhi(table["share"].to_numpy())
    delta = 2.0 * sa * sb * 10_000.0
    merged = sa + sb
    out = pd.DataFrame(
        {
            "group_a": frame["group_a"].astype("str"),
            "group_b": frame["group_b"].astype("str"),
            "name_a": names.reindex(frame["group_a"]).to_numpy(),
            "name_b": names.reindex(frame["group_b"]).to_numpy(),
            "share_a": sa,
            "share_b": sb,
            "merged_share": merged,
            "delta_hhi": delta,
            "hhi_after": hhi_before + delta,
            "significant": delta > HHI_SIGNIFICANT_CHANGE,
            "crosses_threshold": (merged >= threshold) & (sa < threshold) & (sb < threshold),
        },
        columns=list(MERGER_SCREEN_COLUMNS),
    )
    out = out.sort_values(
        ["delta_hhi", "group_a", "group_b"], ascending=[False, True, True], ignore_index=True
    )
    out.attrs["hhi_before"] = hhi_before
    return out


# --------------------------------------------------------------------------- wide vs deep


def sell_wide_vs_deep(
    revenue: pd.DataFrame,
    candidates: pd.DataFrame,
    growth_target: float = 0.10,
    annual_revenue: pd.DataFrame | None = None,
) -> dict:
    """The same growth found two ways: new median-size customers, or deeper at the candidates.

    ``annual_revenue``: ``group_id``, ``annual_revenue_cents`` (12 months, e.g. the last 12
    months of the window: ``revenue_by_group(cons, period.window(12))`` renamed). When it
    is ``None``, ``revenue`` itself is taken to be annual. ``candidates``: at least
    ``group_id``, ``wallet_cents`` (nullable Int64, annual) and ``headroom_cents``
    (nullable; wallet − our annual revenue), and ``annual_revenue_cents`` (when absent, it
    is looked up in the annual revenue by ``group_id``, 0 where missing).

    Returns a dict:

    ``annual_revenue_cents``
        our annual net revenue (all groups, credits included).
    ``growth_needed_cents``
        ``growth_target`` × annual revenue, rounded to the cent.
    ``median_customer_cents``, ``new_customers_needed``
        sell wide: the median annual revenue of the groups with positive annual revenue
        (rounded to the cent), and ⌈growth needed ÷ median⌉ new customers of that size.
    ``candidates``, ``candidates_with_wallet``
        how many candidates, and how many with a known wallet.
    ``wallet_cents``, ``candidate_revenue_cents``, ``share_of_wallet``
        over the candidates with a known wallet: the sum of wallets, our annual revenue
        there and our current share of it (NaN when no wallet is known).
    ``share_of_wallet_gain_pp``
        sell deep: growth needed ÷ sum of known wallets, in percentage points (NaN when no
        wallet is known).
    ``headroom_cents``, ``candidates_with_headroom``, ``headroom_covers``
        the sum of known headroom (each clipped at 0: a candidate already above its wallet
        estimate offers no headroom, it does not take any away), how many candidates have
        it, and whether it covers the growth needed (``None`` when no headroom is known).

    >>> rev = pd.DataFrame({"group_id": list("abcde"),
    ...                     "revenue_cents": [400_00, 300_00, 200_00, 100_00, 0]})
    >>> cand = pd.DataFrame({"group_id": ["a", "b"], "annual_revenue_cents": [400_00, 300_00],
    ...     "wallet_cents": pd.array([1000_00, None], dtype="Int64"),
    ...     "headroom_cents": pd.array([600_00, None], dtype="Int64")})
    >>> out = sell_wide_vs_deep(rev, cand, growth_target=0.10)
    >>> out["growth_needed_cents"], out["median_customer_cents"], out["new_customers_needed"]
    (10000, 25000, 1)
    >>> out["share_of_wallet_gain_pp"], out["headroom_covers"]
    (10.0, True)
    """
    if annual_revenue is None:
        annual_revenue = pd.DataFrame(
            {
                "group_id": revenue["group_id"].to_numpy(),
                "annual_revenue_cents": revenue["revenue_cents"],
            }
        )
    annual = annual_revenue["annual_revenue_cents"].to_numpy(dtype=np.int64)
    if "annual_revenue_cents" not in candidates:
        # e.g. straight from wallet estimates: take our annual revenue from the annual frame
        ours_by_group = annual_revenue.set_index("group_id")["annual_revenue_cents"]
        candidates = candidates.assign(
            annual_revenue_cents=ours_by_group.reindex(candidates["group_id"])
            .fillna(0)
            .to_numpy(dtype=np.int64)
        )
    total = int(annual.sum())
    growth = int(round(growth_target * total))
    positive = annual[annual > 0]
    median = int(round(float(np.median(positive)))) if len(positive) else 0
    new_customers = math.ceil(growth / median) if median > 0 else None

    wallet = candidates["wallet_cents"].astype("Int64")
    known = wallet.notna().to_numpy()
    wallet_sum = int(wallet[known].sum())
    ours = int(candidates["annual_revenue_cents"].astype("int64")[known].sum())
    headroom = candidates["headroom_cents"].astype("Int64")
    has_headroom = headroom.notna().to_numpy()
    headroom_sum = int(headroom[has_headroom].clip(lower=0).sum())
    return {
        "growth_target": float(growth_target),
        "annual_revenue_cents": total,
        "growth_needed_cents": growth,
        "median_customer_cents": median,
        "new_customers_needed": new_customers,
        "candidates": len(candidates),
        "candidates_with_wallet": int(known.sum()),
        "wallet_cents": wallet_sum,
        "candidate_revenue_cents": ours,
        "share_of_wallet": ours / wallet_sum if wallet_sum > 0 else float("nan"),
        "share_of_wallet_gain_pp": 100.0 * growth / wallet_sum if wallet_sum > 0 else float("nan"),
        "headroom_cents": headroom_sum,
        "candidates_with_headroom": int(has_headroom.sum()),
        "headroom_covers": bool(headroom_sum >= growth) if has_headroom.any() else None,
    }


def merged_metrics(revenue: pd.DataFrame, a: str, b: str) -> dict:
    """:func:`~account_analysis.analysis.concentration.concentration_metrics` after ``a`` and ``b``
    merge: their revenue summed under ``a``. Used to check :func:`merger` from cents.

    >>> df = pd.DataFrame({"group_id": ["a", "b", "c"], "revenue_cents": [500, 300, 200]})
    >>> round(merged_metrics(df, "b", "c")["hhi"], 1)
    5000.0
    """
    _unknown_pairs([(a, b)], pd.Index(revenue["group_id"]))
    pos = concentration_table(revenue)
    group = pos["group_id"].where(pos["group_id"] != b, a)
    merged = pos.groupby(group.to_numpy())["revenue_cents"].sum()
    return concentration_metrics(
        pd.DataFrame({"group_id": merged.index, "revenue_cents": merged.to_numpy()})
    )
