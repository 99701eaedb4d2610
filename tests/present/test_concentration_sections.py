"""The sections of the revenue concentration report: the library's numbers, in the
report's language."""

from __future__ import annotations

from dataclasses import replace
from html import escape

import pandas as pd
import pytest
from test_sections import EVIL, LANGUAGES, scores_by_language, tables

import account_analysis as aa
from account_analysis.present.concentration_sections import (
    MERGER_ROWS,
    SENSITIVITY_ROWS,
    key_figures_section,
    merger_section,
    risk_section,
    sell_wide_deep_section,
    sensitivity_section,
    trend_section,
)
from account_analysis.present.format import format_count, format_money, format_percent


@pytest.fixture(scope="module")
def scores(demo_dir, demo_dataset, demo_cube) -> dict:
    return scores_by_language(demo_dir, demo_dataset, demo_cube)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_key_figures_are_the_library_numbers(scores, lang):
    score = scores[lang]
    m = score.metrics
    html = str(key_figures_section(score))
    assert format_count(round(m["hhi"]), lang) in html
    for key in ("cr1", "cr4", "cr10"):
        assert format_percent(m[key], lang) in html
    assert f"{m['gini']:.2f}".replace(".", "," if lang == "nl" else ".") in html
    assert f"{m['effective_number']:.1f}".replace(".", "," if lang == "nl" else ".") in html
    band = {"en": "unconcentrated", "nl": "niet geconcentreerd"}[lang]
    assert m["hhi_band"] == "unconcentrated"
    assert band in html
    headline = aa.concentration_headline(
        score.concentration, score.settings.threshold, score.settings.window, lang
    )
    assert f'<p class="headline">{escape(headline)}</p>' in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_risk_shows_the_amounts_at_risk_and_who(scores, lang):
    score = scores[lang]
    html = str(risk_section(score))
    for loss in (score.loss_top1, score.loss_top3):
        assert format_money(loss["at_risk_cents"], lang, decimals=0) in html
        assert format_percent(loss["at_risk_share"], lang) in html
        assert format_count(round(loss["hhi_after"]), lang) in html
        for name in loss["lost"]["name"]:
            assert escape(name) in html


def test_sell_wide_deep_sentence_in_both_languages(scores):
    en = str(sell_wide_deep_section(scores["en"]))
    assert (
        "Growing by 10% (€5.0m a year) takes 290 new customers of median size (€17,252 a "
        "year), or 5.6 more points of share of wallet at the 4 candidates, whose headroom "
        "(≈\xa0€70.5m) covers it."
    ) in en  # an estimate: derived from wallets
    nl = str(sell_wide_deep_section(scores["nl"]))
    assert (
        "Groeien met 10% (€\xa05,0\xa0mln per jaar) vraagt 290 nieuwe klanten van mediane "
        "omvang (€\xa017.252 per jaar), of 5,6 procentpunt meer share of wallet bij de 4 "
        "kandidaten, wier ruimte in de wallet (≈\xa0€\xa070,5\xa0mln) dat dekt."
    ) in nl
    for lang, html in (("en", en), ("nl", nl)):
        d = scores[lang].sell_wide_vs_deep
        assert format_count(d["new_customers_needed"], lang) in html
        assert len(tables(html)) == 1 and tables(html)[0].count("<tr>") == 3


def test_sell_wide_deep_says_when_headroom_falls_short(scores):
    score = scores["en"]
    short = dict(score.sell_wide_vs_deep, headroom_cents=100_000_00, headroom_covers=False)
    html = str(sell_wide_deep_section(score.with_parts(sell_wide_vs_deep=short)))
    assert "whose headroom (≈\xa0€100,000) does not cover it." in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_trend_has_a_row_per_period_and_the_direction(scores, lang):
    score = scores[lang]
    html = str(trend_section(score))
    for period in score.trend["period"]:
        assert f"<td>{period}</td>" in html
    first, last = score.trend["cr4"].iloc[0], score.trend["cr4"].iloc[-1]
    assert last < first  # the demo's CR4 eases a little
    word = {
        "en": "CR4 fell by 0.4 points since 2025-Q4",
        "nl": "CR4 daalde 0,4 procentpunt sinds 2025-Q4",
    }[lang]
    assert word in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mergers_flagged_first_at_most_ten(scores, lang):
    score = scores[lang]
    html = str(merger_section(score))
    body = tables(html)[0]
    assert body.count("<tr>") - 1 == MERGER_ROWS
    # The largest unflagged rise (C10001 + C10081, ΔHHI 87.5) gives way to flagged pairs.
    unflagged = score.mergers[~(score.mergers["significant"] | score.mergers["crosses_threshold"])]
    top_unflagged = f"{unflagged['delta_hhi'].iloc[0]:.1f}".replace(
        ".", "," if lang == "nl" else "."
    )
    assert f">{top_unflagged}<" not in body
    crossing = {"en": "crosses the 5% threshold", "nl": "komt boven de drempel van 5%"}[lang]
    assert crossing in body
    assert "2·sᵢ·sⱼ" in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sensitivity_ranks_spearman_and_candidates(scores, lang):
    score = scores[lang]
    html = str(sensitivity_section(score))
    assert tables(html)[0].count("<tr>") - 1 == SENSITIVITY_ROWS
    r = score.sensitivity.correlation["spearman"].iloc[0]
    assert f"{r:.2f}".replace(".", "," if lang == "nl" else ".") in html
    same = {
        "en": "The candidate set is the same for all three windows.",
        "nl": "De kandidaten zijn dezelfde voor alle drie vensters.",
    }[lang]
    assert same in html
    changes = pd.DataFrame(
        {
            "group_id": ["C10081"],
            "name": [EVIL],
            "window": [12],
            "change": ["enters"],
            "share": [0.051],
            "reference_share": [0.035],
        }
    )
    changed = score.with_parts(sensitivity=replace(score.sensitivity, changes=changes))
    html = str(sensitivity_section(changed))
    assert same not in html
    assert escape(EVIL) in html and EVIL not in html
    assert format_percent(0.051, lang) in html
