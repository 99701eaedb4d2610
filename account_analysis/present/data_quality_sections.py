"""The data-quality section of the revenue concentration report: :func:`data_quality_section`.

It states what the period's figures rest on and where the data fall short, from the facts of
:func:`~account_analysis.analysis.data_quality.data_quality` (``score.data_quality``): units in
no sales territory and units abroad, the lines excluded by reason (the reconciliation's
figures), the exchange rates of the window, the dates and age of the wallet figures of the
candidates and near misses, and the span of the data against the windows shown. Words from
the catalogs' ``section.dq_*`` messages, numbers, money and dates by Babel. Pure.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from babel.dates import format_date

from ..words import words as catalog
from .format import Html, format_count, format_day, format_decimal, locale_of
from .section_parts import DASH, heading, join_words, paragraph, short_table, whole_money, words

NAMES_SHOWN = 3  # names of units in a row's detail, then "and n more"


def _month(label: str, language: str) -> str:
    """``2023-10`` as the locale writes a month: ``October 2023`` / ``oktober 2023``."""
    if not label:
        return DASH
    return format_date(
        date(int(label[:4]), int(label[5:7]), 1), "MMMM y", locale=locale_of(language)
    )


def _names(names: list[str], w: dict, language: str) -> str:
    shown = [str(n) for n in names[:NAMES_SHOWN]]
    if len(names) > NAMES_SHOWN:
        return w["dq_more"].format(names=", ".join(shown), n=len(names) - NAMES_SHOWN)
    return join_words(shown, language)


def _unit_rows(score, q, w, lang, plural) -> list[tuple]:
    rows = []
    for key, units in (
        ("dq_no_territory", q.units_without_territory),
        ("dq_abroad", q.foreign_units),
    ):
        if units.empty:
            rows.append((w[key], format_count(0, lang), DASH))
            continue
        if key == "dq_abroad":
            countries = units.groupby("country", sort=True)["account_id"].count()
            detail = ", ".join(f"{c} {format_count(n, lang)}" for c, n in countries.items())
        else:
            detail = "; ".join(
                w["dq_reason_names"].format(
                    why=w[f"why:{reason}"], names=_names(list(part["name"]), w, lang)
                )
                for reason, part in units.groupby("reason", sort=True)
            )
        found = plural("section.dq_units", len(units)).format(n=format_count(len(units), lang))
        rows.append(
            (
                w[key],
                w["dq_with_revenue"].format(
                    found=found, money=whole_money(score, int(units["revenue_cents"].sum()))
                ),
                detail,
            )
        )
    return rows


def _fx_rows(score, q, w, lang) -> list[tuple]:
    cur = score.settings.reporting_currency
    months = q.window_months
    if q.fx.empty:
        return [(w["dq_fx_none"], DASH, w["dq_fx_none_detail"])]
    return [
        (
            w["dq_fx"].format(currency=r["currency"]),
            w["dq_fx_months"].format(
                n=format_count(r["months"], lang), m=format_count(months, lang)
            ),
            w["dq_fx_detail"].format(
                low=format_decimal(r["low"], lang, 4),
                high=format_decimal(r["high"], lang, 4),
                reporting=cur,
                currency=r["currency"],
                month=_month(r["last_month"], lang),
                last=format_decimal(r["last_rate"], lang, 4),
            ),
        )
        for r in q.fx.to_dict("records")
    ]


def _wallet_rows(q, w, lang) -> list[tuple]:
    rows = []
    for r in q.wallets.to_dict("records"):
        label = w["dq_wallet"].format(name=r["name"] or r["group_id"])
        if r["wallet_source"] == "stated" and not pd.isna(r["wallet_as_of"]):
            rows.append(
                (
                    label,
                    format_day(pd.Timestamp(r["wallet_as_of"]).date(), lang),
                    w["dq_wallet_age"].format(n=format_count(r["age_months"], lang)),
                )
            )
        elif r["wallet_source"] == "estimated":
            rows.append((label, w["dq_wallet_estimated"], w["dq_wallet_estimated_detail"]))
        else:
            rows.append((label, w["dq_wallet_unknown"], DASH))
    return rows


def _window_rows(q, w, lang) -> list[tuple]:
    rows = []
    for r in q.coverage.to_dict("records"):
        short = r["months_with_data"] < r["months"]
        detail = w["dq_window_short" if short else "dq_window_detail"].format(
            month=_month(r["data_from"], lang)
        )
        rows.append(
            (
                w["dq_window"].format(m=r["months"]),
                w["dq_fx_months"].format(
                    n=format_count(r["months_with_data"], lang), m=format_count(r["months"], lang)
                ),
                detail,
            )
        )
    return rows


def data_quality_section(score) -> Html:
    """Units in no territory and abroad, exclusions by reason, exchange rates, wallet dates and
    the windows against the data, as one table with a sentence before and a note after."""
    w, lang = words(score), score.settings.language
    plural = catalog(lang).plural
    q = score.data_quality
    rows = _unit_rows(score, q, w, lang, plural)
    for r in q.exclusions.to_dict("records"):
        key = f"dq_excluded:{r['reason']}"
        found = plural("section.dq_lines", r["lines"]).format(n=format_count(r["lines"], lang))
        rows.append(
            (
                w[key] if key in w else r["reason"],
                w["dq_with_revenue"].format(
                    found=found, money=whole_money(score, r["revenue_cents"])
                ),
                w["dq_excluded_note"],
            )
        )
    rows += _fx_rows(score, q, w, lang) + _wallet_rows(q, w, lang) + _window_rows(q, w, lang)
    columns = [w["dq_item"], w["dq_found"], w["dq_detail"]]
    table = pd.DataFrame(rows, columns=columns)
    return Html(
        heading(w["dq_title"])
        + paragraph(w["dq_intro"])
        + short_table(table, rows=len(table))
        + paragraph(w["dq_note"], "note")
    )
