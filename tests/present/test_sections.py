"""The report sections: right numbers, right language, escaped data, email-safe HTML."""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape

import pandas as pd
import pytest

import account_analysis as aa
from account_analysis.present import sections
from account_analysis.present.format import format_count, format_money, format_percent
from account_analysis.present.reasons import rationale, wallet_method

LANGUAGES = ("en", "nl")
ALL_SECTIONS = sections.CONCENTRATION_SECTIONS + sections.RATIONALE_SECTIONS
EVIL = "<b>X</b>"


@pytest.fixture(scope="module")
def scores(demo_dir, demo_dataset, demo_cube) -> dict:
    ds, cube = demo_dataset, demo_cube
    out = {}
    for lang in LANGUAGES:
        s = aa.Settings.from_mapping({"period": "2026-Q3", "dataset": str(demo_dir),
                                      "language": lang})
        out[lang] = aa.score_period(cube, ds, s)
    return out


def text_of(html: str) -> str:
    """The visible text: tags dropped, entities kept (as the formatters never make any)."""
    return re.sub(r"<[^>]+>", " ", html)


def tables(html: str) -> list[str]:
    return re.findall(r"<table.*?</table>", html, flags=re.S)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("section", ALL_SECTIONS, ids=lambda f: f.__name__)
def test_every_section_renders_safe_short_html(scores, lang, section):
    html = str(section(scores[lang]))
    assert html.startswith("<h2>")
    assert html.count("<h2>") == 1
    assert "<script" not in html.lower()
    assert "http" not in html.lower()
    assert "style=" not in html
    assert "nan" not in text_of(html).lower().split()
    for table in tables(html):
        assert table.count("<tr>") - 1 <= sections.MAX_ROWS


@pytest.mark.parametrize("lang", LANGUAGES)
def test_key_figures_are_the_library_numbers(scores, lang):
    score = scores[lang]
    m = score.metrics
    html = str(sections.key_figures_section(score))
    assert format_count(round(m["hhi"]), lang) in html
    for key in ("cr1", "cr4", "cr10"):
        assert format_percent(m[key], lang) in html
    assert f"{m['gini']:.2f}".replace(".", "," if lang == "nl" else ".") in html
    assert f"{m['effective_number']:.1f}".replace(".", "," if lang == "nl" else ".") in html
    band = {"en": "unconcentrated", "nl": "niet geconcentreerd"}[lang]
    assert m["hhi_band"] == "unconcentrated"
    assert band in html
    headline = aa.concentration_headline(score.concentration, score.settings.threshold,
                                         score.settings.window, lang)
    assert f'<p class="headline">{escape(headline)}</p>' in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_risk_shows_the_amounts_at_risk_and_who(scores, lang):
    score = scores[lang]
    html = str(sections.risk_section(score))
    for loss in (score.loss_top1, score.loss_top3):
        assert format_money(loss["at_risk_cents"], lang, decimals=0) in html
        assert format_percent(loss["at_risk_share"], lang) in html
        assert format_count(round(loss["hhi_after"]), lang) in html
        for name in loss["lost"]["name"]:
            assert escape(name) in html


def test_sell_wide_deep_sentence_in_both_languages(scores):
    en = str(sections.sell_wide_deep_section(scores["en"]))
    assert ("Growing by 10% (€5.0m a year) takes 290 new customers of median size (€17,252 a "
            "year), or 5.6 more points of share of wallet at the 4 candidates, whose headroom "
            "(€70.5m) covers it.") in en
    nl = str(sections.sell_wide_deep_section(scores["nl"]))
    assert ("Groeien met 10% (€\xa05,0\xa0mln per jaar) vraagt 290 nieuwe klanten van mediane "
            "omvang (€\xa017.252 per jaar), of 5,6 procentpunt meer share of wallet bij de 4 "
            "kandidaten, wier ruimte in de wallet (€\xa070,5\xa0mln) dat dekt.") in nl
    for lang, html in (("en", en), ("nl", nl)):
        d = scores[lang].sell_wide_vs_deep
        assert format_count(d["new_customers_needed"], lang) in html
        assert len(tables(html)) == 1 and tables(html)[0].count("<tr>") == 3


def test_sell_wide_deep_says_when_headroom_falls_short(scores):
    score = scores["en"]
    short = dict(score.sell_wide_vs_deep, headroom_cents=100_000_00, headroom_covers=False)
    html = str(sections.sell_wide_deep_section(score.with_parts(sell_wide_vs_deep=short)))
    assert "whose headroom (€100,000) does not cover it." in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_trend_has_a_row_per_period_and_the_direction(scores, lang):
    score = scores[lang]
    html = str(sections.trend_section(score))
    for period in score.trend["period"]:
        assert f"<td>{period}</td>" in html
    first, last = score.trend["cr4"].iloc[0], score.trend["cr4"].iloc[-1]
    assert last < first  # the demo's CR4 eases a little
    word = {"en": "CR4 fell by 0.4 points since 2025-Q4",
            "nl": "CR4 daalde 0,4 procentpunt sinds 2025-Q4"}[lang]
    assert word in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mergers_flagged_first_at_most_ten(scores, lang):
    score = scores[lang]
    html = str(sections.merger_section(score))
    body = tables(html)[0]
    assert body.count("<tr>") - 1 == sections.MERGER_ROWS
    # The largest unflagged rise (C10001 + C10081, ΔHHI 87.5) gives way to flagged pairs.
    unflagged = score.mergers[~(score.mergers["significant"]
                                | score.mergers["crosses_threshold"])]
    top_unflagged = f"{unflagged['delta_hhi'].iloc[0]:.1f}".replace(".", "," if lang == "nl"
                                                                    else ".")
    assert f">{top_unflagged}<" not in body
    crossing = {"en": "crosses the 5% threshold", "nl": "komt boven de drempel van 5%"}[lang]
    assert crossing in body
    assert "2·sᵢ·sⱼ" in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sensitivity_ranks_spearman_and_candidates(scores, lang):
    score = scores[lang]
    html = str(sections.sensitivity_section(score))
    assert tables(html)[0].count("<tr>") - 1 == sections.SENSITIVITY_ROWS
    r = score.sensitivity.correlation["spearman"].iloc[0]
    assert f"{r:.2f}".replace(".", "," if lang == "nl" else ".") in html
    same = {"en": "The candidate set is the same for all three windows.",
            "nl": "De kandidaten zijn dezelfde voor alle drie vensters."}[lang]
    assert same in html
    changes = pd.DataFrame({"group_id": ["C10081"], "name": [EVIL], "window": [12],
                            "change": ["enters"], "share": [0.051], "reference_share": [0.035]})
    changed = score.with_parts(sensitivity=replace(score.sensitivity, changes=changes))
    html = str(sections.sensitivity_section(changed))
    assert same not in html
    assert escape(EVIL) in html and EVIL not in html
    assert format_percent(0.051, lang) in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_candidates_table_has_each_candidate_and_recommendation(scores, lang):
    score = scores[lang]
    html = str(sections.candidates_section(score))
    rows = re.findall(r"<tr>.*?</tr>", tables(html)[0])[1:]
    assert len(rows) == len(score.candidates) == 4
    for row, cand in zip(rows, score.candidates.to_dict("records"), strict=True):
        assert escape(cand["name"]) in row
        assert sections.TEXT[lang][f"rec:{cand['recommendation']}"] in row
        assert format_percent(cand["share"], lang) in row
        est = sections.TEXT[lang]["est"]
        assert (est in row) == (cand["wallet_source"] == "estimated")
    assert {"en": "5th of 7", "nl": "5e van 7"}[lang] in html


def test_a_decision_against_the_recommendation_is_marked(scores):
    score = scores["en"]
    d = score.designations.copy()
    first = d.index[0]
    d.loc[first, ["decision", "final"]] = "decline"
    d.loc[first, "differs"] = True
    html = str(sections.candidates_section(score.with_parts(designations=d)))
    assert "decline *" in html
    assert "The decision differs from the advice" in html
    assert "decline *" not in str(sections.candidates_section(score))


def test_undecided_candidates_get_a_final_column(scores):
    score = scores["nl"]
    d = score.designations.copy()
    d["decision"] = pd.array([None] * len(d), dtype="str")
    d["final"] = d["recommendation"]
    html = str(sections.candidates_section(score.with_parts(designations=d)))
    assert "<th>Definitief</th>" in html and "geen besluit" in html
    assert "<th>Definitief</th>" not in str(sections.candidates_section(score))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_rationale_per_candidate_with_decision(scores, lang):
    score = scores[lang]
    html = str(sections.rationale_section(score))
    assert html.count("<h3>") == len(score.candidates)
    for cand in score.candidates.to_dict("records"):
        assert escape(rationale(cand, score.settings.threshold, lang)) in html
        assert escape(cand["decision_reason"]) in html
    assert "Directie" in html and "2026-10-05" in html
    assert {"en": "Proposed account manager: AM03.",
            "nl": "Voorgestelde accountmanager: AM03."}[lang] in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_near_misses_and_none(scores, lang):
    score = scores[lang]
    html = str(sections.near_miss_section(score))
    assert "Waterschap Lage Landen" in html
    assert sections.TEXT[lang]["rec:watch"] in tables(html)[0]
    none = score.with_parts(designations=score.candidates)
    html = str(sections.near_miss_section(none))
    assert "<table" not in html
    assert {"en": "No customer group is close", "nl": "Geen klantgroep zit dicht"}[lang] in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_changes_since_previous_period(scores, lang):
    score = scores[lang]
    html = str(sections.changes_section(score))
    assert "2026-Q2" in html
    entered = {"en": "new Large Account", "nl": "nieuw Large Account"}[lang]
    assert html.count(entered) == (score.changes["change"] == "entered").sum() == 0
    fresh = score.with_parts(changes=score.changes.assign(change="entered"))
    assert str(sections.changes_section(fresh)).count(entered) == 3
    nothing = score.with_parts(changes=score.changes.iloc[0:0])
    html = str(sections.changes_section(nothing))
    assert {"en": "No changes since 2026-Q2.", "nl": "Geen wijzigingen sinds 2026-Q2."}[lang] \
        in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_wallet_note_names_the_estimates_and_methods(scores, lang):
    score = scores[lang]
    html = str(sections.wallet_method_note(score))
    estimated = score.designations[score.designations["wallet_source"] == "estimated"]
    assert len(estimated) == 1
    row = estimated.iloc[0]
    method = wallet_method(row, lang)
    assert method.startswith("Wallet Allocation Rule")  # the demo's: a rank, no amount
    assert f"<li>{escape(row['name'])}: {escape(method)}</li>" in html
    est_part = html.split(sections.TEXT[lang]["wallet_stated"])[0]
    assert escape(row["name"]) in est_part
    assert "Zorggroep Vlietstreek B.V." not in est_part  # stated, so not under the estimates


def test_dutch_sections_speak_dutch(scores):
    nl = "".join(str(f(scores["nl"])) for f in ALL_SECTIONS)
    for word in ("Kerncijfers", "Omzet in gevaar", "Breed of diep verkopen?", "Klantgroep",
                 "Onderbouwing per kandidaat", "aanwijzen", "niet geconcentreerd"):
        assert word in nl
    headings = re.findall(r"<h2>(.*?)</h2>", nl) + re.findall(r"<th[^>]*>(.*?)</th>", nl)
    english = set(re.findall(r"<h2>(.*?)</h2>", "".join(str(f(scores["en"]))
                                                       for f in ALL_SECTIONS)))
    english |= {"Customer group", "Share of revenue", "Revenue at risk", "Recommendation",
                "Decision", "Period", "Headroom"}
    assert not english & set(headings)
    assert "€\xa05,0\xa0mln" in nl and "39,5%" in nl
    assert "<td>afwijzen</td>" in nl
    for word in ("designate", "decline", "watch"):
        assert f"<td>{word}</td>" not in nl


def test_data_text_is_escaped_everywhere(scores):
    score = scores["en"]
    d = score.designations.assign(name=EVIL, decision_reason=EVIL, decided_by=EVIL,
                                  wallet_basis="survey", wallet_currency=EVIL)
    lost1 = score.loss_top1["lost"].assign(name=EVIL)
    mergers = score.mergers.assign(name_a=EVIL)
    mergers.attrs = score.mergers.attrs
    sens = replace(score.sensitivity, ranks=score.sensitivity.ranks.assign(name=EVIL))
    evil = score.with_parts(designations=d, loss_top1=dict(score.loss_top1, lost=lost1),
                   mergers=mergers, sensitivity=sens,
                   changes=score.changes.assign(name=EVIL))
    for section in (sections.risk_section, sections.merger_section,
                    sections.sensitivity_section, sections.candidates_section,
                    sections.rationale_section, sections.near_miss_section,
                    sections.changes_section, sections.wallet_method_note):
        html = str(section(evil))
        assert escape(EVIL) in html, section.__name__
        assert EVIL not in html, section.__name__


def test_money_short():
    assert sections.money_short(499_856_042, "en") == "€5.0m"
    assert sections.money_short(7_053_403_863, "nl") == "€\xa070,5\xa0mln"
    assert sections.money_short(1_725_206, "nl") == "€\xa017.252"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_account_manager_section_shows_each_large_account_and_capacity(scores, lang):
    score = scores[lang]
    w = sections.TEXT[lang]
    html = str(sections.account_manager_section(score))
    table = tables(html)[0]
    for row in score.assignments.to_dict("records"):
        assert escape(row["group_name"]) in table and escape(row["manager_name"]) in table
    # Zorggroep Vlietstreek's manager is fixed by decision, the other two are proposed.
    assert table.count(f"<td>{w['src:decision']}</td>") == 1
    assert table.count(f"<td>{w['src:proposal']}</td>") == 2
    capacity = tables(html)[1]
    assert re.search(r"<td>Pieter Bakker</td><td class=\"num\">2</td>"
                     r"<td class=\"num\">2</td><td class=\"num\">0</td>", capacity)
    assert ("wil een nieuwe uitdaging" if lang == "nl" else "wants a new challenge") in table


def test_account_manager_section_flags_a_decision_against_the_proposal(scores):
    score = scores["en"]
    a = score.assignments.copy()
    a.loc[0, ["manager_name", "differs", "over_capacity", "capacity"]] = \
        ["Linda de Boer", True, True, 1]
    a.loc[1, ["source", "manager_id", "manager_name", "score"]] = \
        ["unassigned", None, None, float("nan")]
    html = str(sections.account_manager_section(score.with_parts(assignments=a)))
    assert "decision (proposal: Pieter Bakker)" in html
    assert "Linda de Boer is fixed by decision beyond their capacity of 1." in html
    assert "1 Large Account(s) have no account manager" in html
    assert "nan" not in text_of(html).lower().split()


def test_sections_without_large_accounts(demo_dir, demo_dataset, demo_cube):
    score = aa.score_period(demo_cube, demo_dataset, aa.Settings.from_mapping(
        {"period": "2026-Q2", "dataset": str(demo_dir), "language": "nl"}))
    score = score.with_parts(designations=score.designations.assign(final="watch"))
    html = str(sections.account_manager_section(score))
    assert sections.TEXT["nl"]["am_none"] in html and "<table" not in html
    territories = str(sections.territory_section(score))
    assert sections.TEXT["nl"]["ter_left_title"] not in territories
    assert "Geen eenheden vertrokken naar een Large Account" in territories


@pytest.mark.parametrize("lang", LANGUAGES)
def test_territory_section_is_the_library_numbers(scores, lang):
    score = scores[lang]
    t = score.territories
    html = str(sections.territory_section(score))
    summary, left, unmatched = tables(html)
    for row in t.summary.to_dict("records"):
        assert escape(row["name"]) in summary
        assert sections._money(score, row["revenue_cents"]) in summary
    assert "Zuid-Holland" in left and "Stichting Onderwijs Brabant" in left
    assert "9900–9999" in text_of(html)  # the demo's gap is named
    for row in t.unmatched.head(sections.MAX_ROWS).to_dict("records"):
        assert escape(row["name"]) in unmatched
    assert sections.money_short(t.totals["territory"], lang) in html


def test_assignment_and_territory_text_is_escaped(scores):
    score = scores["en"]
    a = score.assignments.assign(group_name=EVIL, manager_name=EVIL)
    t = score.territories
    evil_t = replace(t, summary=t.summary.assign(name=EVIL),
                     left=t.left.assign(group_name=EVIL),
                     unmatched=t.unmatched.assign(name=EVIL, postcode=EVIL))
    evil = score.with_parts(assignments=a, territories=evil_t)
    for section in (sections.account_manager_section, sections.territory_section):
        html = str(section(evil))
        assert escape(EVIL) in html, section.__name__
        assert EVIL not in html, section.__name__
