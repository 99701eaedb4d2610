"""Account managers for the Large Accounts: scored by track record, assigned optimally.

For one period::

    record = track_record(consolidation, dataset.complaints, window)   # facts per manager
    scores = score_managers(record, groups, dataset.account_managers)  # group × manager
    table = assign_account_managers(scores, designations, managers)    # one row per group

**The score** of manager *m* for designated group *g* (points; higher is better)::

    score = 100 × handled share            (revenue m handled with g's accounts in the
                                            window ÷ g's revenue in the window)
          + 10 if m wants a new challenge
          − 5 × complaints per € 1 mln     (complaints and escalations opened in the window
                                            with m as account manager ÷ € mln of revenue m
                                            handled in the window, with all customers)

A manager who handled no revenue in the window gets the average complaint rate of all
managers, so having no record is neither a reward nor a penalty. Complaints without an
account manager count for nobody.

**Capacity** is the most Large Accounts a manager can take (empty: 1). Each manager is
repeated ``capacity`` times as a slot, and :func:`optimal_assignment` finds the matching of
groups to slots with the largest total score (the Hungarian method, via
:func:`scipy.optimize.linear_sum_assignment`): as many groups as there are slots are
assigned, the rest are left unassigned and listed. A decision of the period that names an
``account_manager`` for a designated group fixes that pair: it uses one of the manager's
slots (also beyond the capacity, which is then flagged) and is shown beside what would have
been proposed without it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..consolidate.cube import Consolidation
from ..consolidate.window import cube_in_window
from ..errors import InputError, Problem
from ..load.dataset import Dataset
from ..periods import Window

TRACK_POINTS = 100  # for handling all of the group's revenue in the window
CHALLENGE_POINTS = 10  # for a stated wish for a new challenge
COMPLAINT_POINTS = 5  # deducted per complaint per € 1 mln handled
DEFAULT_CAPACITY = 1  # an empty capacity
CENTS_PER_MLN = 100_000_000

SCORE_COLUMNS = [
    "group_id",
    "manager_id",
    "handled_cents",
    "group_cents",
    "handled_share",
    "manager_cents",
    "complaints",
    "complaints_per_mln",
    "wants_new_challenge",
    "track_points",
    "challenge_points",
    "complaint_points",
    "score",
]
ASSIGNMENT_COLUMNS = [
    "group_id",
    "group_name",
    "manager_id",
    "manager_name",
    "manager_email",
    "manager_language",
    "score",
    "source",
    "proposed_manager_id",
    "differs",
    "over_capacity",
    "capacity",
    "handled_cents",
    "group_cents",
    "handled_share",
    "complaints",
    "complaints_per_mln",
    "wants_new_challenge",
    "track_points",
    "challenge_points",
    "complaint_points",
]
SOURCES = ("decision", "proposal", "unassigned")


# --------------------------------------------------------------------------- the core


def optimal_assignment(scores, capacities, fixed: Iterable[tuple[int, int]] = ()) -> np.ndarray:
    """The assignment of groups to managers with the largest total score under capacity.

    ``scores``: a groups × managers array of finite numbers. ``capacities``: the most groups
    per manager (integers ≥ 0). ``fixed``: (group, manager) index pairs that are decided;
    each uses one of its manager's slots (a manager may be fixed beyond its capacity; it then
    gets no other group). Returns the manager index per group, ``-1`` for unassigned: of the
    other groups, ``min(groups, free slots)`` are assigned — every group when the slots
    suffice — and among such assignments the total score is the largest. Pure.

    >>> optimal_assignment([[5, 4], [4, 1], [3, 0]], [1, 2])
    array([1, 0, 1])
    >>> optimal_assignment([[5, 4], [4, 1], [3, 0]], [1, 1], fixed=[(2, 0)])
    array([ 1, -1,  0])
    """
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 2:
        raise ValueError("scores must be a groups × managers array")
    n_groups, n_managers = scores.shape
    capacities = np.asarray(capacities, dtype=int)
    if capacities.shape != (n_managers,) or (capacities < 0).any():
        raise ValueError("one capacity ≥ 0 per manager")
    if not np.isfinite(scores).all():
        raise ValueError("scores must be finite")
    result = np.full(n_groups, -1, dtype=int)
    used = np.zeros(n_managers, dtype=int)
    for g, m in fixed:
        if not (0 <= g < n_groups and 0 <= m < n_managers) or result[g] >= 0:
            raise ValueError(f"fixed pair ({g}, {m}) is out of range or repeats a group")
        result[g] = m
        used[m] += 1
    free = np.flatnonzero(result < 0)
    slots = np.repeat(np.arange(n_managers), np.maximum(capacities - used, 0))
    if len(free) and len(slots):
        from scipy.optimize import linear_sum_assignment  # ~0.2 s to import: only here

        rows, cols = linear_sum_assignment(scores[np.ix_(free, slots)], maximize=True)
        result[free[rows]] = slots[cols]
    return result


# --------------------------------------------------------------------------- track record


def track_record(
    consolidation: Consolidation,
    complaints: pd.DataFrame,
    window: Window,
    restate_hierarchy: bool | None = None,
) -> dict[str, pd.DataFrame | pd.Series]:
    """What each account manager did in ``window``, from the cube and the complaints.

    Returns ``handled`` (``group_id``, ``manager_id``, ``revenue_cents``: revenue per group
    and invoice account manager; groups as in
    :func:`~account_analysis.consolidate.window.revenue_by_group`), ``group_cents`` (group_id →
    revenue), ``manager_cents`` (manager_id → revenue with all customers) and ``complaints``
    (manager_id → complaints and escalations opened in the window, by the complaint's
    ``account_manager``). Does not mutate its inputs.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from account_analysis import build_cube, load_dataset, window_for
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text(
    ...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n"
    ...     "U,Unit,3511 CD,NL,G\\n")
    >>> _ = (folder / "invoices.csv").write_text(
    ...     "invoice_id,invoice_date,billing_account,net_amount,status,account_manager\\n"
    ...     "F1,2026-01-15,U,3000000.00,posted,M1\\nF2,2026-02-01,G,1000000.00,posted,M2\\n")
    >>> _ = (folder / "complaints.csv").write_text(
    ...     "complaint_id,account_id,kind,opened_on,account_manager\\n"
    ...     "K1,U,complaint,2026-02-10,M1\\nK2,U,complaint,2025-11-10,M1\\n")
    >>> ds = load_dataset(folder)
    >>> r = track_record(build_cube(ds, cache_dir=None), ds.complaints, window_for("2026-Q1", 3))
    >>> r["handled"].values.tolist()  # U's revenue counts for its group G
    [['G', 'M1', 300000000], ['G', 'M2', 100000000]]
    >>> r["group_cents"].to_dict(), r["complaints"].to_dict()  # K2 is before the window
    ({'G': 400000000}, {'M1': 1})
    """
    frame = cube_in_window(consolidation, window, restate_hierarchy, "account_manager")
    frame = frame.rename(columns={"account_manager": "manager_id"})
    handled = (
        frame[frame["manager_id"] != ""]
        .groupby(["group_id", "manager_id"], sort=True)["revenue_cents"]
        .sum()
        .reset_index()
        .astype({"revenue_cents": "int64"})
    )
    opened = pd.to_datetime(complaints["opened_on"])
    inside = window.contains(opened).to_numpy()
    who = complaints["account_manager"].astype("str").to_numpy()[inside]
    counts = pd.Series(who[who != ""]).value_counts().sort_index().astype("int64")
    counts.index.name = "manager_id"
    return {
        "handled": handled,
        "group_cents": frame.groupby("group_id", sort=True)["revenue_cents"].sum().astype("int64"),
        "manager_cents": handled.groupby("manager_id")["revenue_cents"].sum().astype("int64"),
        "complaints": counts,
    }


def capacities_of(managers: pd.DataFrame) -> pd.Series:
    """manager_id → capacity (empty: :data:`DEFAULT_CAPACITY`).

    >>> managers = pd.DataFrame({"manager_id": ["M1", "M2"], "name": ["Anna", "Bob"],
    ...                          "email": ["anna@example.com", "bob@example.com"],
    ...                          "language": ["nl", "en"], "capacity": [None, 2],
    ...                          "wants_new_challenge": [False, True]})
    >>> capacities_of(managers).to_dict()
    {'M1': 1, 'M2': 2}
    """
    cap = pd.Series(managers["capacity"].to_numpy(), index=managers["manager_id"].to_numpy())
    return cap.astype("Int64").fillna(DEFAULT_CAPACITY).astype("int64")


def score_managers(record: dict, groups: Iterable[str], managers: pd.DataFrame) -> pd.DataFrame:
    """The score of every manager for every group, with its components (module docstring).

    ``record``: as from :func:`track_record`. ``groups``: group ids. ``managers``: the
    ``account_managers`` table. Returns one row per group and manager (groups in the given
    order, managers in table order) with :data:`SCORE_COLUMNS`. Pure.

    >>> record = {"handled": pd.DataFrame({"group_id": ["A", "A"], "manager_id": ["M1", "M2"],
    ...                                    "revenue_cents": [300_000_000, 100_000_000]}),
    ...           "group_cents": pd.Series({"A": 400_000_000}),
    ...           "manager_cents": pd.Series({"M1": 300_000_000, "M2": 100_000_000}),
    ...           "complaints": pd.Series({"M1": 6})}
    >>> managers = pd.DataFrame({"manager_id": ["M1", "M2"], "wants_new_challenge": [False, True],
    ...                          "capacity": [1, 1]})
    >>> score_managers(record, ["A"], managers)[["manager_id", "handled_share",
    ...                                          "complaints_per_mln", "score"]]
      manager_id  handled_share  complaints_per_mln  score
    0         M1           0.75                 2.0   65.0
    1         M2           0.25                 0.0   35.0
    """
    groups = list(groups)
    ids = managers["manager_id"].astype("str").to_numpy()
    g = np.repeat(np.asarray(groups, dtype=object), len(ids))
    m = np.tile(ids.astype(object), len(groups))
    handled = record["handled"].set_index(["group_id", "manager_id"])["revenue_cents"]
    key = pd.MultiIndex.from_arrays([g, m]) if len(g) else pd.MultiIndex.from_arrays([[], []])
    handled_cents = handled.reindex(key).fillna(0).to_numpy(dtype="int64")
    group_cents = record["group_cents"].reindex(g).fillna(0).to_numpy(dtype="int64")
    manager_cents = record["manager_cents"].reindex(ids).fillna(0).to_numpy(dtype="int64")
    complaints = record["complaints"].reindex(ids).fillna(0).to_numpy(dtype="int64")
    known = manager_cents > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(
            known, complaints * CENTS_PER_MLN / np.where(known, manager_cents, 1), np.nan
        )
        overall = (
            complaints[known].sum() * CENTS_PER_MLN / manager_cents[known].sum()
            if known.any() and manager_cents[known].sum() > 0
            else 0.0
        )
        share = np.where(
            group_cents > 0, handled_cents / np.where(group_cents > 0, group_cents, 1), 0.0
        )
    rate_used = np.where(np.isnan(rate), overall, rate)
    wants = managers["wants_new_challenge"].fillna(False).to_numpy(dtype=bool)
    track = TRACK_POINTS * np.clip(share, 0.0, 1.0)
    challenge = np.tile(np.where(wants, CHALLENGE_POINTS, 0), len(groups)).astype(float)
    penalty = np.tile(-COMPLAINT_POINTS * rate_used, len(groups))
    return pd.DataFrame(
        {
            "group_id": pd.array(g, dtype="str"),
            "manager_id": pd.array(m, dtype="str"),
            "handled_cents": handled_cents,
            "group_cents": group_cents,
            "handled_share": share,
            "manager_cents": np.tile(manager_cents, len(groups)),
            "complaints": np.tile(complaints, len(groups)),
            "complaints_per_mln": np.tile(rate, len(groups)),
            "wants_new_challenge": np.tile(wants, len(groups)),
            "track_points": track,
            "challenge_points": challenge,
            "complaint_points": penalty,
            "score": (track + challenge + penalty).round(6),
        }
    )[SCORE_COLUMNS]


# --------------------------------------------------------------------------- assignment


def assign_account_managers(
    scores: pd.DataFrame, designated: pd.DataFrame, managers: pd.DataFrame
) -> pd.DataFrame:
    """One row per designated group: its account manager, where it comes from and why.

    ``scores``: as from :func:`score_managers` for the groups of ``designated``.
    ``designated``: ``group_id``, ``name`` and ``decided_account_manager`` (empty or missing:
    not fixed) of the designated groups. ``managers``: the ``account_managers`` table; a
    fixed manager must be in it (:func:`check_account_managers`). Returns
    :data:`ASSIGNMENT_COLUMNS`: ``source`` is ``decision``, ``proposal`` or ``unassigned``;
    ``proposed_manager_id`` is what the optimum would be without any decision, and
    ``differs`` flags a decision that differs from it; ``over_capacity`` flags a manager
    fixed beyond their capacity. Score components are those of the assigned manager: facts,
    which :func:`account_analysis.present.reasons.with_assignment_reasons` puts in words.
    Pure.

    >>> record = {"handled": pd.DataFrame({"group_id": ["A", "A"], "manager_id": ["M1", "M2"],
    ...                                    "revenue_cents": [300_000_000, 100_000_000]}),
    ...           "group_cents": pd.Series({"A": 400_000_000}),
    ...           "manager_cents": pd.Series({"M1": 300_000_000, "M2": 100_000_000}),
    ...           "complaints": pd.Series({"M1": 6})}
    >>> managers = pd.DataFrame({"manager_id": ["M1", "M2"], "name": ["Anna", "Bob"],
    ...                          "email": ["anna@example.com", "bob@example.com"],
    ...                          "language": ["nl", "en"], "capacity": [None, 2],
    ...                          "wants_new_challenge": [False, True]})
    >>> scores = score_managers(record, ["A"], managers)
    >>> designated = pd.DataFrame({"group_id": ["A"], "name": ["Acme"],
    ...                            "decided_account_manager": [""]})
    >>> cols = ["group_id", "manager_id", "source", "score", "proposed_manager_id", "differs"]
    >>> assign_account_managers(scores, designated, managers)[cols]
      group_id manager_id    source  score proposed_manager_id  differs
    0        A         M1  proposal   65.0                  M1    False
    >>> fixed = designated.assign(decided_account_manager=["M2"])  # a decision fixes M2
    >>> assign_account_managers(scores, fixed, managers)[cols]
      group_id manager_id    source  score proposed_manager_id  differs
    0        A         M2  decision   35.0                  M1     True
    """
    groups = designated["group_id"].astype("str").to_numpy()
    ids = managers["manager_id"].astype("str").to_numpy()
    cap = capacities_of(managers).to_numpy()
    matrix = (
        scores.pivot(index="group_id", columns="manager_id", values="score")
        .reindex(index=groups, columns=ids)
        .fillna(0.0)
        .to_numpy()
        if len(ids)
        else np.zeros((len(groups), 0))
    )
    wanted = (
        designated["decided_account_manager"].astype("str").fillna("").to_numpy()
        if "decided_account_manager" in designated
        else np.full(len(groups), "")
    )
    position = {m: i for i, m in enumerate(ids)}
    fixed = [
        (gi, position[m])
        for gi, m in enumerate(wanted)
        if isinstance(m, str) and m and m != "nan" and m in position
    ]
    chosen = optimal_assignment(matrix, cap, fixed)
    free = optimal_assignment(matrix, cap) if fixed else chosen
    load = np.bincount(chosen[chosen >= 0], minlength=len(ids))
    by_pair = scores.set_index(["group_id", "manager_id"])
    info = managers.set_index(managers["manager_id"].astype("str"))
    is_fixed = np.zeros(len(groups), dtype=bool)
    is_fixed[[g for g, _ in fixed]] = True
    rows = []
    for gi, gid in enumerate(groups):
        m = chosen[gi]
        name = designated["name"].iloc[gi]
        row = {
            "group_id": gid,
            "group_name": name if isinstance(name, str) and name else gid,
            "proposed_manager_id": ids[free[gi]] if free[gi] >= 0 else None,
        }
        if m < 0:
            row.update(
                source="unassigned",
                manager_id=None,
                score=np.nan,
                differs=False,
                over_capacity=False,
                capacity=None,
            )
            rows.append(row)
            continue
        mid = ids[m]
        comp = by_pair.loc[(gid, mid)].to_dict()
        over = bool(is_fixed[gi] and load[m] > cap[m])
        differs = bool(is_fixed[gi] and free[gi] != m)
        row.update(
            manager_id=mid,
            manager_name=info.at[mid, "name"],
            manager_email=info.at[mid, "email"],
            manager_language=info.at[mid, "language"],
            score=float(comp["score"]),
            source="decision" if is_fixed[gi] else "proposal",
            differs=differs,
            over_capacity=over,
            capacity=int(cap[m]),
            **{
                k: comp[k]
                for k in (
                    "handled_cents",
                    "group_cents",
                    "handled_share",
                    "complaints",
                    "complaints_per_mln",
                    "wants_new_challenge",
                    "track_points",
                    "challenge_points",
                    "complaint_points",
                )
            },
        )
        rows.append(row)
    out = pd.DataFrame(rows, columns=ASSIGNMENT_COLUMNS)
    for col in (
        "group_id",
        "group_name",
        "manager_id",
        "manager_name",
        "manager_email",
        "manager_language",
        "source",
        "proposed_manager_id",
    ):
        out[col] = pd.array(out[col].to_numpy(dtype=object), dtype="str")
    for col in ("handled_cents", "group_cents", "complaints", "capacity"):
        out[col] = pd.array(out[col].to_numpy(dtype=object), dtype="Int64")
    for col in ("differs", "over_capacity"):
        out[col] = out[col].astype(bool)
    return out


def manager_load(assignments: pd.DataFrame, managers: pd.DataFrame) -> pd.DataFrame:
    """Per manager: ``manager_id``, ``name``, ``capacity``, ``assigned`` (Large Accounts in
    ``assignments``), ``free`` (capacity left, never below 0). Pure.

    >>> managers = pd.DataFrame({"manager_id": ["M1", "M2"], "name": ["Anna", "Bob"],
    ...                          "email": ["anna@example.com", "bob@example.com"],
    ...                          "language": ["nl", "en"], "capacity": [None, 2],
    ...                          "wants_new_challenge": [False, True]})
    >>> assignments = pd.DataFrame({"group_id": ["A", "B"], "manager_id": ["M2", None]})
    >>> manager_load(assignments, managers)  # B is unassigned
      manager_id  name  capacity  assigned  free
    0         M1  Anna         1         0     1
    1         M2   Bob         2         1     1
    """
    cap = capacities_of(managers)
    used = assignments["manager_id"].dropna().value_counts().reindex(cap.index, fill_value=0)
    return pd.DataFrame(
        {
            "manager_id": pd.array(cap.index.to_numpy(dtype=object), dtype="str"),
            "name": managers["name"].to_numpy(),
            "capacity": cap.to_numpy(),
            "assigned": used.to_numpy().astype("int64"),
            "free": np.maximum(cap.to_numpy() - used.to_numpy(), 0).astype("int64"),
        }
    )


# --------------------------------------------------------------------------- input checks


def _file(dataset: Dataset, table: str) -> str:
    source = dataset.sources.get(table)
    return source.name if source is not None else f"{table}.csv"


def check_account_managers(dataset: Dataset) -> None:
    """Raise :class:`InputError` for a negative capacity in ``account_managers``, and for a
    decision whose ``account_manager`` is not in ``account_managers``.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from account_analysis import load_dataset
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text(
    ...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n")
    >>> _ = (folder / "invoices.csv").write_text(
    ...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...     "F1,2026-01-15,G,100.00,posted\\n")
    >>> _ = (folder / "account_managers.csv").write_text(
    ...     "manager_id,name,email,language,capacity\\nM1,Anna,anna@example.com,nl,1\\n")
    >>> _ = (folder / "decisions.csv").write_text(
    ...     "period,group_id,decision,reason,decided_by,account_manager\\n"
    ...     "2026-Q1,G,designate,Framework agreement,Directie,M9\\n")
    >>> check_account_managers(load_dataset(folder))
    Traceback (most recent call last):
    account_analysis.errors.InputError: decisions.csv, row 2, column account_manager: 'M9' \
\u2014 expected a manager_id that exists in account_managers
    """
    problems: list[Problem] = []
    managers = dataset.account_managers
    rows = dataset.row_numbers.get("account_managers", np.arange(len(managers)) + 2)
    cap = managers["capacity"].astype("Int64")
    for i in np.flatnonzero((cap < 0).fillna(False).to_numpy(dtype=bool)):
        problems.append(
            Problem(
                _file(dataset, "account_managers"),
                int(rows[i]),
                "capacity",
                str(cap.iloc[i]),
                "a capacity of 0 or more Large Accounts",
            )
        )
    decisions = dataset.decisions
    drows = dataset.row_numbers.get("decisions", np.arange(len(decisions)) + 2)
    named = decisions["account_manager"].astype("str").fillna("")
    known = set(managers["manager_id"].astype("str"))
    for i in np.flatnonzero(((named != "") & ~named.isin(known)).to_numpy()):
        problems.append(
            Problem(
                _file(dataset, "decisions"),
                int(drows[i]),
                "account_manager",
                named.iloc[i],
                "a manager_id that exists in account_managers"
                + ("" if known else " (the dataset has no account_managers file)"),
            )
        )
    if problems:
        raise InputError(problems)
