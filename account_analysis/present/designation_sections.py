"""The sections of the Large Account rationale report on the designation:
:func:`candidates_section`, :func:`rationale_section`, :func:`near_miss_section`,
:func:`changes_section` and :func:`wallet_method_note`.

Each takes a :class:`~account_analysis.analysis.scoring.PeriodScore` and returns an
:class:`~account_analysis.present.format.Html` piece (see :mod:`.sections`). None mutates the
score.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from ..analysis.designation import DEFAULT_NEAR_MISS
from ..analysis.wallet import figure_kind
from .format import (
    Html,
    format_count,
    format_growth,
    format_percent,
    money_as_known,
    quoted,
    sentence,
)
from .reasons import ordinal, rationale, wallet_method

# The shared parts under the private names they had in sections.py before the split,
# so that the section bodies moved unchanged.
from .section_parts import DASH, MAX_ROWS
from .section_parts import display_name as _name
from .section_parts import display_names as _names
from .section_parts import heading as _h2
from .section_parts import join_words as _join
from .section_parts import paragraph as _p
from .section_parts import percent as _pct
from .section_parts import short_table as _table
from .section_parts import threshold_percent as _threshold
from .section_parts import words as _words


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
    return DASH if pd.isna(value) else format_growth(float(value), score.settings.language)


def _headroom(score, cents) -> str:
    """Headroom as precisely as it is known (an estimate: derived from a wallet)."""
    if pd.isna(cents):
        return DASH
    return money_as_known(
        cents,
        figure_kind("headroom_cents"),
        score.settings.language,
        score.settings.reporting_currency,
    )


def manager_names(score) -> dict[str, str]:
    """The account managers' names by id (the dataset's ``account_managers``): a reader
    gets a person's name, the id is for the analyst's workbook."""
    m = score.dataset.account_managers
    return dict(zip(m["manager_id"].astype(str), m["name"].astype(str), strict=True))


def _recommendation(score, word) -> str:
    return _words(score).get(f"rec:{word}", str(word))


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
        text = f"{format_count(row['complaints'], lang)} / {format_count(row['escalations'], lang)}"
        if row["open_escalations"]:
            text += f" ({format_count(row['open_escalations'], lang)} {w['open']})"
        return text

    def decision(row) -> str:
        if pd.isna(row["decision"]) or row["decision"] == "":
            return w["not_decided"]
        mark = w["differs_mark"] if row["differs"] else ""
        return _recommendation(score, row["decision"]) + mark

    rows = c.to_dict("records")
    table = pd.DataFrame(
        {
            w["group_a"]: _names(c),
            w["revenue_share"]: [_pct(score, r["share"]) for r in rows],
            w["rank"]: [_rank_text(score, r["our_rank"], r["n_suppliers"]) for r in rows],
            w["sow"]: [_sow_text(score, r["share_of_wallet"], r["wallet_source"]) for r in rows],
            w["headroom"]: [_headroom(score, r["headroom_cents"]) for r in rows],
            w["trend12"]: [_signed_pct(score, r["trend"]) for r in rows],
            w["complaints"]: [complaints(r) for r in rows],
            w["recommendation"]: [_recommendation(score, r["recommendation"]) for r in rows],
            w["decision"]: [decision(r) for r in rows],
            w["final"]: [_recommendation(score, r["final"]) for r in rows],
        }
    )
    # Complaints stay left-aligned so that their heading may wrap: the table must fit.
    undecided = c["decision"].isna() | (c["decision"] == "")
    if not undecided.any():
        # Every decision is recorded, so it is the final designation: one column, not two.
        table = table.drop(columns=w["final"]).rename(columns={w["decision"]: w["decision_final"]})
    numeric = (w["revenue_share"], w["sow"], w["headroom"], w["trend12"])
    facts = [{"group": r["group_id"], "open-escalations": int(r["open_escalations"])} for r in rows]
    html += _table(table, numeric=numeric, row_data=facts)
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
    managers = manager_names(score)
    for row in c.to_dict("records"):
        html += f"<h3>{escape(_name(row['name'], row['group_id']))}</h3>"
        # The sentence's facts for machines (tests/test_consistency.py), not shown.
        html += (
            f'<div data-group="{escape(str(row["group_id"]))}" '
            f'data-open-escalations="{int(row["open_escalations"])}">'
            + _p(
                rationale(
                    row,
                    score.settings.threshold,
                    score.settings.language,
                    score.settings.reporting_currency,
                )
            )
            + "</div>"
        )
        if pd.isna(row["decision"]) or row["decision"] == "":
            html += _p(
                w["no_decision"].format(rec=_recommendation(score, row["recommendation"])), "note"
            )
        else:
            html += f'<p class="note">{_decision_text(score, row, managers)}</p>'
    return Html(html)


def _decision_text(score, row, managers: dict) -> str:
    """The recorded decision as HTML: its reason and who decided it quoted as the data's
    text, the account manager by name."""
    w, lang = _words(score), score.settings.language

    def data(text):
        return quoted(text, score.settings.data_language, lang)

    parts = [escape(w["decided"].format(decision=_recommendation(score, row["decision"])))]
    if isinstance(row["decision_reason"], str) and row["decision_reason"]:
        parts.append(sentence(w["reason"], reason=data(row["decision_reason"])).html)
    who = []
    if isinstance(row["decided_by"], str) and row["decided_by"]:
        who.append(
            sentence(
                w["by"],
                who=quoted(row["decided_by"], score.settings.data_language, lang, marks=False),
            ).html
        )
    if not pd.isna(row["decided_on"]):
        who.append(
            escape(w["on"].format(date=pd.Timestamp(row["decided_on"]).strftime("%Y-%m-%d")))
        )
    text = "; ".join(parts) + (f" ({' '.join(who)})" if who else "") + "."
    if row["differs"]:
        text += " " + escape(w["differs_here"])
    manager = row.get("decided_account_manager")
    if isinstance(manager, str) and manager:
        text += " " + escape(w["manager"].format(am=managers.get(manager, manager)))
    return text


def near_miss_section(score) -> Html:
    """The near misses (close to the threshold) with share, rank, share of wallet and the
    recommendation; or a sentence that there are none."""
    w = _words(score)
    threshold = _threshold(score)
    low = format_percent(
        DEFAULT_NEAR_MISS * score.settings.threshold,
        score.settings.language,
        0
        if round(DEFAULT_NEAR_MISS * score.settings.threshold * 100, 6)
        == int(round(DEFAULT_NEAR_MISS * score.settings.threshold * 100, 6))
        else 1,
    )
    near = score.designations[score.designations["status"] == "near miss"]
    html = _h2(w["near_misses"])
    if near.empty:
        return Html(html + _p(w["near_none"].format(low=low, threshold=threshold)))
    rows = near.to_dict("records")
    table = pd.DataFrame(
        {
            w["group_a"]: _names(near),
            w["share_of_revenue"]: [_pct(score, r["share"]) for r in rows],
            w["rank"]: [_rank_text(score, r["our_rank"], r["n_suppliers"]) for r in rows],
            w["sow"]: [_sow_text(score, r["share_of_wallet"], r["wallet_source"]) for r in rows],
            w["recommendation"]: [_recommendation(score, r["recommendation"]) for r in rows],
        }
    )
    html += _p(w["near_intro"].format(low=low, threshold=threshold))
    html += _table(table, numeric=(w["share_of_revenue"], w["sow"]))
    return Html(html)


def changes_section(score) -> Html:
    """What changed since the previous period: which groups entered, left or kept the Large
    Accounts, and for each assessed group what moved (status, advice, decision, share,
    trend, share of wallet, headroom, open escalations; :mod:`.verdict_sections`). "No
    changes" only when nothing moved."""
    from .verdict_sections import move_lines, moves_list, moves_note

    w, lang = _words(score), score.settings.language
    previous = score.settings.parsed_period.previous().label
    ch = score.changes
    html = _h2(w["changes"].format(previous=previous))
    moved = ch[ch["change"] != "kept"]
    if moved.empty and not move_lines(score):
        return Html(html + _p(w["changes_none"].format(previous=previous)))
    if moved.empty:
        kept = _names(ch)
        text = (
            w["changes_kept"].format(previous=previous, names=_join(kept, lang))
            if kept
            else w["changes_no_large"].format(previous=previous)
        )
        html += _p(text)
    else:
        counts = ch["change"].value_counts()
        html += _p(
            w["changes_summary"].format(
                previous=previous, **{k: int(counts.get(k, 0)) for k in ("entered", "left", "kept")}
            )
        )
        shown = ch.head(MAX_ROWS)
        table = pd.DataFrame(
            {
                w["group_a"]: _names(shown),
                w["change"]: [w[f"change:{c}"] for c in shown["change"]],
                w["share_now"]: [
                    w["not_assessed"] if pd.isna(v) else _pct(score, v) for v in shown["share_now"]
                ],
                w["share_before"].format(previous=previous): [
                    w["not_assessed"] if pd.isna(v) else _pct(score, v)
                    for v in shown["share_before"]
                ],
            }
        )
        html += _table(table, numeric=list(table.columns[2:]))
    html += moves_list(score) + _p(moves_note(score), "note")
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
            + (f": {escape(str(method))}" if with_method else "")
            + "</li>"
            for n, g, method in zip(frame["name"], frame["group_id"], methods(frame), strict=True)
        )
        return f"<ul>{lis}</ul>"

    source = d["wallet_source"].astype(str)
    estimated, stated, unknown = (
        d[source == "estimated"],
        d[source == "stated"],
        d[source == "unknown"],
    )
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
