"""The consolidation seen through a window of months: the cube inside it, revenue per group
(restated to the groups at the window's end, or as on each invoice date), per group and
month, and the reconciliation that proves, to the cent, that the window's raw revenue is the
consolidated revenue plus the exclusions.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "accounts.csv").write_text(
...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n"
...     "U,Unit,3511 CD,NL,G\\nX,Other,5611 EF,NL,\\n")
>>> _ = (folder / "invoices.csv").write_text(
...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
...     "F1,2026-01-15,U,100.00,posted\\nF2,2026-02-01,G,50.50,posted\\n"
...     "F3,2026-03-01,X,25.00,cancelled\\nF4,2026-03-09,X,10.00,posted\\n")
>>> from account_analysis import build_cube, load_dataset, window_for
>>> c = build_cube(load_dataset(folder), cache_dir=None)
>>> w = window_for("2026-Q1", 3)
>>> revenue_by_group(c, w)[["group_id", "units", "revenue_cents"]].values.tolist()
[['G', 2, 15050], ['X', 1, 1000]]
>>> table = reconcile(c, w).set_index("item")["revenue_cents"]
>>> table[["raw_in_window", "consolidated", "excluded:cancelled"]].tolist()
[18550, 16050, 2500]
>>> reconciliation_holds(reconcile(c, w))
True
"""

from __future__ import annotations

import pandas as pd

from ..periods import Window
from .cube import Consolidation


def months_in_window(months: pd.Series, window: Window) -> pd.Series:
    """Whether each ``YYYY-MM`` label in ``months`` falls inside ``window`` (a boolean
    Series aligned with ``months``).

    >>> import pandas as pd
    >>> from account_analysis import window_for
    >>> months = pd.Series(["2025-12", "2026-01", "2026-03", "2026-04"])
    >>> months_in_window(months, window_for("2026-Q1", 3)).tolist()
    [False, True, True, False]
    """
    labels = window.month_labels()
    return months.between(labels[0], labels[-1])


def cube_in_window(
    consolidation: Consolidation, window: Window, restate_hierarchy: bool | None, column: str
) -> pd.DataFrame:
    """The cube rows of ``window``: ``group_id`` (per the restate mode), ``column`` and
    ``revenue_cents``.

    >>> import pandas as pd
    >>> from account_analysis import window_for
    >>> from account_analysis.load.hierarchy import Hierarchy
    >>> acc = pd.DataFrame({"account_id": ["G", "U", "X"], "parent_id": ["", "G", ""],
    ...                     "parent_valid_from": pd.NaT, "parent_valid_to": pd.NaT})
    >>> cube = pd.DataFrame({"group_at_date": ["G", "G", "X"], "unit_id": ["G", "U", "X"],
    ...                      "month": ["2026-02", "2026-01", "2026-04"],
    ...                      "revenue_cents": [5050, 10000, 1000], "lines": 1})
    >>> names = pd.Series({"G": "Group", "U": "Unit", "X": "Other"})
    >>> c = Consolidation(cube, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
    ...                   Hierarchy.build(acc), names, "EUR")
    >>> cube_in_window(c, window_for("2026-Q1", 3), True, "month")  # X's April is outside
      group_id    month  revenue_cents
    0        G  2026-02           5050
    1        G  2026-01          10000
    """
    cube = consolidation.cube
    inside = months_in_window(cube["month"], window).to_numpy()
    group = consolidation.group_of_units(window, restate_hierarchy)
    return pd.DataFrame(
        {
            "group_id": group.to_numpy()[inside],
            column: cube[column].to_numpy()[inside],
            "revenue_cents": cube["revenue_cents"].to_numpy()[inside],
        }
    )


def revenue_by_group(
    consolidation: Consolidation, window: Window, restate_hierarchy: bool | None = None
) -> pd.DataFrame:
    """Revenue per customer group over ``window``, largest first.

    Columns: ``group_id``, ``name`` (of the group's top account), ``units`` (accounts with
    revenue in the group), ``revenue_cents`` (int). With ``restate_hierarchy`` the group is
    the one of each unit at the window's end; otherwise the one on each invoice date;
    ``None`` (the default) takes the consolidation's own setting, which
    :func:`~account_analysis.open_period` sets from the parameters.

    >>> import pandas as pd
    >>> from account_analysis import window_for
    >>> from account_analysis.load.hierarchy import Hierarchy
    >>> acc = pd.DataFrame({"account_id": ["G", "U", "X"], "parent_id": ["", "G", ""],
    ...                     "parent_valid_from": pd.NaT, "parent_valid_to": pd.NaT})
    >>> cube = pd.DataFrame({"group_at_date": ["G", "G", "X"], "unit_id": ["G", "U", "X"],
    ...                      "month": ["2026-02", "2026-01", "2026-04"],
    ...                      "revenue_cents": [5050, 10000, 1000], "lines": 1})
    >>> names = pd.Series({"G": "Group", "U": "Unit", "X": "Other"})
    >>> c = Consolidation(cube, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
    ...                   Hierarchy.build(acc), names, "EUR")
    >>> revenue_by_group(c, window_for("2026-Q2", 6))
      group_id   name  units  revenue_cents
    0        G  Group      2          15050
    1        X  Other      1           1000
    """
    frame = cube_in_window(consolidation, window, restate_hierarchy, "unit_id")
    out = (
        frame.groupby("group_id", sort=False)
        .agg(units=("unit_id", "nunique"), revenue_cents=("revenue_cents", "sum"))
        .reset_index()
    )
    out.insert(1, "name", consolidation.names.reindex(out["group_id"]).to_numpy())
    return out.sort_values(
        ["revenue_cents", "group_id"], ascending=[False, True], ignore_index=True
    ).astype({"revenue_cents": "int64"})


def monthly_revenue_by_group(
    consolidation: Consolidation, window: Window, restate_hierarchy: bool | None = None
) -> pd.DataFrame:
    """Revenue per group and month over ``window``: ``group_id``, ``month`` (``YYYY-MM``),
    ``revenue_cents``; months without revenue are absent. Groups as in
    :func:`revenue_by_group`.

    >>> import pandas as pd
    >>> from account_analysis import window_for
    >>> from account_analysis.load.hierarchy import Hierarchy
    >>> acc = pd.DataFrame({"account_id": ["G", "U", "X"], "parent_id": ["", "G", ""],
    ...                     "parent_valid_from": pd.NaT, "parent_valid_to": pd.NaT})
    >>> cube = pd.DataFrame({"group_at_date": ["G", "G", "X"], "unit_id": ["G", "U", "X"],
    ...                      "month": ["2026-02", "2026-01", "2026-04"],
    ...                      "revenue_cents": [5050, 10000, 1000], "lines": 1})
    >>> names = pd.Series({"G": "Group", "U": "Unit", "X": "Other"})
    >>> c = Consolidation(cube, pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
    ...                   Hierarchy.build(acc), names, "EUR")
    >>> monthly_revenue_by_group(c, window_for("2026-Q2", 6))
      group_id    month  revenue_cents
    0        G  2026-01          10000
    1        G  2026-02           5050
    2        X  2026-04           1000
    """
    frame = cube_in_window(consolidation, window, restate_hierarchy, "month")
    out = frame.groupby(["group_id", "month"], sort=True)["revenue_cents"].sum().reset_index()
    return out.astype({"revenue_cents": "int64"})


def reconcile(consolidation: Consolidation, window: Window) -> pd.DataFrame:
    """The reconciliation of a window, in integer cents, with a check column.

    Rows: raw total of the file; lines outside the window; raw in-window; consolidated;
    excluded total; one row per exclusion reason in the window (``excluded:<reason>``).
    ``raw in window = consolidated + excluded`` and ``raw total = raw in window + outside
    window`` hold to the cent; :func:`reconciliation_holds` checks it.

    >>> import pandas as pd
    >>> from account_analysis import window_for
    >>> from account_analysis.load.hierarchy import Hierarchy
    >>> acc = pd.DataFrame({"account_id": ["G", "U", "X"], "parent_id": ["", "G", ""],
    ...                     "parent_valid_from": pd.NaT, "parent_valid_to": pd.NaT})
    >>> cube = pd.DataFrame({"group_at_date": ["G", "G", "X"], "unit_id": ["G", "U", "X"],
    ...                      "month": ["2026-02", "2026-01", "2026-04"],
    ...                      "revenue_cents": [5050, 10000, 1000], "lines": 1})
    >>> exc = pd.DataFrame({"reason": ["cancelled"], "account_id": ["X"], "month": ["2026-03"],
    ...                     "revenue_cents": [2500], "lines": [1]})
    >>> raw = pd.DataFrame({"month": ["2026-01", "2026-02", "2026-03", "2026-04"],
    ...                     "revenue_cents": [10000, 5050, 2500, 1000], "lines": 1})
    >>> c = Consolidation(cube, pd.DataFrame(), exc, raw, Hierarchy.build(acc),
    ...                   pd.Series({"G": "Group", "U": "Unit", "X": "Other"}), "EUR")
    >>> reconcile(c, window_for("2026-Q1", 3))
                     item  revenue_cents  lines
    0           raw_total          18550      4
    1      outside_window           1000      1
    2       raw_in_window          17550      3
    3        consolidated          15050      2
    4            excluded           2500      1
    5  excluded:cancelled           2500      1
    """
    raw, cube, exc = consolidation.raw, consolidation.cube, consolidation.exclusions
    raw_in = raw[months_in_window(raw["month"], window)]
    exc_in = exc[months_in_window(exc["month"], window)]
    per_reason = exc_in.groupby("reason", sort=True)[["revenue_cents", "lines"]].sum().reset_index()
    consolidated = cube[months_in_window(cube["month"], window)]
    rows = [
        ("raw_total", int(raw["revenue_cents"].sum()), int(raw["lines"].sum())),
        (
            "outside_window",
            int(raw["revenue_cents"].sum() - raw_in["revenue_cents"].sum()),
            int(raw["lines"].sum() - raw_in["lines"].sum()),
        ),
        ("raw_in_window", int(raw_in["revenue_cents"].sum()), int(raw_in["lines"].sum())),
        (
            "consolidated",
            int(consolidated["revenue_cents"].sum()),
            int(consolidated["lines"].sum()),
        ),
    ]
    rows.append(("excluded", int(exc_in["revenue_cents"].sum()), int(exc_in["lines"].sum())))
    rows += [
        (f"excluded:{r}", int(c), int(n))
        for r, c, n in per_reason[["reason", "revenue_cents", "lines"]].itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=["item", "revenue_cents", "lines"]).astype(
        {"revenue_cents": "int64", "lines": "int64"}
    )


def flags_in_window(consolidation, window: Window) -> pd.DataFrame:
    """Counted revenue of flagged lines (a doubtful status, ``status_treatment: flag``) in
    ``window``, per status code: ``status``, ``revenue_cents``, ``lines``; already part of
    the consolidated revenue, so not a row of :func:`reconcile`.

    >>> from types import SimpleNamespace
    >>> from account_analysis import window_for
    >>> from account_analysis.consolidate.codes import no_flags
    >>> flags = pd.DataFrame({"status": ["disputed", "disputed"], "group_at_date": ["G", "G"],
    ...                       "month": ["2026-02", "2026-05"], "revenue_cents": [700, 50],
    ...                       "lines": [2, 1]})
    >>> flags_in_window(SimpleNamespace(flags=flags), window_for("2026-Q1", 3))
         status  revenue_cents  lines
    0  disputed            700      2
    >>> len(flags_in_window(SimpleNamespace(flags=no_flags()), window_for("2026-Q1", 3)))
    0
    """
    flags = consolidation.flags
    inside = flags[months_in_window(flags["month"], window)]
    out = inside.groupby("status", sort=True)[["revenue_cents", "lines"]].sum().reset_index()
    return out.astype({"revenue_cents": "int64", "lines": "int64"})


def reconciliation_holds(table: pd.DataFrame) -> bool:
    """Whether a :func:`reconcile` table adds up, in cents and in lines.

    >>> import pandas as pd
    >>> table = pd.DataFrame({
    ...     "item": ["raw_total", "outside_window", "raw_in_window", "consolidated",
    ...              "excluded", "excluded:cancelled"],
    ...     "revenue_cents": [18550, 1000, 17550, 15050, 2500, 2500],
    ...     "lines": [4, 1, 3, 2, 1, 1]})
    >>> reconciliation_holds(table)
    True
    >>> reconciliation_holds(table.assign(lines=[4, 1, 3, 2, 1, 2]))  # reasons ≠ excluded
    False
    """
    t = table.set_index("item")
    reasons = t[t.index.str.startswith("excluded:")]
    for col in ("revenue_cents", "lines"):
        if reasons[col].sum() != t.at["excluded", col]:
            return False
        if t.at["raw_in_window", col] != t.at["consolidated", col] + t.at["excluded", col]:
            return False
        if t.at["raw_total", col] != t.at["raw_in_window", col] + t.at["outside_window", col]:
            return False
    return True
