"""The sections of the revenue concentration report: :func:`key_figures_section`,
:func:`trend_section`, :func:`risk_section`, :func:`merger_section`,
:func:`sell_wide_deep_section` and :func:`sensitivity_section`.

Each takes a :class:`~account_analysis.analysis.scoring.PeriodScore` and returns an
:class:`~account_analysis.present.format.Html` piece (see :mod:`.sections`). None mutates the
score.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..analysis.concentration import HHI_BANDS, HHI_HIGHLY_CONCENTRATED, HHI_SIGNIFICANT_CHANGE
from ..analysis.wallet import figure_kind
from .format import (
    Html,
    concentration_headline,
    format_count,
    format_percent,
    money_as_known,
    money_short,
)
from .reasons import ordinal

# The shared parts under the private names they had in sections.py before the split,
# so that the section bodies moved unchanged.
from .section_parts import DASH, MAX_ROWS
from .section_parts import display_name as _name
from .section_parts import display_names as _names
from .section_parts import heading as _h2
from .section_parts import join_words as _join
from .section_parts import paragraph as _p
from .section_parts import percent as _pct
from .section_parts import plain_decimal as _decimal
from .section_parts import short_table as _table
from .section_parts import threshold_percent as _threshold
from .section_parts import whole_money as _money
from .section_parts import words as _words

MERGER_ROWS = 10
SENSITIVITY_ROWS = 12


def _hhi(score, value) -> str:
    if pd.isna(value):
        return DASH
    return format_count(round(float(value)), score.settings.language)


def _band(score, band: str) -> str:
    key = {v: k for k, v in HHI_BANDS.items()}.get(band)
    return _words(score)[f"band:{key}"] if key else DASH


def key_figures_section(score) -> Html:
    """Headline sentence and the key concentration figures: CR1/4/10, HHI and band, the
    effective number of customers and the Gini coefficient."""
    w, lang, m = _words(score), score.settings.language, score.metrics
    headline = concentration_headline(
        score.concentration, score.settings.threshold, score.settings.window, lang
    )
    effective = m["effective_number"]
    d = score.dependency
    mark = format_percent(
        d.major_customer_mark,
        lang,
        0
        if round(d.major_customer_mark * 100, 6) == int(round(d.major_customer_mark * 100, 6))
        else 1,
    )
    hhi_meaning = w["hhi_meaning"].format(
        band=_band(score, m["hhi_band"]), line=format_count(HHI_HIGHLY_CONCENTRATED, lang)
    )
    if d.above_major_mark and d.hhi_band != "highly":
        # A low band beside a major customer must not read as "no risk".
        hhi_meaning += "; " + w["hhi_not_dependency"].format(
            share=_pct(score, d.largest_share), mark=mark
        )
    rows = [
        (w["cr1"], _pct(score, m["cr1"]), w["cr1_meaning"].format(mark=mark)),
        (w["crn"].format(n=4), _pct(score, m["cr4"]), w["crn_meaning"].format(n=4)),
        (w["crn"].format(n=10), _pct(score, m["cr10"]), w["crn_meaning"].format(n=10)),
        (w["hhi"], _hhi(score, m["hhi"]), hhi_meaning),
        (
            w["effective"],
            _decimal(effective, lang),
            w["effective_meaning"].format(
                n=DASH if pd.isna(effective) else format_count(round(effective), lang)
            ),
        ),
        (w["gini"], _decimal(m["gini"], lang, 2), w["gini_meaning"]),
    ]
    table = pd.DataFrame(rows, columns=[w["measure"], w["value"], w["meaning"]])
    html = _h2(w["key_figures"]) + _p(headline, "headline") + _table(table, numeric=(w["value"],))
    if m["credit_groups"]:
        html += _p(
            w["credit"].format(
                n=format_count(m["credit_groups"], lang), money=_money(score, m["credit_cents"])
            ),
            "note",
        )
    return Html(html)


def trend_section(score) -> Html:
    """CR1, CR4, HHI, effective number and the candidates per period, and the direction of
    CR4 since the first period shown."""
    w, lang, t = _words(score), score.settings.language, score.trend.tail(MAX_ROWS)
    table = pd.DataFrame(
        {
            w["period"]: t["period"].astype(str).to_numpy(),
            "CR1": [_pct(score, v) for v in t["cr1"]],
            "CR4": [_pct(score, v) for v in t["cr4"]],
            "HHI": [_hhi(score, v) for v in t["hhi"]],
            w["effective_short"]: [_decimal(v, lang) for v in t["effective_number"]],
            w["candidates"]: [format_count(v, lang) for v in t["candidates"]],
            w["candidates_share"]: [_pct(score, v) for v in t["candidates_share"]],
        }
    )
    html = _h2(w["trend"])
    if len(t) >= 2:
        first, last = t.iloc[0], t.iloc[-1]
        points = (float(last["cr4"]) - float(first["cr4"])) * 100
        key = "trend_flat" if abs(points) < 0.05 else "trend_up" if points > 0 else "trend_down"
        html += _p(
            w[key].format(
                pp=_decimal(abs(points), lang),
                first=str(first["period"]),
                a=_pct(score, first["cr4"]),
                b=_pct(score, last["cr4"]),
            )
        )
    html += _table(table, numeric=list(table.columns[1:]))
    html += _p(
        w["trend_note"].format(months=score.settings.window_months, threshold=_threshold(score)),
        "note",
    )
    return Html(html)


def risk_section(score) -> Html:
    """Revenue at risk if the largest group, or the three largest, leave; and the HHI after."""
    w, lang = _words(score), score.settings.language
    one, three = score.loss_top1, score.loss_top3
    html = _h2(w["risk"])
    if one["lost"].empty:
        return Html(html + _p(w["risk_none"]))
    n3 = len(three["lost"])
    html += _p(
        w["risk_sentence"].format(
            name=_names(one["lost"])[0],
            money=_money(score, one["at_risk_cents"]),
            pct=_pct(score, one["at_risk_share"]),
            span=score.settings.window.describe(lang),
            n=n3,
            money3=_money(score, three["at_risk_cents"]),
            pct3=_pct(score, three["at_risk_share"]),
        )
    )
    rows = [
        (
            w["top1"] if len(s["lost"]) == 1 else w["topn"].format(n=len(s["lost"])),
            "; ".join(_names(s["lost"])),
            _money(score, s["at_risk_cents"]),
            _pct(score, s["at_risk_share"]),
            _hhi(score, s["hhi_after"]),
        )
        for s in (one, three)
    ]
    cols = [w["scenario"], w["groups"], w["at_risk"], w["share_of_revenue"], w["hhi_after"]]
    html += _table(pd.DataFrame(rows, columns=cols), numeric=cols[2:])
    html += _p(w["risk_hhi"].format(hhi=_hhi(score, one["hhi_before"])), "note")
    return Html(html)


def worked_merger(share_a: float, share_b: float) -> tuple[float, float, float]:
    """The merger example from the shares as the table shows them (in percent, one
    decimal): rounded first, then multiplied, so that ``2 × a × b = d`` multiplies out for a
    reader who checks it (``d`` is exact with at most two decimals). The table's HHI rise,
    from the unrounded shares, is a whole number, as the HHI is.

    >>> worked_merger(0.12163, 0.10904)
    (12.2, 10.9, 265.96)
    """
    a, b = round(float(share_a) * 100, 1), round(float(share_b) * 100, 1)
    return a, b, round(2 * a * b, 2)


def _decimals_of(value: float) -> int:
    """The decimals (0–2) that show ``value`` exactly.

    >>> _decimals_of(262.5), _decimals_of(265.96), _decimals_of(270.0)
    (1, 2, 0)
    """
    return next(k for k in (0, 1, 2) if round(value, k) == round(value, 2))


def merger_section(score) -> Html:
    """The merger what-ifs: flagged pairs first, then the largest HHI rises (≤ 10 rows)."""
    w, lang = _words(score), score.settings.language
    line = format_count(HHI_SIGNIFICANT_CHANGE, lang)
    m = score.mergers
    html = _h2(w["mergers"])
    if m.empty:
        return Html(html + _p(w["mergers_none"]))
    flagged = (m["significant"] | m["crosses_threshold"]).to_numpy(dtype=bool)
    order = np.argsort(~flagged, kind="stable")  # flagged first, each part by ΔHHI as given
    shown = m.iloc[order].head(MERGER_ROWS)
    top = shown.iloc[0]
    a, b, d = worked_merger(top["share_a"], top["share_b"])
    html += _p(
        w["mergers_explain"].format(
            a=_decimal(a, lang),
            b=_decimal(b, lang),
            d=_decimal(d, lang, _decimals_of(d)),
            line=line,
        )
    )

    def flag(row) -> str:
        words = []
        if row["significant"]:
            words.append(w["flag_significant"].format(line=line))
        if row["crosses_threshold"]:
            words.append(w["flag_crosses"].format(threshold=_threshold(score)))
        return "; ".join(words) or DASH

    # Both share columns are headed "Share": the table reads group, share, group, share.
    columns = [
        w["group_a"],
        w["share_a"],
        w["group_b"],
        w["share_b"],
        w["merged_share"],
        w["delta_hhi"],
        w["hhi_after"],
        w["flags"],
    ]
    table = pd.DataFrame(
        [
            (
                _name(r["name_a"], r["group_a"]),
                _pct(score, r["share_a"]),
                _name(r["name_b"], r["group_b"]),
                _pct(score, r["share_b"]),
                _pct(score, r["merged_share"]),
                _hhi(score, r["delta_hhi"]),
                _hhi(score, r["hhi_after"]),
                flag(r),
            )
            for r in shown.to_dict("records")
        ],
        columns=columns,
    )
    numeric = [c for c in columns if c not in (w["group_a"], w["group_b"], w["flags"])]
    html += _table(table, numeric=numeric)
    html += _p(w["mergers_count"].format(n=int(flagged.sum()), total=len(m)), "note")
    return Html(html)


def sell_wide_deep_section(score) -> Html:
    """The growth target found wide (new median-size customers) or deep (share of wallet at
    the candidates), in one sentence and a two-row table."""
    w, lang, cur = _words(score), score.settings.language, score.settings.reporting_currency
    d = score.sell_wide_vs_deep
    target = format_percent(
        d["growth_target"],
        lang,
        0 if round(d["growth_target"] * 100, 6) == int(round(d["growth_target"] * 100, 6)) else 1,
    )
    growth = money_short(d["growth_needed_cents"], lang, cur)
    median = _money(score, d["median_customer_cents"])
    n_new = (
        w["wd_no_median"]
        if d["new_customers_needed"] is None
        else format_count(d["new_customers_needed"], lang)
    )
    headroom = money_as_known(d["headroom_cents"], figure_kind("headroom_cents"), lang, cur)
    known = d["candidates_with_wallet"]
    if known == 0:
        sentence = w["wd_no_wallet"].format(target=target, growth=growth, n=n_new, median=median)
    else:
        if known < d["candidates"]:
            cands = w["wd_cands_part"].format(k=known, n=d["candidates"])
        elif known == 1:
            cands = w["wd_cands1"]
        else:
            cands = w["wd_cands"].format(n=known)
        cover = {True: w["wd_covers"], False: w["wd_short"], None: w["wd_headroom_unknown"]}[
            d["headroom_covers"]
        ].format(money=headroom)
        sentence = w["wd_sentence"].format(
            target=target,
            growth=growth,
            n=n_new,
            median=median,
            pp=_decimal(d["share_of_wallet_gain_pp"], lang),
            cands=cands,
            headroom=cover,
        )
    wide_takes = w["wd_new"].format(n=n_new) if d["new_customers_needed"] is not None else n_new
    rows = [(w["sell_wide"], wide_takes, w["wd_median"].format(median=median))]
    if known:
        rows.append(
            (
                w["sell_deep"],
                w["wd_gain"].format(pp=_decimal(d["share_of_wallet_gain_pp"], lang)),
                w["wd_deep_basis"].format(
                    sow=_pct(score, d["share_of_wallet"]),
                    wallet=money_as_known(
                        d["wallet_cents"], figure_kind("wallet_cents"), lang, cur
                    ),
                    headroom=headroom,
                ),
            )
        )
    else:
        rows.append((w["sell_deep"], w["unknown"], DASH))
    table = pd.DataFrame(rows, columns=[w["strategy"], w["takes"], w["basis"]])
    return Html(
        _h2(w["wide_deep"])
        + _p(sentence, "headline")
        + _table(table)
        + _p(w["wd_annual"].format(money=_money(score, d["annual_revenue_cents"])), "note")
    )


def sensitivity_section(score) -> Html:
    """Ranks and shares of the largest groups under each window length (headed "27 of 36
    months" where a window reaches back before the data), how well the rankings agree
    (Spearman), and which candidates enter or leave."""
    w, lang = _words(score), score.settings.language
    s = score.sensitivity
    ranks = s.ranks.head(SENSITIVITY_ROWS)
    data = {w["group_a"]: _names(ranks)}
    numeric = []
    for months in s.windows:
        # a window reaching back before the data says how much of it holds data
        present = score.data_quality.months_with_data(months)
        key = "window_ref" if months == s.reference else "window_m"
        col = (
            w[key].format(m=months)
            if present >= months
            else w[f"{key}_short"].format(n=present, m=months)
        )
        data[col] = [
            DASH
            if pd.isna(r)
            else w["share_rank"].format(share=_pct(score, v), rank=ordinal(int(r), lang))
            for r, v in zip(ranks[f"rank_{months}m"], ranks[f"share_{months}m"], strict=True)
        ]
        numeric.append(col)
    html = _h2(w["sensitivity"])
    corr = s.correlation.dropna(subset=["spearman"])
    if not corr.empty:
        low = float(corr["spearman"].min())
        how = (
            w["agree_closely"]
            if low >= 0.9
            else w["agree_fairly"]
            if low >= 0.7
            else w["agree_poorly"]
        )
        pairs = [
            w["spearman_pair"].format(r=_decimal(r, lang, 2), a=a, b=b)
            for a, b, r in zip(corr["window_a"], corr["window_b"], corr["spearman"], strict=True)
        ]
        html += _p(
            w["spearman"].format(how=how, pairs=_join(pairs, lang), n=int(corr["groups"].max()))
        )
    if s.changes.empty:
        windows = w["same_candidates_all"] if len(s.windows) == 3 else str(len(s.windows))
        html += _p(w["same_candidates"].format(windows=windows))
    else:
        for row in s.changes.head(MAX_ROWS).to_dict("records"):
            html += _p(
                w[row["change"]].format(
                    m=row["window"],
                    name=_name(row["name"], row["group_id"]),
                    share=_pct(score, row["share"]),
                    ref=_pct(score, row["reference_share"]),
                    r=s.reference,
                )
            )
    html += _table(pd.DataFrame(data), numeric=numeric, rows=SENSITIVITY_ROWS)
    end = score.settings.parsed_period.window(s.reference).end
    html += _p(w["sensitivity_note"].format(end=end.strftime("%Y-%m-%d")), "note")
    return Html(html)
