"""Report sections for readers: one function per section of the period reports.

Each function takes a :class:`~account_analysis.analysis.scoring.PeriodScore` and returns a
:class:`~account_analysis.present.format.Html` piece: an ``<h2>`` heading, a few plain sentences
and at most one short table, in the report language (``score.settings.language``, ``en`` or
``nl``). Numbers go through the formatters of :mod:`account_analysis.present.format`; every piece of
text that comes from the data is escaped. No section mutates the score.

Revenue concentration report: :func:`key_figures_section`, :func:`trend_section`,
:func:`risk_section`, :func:`merger_section`, :func:`sell_wide_deep_section`,
:func:`sensitivity_section`. Large Account rationale report: :func:`candidates_section`,
:func:`rationale_section`, :func:`near_miss_section`, :func:`changes_section`,
:func:`wallet_method_note`.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd
from babel.lists import format_list

from ..analysis.concentration import HHI_BANDS, HHI_HIGHLY_CONCENTRATED, HHI_SIGNIFICANT_CHANGE
from ..analysis.designation import DEFAULT_NEAR_MISS
from .format import (
    Html,
    concentration_headline,
    format_count,
    format_decimal,
    format_money,
    format_percent,
    html_table,
    locale_of,
    money_short,
)
from .reasons import ordinal, rationale, wallet_method, with_assignment_reasons
from .section_words import TEXT

MAX_ROWS = 15  # a table longer than this does not read well in an email
MERGER_ROWS = 10
SENSITIVITY_ROWS = 12
DASH = "–"


# --------------------------------------------------------------------------- helpers


def _words(score) -> dict:
    return TEXT[score.settings.language]


def _h2(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def _p(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{escape(text)}</p>"


def _money(score, cents) -> str:
    """Whole euros (or the reporting currency) for a management table."""
    return format_money(int(cents), score.settings.language, score.settings.reporting_currency,
                        decimals=0)


def _decimal(value: float, language: str, decimals: int = 1) -> str:
    """A plain number with ``decimals`` decimals and the reader's separators."""
    if pd.isna(value):
        return DASH
    return format_decimal(float(value), language, decimals)


def _pct(score, share, decimals: int = 1) -> str:
    if share is None or pd.isna(share):
        return DASH
    return format_percent(float(share), score.settings.language, decimals)


def _threshold(score) -> str:
    t = score.settings.threshold
    whole = round(t * 100, 6) == int(round(t * 100, 6))
    return format_percent(t, score.settings.language, 0 if whole else 1)


def _hhi(score, value) -> str:
    if pd.isna(value):
        return DASH
    return format_count(round(float(value)), score.settings.language)


def _band(score, band: str) -> str:
    key = {v: k for k, v in HHI_BANDS.items()}.get(band)
    return _words(score)[f"band:{key}"] if key else DASH


def _name(name, group_id) -> str:
    return name if isinstance(name, str) and name else str(group_id)


def _names(frame: pd.DataFrame) -> list[str]:
    return [_name(n, g) for n, g in zip(frame["name"], frame["group_id"], strict=True)]


def _rank_text(score, rank, n) -> str:
    w, lang = _words(score), score.settings.language
    if pd.isna(rank):
        return w["unknown"]
    if pd.isna(n):
        return ordinal(int(rank), lang)
    return w["rank_of"].format(rank=ordinal(int(rank), lang), n=int(n))


def _sow_text(score, sow, source) -> str:
    if pd.isna(sow):
        return _words(score)["unknown"]
    text = _pct(score, sow, 0)
    return f"{text} {_words(score)['est']}" if source == "estimated" else text


def _signed_pct(score, value) -> str:
    if pd.isna(value):
        return DASH
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + _pct(score, abs(value))


def _recommendation(score, word) -> str:
    return _words(score).get(f"rec:{word}", str(word))


def _table(frame: pd.DataFrame, numeric=(), rows: int = MAX_ROWS) -> str:
    return html_table(frame.head(rows), numeric=tuple(numeric)).html


def _join(items: list[str], language: str) -> str:
    """``a, b, and c`` / ``a, b en c``: the locale's list (Babel, CLDR)."""
    return format_list(list(items), locale=locale_of(language)) if items else ""


# --------------------------------------------------------------------------- concentration


def key_figures_section(score) -> Html:
    """Headline sentence and the key concentration figures: CR1/4/10, HHI and band, the
    effective number of customers and the Gini coefficient."""
    w, lang, m = _words(score), score.settings.language, score.metrics
    headline = concentration_headline(score.concentration, score.settings.threshold,
                                      score.settings.window, lang)
    effective = m["effective_number"]
    rows = [
        (w["cr1"], _pct(score, m["cr1"]), ""),
        (w["crn"].format(n=4), _pct(score, m["cr4"]), ""),
        (w["crn"].format(n=10), _pct(score, m["cr10"]), ""),
        (w["hhi"], _hhi(score, m["hhi"]),
         w["hhi_meaning"].format(band=_band(score, m["hhi_band"]),
                                 line=format_count(HHI_HIGHLY_CONCENTRATED, lang))),
        (w["effective"], _decimal(effective, lang),
         w["effective_meaning"].format(n=DASH if pd.isna(effective)
                                       else format_count(round(effective), lang))),
        (w["gini"], _decimal(m["gini"], lang, 2), w["gini_meaning"]),
    ]
    table = pd.DataFrame(rows, columns=[w["measure"], w["value"], w["meaning"]])
    html = (_h2(w["key_figures"]) + _p(headline, "headline")
            + _table(table, numeric=(w["value"],)))
    if m["credit_groups"]:
        html += _p(w["credit"].format(n=format_count(m["credit_groups"], lang),
                                      money=_money(score, m["credit_cents"])), "note")
    return Html(html)


def trend_section(score) -> Html:
    """CR1, CR4, HHI, effective number and the candidates per period, and the direction of
    CR4 since the first period shown."""
    w, lang, t = _words(score), score.settings.language, score.trend.tail(MAX_ROWS)
    table = pd.DataFrame({
        w["period"]: t["period"].astype(str).to_numpy(),
        "CR1": [_pct(score, v) for v in t["cr1"]],
        "CR4": [_pct(score, v) for v in t["cr4"]],
        "HHI": [_hhi(score, v) for v in t["hhi"]],
        w["effective_short"]: [_decimal(v, lang) for v in t["effective_number"]],
        w["candidates"]: [format_count(v, lang) for v in t["candidates"]],
        w["candidates_share"]: [_pct(score, v) for v in t["candidates_share"]],
    })
    html = _h2(w["trend"])
    if len(t) >= 2:
        first, last = t.iloc[0], t.iloc[-1]
        points = (float(last["cr4"]) - float(first["cr4"])) * 100
        key = "trend_flat" if abs(points) < 0.05 else "trend_up" if points > 0 else "trend_down"
        html += _p(w[key].format(pp=_decimal(abs(points), lang), first=str(first["period"]),
                                 a=_pct(score, first["cr4"]), b=_pct(score, last["cr4"])))
    html += _table(table, numeric=list(table.columns[1:]))
    html += _p(w["trend_note"].format(months=score.settings.window_months,
                                      threshold=_threshold(score)), "note")
    return Html(html)


def risk_section(score) -> Html:
    """Revenue at risk if the largest group, or the three largest, leave; and the HHI after."""
    w, lang = _words(score), score.settings.language
    one, three = score.loss_top1, score.loss_top3
    html = _h2(w["risk"])
    if one["lost"].empty:
        return Html(html + _p(w["risk_none"]))
    n3 = len(three["lost"])
    html += _p(w["risk_sentence"].format(
        name=_names(one["lost"])[0], money=_money(score, one["at_risk_cents"]),
        pct=_pct(score, one["at_risk_share"]), span=score.settings.window.describe(lang),
        n=n3, money3=_money(score, three["at_risk_cents"]),
        pct3=_pct(score, three["at_risk_share"])))
    rows = [(w["top1"] if len(s["lost"]) == 1 else w["topn"].format(n=len(s["lost"])),
             "; ".join(_names(s["lost"])), _money(score, s["at_risk_cents"]),
             _pct(score, s["at_risk_share"]), _hhi(score, s["hhi_after"]))
            for s in (one, three)]
    cols = [w["scenario"], w["groups"], w["at_risk"], w["share_of_revenue"], w["hhi_after"]]
    html += _table(pd.DataFrame(rows, columns=cols), numeric=cols[2:])
    html += _p(w["risk_hhi"].format(hhi=_hhi(score, one["hhi_before"])), "note")
    return Html(html)


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
    html += _p(w["mergers_explain"].format(
        a=_decimal(top["share_a"] * 100, lang), b=_decimal(top["share_b"] * 100, lang),
        d=_decimal(top["delta_hhi"], lang), line=line))

    def flag(row) -> str:
        words = []
        if row["significant"]:
            words.append(w["flag_significant"].format(line=line))
        if row["crosses_threshold"]:
            words.append(w["flag_crosses"].format(threshold=_threshold(score)))
        return "; ".join(words) or DASH

    # Both share columns are headed "Share": the table reads group, share, group, share.
    columns = [w["group_a"], w["share_a"], w["group_b"], w["share_b"], w["merged_share"],
               w["delta_hhi"], w["hhi_after"], w["flags"]]
    table = pd.DataFrame([
        (_name(r["name_a"], r["group_a"]), _pct(score, r["share_a"]),
         _name(r["name_b"], r["group_b"]), _pct(score, r["share_b"]),
         _pct(score, r["merged_share"]), _decimal(r["delta_hhi"], lang),
         _hhi(score, r["hhi_after"]), flag(r))
        for r in shown.to_dict("records")], columns=columns)
    numeric = [c for c in columns if c not in (w["group_a"], w["group_b"], w["flags"])]
    html += _table(table, numeric=numeric)
    html += _p(w["mergers_count"].format(n=int(flagged.sum()), total=len(m)), "note")
    return Html(html)


def sell_wide_deep_section(score) -> Html:
    """The growth target found wide (new median-size customers) or deep (share of wallet at
    the candidates), in one sentence and a two-row table."""
    w, lang, cur = _words(score), score.settings.language, score.settings.reporting_currency
    d = score.sell_wide_vs_deep
    target = format_percent(d["growth_target"], lang, 0 if round(d["growth_target"] * 100, 6)
                            == int(round(d["growth_target"] * 100, 6)) else 1)
    growth = money_short(d["growth_needed_cents"], lang, cur)
    median = _money(score, d["median_customer_cents"])
    n_new = (w["wd_no_median"] if d["new_customers_needed"] is None
             else format_count(d["new_customers_needed"], lang))
    headroom = money_short(d["headroom_cents"], lang, cur)
    known = d["candidates_with_wallet"]
    if known == 0:
        sentence = w["wd_no_wallet"].format(target=target, growth=growth, n=n_new,
                                            median=median)
    else:
        if known < d["candidates"]:
            cands = w["wd_cands_part"].format(k=known, n=d["candidates"])
        elif known == 1:
            cands = w["wd_cands1"]
        else:
            cands = w["wd_cands"].format(n=known)
        cover = {True: w["wd_covers"], False: w["wd_short"],
                 None: w["wd_headroom_unknown"]}[d["headroom_covers"]].format(money=headroom)
        sentence = w["wd_sentence"].format(
            target=target, growth=growth, n=n_new, median=median,
            pp=_decimal(d["share_of_wallet_gain_pp"], lang), cands=cands, headroom=cover)
    wide_takes = (w["wd_new"].format(n=n_new) if d["new_customers_needed"] is not None
                  else n_new)
    rows = [(w["sell_wide"], wide_takes, w["wd_median"].format(median=median))]
    if known:
        rows.append((w["sell_deep"], w["wd_gain"].format(
            pp=_decimal(d["share_of_wallet_gain_pp"], lang)),
            w["wd_deep_basis"].format(sow=_pct(score, d["share_of_wallet"]),
                                      wallet=money_short(d["wallet_cents"], lang, cur),
                                      headroom=headroom)))
    else:
        rows.append((w["sell_deep"], w["unknown"], DASH))
    table = pd.DataFrame(rows, columns=[w["strategy"], w["takes"], w["basis"]])
    return Html(_h2(w["wide_deep"]) + _p(sentence, "headline") + _table(table)
                + _p(w["wd_annual"].format(money=_money(score, d["annual_revenue_cents"])),
                     "note"))


def sensitivity_section(score) -> Html:
    """Ranks and shares of the largest groups under each window length, how well the
    rankings agree (Spearman), and which candidates enter or leave."""
    w, lang = _words(score), score.settings.language
    s = score.sensitivity
    ranks = s.ranks.head(SENSITIVITY_ROWS)
    data = {w["group_a"]: _names(ranks)}
    numeric = []
    for months in s.windows:
        col = w["window_ref" if months == s.reference else "window_m"].format(m=months)
        data[col] = [DASH if pd.isna(r) else w["share_rank"].format(
            share=_pct(score, v), rank=ordinal(int(r), lang))
            for r, v in zip(ranks[f"rank_{months}m"], ranks[f"share_{months}m"], strict=True)]
        numeric.append(col)
    html = _h2(w["sensitivity"])
    corr = s.correlation.dropna(subset=["spearman"])
    if not corr.empty:
        low = float(corr["spearman"].min())
        how = w["agree_closely"] if low >= 0.9 else w["agree_fairly"] if low >= 0.7 \
            else w["agree_poorly"]
        pairs = [w["spearman_pair"].format(r=_decimal(r, lang, 2), a=a, b=b)
                 for a, b, r in zip(corr["window_a"], corr["window_b"], corr["spearman"],
                                    strict=True)]
        html += _p(w["spearman"].format(how=how, pairs=_join(pairs, lang),
                                        n=int(corr["groups"].max())))
    if s.changes.empty:
        windows = w["same_candidates_all"] if len(s.windows) == 3 else str(len(s.windows))
        html += _p(w["same_candidates"].format(windows=windows))
    else:
        for row in s.changes.head(MAX_ROWS).to_dict("records"):
            html += _p(w[row["change"]].format(
                m=row["window"], name=_name(row["name"], row["group_id"]),
                share=_pct(score, row["share"]), ref=_pct(score, row["reference_share"]),
                r=s.reference))
    html += _table(pd.DataFrame(data), numeric=numeric, rows=SENSITIVITY_ROWS)
    end = score.settings.parsed_period.window(s.reference).end
    html += _p(w["sensitivity_note"].format(end=end.strftime("%Y-%m-%d")), "note")
    return Html(html)


# --------------------------------------------------------------------------- rationale


def candidates_section(score) -> Html:
    """One row per candidate with its criteria, the recommendation, the decision (marked
    where it differs from the recommendation) and the final designation."""
    w, lang = _words(score), score.settings.language
    c = score.candidates
    html = _h2(w["candidates_title"])
    if c.empty:
        return Html(html + _p(w["no_candidates"].format(threshold=_threshold(score))))
    html += _p(w["candidates_intro"].format(n=len(c), threshold=_threshold(score)))

    def complaints(row) -> str:
        text = (f"{format_count(row['complaints'], lang)} / "
                f"{format_count(row['escalations'], lang)}")
        if row["open_escalations"]:
            text += f" ({format_count(row['open_escalations'], lang)} {w['open']})"
        return text

    def decision(row) -> str:
        if pd.isna(row["decision"]) or row["decision"] == "":
            return w["not_decided"]
        mark = w["differs_mark"] if row["differs"] else ""
        return _recommendation(score, row["decision"]) + mark

    rows = c.to_dict("records")
    table = pd.DataFrame({
        w["group_a"]: _names(c),
        w["revenue_share"]: [_pct(score, r["share"]) for r in rows],
        w["rank"]: [_rank_text(score, r["our_rank"], r["n_suppliers"]) for r in rows],
        w["sow"]: [_sow_text(score, r["share_of_wallet"], r["wallet_source"]) for r in rows],
        w["headroom"]: [DASH if pd.isna(r["headroom_cents"])
                        else _money(score, r["headroom_cents"]) for r in rows],
        w["trend12"]: [_signed_pct(score, r["trend"]) for r in rows],
        w["complaints"]: [complaints(r) for r in rows],
        w["recommendation"]: [_recommendation(score, r["recommendation"]) for r in rows],
        w["decision"]: [decision(r) for r in rows],
        w["final"]: [_recommendation(score, r["final"]) for r in rows],
    })
    # Complaints stay left-aligned so that their heading may wrap: the table must fit.
    undecided = c["decision"].isna() | (c["decision"] == "")
    if not undecided.any():
        # Every decision is recorded, so it is the final designation: one column, not two.
        table = table.drop(columns=w["final"]).rename(
            columns={w["decision"]: w["decision_final"]})
    numeric = (w["revenue_share"], w["sow"], w["headroom"], w["trend12"])
    html += _table(table, numeric=numeric)
    if c["differs"].fillna(False).astype(bool).any():
        html += _p(w["differs_note"], "note")
    html += _p(w["candidates_note"].format(months=score.settings.window_months), "note")
    return Html(html)


def rationale_section(score) -> Html:
    """Per candidate: the rationale sentence, and the decision with its reason, who decided
    and when, and the proposed account manager, where recorded."""
    w = _words(score)
    c = score.candidates
    html = _h2(w["rationale"])
    if c.empty:
        return Html(html + _p(w["no_candidates"].format(threshold=_threshold(score))))
    for row in c.to_dict("records"):
        html += f"<h3>{escape(_name(row['name'], row['group_id']))}</h3>"
        html += _p(rationale(row, score.settings.threshold, score.settings.language))
        if pd.isna(row["decision"]) or row["decision"] == "":
            html += _p(w["no_decision"].format(
                rec=_recommendation(score, row["recommendation"])), "note")
        else:
            parts = [w["decided"].format(decision=_recommendation(score, row["decision"]))]
            if isinstance(row["decision_reason"], str) and row["decision_reason"]:
                parts.append(w["reason"].format(reason=row["decision_reason"]))
            who = []
            if isinstance(row["decided_by"], str) and row["decided_by"]:
                who.append(w["by"].format(who=row["decided_by"]))
            if not pd.isna(row["decided_on"]):
                who.append(w["on"].format(date=pd.Timestamp(row["decided_on"])
                                          .strftime("%Y-%m-%d")))
            text = "; ".join(parts) + (f" ({' '.join(who)})" if who else "") + "."
            if row["differs"]:
                text += " " + w["differs_here"]
            manager = row.get("decided_account_manager")
            if isinstance(manager, str) and manager:
                text += " " + w["manager"].format(am=manager)
            html += _p(text, "note")
    return Html(html)


def near_miss_section(score) -> Html:
    """The near misses (close to the threshold) with share, rank, share of wallet and the
    recommendation; or a sentence that there are none."""
    w = _words(score)
    threshold = _threshold(score)
    low = format_percent(DEFAULT_NEAR_MISS * score.settings.threshold,
                         score.settings.language, 0 if round(
                             DEFAULT_NEAR_MISS * score.settings.threshold * 100, 6)
                         == int(round(DEFAULT_NEAR_MISS * score.settings.threshold * 100, 6))
                         else 1)
    near = score.designations[score.designations["status"] == "near miss"]
    html = _h2(w["near_misses"])
    if near.empty:
        return Html(html + _p(w["near_none"].format(low=low, threshold=threshold)))
    rows = near.to_dict("records")
    table = pd.DataFrame({
        w["group_a"]: _names(near),
        w["share_of_revenue"]: [_pct(score, r["share"]) for r in rows],
        w["rank"]: [_rank_text(score, r["our_rank"], r["n_suppliers"]) for r in rows],
        w["sow"]: [_sow_text(score, r["share_of_wallet"], r["wallet_source"]) for r in rows],
        w["recommendation"]: [_recommendation(score, r["recommendation"]) for r in rows],
    })
    html += _p(w["near_intro"].format(low=low, threshold=threshold))
    html += _table(table, numeric=(w["share_of_revenue"], w["sow"]))
    return Html(html)


def changes_section(score) -> Html:
    """Which groups entered, left or kept the Large Accounts since the previous period."""
    w, lang = _words(score), score.settings.language
    previous = score.settings.parsed_period.previous().label
    ch = score.changes
    html = _h2(w["changes"].format(previous=previous))
    moved = ch[ch["change"] != "kept"]
    if moved.empty:
        kept = _names(ch)
        text = (w["changes_kept"].format(previous=previous, names=_join(kept, lang)) if kept
                else w["changes_none"].format(previous=previous))
        return Html(html + _p(text))
    counts = ch["change"].value_counts()
    html += _p(w["changes_summary"].format(
        previous=previous, **{k: int(counts.get(k, 0)) for k in ("entered", "left", "kept")}))
    shown = ch.head(MAX_ROWS)
    table = pd.DataFrame({
        w["group_a"]: _names(shown),
        w["change"]: [w[f"change:{c}"] for c in shown["change"]],
        w["share_now"]: [w["not_assessed"] if pd.isna(v) else _pct(score, v)
                         for v in shown["share_now"]],
        w["share_before"].format(previous=previous): [
            w["not_assessed"] if pd.isna(v) else _pct(score, v) for v in shown["share_before"]],
    })
    html += _table(table, numeric=list(table.columns[2:]))
    return Html(html)


def wallet_method_note(score) -> Html:
    """Which wallets of the candidates and near misses are estimated, and by which method;
    which are known from the customer; and which are unknown."""
    w = _words(score)
    d = score.designations
    html = _h2(w["wallet_note"]) + _p(w["wallet_intro"])
    if d.empty:
        return Html(html)

    def methods(frame: pd.DataFrame) -> list[str]:
        return [wallet_method(row, score.settings.language) for row in frame.to_dict("records")]

    def items(frame: pd.DataFrame, with_method: bool = True) -> str:
        lis = "".join(
            f"<li>{escape(_name(n, g))}"
            + (f": {escape(str(method))}" if with_method else "") + "</li>"
            for n, g, method in zip(frame["name"], frame["group_id"], methods(frame),
                                    strict=True))
        return f"<ul>{lis}</ul>"

    source = d["wallet_source"].astype(str)
    estimated, stated, unknown = d[source == "estimated"], d[source == "stated"], \
        d[source == "unknown"]
    if estimated.empty:
        html += _p(w["wallet_none_estimated"], "note")
    else:
        html += _p(w["wallet_estimated"], "note") + items(estimated)
    if not stated.empty:
        html += _p(w["wallet_stated"], "note") + items(stated)
    if not unknown.empty:
        html += _p(w["wallet_unknown"], "note") + items(unknown, with_method=False)
    if (estimated["wallet_basis"] == "war").any():
        html += _p(w["wallet_war"], "note")
    return Html(html)


# --------------------------------------------------------------------------- account managers


def account_manager_section(score) -> Html:
    """The account manager of each Large Account: proposed (the optimal assignment under
    capacity) or fixed by decision (marked where it differs from the proposal), with the
    score and the reason, and the capacity used per manager."""
    from ..analysis.assignment import manager_load

    w, lang = _words(score), score.settings.language
    a = with_assignment_reasons(score.assignments, score.dataset.account_managers, lang,
                                score.settings.reporting_currency)
    html = _h2(w["am_title"])
    if a.empty:
        return Html(html + _p(w["am_none"]))
    html += _p(w["am_intro"].format(span=score.settings.window.describe(lang)))
    names = score.dataset.account_managers.set_index("manager_id")["name"]

    def basis(row) -> str:
        if row["source"] == "decision" and row["differs"]:
            other = row["proposed_manager_id"]
            return w["am_differs"].format(
                name=names.get(other, DASH) if isinstance(other, str) else DASH)
        return w[f"src:{row['source']}"]

    rows = a.to_dict("records")
    table = pd.DataFrame({
        w["am_large"]: [_name(r["group_name"], r["group_id"]) for r in rows],
        w["am_manager"]: [r["manager_name"] if isinstance(r["manager_name"], str) else DASH
                          for r in rows],
        w["am_score"]: [DASH if pd.isna(r["score"]) else _decimal(r["score"], lang, 0)
                        for r in rows],
        w["am_basis"]: [basis(r) for r in rows],
        w["am_why"]: [_why(r["reason"]) for r in rows],
    })
    html += _table(table, numeric=(w["am_score"],))
    if a["differs"].any():
        html += _p(w["am_differs_note"], "note")
    for r in a[a["over_capacity"]].to_dict("records"):
        html += _p(w["am_over"].format(name=r["manager_name"], cap=r["capacity"]), "note")
    unassigned = int((a["source"] == "unassigned").sum())
    if unassigned:
        html += _p(w["am_unassigned"].format(n=unassigned), "note")
    load = manager_load(a, score.dataset.account_managers)
    html += f"<h3>{escape(w['am_capacity'])}</h3>"
    html += _table(pd.DataFrame({
        w["am_manager"]: load["name"].astype(str).to_numpy(),
        w["am_cap"]: [format_count(int(v), lang) for v in load["capacity"]],
        w["am_used"]: [format_count(int(v), lang) for v in load["assigned"]],
        w["am_free"]: [format_count(int(v), lang) for v in load["free"]],
    }), numeric=(w["am_cap"], w["am_used"], w["am_free"]))
    html += _p(w["am_formula"], "note")
    return Html(html)


def _why(reason) -> str:
    """The reason without the decision prefix (the basis column says it)."""
    text = str(reason) if isinstance(reason, str) else DASH
    return text.split(": ", 1)[1] if ": " in text else text


def territory_section(score) -> Html:
    """Revenue and units per postcode territory, the units that left their territory for
    a Large Account (per group and territory), and the units in no territory."""
    from ..analysis.territories import uncovered_ranges

    w, lang = _words(score), score.settings.language
    t = score.territories
    totals = t.totals
    span = score.settings.window.describe(lang)
    html = _h2(w["ter_title"])
    accounts = t.accounts
    n_in = int((accounts["status"] == "territory").sum())
    whole = totals["total"]
    html += _p(w["ter_intro"].format(
        n=format_count(n_in, lang), money=money_short(totals["territory"], lang,
                                                      score.settings.reporting_currency),
        pct=_pct(score, totals["territory"] / whole if whole else np.nan), span=span))
    short = {"lang": lang, "currency": score.settings.reporting_currency}
    rest = w["ter_rest"] if len(t.left) else w["ter_rest_none"]
    html += _p(rest.format(
        n=format_count(len(t.left), lang),
        money=money_short(totals["large_account"], short["lang"], short["currency"]),
        m=format_count(len(t.unmatched), lang),
        money_m=money_short(totals["unmatched"], short["lang"], short["currency"])))
    names = score.dataset.account_managers.set_index("manager_id")["name"]
    s = t.summary
    html += _table(pd.DataFrame({
        w["ter_territory"]: s["name"].astype(str).to_numpy(),
        w["ter_postcodes"]: s["ranges"].astype(str).to_numpy(),
        w["ter_manager"]: [names.get(m, m) if m else DASH for m in s["account_manager"]],
        w["ter_customers"]: [format_count(int(v), lang) for v in s["customers"]],
        w["ter_revenue"]: [_money(score, v) for v in s["revenue_cents"]],
        w["ter_share"]: [_pct(score, v / whole if whole else np.nan)
                         for v in s["revenue_cents"]],
    }), numeric=(w["ter_customers"], w["ter_revenue"], w["ter_share"]))
    if len(t.left):
        html += f"<h3>{escape(w['ter_left_title'])}</h3>"
        per = (t.left.assign(territory_name=t.left["territory_name"].replace(
            "", w["ter_no_territory"]))
            .groupby(["group_id", "group_name", "territory_name"], sort=False)
            .agg(units=("account_id", "size"), revenue_cents=("revenue_cents", "sum"))
            .reset_index().sort_values(["group_id", "revenue_cents"], ascending=[True, False]))
        html += _table(pd.DataFrame({
            w["am_large"]: [_name(n, g) for n, g in zip(per["group_name"], per["group_id"],
                                                        strict=True)],
            w["ter_left"]: per["territory_name"].astype(str).to_numpy(),
            w["ter_customers"]: [format_count(int(v), lang) for v in per["units"]],
            w["ter_revenue"]: [_money(score, v) for v in per["revenue_cents"]],
        }), numeric=(w["ter_customers"], w["ter_revenue"]))
    html += f"<h3>{escape(w['ter_unmatched_title'])}</h3>"
    gaps = uncovered_ranges(score.dataset.territories)
    if gaps:
        html += _p(w["ter_gap"].format(ranges=_join(
            [f"{lo}–{hi}" if hi > lo else str(lo) for lo, hi in gaps], lang)))
    u = t.unmatched
    if u.empty:
        return Html(html + _p(w["ter_unmatched_none"]))
    shown = u.head(MAX_ROWS)
    html += _table(pd.DataFrame({
        w["ter_customer"]: [_name(n, a) for n, a in zip(shown["name"], shown["account_id"],
                                                        strict=True)],
        # Postcode and country in one cell: a bare foreign postcode would read as a number.
        w["ter_postcode"]: [f"{p} ({c})" if isinstance(p, str) and p else f"{DASH} ({c})"
                            for p, c in zip(shown["postcode"], shown["country"], strict=True)],
        w["ter_reason"]: [w[f"why:{r}"] for r in shown["reason"]],
        w["ter_revenue"]: [_money(score, v) for v in shown["revenue_cents"]],
    }), numeric=(w["ter_revenue"],))
    if len(u) > MAX_ROWS:
        rest_u = u.iloc[MAX_ROWS:]
        html += _p(w["ter_more"].format(n=format_count(len(rest_u), lang),
                                        money=_money(score, rest_u["revenue_cents"].sum())),
                   "note")
    return Html(html)


CONCENTRATION_SECTIONS = (key_figures_section, trend_section, risk_section, merger_section,
                          sell_wide_deep_section, sensitivity_section)
RATIONALE_SECTIONS = (candidates_section, rationale_section, near_miss_section,
                      changes_section, wallet_method_note, account_manager_section,
                      territory_section)
