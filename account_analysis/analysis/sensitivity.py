"""How sensitive the ranking of customer groups is to the length of the revenue window.

The source article takes 24 months: one year is too short when long projects cause peaks
and troughs, three years too long when the business changed focus. The report shows the
ranking under 12, 24 and 36 months side by side, how well they agree (Spearman), and which
groups enter or leave the candidates compared with the reference window.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from ..consolidate.cube import Consolidation
from ..consolidate.window import monthly_revenue_by_group
from ..periods import DEFAULT_WINDOW_MONTHS, parse_period
from .concentration import DEFAULT_THRESHOLD, concentration_table

# One, two and three years: the windows compared by default, and shown beside a period's own.
DEFAULT_WINDOWS = (12, 24, 36)


@dataclass(frozen=True)
class WindowSensitivity:
    """The ranking of groups under several window lengths, ending at the same period end.

    ``period``
        the period label; ``windows`` the window lengths in months, as given;
        ``reference`` the window that changes are measured against; ``threshold`` the
        candidate share.
    ``ranks``
        one row per group in the top ``top`` of any window: ``group_id``, ``name``, then per
        window ``m``: ``share_{m}m`` (0–1; 0 when the group had no positive revenue in that
        window) and ``rank_{m}m`` (nullable Int64, 1 = largest; absent when no positive
        revenue). Ordered by the reference window's rank.
    ``correlation``
        one row per pair of windows: ``window_a``, ``window_b`` (months), ``spearman`` (rank
        correlation over the groups of ``ranks``, ties given their average rank) and
        ``groups`` (how many groups it was computed over).
    ``candidates``
        per window length, the frozenset of group ids with a share ≥ ``threshold``.
    ``changes``
        ``group_id``, ``name``, ``window`` (months), ``change`` (``enters``: a candidate
        under this window but not under the reference; ``leaves``: the reverse), ``share``
        (under this window) and ``reference_share``. Sorted by window, change, group.

    >>> from account_analysis import build_cube, load_dataset
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("two_territories")
    >>> ds = load_dataset(folder)
    >>> s = window_sensitivity(build_cube(ds, cache_dir=None), "2026-Q1", windows=(3, 15),
    ...                        threshold=0.35)
    >>> s.reference, {m: sorted(groups) for m, groups in s.candidates.items()}
    (3, {3: ['G', 'X'], 15: ['G']})
    >>> s.changes[["group_id", "window", "change", "share", "reference_share"]].round(3)
      group_id  window  change  share  reference_share
    0        X      15  leaves   0.34            0.432
    """

    period: str
    windows: tuple[int, ...]
    reference: int
    threshold: float
    ranks: pd.DataFrame
    correlation: pd.DataFrame
    candidates: dict[int, frozenset[str]]
    changes: pd.DataFrame


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman rank correlation without scipy: average ranks, then Pearson.

    NaN when fewer than two values or when either side is constant.

    >>> round(spearman(np.array([1, 2, 3, 4]), np.array([10, 20, 40, 30])), 3)
    0.8
    >>> spearman(np.array([3, 2, 1]), np.array([1, 2, 3]))
    -1.0
    """
    rx = pd.Series(np.asarray(x, dtype=np.float64)).rank(method="average").to_numpy()
    ry = pd.Series(np.asarray(y, dtype=np.float64)).rank(method="average").to_numpy()
    if len(rx) < 2:
        return float("nan")
    dx, dy = rx - rx.mean(), ry - ry.mean()
    denominator = np.sqrt((dx * dx).sum() * (dy * dy).sum())
    if denominator == 0:
        return float("nan")
    return float(np.clip((dx * dy).sum() / denominator, -1.0, 1.0))


def _reference_window(windows: tuple[int, ...]) -> int:
    """The default window when it is among ``windows``, else the middle one (sorted)."""
    if DEFAULT_WINDOW_MONTHS in windows:
        return DEFAULT_WINDOW_MONTHS
    ordered = sorted(windows)
    return ordered[(len(ordered) - 1) // 2]


def window_sensitivity(
    consolidation: Consolidation,
    period: str,
    windows: tuple[int, ...] = DEFAULT_WINDOWS,
    threshold: float = DEFAULT_THRESHOLD,
    restate_hierarchy: bool | None = None,
    top: int = 20,
    reference: int | None = None,
) -> WindowSensitivity:
    """Rank the groups under each window length ending at ``period``'s end; compare.

    Shares and ranks are those of
    :func:`~account_analysis.analysis.concentration.concentration_table`
    (the share base: the groups with positive revenue) in each window; a group without
    positive revenue in a window has share 0 and no rank there. Changes are measured against
    ``reference`` (one of ``windows``; by default the 24-month window when it is among
    them, else the middle one). See
    :class:`WindowSensitivity` for the tables. Raises ``ValueError`` for an unknown period
    form, a window that is not a whole number of months ≥ 1, or repeated windows.

    >>> import account_analysis as aa, tempfile
    >>> from account_analysis.authoring.demo import write_demo_dataset
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = write_demo_dataset(folder)
    ...     cons = aa.build_cube(aa.load_dataset(folder), cache_dir=None)
    >>> s = window_sensitivity(cons, "2026-Q3")
    >>> s.reference, len(s.candidates[24])
    (24, 4)
    >>> list(s.correlation.columns)
    ['window_a', 'window_b', 'spearman', 'groups']
    """
    windows = tuple(windows)
    if len(set(windows)) != len(windows) or not windows:
        raise ValueError(f"windows must be distinct month counts, got {windows!r}")
    p = parse_period(period)
    for months in windows:
        p.window(months)  # a whole number of months ≥ 1, or ValueError
    if reference is None:
        reference = _reference_window(windows)
    elif reference not in windows:
        raise ValueError(f"the reference window ({reference} months) must be one of {windows}")

    # Every window ends on the period's last day, so the groups (restated at the end, or as
    # on invoice dates) are the same in all of them: one pass over the cube, for the longest.
    monthly = monthly_revenue_by_group(consolidation, p.window(max(windows)), restate_hierarchy)
    shares = {}
    for months in windows:
        first = p.window(months).month_labels()[0]
        inside = monthly[monthly["month"] >= first]
        revenue = inside.groupby("group_id", sort=False)["revenue_cents"].sum().reset_index()
        table = concentration_table(revenue).set_index("group_id")
        shares[months] = table[["share", "rank"]]
    name = consolidation.names

    wide = pd.concat(
        {f"{m}m": shares[m] for m in windows},
        axis=1,
        join="outer",
        sort=True,
    )
    wide.columns = [f"{col}_{m}" for m, col in wide.columns]
    for months in windows:
        wide[f"share_{months}m"] = wide[f"share_{months}m"].fillna(0.0)
        wide[f"rank_{months}m"] = wide[f"rank_{months}m"].astype("Int64")
    wide.index.name = "group_id"
    candidates = {m: frozenset(wide.index[wide[f"share_{m}m"] >= threshold]) for m in windows}

    in_top = np.zeros(len(wide), dtype=bool)
    for months in windows:
        in_top |= (wide[f"rank_{months}m"] <= top).fillna(False).to_numpy()
    union = wide[in_top]
    ordering = [f"rank_{reference}m"] + [f"rank_{m}m" for m in windows if m != reference]
    union = union.sort_values(ordering, na_position="last")
    columns = [c for m in windows for c in (f"share_{m}m", f"rank_{m}m")]
    ranks = union[columns].reset_index()
    ranks.insert(1, "name", name.reindex(ranks["group_id"]).to_numpy())

    correlation = pd.DataFrame(
        [
            (
                a,
                b,
                spearman(union[f"share_{a}m"].to_numpy(), union[f"share_{b}m"].to_numpy()),
                len(union),
            )
            for a, b in combinations(windows, 2)
        ],
        columns=["window_a", "window_b", "spearman", "groups"],
    )

    ref_in = wide[f"share_{reference}m"] >= threshold
    change_frames = []
    for months in windows:
        if months == reference:
            continue
        now_in = wide[f"share_{months}m"] >= threshold
        change = np.where(now_in & ~ref_in, "enters", np.where(ref_in & ~now_in, "leaves", ""))
        frame = pd.DataFrame(
            {
                "group_id": wide.index.to_numpy(),
                "window": months,
                "change": change,
                "share": wide[f"share_{months}m"].to_numpy(),
                "reference_share": wide[f"share_{reference}m"].to_numpy(),
            }
        )
        change_frames.append(frame[frame["change"] != ""])
    changes = (
        pd.concat(change_frames, ignore_index=True)
        if change_frames
        else pd.DataFrame(columns=["group_id", "window", "change", "share", "reference_share"])
    )
    changes = changes.sort_values(["window", "change", "group_id"], ignore_index=True)
    changes.insert(1, "name", name.reindex(changes["group_id"]).to_numpy())
    return WindowSensitivity(
        p.label, windows, reference, threshold, ranks, correlation, candidates, changes
    )
