"""The briefing of one Large Account for its account manager: the data it shows.

:func:`account_briefing` gathers, for one customer group in one period, everything the
briefing shows into a :class:`Briefing`: the group's units as of the period end, its revenue
over the window and the last 24 months by month and service line, its wallet, supplier rank
and competitors, its complaints and escalations, its account plan (stakeholders,
objectives, executive meetings, benefits) and its account manager. The sections of
:mod:`account_analysis.present.briefing` turn it into words in the briefing's language.

**Scoping.** A briefing is mailed to one account manager and carries that group's data only:
no other group's name, no other group's revenue, no ranking against named groups. The one
figure relative to the others is the group's own share of our total revenue. Nothing here
reads another group's row except to compute that total.

>>> import account_analysis as aa, tempfile
>>> from account_analysis.authoring.demo import write_demo_dataset
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = write_demo_dataset(folder)
...     ds = aa.load_dataset(folder)
...     s = aa.Settings.from_mapping({"period": "2026-Q3", "dataset": folder})
...     b = account_briefing(aa.score_period(aa.build_cube(ds, cache_dir=None), ds, s), "C10001")
>>> b.name, b.manager["name"], len(b.months)
('Zorggroep Vlietstreek B.V.', 'Pieter Bakker', 24)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from ..periods import Window
from ..settings.parameters import LANGUAGES
from .wallet import WALLET_COLUMNS

BRIEFING_MONTHS = 24  # the revenue history shown, whatever the window: 12 months against 12


@dataclass(frozen=True)
class Briefing:
    """What one group's briefing shows; built by :func:`account_briefing`.

    ``units``: ``account_id``, ``name``, ``postcode``, ``parent_id``, ``depth`` (0 = the
    top), ``revenue_cents`` (the unit's own, over the window), in tree order.
    ``monthly``: ``month`` (``YYYY-MM``), ``service_line``, ``revenue_cents`` over the
    :data:`BRIEFING_MONTHS` months ending at the period end (``months``).
    ``wallet``: ``wallet_cents``, ``wallet_source``, the wallet's basis (``wallet_basis`` to
    ``peer_quantile``), ``our_rank``, ``n_suppliers``, ``competitors`` (list),
    ``share_of_wallet``, ``headroom_cents``
    (missing values as ``None``). ``complaints``: the group's complaints and escalations
    opened in the window, newest first, with ``unit`` (the unit's name) and ``open_at_end``.
    ``plan``: the account plan (a dict, see the data contract) or ``None``. ``manager``:
    ``manager_id``, ``name``, ``email``, ``language`` or ``None``. ``decision_reason``:
    this period's recorded reason, "" when none.

    >>> import account_analysis as aa
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("designated")
    >>> settings = aa.Settings.from_mapping({"period": "2026-Q1", "window_months": 3,
    ...                                      "dataset": str(folder), "language": "en"})
    >>> score = aa.score_period(*reversed(aa.open_inputs(settings)), settings)
    >>> b = account_briefing(score, "G")
    >>> b.units[["account_id", "parent_id", "depth", "revenue_cents"]]
      account_id parent_id  depth  revenue_cents
    0          G                0           5050
    1          U         G      1          10000
    >>> b.revenue_cents, b.total_revenue_cents, b.months[0], b.months[-1]
    (15050, 16050, '2024-04', '2026-03')
    >>> len(b.units), b.units_with_revenue  # as of the period end; invoiced in the window
    (2, 2)
    """

    group_id: str
    name: str
    period: str
    language: str
    currency: str
    window: Window
    period_end: date
    units: pd.DataFrame
    revenue_cents: int
    total_revenue_cents: int
    months: list[str]
    monthly: pd.DataFrame
    wallet: dict
    complaints: pd.DataFrame
    plan: dict | None
    manager: dict | None
    decision_reason: str = ""
    manager_names: dict = field(default_factory=dict)  # manager_id → name
    service_lines: tuple = ()  # every service line of the dataset, sorted (fixed colours)
    data_language: str = ""  # the language the data's free text is typed in (settings)
    units_with_revenue: int = 0  # units invoiced in the window: the concentration table's count
    recommendation: str = ""  # this period's recommendation for the group ("" if none)
    decision: str = ""  # this period's recorded decision ("" if none)

    @property
    def share_of_total(self) -> float:
        return (
            self.revenue_cents / self.total_revenue_cents
            if self.total_revenue_cents
            else float("nan")
        )

    def revenue_by_year(self) -> tuple[int, int]:
        """Revenue of the last 12 months and of the 12 before them (cents)."""
        last, prior = set(self.months[-12:]), set(self.months[-24:-12])
        m = self.monthly
        return (
            int(m.loc[m["month"].isin(last), "revenue_cents"].sum()),
            int(m.loc[m["month"].isin(prior), "revenue_cents"].sum()),
        )

    def service_mix(self) -> pd.DataFrame:
        """Per service line: ``prior_cents``, ``last_cents`` (12 months each) and their
        shares of the group's total in each year, ``prior_share`` and ``last_share``."""
        m = self.monthly
        year = np.where(
            m["month"].isin(self.months[-12:]),
            "last_cents",
            np.where(m["month"].isin(self.months[-24:-12]), "prior_cents", ""),
        )
        frame = m.assign(year=year)
        frame = frame[frame["year"] != ""]
        mix = frame.pivot_table(
            index="service_line",
            columns="year",
            values="revenue_cents",
            aggfunc="sum",
            fill_value=0,
        )
        mix = mix.reindex(columns=["prior_cents", "last_cents"], fill_value=0).astype("int64")
        for col, share in (("prior_cents", "prior_share"), ("last_cents", "last_share")):
            total = mix[col].sum()
            mix[share] = mix[col] / total if total else 0.0
        return mix.sort_values("last_cents", ascending=False)


def _plain(value):
    """A pandas missing value as ``None``, numpy scalars as Python ones."""
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def account_manager_of(score, group_id: str) -> dict | None:
    """The account manager of ``group_id`` this period: ``manager_id``, ``name``, ``email``,
    ``language`` (from the ``account_managers`` table), or ``None`` when none is known.

    Taken from ``score.assignments`` (the proposed or fixed assignment) where the score has
    that part, else from the period's recorded decision (``decided_account_manager``).

    >>> import account_analysis as aa
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("designated")
    >>> settings = aa.Settings.from_mapping({"period": "2026-Q1", "window_months": 3,
    ...                                      "dataset": str(folder), "language": "en"})
    >>> score = aa.score_period(*reversed(aa.open_inputs(settings)), settings)
    >>> account_manager_of(score, "G")
    {'manager_id': 'M2', 'name': 'Bob', 'email': 'bob@example.com', 'language': 'nl'}
    >>> account_manager_of(score, "X") is None  # not a Large Account: no manager
    True
    """
    manager_id = None
    assignments = getattr(score, "assignments", None)
    if isinstance(assignments, pd.DataFrame) and "group_id" in assignments:
        rows = assignments[assignments["group_id"] == group_id]
        for col in ("manager_id", "account_manager", "assigned_manager"):
            if (
                col in rows
                and len(rows)
                and isinstance(rows[col].iloc[0], str)
                and rows[col].iloc[0]
            ):
                manager_id = rows[col].iloc[0]
                break
    if manager_id is None:
        d = score.designations
        rows = d[d["group_id"] == group_id]
        if (
            len(rows)
            and isinstance(rows["decided_account_manager"].iloc[0], str)
            and rows["decided_account_manager"].iloc[0]
        ):
            manager_id = rows["decided_account_manager"].iloc[0]
    if manager_id is None:
        return None
    managers = score.dataset.account_managers
    rows = managers[managers["manager_id"] == manager_id]
    if rows.empty:
        return {"manager_id": manager_id, "name": manager_id, "email": "", "language": ""}
    row = rows.iloc[0]

    def text(col):
        value = row.get(col)
        return value if isinstance(value, str) else ""

    return {
        "manager_id": manager_id,
        "name": text("name") or manager_id,
        "email": text("email"),
        "language": text("language"),
    }


def briefing_language(score, group_id: str) -> str:
    """The language of a group's briefing: its account manager's, else the period's.

    >>> import account_analysis as aa
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("designated")
    >>> settings = aa.Settings.from_mapping({"period": "2026-Q1", "window_months": 3,
    ...                                      "dataset": str(folder), "language": "en"})
    >>> score = aa.score_period(*reversed(aa.open_inputs(settings)), settings)
    >>> briefing_language(score, "G"), briefing_language(score, "X")  # Bob's, the period's
    ('nl', 'en')
    """
    manager = account_manager_of(score, group_id)
    if manager and manager["language"] in LANGUAGES:
        return manager["language"]
    return score.settings.language


def _units(
    consolidation, dataset, group_id: str, end, window: Window, restate: bool
) -> pd.DataFrame:
    groups = consolidation.hierarchy.groups_as_of(end)
    members = groups.index[groups.to_numpy() == group_id]
    accounts = dataset.accounts.set_index("account_id")
    # Parent on the period end day, within the group (the hierarchy's own links).
    parent = {}
    acc = dataset.accounts[dataset.accounts["account_id"].isin(members)]
    day = pd.Timestamp(end)
    links = []
    if len(dataset.parent_links):
        pl = dataset.parent_links
        start, stop = pd.to_datetime(pl["valid_from"]), pd.to_datetime(pl["valid_to"])
        valid = (start.isna() | (start <= day)) & (stop.isna() | (stop >= day))
        links = list(zip(pl.loc[valid, "account_id"], pl.loc[valid, "parent_id"], strict=True))
    for a, p in links:
        if a in members and p in members:
            parent[a] = p
    for a, p, vf, vt in zip(
        acc["account_id"],
        acc["parent_id"].fillna(""),
        pd.to_datetime(acc["parent_valid_from"]),
        pd.to_datetime(acc["parent_valid_to"]),
        strict=True,
    ):
        if a in parent or not p or p not in members:
            continue
        if (pd.isna(vf) or vf <= day) and (pd.isna(vt) or vt >= day):
            parent[a] = p
    # Units the roll-up put in the group through links not read here (e.g. GLEIF) hang
    # under the top.
    for a in members:
        if a != group_id and a not in parent:
            parent[a] = group_id
    cube = consolidation.cube
    labels = window.month_labels()
    inside = cube["month"].between(labels[0], labels[-1])
    in_group = consolidation.group_of_units(window, restate).to_numpy() == group_id
    own = cube[inside.to_numpy() & in_group].groupby("unit_id")["revenue_cents"].sum()
    children: dict[str, list[str]] = {}
    for a, p in parent.items():
        children.setdefault(p, []).append(a)
    names = accounts["name"]
    order, depth = [], {}
    stack = [(group_id, 0)]
    while stack:  # depth first, children by name
        node, d = stack.pop()
        order.append(node)
        depth[node] = d
        kids = sorted(children.get(node, []), key=lambda k: str(names.get(k, k)), reverse=True)
        stack.extend((k, d + 1) for k in kids)
    return pd.DataFrame(
        {
            "account_id": order,
            "name": [str(names.get(a, a)) for a in order],
            "postcode": [str(accounts["postcode"].get(a, "") or "") for a in order],
            "parent_id": [parent.get(a, "") for a in order],
            "depth": [depth[a] for a in order],
            "revenue_cents": [int(own.get(a, 0)) for a in order],
        }
    )


def account_briefing(score, group_id: str, language: str | None = None) -> Briefing:
    """Everything the briefing of ``group_id`` shows, for the period of ``score``.

    ``language`` defaults to the score's (``score.settings.language``); the batch passes the
    account manager's (:func:`briefing_language`) as the notebook's ``language``. Raises
    ``KeyError`` for an id that is not in the customer master or is a unit of a group.
    Pure: reads the score's consolidation and dataset, mutates nothing.

    >>> import account_analysis as aa
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("designated")
    >>> settings = aa.Settings.from_mapping({"period": "2026-Q1", "window_months": 3,
    ...                                      "dataset": str(folder), "language": "en"})
    >>> score = aa.score_period(*reversed(aa.open_inputs(settings)), settings)
    >>> b = account_briefing(score, "G", language=briefing_language(score, "G"))
    >>> b.name, b.language, b.manager["name"], b.decision_reason
    ('Group', 'nl', 'Bob', 'Framework agreement')
    >>> b.recommendation, b.decision
    ('watch', 'designate')
    >>> account_briefing(score, "U")
    Traceback (most recent call last):
    KeyError: "'U' is a unit of the group 'G' at the period end; brief the group"
    """
    settings, consolidation, dataset = score.settings, score.consolidation, score.dataset
    if group_id not in consolidation.names.index:
        raise KeyError(f"{group_id!r} is not an account in the customer master")
    language = language or settings.language
    window = settings.window
    end = settings.parsed_period.end
    top = consolidation.hierarchy.groups_as_of(end).get(group_id, group_id)
    if top != group_id:
        raise KeyError(
            f"{group_id!r} is a unit of the group {top!r} at the period end; brief the group"
        )
    restate = settings.restate_hierarchy
    units = _units(consolidation, dataset, group_id, end, window, restate)

    revenue = score.revenue
    own = revenue.loc[revenue["group_id"] == group_id, "revenue_cents"]
    invoiced = revenue.loc[revenue["group_id"] == group_id, "units"]
    total = int(revenue.loc[revenue["revenue_cents"] > 0, "revenue_cents"].sum())

    history = settings.parsed_period.window(BRIEFING_MONTHS)
    months = history.month_labels()
    cube = consolidation.cube
    inside = cube["month"].between(months[0], months[-1]).to_numpy()
    in_group = consolidation.group_of_units(history, restate).to_numpy() == group_id
    monthly = (
        cube[inside & in_group]
        .groupby(["month", "service_line"], sort=True)["revenue_cents"]
        .sum()
        .reset_index()
        .astype({"revenue_cents": "int64"})
    )

    d = score.designations
    row = d[d["group_id"] == group_id]
    wallet = _wallet(score, group_id, row)

    def recorded(column: str) -> str:
        value = row[column].iloc[0] if len(row) and column in row else None
        return value if isinstance(value, str) else ""

    return Briefing(
        group_id=group_id,
        name=str(consolidation.names.get(group_id, group_id)),
        period=settings.period,
        language=language,
        currency=settings.reporting_currency,
        window=window,
        period_end=end,
        units=units,
        revenue_cents=int(own.iloc[0]) if len(own) else 0,
        total_revenue_cents=total,
        months=months,
        monthly=monthly,
        wallet=wallet,
        complaints=_complaints(dataset, units, window, end),
        plan=dataset.account_plans.get(group_id),
        manager=account_manager_of(score, group_id),
        decision_reason=recorded("decision_reason"),
        manager_names=dict(
            zip(
                dataset.account_managers["manager_id"],
                dataset.account_managers["name"],
                strict=True,
            )
        ),
        service_lines=tuple(sorted(set(cube["service_line"].astype(str)))),
        data_language=settings.data_language,
        units_with_revenue=int(invoiced.iloc[0]) if len(invoiced) else 0,
        recommendation=recorded("recommendation"),
        decision=recorded("decision"),
    )


def _wallet(score, group_id: str, row: pd.DataFrame) -> dict:
    keys = tuple(WALLET_COLUMNS[1:])
    if row.empty:
        # Not a candidate this period: the same wallet rule, with every group as the peers.
        from ..analysis.designation import annual_revenue
        from ..analysis.wallet import share_of_wallet
        from ..consolidate.window import monthly_revenue_by_group

        s = score.settings
        annual = annual_revenue(
            monthly_revenue_by_group(score.consolidation, s.window, s.restate_hierarchy), s.window
        )
        row = share_of_wallet(
            annual[["group_id", "annual_revenue_cents"]],
            score.dataset.wallets,
            score.dataset.accounts,
            s.window.end,
            fx_rates=score.dataset.fx_rates,
            reporting_currency=s.reporting_currency,
        )
        row = row[row["group_id"] == group_id]
    if row.empty:
        return {k: None for k in keys} | {"competitors": [], "wallet_source": "unknown"}
    r = row.iloc[0]
    out = {k: _plain(r[k]) for k in keys}
    out["competitors"] = [c for c in str(out["competitors"] or "").split("|") if c]
    return out


def _complaints(dataset, units: pd.DataFrame, window: Window, end) -> pd.DataFrame:
    c = dataset.complaints
    mine = c[c["account_id"].isin(units["account_id"])]
    opened = pd.to_datetime(mine["opened_on"])
    mine = mine[window.contains(opened).to_numpy()]
    day = pd.Timestamp(end)
    closed = pd.to_datetime(mine["closed_on"])
    open_at_end = (closed > day) | (closed.isna() & (mine["status"].astype(str) == "open"))
    names = units.set_index("account_id")["name"]
    out = mine.assign(
        unit=names.reindex(mine["account_id"]).to_numpy(), open_at_end=open_at_end.to_numpy()
    )
    return out.sort_values(["opened_on", "complaint_id"], ascending=False, ignore_index=True)
