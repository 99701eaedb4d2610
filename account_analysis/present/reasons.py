"""The words of the designation: the sentence that gives each candidate's recommendation.

:func:`~account_analysis.analysis.designation.designate_large_accounts` returns facts: the
rule's ``reason`` code (which branch of the recommendation rule applied) and the criteria it
applied it to. Here they become one sentence in the report's language, with every number
formatted by Babel for its locale.

>>> import pandas as pd
>>> row = {"group_id": "B", "name": "Beta", "share": 0.10, "our_rank": 5, "n_suppliers": 7,
...        "share_of_wallet": 0.08, "wallet_source": "stated", "headroom_cents": pd.NA,
...        "trend": -0.12, "open_escalations": 2, "reason": "not_top3"}
>>> print(rationale(row, 0.05, "en"))
Beta brings 10.0% of revenue, but we are only its 5th supplier of 7 with a share of wallet \
of 8%: not recommended unless we state the ambition to reach the top 3. Revenue fell 12.0% \
over the last 12 months. 2 escalations are open.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.assignment import capacities_of
from ..analysis.wallet import WALLET_BASIS_COLUMNS, figure_kind
from ..words import ByLanguage, words
from .format import (
    format_decimal,
    format_growth,
    format_percent,
    locale_of,
    money_as_known,
    money_short,
)


def ordinal(n: int, language: str = "en") -> str:
    """``1st``, ``2nd``, ``13th`` in English; ``1e``, ``5e`` in Dutch.

    >>> ordinal(2), ordinal(13), ordinal(22), ordinal(111), ordinal(5, "nl")
    ('2nd', '13th', '22nd', '111th', '5e')
    """
    # The catalog's form per CLDR ordinal category of the language (Babel's
    # Locale.ordinal_form): 1st 2nd 3rd 4th 11th 21st in English, 1e 2e in Dutch.
    n = int(n)
    w = words(language)
    form = w.get(f"ordinal.{locale_of(language).ordinal_form(n)}") or w["ordinal.other"]
    return form.format(n=n)


TEXT = ByLanguage("reasons")  # the designation rationale
TREND_WORTH_MENTIONING = 0.05  # a change of revenue below 5% a year is not mentioned


def rationale(row: dict, threshold: float, language: str = "en", currency: str = "EUR") -> str:
    """The recommendation of one row of ``designate_large_accounts`` as a sentence: its
    ``reason`` code with the share, supplier rank, share of wallet (said to be estimated
    where it is), headroom, a 12-month trend of 5% or more and the open escalations."""
    t = TEXT[language]
    name = row["name"] if isinstance(row["name"], str) and row["name"] else row["group_id"]
    brings = t["brings"].format(name=name, share=format_percent(row["share"], language))
    rank, n = row["our_rank"], row["n_suppliers"]
    sup = ""
    if not pd.isna(rank):
        sup = (t["sup_no_n"] if pd.isna(n) else t["sup"]).format(
            rank=ordinal(rank, language), n="" if pd.isna(n) else int(n)
        )
    sow = ""
    if not pd.isna(row["share_of_wallet"]):
        key = "sow_est" if row["wallet_source"] == "estimated" else "sow"
        sow = t[key].format(pct=format_percent(row["share_of_wallet"], language, 0))
    headroom = ""
    if not pd.isna(row["headroom_cents"]):
        headroom = t["headroom"].format(
            money=money_as_known(
                row["headroom_cents"], figure_kind("headroom_cents"), language, currency
            )
        )
    branch = row["reason"]
    if branch in ("ambition", "near_miss") and pd.isna(rank):
        branch += "_unknown"
    decimals = 0 if round(threshold * 100, 6) == int(round(threshold * 100, 6)) else 1
    text = t[branch].format(
        brings=brings,
        sup=sup,
        sow=sow,
        headroom=headroom,
        threshold=format_percent(threshold, language, decimals),
    )
    trend = row["trend"]
    if not pd.isna(trend) and abs(trend) >= TREND_WORTH_MENTIONING:
        text += t["rose" if trend > 0 else "fell"].format(
            pct=format_growth(trend, language, signed=False)
        )
    n_open = int(row["open_escalations"])
    if n_open:
        text += t["open1"] if n_open == 1 else t["open"].format(n=n_open)
    return text


def with_rationale(
    designations: pd.DataFrame, threshold: float, language: str = "en"
) -> pd.DataFrame:
    """``designations`` with a ``rationale`` column (:func:`rationale` of each row), after
    ``reason``; a new frame."""
    sentences = [rationale(row, threshold, language) for row in designations.to_dict("records")]
    at = designations.columns.get_loc("reason") + 1
    out = designations.copy()
    out.insert(at, "rationale", pd.array(sentences, dtype="str"))
    return out


WALLET_WORDS = ByLanguage("wallet")  # how a wallet was measured


def _whole(value) -> str:
    return "?" if value is None or pd.isna(value) else str(int(value))


def wallet_method(row, language: str = "en") -> str:
    """What a wallet of :func:`~account_analysis.analysis.wallet.share_of_wallet` rests on,
    in words: its ``wallet_basis`` with the recorded row's date and currency, the rank it
    was derived from, or the similar customers' percentile and cell.

    >>> wallet_method({"wallet_basis": "war", "our_rank": 1, "n_suppliers": 3})
    'Wallet Allocation Rule from rank 1 of 3'
    >>> wallet_method({"wallet_basis": "survey", "wallet_as_of": pd.Timestamp("2026-06-30"),
    ...                "wallet_currency": "USD"}, "nl")
    'uit klantonderzoek (2026-06-30), omgerekend uit USD'
    """
    words = WALLET_WORDS[language]
    basis = row.get("wallet_basis") or "unknown"
    if basis == "war":
        return words["war"].format(
            rank=_whole(row.get("our_rank")), n=_whole(row.get("n_suppliers"))
        )
    if basis == "similar":
        return words["similar"].format(
            pct=ordinal(round(row["peer_quantile"] * 100), language),
            sector=row["peer_sector"],
            band=_whole(row["peer_band"]),
        )
    if basis == "unknown":
        return words["unknown"]
    as_of = row.get("wallet_as_of")
    text = words[basis].format(
        date="" if as_of is None or pd.isna(as_of) else pd.Timestamp(as_of).strftime("%Y-%m-%d")
    )
    if row.get("wallet_currency"):
        text += words["converted"].format(currency=row["wallet_currency"])
    return text


def with_words(designations: pd.DataFrame, threshold: float, language: str = "en") -> pd.DataFrame:
    """``designations`` as a reader gets them: the rule's ``reason`` code replaced by its
    sentence (``rationale``) and the wallet's basis columns by ``wallet_method``, each where
    the code stood; a new frame."""
    out = with_rationale(designations, threshold, language).drop(columns="reason")
    methods = [wallet_method(row, language) for row in designations.to_dict("records")]
    out.insert(
        out.columns.get_loc(WALLET_BASIS_COLUMNS[0]),
        "wallet_method",
        pd.array(methods, dtype="str"),
    )
    return out.drop(columns=list(WALLET_BASIS_COLUMNS))


ASSIGNMENT_WORDS = ByLanguage("assignment")  # why this manager


def match_reason(row, language: str = "en", currency: str = "EUR") -> str:
    """Why a manager fits a group, from the components of
    :func:`~account_analysis.analysis.assignment.score_managers`.

    >>> match_reason({"handled_cents": 120_000_000, "handled_share": 0.9,
    ...               "complaints_per_mln": 2.04, "wants_new_challenge": True})
    'handled €1.2m with this group in the window (90.0% of its revenue), 2.0 complaints per \
€1m on their accounts, wants a new challenge'
    """
    t = ASSIGNMENT_WORDS[language]
    parts = []
    if row["handled_cents"] > 0:
        parts.append(
            t["handled"].format(
                money=money_short(int(row["handled_cents"]), language, currency),
                share=format_percent(row["handled_share"], language),
            )
        )
    else:
        parts.append(t["none"])
    rate = row["complaints_per_mln"]
    parts.append(
        t["no_rate"]
        if pd.isna(rate)
        else t["rate"].format(rate=format_decimal(float(rate), language, 1))
    )
    if row["wants_new_challenge"]:
        parts.append(t["challenge"])
    return ", ".join(parts)


def with_assignment_reasons(
    assignments: pd.DataFrame, managers: pd.DataFrame, language: str = "en", currency: str = "EUR"
) -> pd.DataFrame:
    """``assignments`` (from
    :func:`~account_analysis.analysis.assignment.assign_account_managers`) with ``reason``
    after ``source``: why the manager fits (:func:`match_reason`), prefixed for a decision
    with whether it follows the proposal (naming the proposed manager when not) and whether
    it goes beyond the manager's capacity; for an unassigned group, the slots there were.
    A new frame."""
    t = ASSIGNMENT_WORDS[language]
    names = dict(zip(managers["manager_id"].astype(str), managers["name"], strict=True))
    slots = int(capacities_of(managers).sum()) if len(managers) else 0
    reasons = []
    for row in assignments.to_dict("records"):
        if row["source"] == "unassigned":
            reasons.append(t["unassigned"].format(slots=slots, groups=len(assignments)))
            continue
        reason = match_reason(row, language, currency)
        if row["source"] == "decision":
            note = t["decision"]
            if row["differs"]:
                other = row["proposed_manager_id"]
                note += "; " + t["would"].format(
                    name=names.get(other, "–") if isinstance(other, str) else "–"
                )
            else:
                note += " (" + t["same"] + ")"
            if row["over_capacity"]:
                note += "; " + t["over"].format(cap=int(row["capacity"]))
            reason = note + ": " + reason
        reasons.append(reason)
    out = assignments.copy()
    out.insert(out.columns.get_loc("source") + 1, "reason", pd.array(reasons, dtype="str"))
    return out
