"""The verdict at the top of each period report (:func:`verdict_section`), and what moved
since the previous period in words (:func:`move_lines`, also used by the rationale report's
changes section).

The verdict, in the report's language: how dependent revenue is on a few customer groups,
with each rule's level and where the level comes from
(:class:`~account_analysis.analysis.verdict.Dependency`); the candidates with what is
recommended and decided for each; and what moved since the previous period
(:func:`~account_analysis.analysis.verdict.period_moves`). Laid out with paragraphs and
plain tables only, so that a mail client shows it as a browser does. Nothing here mutates
the score.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from ..analysis.concentration import HHI_HIGHLY_CONCENTRATED
from ..analysis.verdict import BAND_LEVELS, MOVE_LINES
from .format import Html, format_count, format_decimal, format_percent, html_table, money_short
from .section_parts import DASH, display_name, display_names, percent, words


def _mark(share: float, language: str) -> str:
    """A mark as a percentage: whole if it is whole (10%), else with one decimal."""
    whole = round(share * 100, 6) == int(round(share * 100, 6))
    return format_percent(share, language, 0 if whole else 1)


def _signed(score, value) -> str:
    if value is None or pd.isna(value):
        return DASH
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + percent(score, abs(value))


def _level(w, level: str, above: bool, mark: str, n: str = "") -> str:
    key = ("v_at_or_above_n" if n else "v_at_or_above") if above else "v_below"
    return w[key].format(level=w[f"lvl:{level}"], mark=mark, n=n)


def dependency_sentence(score) -> str:
    """The verdict's first sentence: the level, the largest group and the top-3 loss."""
    w, d = words(score), score.dependency
    if not d.largest_id:
        return w["verdict_none"]
    text = (
        w[f"level:{d.level}"]
        + " "
        + w["verdict_largest"].format(
            name=d.largest_name,
            share=percent(score, d.largest_share),
            n=d.top3_groups,
            top3=percent(score, d.top3_share),
        )
    )
    return text


def dependency_table(score) -> str:
    """Each rule of the dependency: what is measured, its level and where the level comes
    from; the HHI band beside the two, said to be a market measure."""
    w, lang, d = words(score), score.settings.language, score.dependency
    major, top3 = _mark(d.major_customer_mark, lang), _mark(d.top3_loss_mark, lang)
    # The band with the level it gives (analysis.verdict): under raised marks the band alone
    # can set the level, and the row that sets it must say so.
    band = (
        w["v_band"].format(level=w[f"lvl:{BAND_LEVELS[d.hhi_band]}"], band=w[f"band:{d.hhi_band}"])
        if d.hhi_band
        else DASH
    )
    rows = [
        (
            w["v_largest"],
            percent(score, d.largest_share),
            _level(
                w,
                "high" if d.above_major_mark else "low",
                d.above_major_mark,
                major,
                format_count(d.major_customers, lang) if d.major_customers >= 2 else "",
            ),
            w["v_src_major"],
        ),
        (
            w["v_top3"].format(n=d.top3_groups),
            percent(score, d.top3_share),
            _level(w, "elevated" if d.above_top3_mark else "low", d.above_top3_mark, top3),
            w["v_src_top3"],
        ),
        (
            w["v_hhi"],
            DASH if pd.isna(d.hhi) else format_count(round(d.hhi), lang),
            band,
            w["v_src_hhi"].format(line=format_count(HHI_HIGHLY_CONCENTRATED, lang)),
        ),
    ]
    columns = [w["v_rule"], w["v_measured"], w["v_level"], w["v_source"]]
    return html_table(
        pd.DataFrame(rows, columns=columns), numeric=(w["v_measured"],), stacked=True
    ).html


def _decided(score, row) -> str:
    w = words(score)
    if pd.isna(row["decision"]) or row["decision"] == "":
        return w["not_decided"]
    mark = w["differs_mark"] if row["differs"] else ""
    return w.get(f"rec:{row['decision']}", str(row["decision"])) + mark


def candidates_table(score, report: str = "revenue_concentration") -> str:
    """The candidates by name with their share, the recommendation and the decision;
    ``report``, the registry name of the report it is in, says where a differing
    decision's reason is (further on in the rationale, else in the rationale report)."""
    w = words(score)
    c = score.candidates
    if c.empty:
        threshold = _mark(score.settings.threshold, score.settings.language)
        return f"<p>{escape(w['no_candidates'].format(threshold=threshold))}</p>"
    rows = c.to_dict("records")
    table = pd.DataFrame(
        {
            w["group_a"]: display_names(c),
            w["share_of_revenue"]: [percent(score, r["share"]) for r in rows],
            w["recommendation"]: [
                w.get(f"rec:{r['recommendation']}", str(r["recommendation"])) for r in rows
            ],
            w["decision"]: [_decided(score, r) for r in rows],
        }
    )
    html = html_table(table, numeric=(w["share_of_revenue"],), stacked=True).html
    if c["differs"].fillna(False).astype(bool).any():
        note = (
            w["v_differs_below"].format(section=w["rationale"])
            if report == "large_account_rationale"
            else w["v_differs"]
        )
        html += f'<p class="note">{escape(note)}</p>'
    return html


def _move_value(score, fact: str, value) -> str:
    w, lang = words(score), score.settings.language
    if fact == "status":
        return w["not_assessed"] if value is None else w[f"status:{value.replace(' ', '_')}"]
    if fact in ("recommendation", "final"):
        return DASH if value is None else w.get(f"rec:{value}", str(value))
    if fact == "decision":
        return w["move_none"] if value is None else w.get(f"rec:{value}", str(value))
    if value is None:
        return w["unknown"]
    if fact == "trend":
        return _signed(score, value)
    if fact == "share_of_wallet":
        return percent(score, value, 0)
    if fact == "headroom_cents":
        return money_short(value, lang, score.settings.reporting_currency)
    if fact == "open_escalations":
        return format_count(int(value), lang)
    return percent(score, value)


def move_lines(score) -> list[str]:
    """One sentence per group with what moved for it since the previous period, largest
    group first; empty when nothing moved. The final designation is left out where the
    decision or recommendation beside it already says it."""
    w = words(score)
    moves = score.moves
    lines = []
    for group_id, group in moves.groupby("group_id", sort=False):
        said = set(group.loc[group["fact"].isin(["decision", "recommendation"]), "now"])
        facts = [
            w["move_fact"].format(
                fact=w[f"move:{r['fact']}"],
                before=_move_value(score, r["fact"], r["before"]),
                now=_move_value(score, r["fact"], r["now"]),
            )
            for r in group.to_dict("records")
            if not (r["fact"] == "final" and r["now"] in said)
        ]
        name = display_name(group["name"].iloc[0], group_id)
        lines.append(w["move_line"].format(name=name, facts="; ".join(facts)))
    return lines


def moves_note(score) -> str:
    """What counts as moved, from :data:`~account_analysis.analysis.verdict.MOVE_LINES`."""
    w, lang = words(score), score.settings.language
    points = {
        k: format_decimal(
            MOVE_LINES[k] * 100, lang, 0 if float(MOVE_LINES[k] * 100).is_integer() else 1
        )
        for k in ("share", "trend", "share_of_wallet")
    }
    return w["moves_note"].format(
        share=points["share"],
        trend=points["trend"],
        sow=points["share_of_wallet"],
        headroom=_mark(MOVE_LINES["headroom_cents"], lang),
    )


def moves_list(score) -> str:
    """What moved since the previous period as a list, or the sentence that nothing did."""
    w = words(score)
    previous = score.settings.parsed_period.previous().label
    lines = move_lines(score)
    if not lines:
        return f"<p>{escape(w['moves_none'].format(previous=previous))}</p>"
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


def verdict_section(score, report: str = "revenue_concentration") -> Html:
    """The verdict first: the dependency in words and by rule (no rules without revenue:
    nothing to measure), the candidates with the recommendation and decision, and what
    moved since the previous period. ``report``: the registry name of the report it opens
    (:data:`~account_analysis.render.reports.REPORTS`)."""
    w = words(score)
    previous = score.settings.parsed_period.previous().label
    html = f'<p class="headline">{escape(dependency_sentence(score))}</p>'
    if score.dependency.largest_id:
        html += dependency_table(score)
    threshold = _mark(score.settings.threshold, score.settings.language)
    html += f'<p class="lead">{escape(w["v_candidates"].format(threshold=threshold))}</p>'
    html += candidates_table(score, report)
    html += f'<p class="lead">{escape(w["v_changes"].format(previous=previous))}</p>'
    html += moves_list(score)
    # One cell of a layout table: the box shows in mail clients that ignore a div's style.
    return Html(
        f"<h2>{escape(w['verdict'])}</h2>"
        f'<table role="presentation" class="verdict"><tr><td class="verdict-box">'
        f"{html}</td></tr></table>"
    )
