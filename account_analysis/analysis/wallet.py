"""Share of wallet: what a customer group spends in total on our kind of service, and our part.

The wallet of a group is taken, in this order of preference:

1. **stated** — the latest row of the ``wallets`` table with ``as_of`` on or before the day
   asked for, when it holds an amount and its source is ``stated``, ``survey`` or
   ``annual_report``;
2. **estimated, recorded** — that row holds an amount with source ``estimate`` (an estimate
   someone recorded) or with no source;
3. **estimated, Wallet Allocation Rule** — from our supplier rank *r* among *n* suppliers
   (Keiningham et al., 2011): our expected share is ``(1 − r/(n+1)) · 2/n`` and the wallet is
   our annual revenue ÷ that share;
4. **estimated, similar customers** — the :data:`DEFAULT_QUANTILE` (90th percentile) of the
   annual revenue of the groups of the same sector (of the group's top account) and size
   band (:data:`SIZE_BAND_LIMITS_CENTS`), when at least :data:`MIN_PEERS` groups are in that
   cell and the percentile exceeds the group's own revenue: what our best-served similar
   customers spend with us is taken as what this one could spend;
5. **unknown** otherwise.

Only the latest row counts (its rank, suppliers and competitors too): an older row does not
fill in what a newer one leaves empty, because the newer one is what we know now.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..consolidate.fx import convert_cents
from ..errors import InputError

STATED_SOURCES = ("stated", "survey", "annual_report")
RECORDED_ESTIMATE = "estimate"
DEFAULT_QUANTILE = 0.9
# Size bands by our annual revenue with the group: band 1 below €10k, 2 from €10k, 3 from
# €100k, 4 from €1m a year. Fixed limits, so a group's band does not move when others change.
SIZE_BAND_LIMITS_CENTS = (1_000_000, 10_000_000, 100_000_000)
MIN_PEERS = 5  # groups in a sector × size band, the group itself included

# What a wallet rests on, as facts (present.reasons.wallet_method puts them in words).
WALLET_BASIS_COLUMNS = (
    "wallet_basis",
    "wallet_as_of",
    "wallet_currency",
    "peer_sector",
    "peer_band",
    "peer_quantile",
)
WALLET_COLUMNS = [
    "group_id",
    "wallet_cents",
    "wallet_source",
    *WALLET_BASIS_COLUMNS,
    "our_rank",
    "n_suppliers",
    "competitors",
    "share_of_wallet",
    "headroom_cents",
]

# ``wallet_basis``, what a wallet rests on: a recorded row by its source ("recorded" when
# it names none), the Wallet Allocation Rule, similar customers, or nothing.
WALLET_BASES = (*STATED_SOURCES, RECORDED_ESTIMATE, "recorded", "war", "similar", "unknown")

# How well a figure is known, as a fact for the reports: a wallet, stated by the customer or
# estimated, is an approximation ("about €14.7m"), and so is all that is derived from it
# (share of wallet, headroom), here and in the sell wide/deep comparison; our revenue is a
# ledger figure, exact to the cent. present.format.money_as_known shows each as its kind says.
EXACT, ESTIMATE = "exact", "estimate"
ESTIMATED_FIGURES = frozenset({"wallet_cents", "share_of_wallet", "headroom_cents"})


def figure_kind(name: str) -> str:
    """:data:`ESTIMATE` for a figure derived from a wallet, else :data:`EXACT`.

    >>> figure_kind("headroom_cents"), figure_kind("annual_revenue_cents")
    ('estimate', 'exact')
    """
    return ESTIMATE if name in ESTIMATED_FIGURES else EXACT


def wallet_allocation_share(our_rank, n_suppliers) -> np.ndarray:
    """Expected share of wallet by the Wallet Allocation Rule: ``(1 − r/(n+1)) · 2/n``.

    Vectorised over aligned ranks and supplier counts; NaN where either is missing or the
    rank is not between 1 and n. The shares of ranks 1..n add up to 1.

    >>> wallet_allocation_share([1, 2, 3, 5], [3, 3, 3, 7]).round(4).tolist()
    [0.5, 0.3333, 0.1667, 0.1071]
    """
    r = pd.to_numeric(pd.Series(our_rank, dtype="Float64"), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    n = pd.to_numeric(pd.Series(n_suppliers, dtype="Float64"), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    valid = (r >= 1) & (n >= 1) & (r <= n)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (1.0 - r / (n + 1.0)) * 2.0 / n
    return np.where(valid, share, np.nan)


def size_band(annual_revenue_cents) -> np.ndarray:
    """Size band 1–4 of annual revenue in cents (see :data:`SIZE_BAND_LIMITS_CENTS`).

    >>> size_band([500_000, 1_000_000, 25_000_000, 400_000_000]).tolist()
    [1, 2, 3, 4]
    """
    values = np.asarray(annual_revenue_cents, dtype=float)
    return (
        np.searchsorted(np.asarray(SIZE_BAND_LIMITS_CENTS, dtype=float), values, side="right") + 1
    )


def latest_wallets(wallets: pd.DataFrame, as_of) -> pd.DataFrame:
    """Per group, the latest row of ``wallets`` with ``as_of`` on or before the given day.

    Returns the rows (all columns of ``wallets``) with a fresh index, one per group, plus
    ``row`` (the row as a spreadsheet user counts in ``wallets``: header = 1). Does not
    mutate ``wallets``.

    >>> w = pd.DataFrame({"group_id": ["A", "A", "A"], "annual_wallet": [1, 2, 3],
    ...     "as_of": pd.to_datetime(["2025-06-30", "2026-06-30", "2026-12-31"])})
    >>> latest_wallets(w, "2026-09-30")[["group_id", "annual_wallet", "row"]]
      group_id  annual_wallet  row
    0        A              2    3
    """
    day = pd.Timestamp(as_of)
    known = wallets.assign(row=np.arange(len(wallets)) + 2)
    known = known[pd.to_datetime(known["as_of"]).to_numpy() <= day.to_datetime64()]
    known = known.sort_values(["group_id", "as_of", "row"], kind="stable")
    return known.drop_duplicates("group_id", keep="last").reset_index(drop=True)


def _in_reporting_currency(
    rows: pd.DataFrame, fx_rates: pd.DataFrame | None, reporting_currency: str
) -> pd.Series:
    """annual_wallet of ``rows`` in reporting-currency cents (float, NaN where empty)."""
    amount = rows["annual_wallet"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    currency = (
        rows["currency"].fillna("").astype(str)
        if "currency" in rows
        else pd.Series("", index=rows.index)
    )
    currency = currency.mask(currency == "", reporting_currency)
    foreign = ((currency != reporting_currency) & ~np.isnan(amount)).to_numpy()
    if not foreign.any():
        return pd.Series(amount, index=rows.index)
    month = pd.to_datetime(rows["as_of"]).dt.strftime("%Y-%m")
    if fx_rates is None or fx_rates.empty:
        rate = np.full(len(rows), np.nan)
    else:
        key = pd.MultiIndex.from_arrays([month, currency])
        rate = fx_rates.set_index(["month", "currency"])["rate"].reindex(key).to_numpy(dtype=float)
    missing = foreign & np.isnan(rate)
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise InputError.single(
            "wallets",
            f"a rate in fx_rates for {currency.iloc[i]} in {month.iloc[i]} "
            f"(the wallet is not in {reporting_currency})",
            row=int(rows["row"].iloc[i]),
            column="currency",
            value=currency.iloc[i],
        )
    out = amount.copy()
    # Exact product, half to even, as the invoice lines are converted.
    out[foreign] = np.asarray(
        convert_cents(amount[foreign].astype("int64"), rate[foreign]), dtype=float
    )
    return pd.Series(out, index=rows.index)


def share_of_wallet(
    groups: pd.DataFrame,
    wallets: pd.DataFrame,
    accounts: pd.DataFrame,
    as_of,
    fx_rates: pd.DataFrame | None = None,
    reporting_currency: str = "EUR",
    quantile: float = DEFAULT_QUANTILE,
) -> pd.DataFrame:
    """Wallet, supplier rank, share of wallet and headroom per group.

    ``groups``: ``group_id``, ``annual_revenue_cents`` (our revenue over the last 12 months);
    pass *all* groups, not only the candidates, since they are the peers of the
    similar-customers estimate. ``wallets``: the table of the data contract. ``accounts``:
    ``account_id``, ``sector`` (the group's sector is that of its top account, ``group_id``).
    ``as_of``: the day the wallet must be known on (the window's end). ``fx_rates``:
    ``month``, ``currency``, ``rate``, needed when a wallet is in another currency than
    ``reporting_currency`` (else :class:`InputError`). Rule and precedence: module docstring.

    Returns one row per row of ``groups``, in its order: ``group_id``, ``wallet_cents``
    (Int64, per year), ``wallet_source`` (``stated`` | ``estimated`` | ``unknown``),
    what it rests on (the report's words for it:
    :func:`account_analysis.present.reasons.wallet_method`): ``wallet_basis`` (one of
    :data:`WALLET_BASES`), ``wallet_as_of`` and ``wallet_currency`` (the recorded row's
    date, and its currency when that is not ``reporting_currency``, else ""), ``peer_sector``,
    ``peer_band`` and ``peer_quantile`` (the similar customers' cell and percentile, for
    ``similar`` only); ``our_rank``, ``n_suppliers`` (Int64),
    ``competitors`` (``|``-separated text, "" when unknown), ``share_of_wallet`` (float,
    annual revenue ÷ wallet, NaN when unknown), ``headroom_cents`` (Int64, wallet − annual
    revenue, at least 0). Does not mutate its inputs.

    >>> groups = pd.DataFrame({"group_id": ["A", "B"],
    ...                        "annual_revenue_cents": [1_000_000_00, 50_000_00]})
    >>> wallets = pd.DataFrame({"group_id": ["A", "B"], "as_of": pd.to_datetime(
    ...     ["2026-06-30", "2026-06-30"]), "annual_wallet": pd.array([None, 200_000_00],
    ...     dtype="Int64"), "currency": ["EUR", "EUR"], "our_rank": [1, 2],
    ...     "n_suppliers": [3, 3], "source": ["survey", "stated"], "competitors": ["X|Y", ""]})
    >>> accounts = pd.DataFrame({"account_id": ["A", "B"], "sector": ["Zorg", "Zorg"]})
    >>> out = share_of_wallet(groups, wallets, accounts, "2026-09-30")
    >>> out[["group_id", "wallet_cents", "wallet_source", "share_of_wallet"]]
      group_id  wallet_cents wallet_source  share_of_wallet
    0        A     200000000     estimated             0.50
    1        B      20000000        stated             0.25
    >>> out["wallet_basis"].tolist(), out["wallet_as_of"].dt.strftime("%Y-%m-%d").tolist()
    (['war', 'stated'], [nan, '2026-06-30'])
    """
    revenue = (
        groups["annual_revenue_cents"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    )
    latest = latest_wallets(wallets, as_of)
    stated_cents = _in_reporting_currency(latest, fx_rates, reporting_currency)
    at = pd.Index(latest["group_id"]).get_indexer(groups["group_id"])
    has_row = at >= 0

    def pick(values, fill):
        arr = np.asarray(values)
        return np.where(has_row, arr[np.where(has_row, at, 0)] if len(arr) else fill, fill)

    row_cents = pick(stated_cents.to_numpy(dtype=float), np.nan).astype(float)
    source = pick(latest["source"].fillna("").astype(str).to_numpy(dtype=object), "")
    rank = pick(
        latest["our_rank"].astype("Float64").to_numpy(dtype=float, na_value=np.nan), np.nan
    ).astype(float)
    n_sup = pick(
        latest["n_suppliers"].astype("Float64").to_numpy(dtype=float, na_value=np.nan), np.nan
    ).astype(float)
    competitors = pick(
        latest["competitors"].fillna("").astype(str).to_numpy(dtype=object)
        if "competitors" in latest
        else np.array([], dtype=object),
        "",
    )
    row_date = pick(
        pd.to_datetime(latest["as_of"]).to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns")
    )
    row_currency = pick(
        latest["currency"].fillna("").astype(str).to_numpy(dtype=object)
        if "currency" in latest
        else np.array([], dtype=object),
        "",
    )

    # Similar customers: percentile of annual revenue per sector × size band.
    sector_of = accounts.set_index("account_id")["sector"].fillna("").astype(str)
    sector = sector_of.reindex(groups["group_id"]).fillna("").to_numpy(dtype=object)
    band = size_band(np.nan_to_num(revenue, nan=0.0))
    peer = (revenue > 0) & (sector != "")
    peers = pd.DataFrame({"sector": sector[peer], "band": band[peer], "rev": revenue[peer]})
    by_cell = peers.groupby(["sector", "band"])["rev"]
    cell_stats = pd.DataFrame({"q": by_cell.quantile(quantile), "n": by_cell.size()})
    stats = cell_stats.reindex(pd.MultiIndex.from_arrays([sector, band]))
    similar = np.round(stats["q"].to_numpy(dtype=float))
    similar_ok = peer & (stats["n"].fillna(0).to_numpy() >= MIN_PEERS) & (similar > revenue)

    war_share = wallet_allocation_share(rank, n_sup)
    with np.errstate(invalid="ignore", divide="ignore"):
        war = np.round(revenue / war_share)
    war_ok = ~np.isnan(war_share) & (revenue > 0)

    has_amount = ~np.isnan(row_cents)
    is_stated = has_amount & np.isin(source, STATED_SOURCES)
    is_recorded = has_amount & ~is_stated
    conditions = [is_stated, is_recorded, war_ok, similar_ok]
    wallet = np.select(conditions, [row_cents, row_cents, war, similar], default=np.nan)
    kind = np.select(
        conditions, ["stated", "estimated", "estimated", "estimated"], default="unknown"
    )

    recorded = np.where(
        np.isin(source, STATED_SOURCES) | (source == RECORDED_ESTIMATE), source, "recorded"
    )
    basis = np.select(conditions, [recorded, recorded, "war", "similar"], default="unknown")
    from_row = has_amount & (is_stated | is_recorded)
    converted = from_row & (row_currency != "") & (row_currency != reporting_currency)
    is_similar = basis == "similar"
    with np.errstate(invalid="ignore", divide="ignore"):
        sow = np.where(wallet > 0, revenue / wallet, np.nan)
    headroom = np.where(np.isnan(wallet), np.nan, np.maximum(wallet - np.nan_to_num(revenue), 0))
    return pd.DataFrame(
        {
            "group_id": groups["group_id"].to_numpy(),
            "wallet_cents": _int64(wallet),
            "wallet_source": kind.astype(object),
            "wallet_basis": basis.astype(object),
            "wallet_as_of": pd.to_datetime(pd.Series(row_date)).where(from_row),
            "wallet_currency": np.where(converted, row_currency, "").astype(object),
            "peer_sector": np.where(is_similar, sector, "").astype(object),
            "peer_band": _int64(np.where(is_similar, band, np.nan)),
            "peer_quantile": np.where(is_similar, quantile, np.nan),
            "our_rank": _int64(rank),
            "n_suppliers": _int64(n_sup),
            "competitors": competitors.astype(object),
            "share_of_wallet": sow.astype(float),
            "headroom_cents": _int64(headroom),
        }
    ).astype(
        {
            "wallet_source": "str",
            "wallet_basis": "str",
            "wallet_currency": "str",
            "peer_sector": "str",
            "competitors": "str",
        }
    )


def _int64(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers as nullable Int64 (NaN → NA)."""
    return pd.Series(np.asarray(values, dtype=float)).round().astype("Int64").array
