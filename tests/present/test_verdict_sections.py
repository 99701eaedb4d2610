"""The verdict at the top of each period report (present/verdict_sections.py): first in
both reports, the dependency by rule, the candidates, what moved, its words from the catalog
of the report's language, "nothing moved" only when nothing did.

The cheap cases score the tiny "designated" example (authoring/examples.py); the demo's
2026-Q3 is checked against figures worked out by hand. Where the rendered verdict lies on
the page is tests/render/test_verdict_page.py's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape

import pytest
from conftest import DEMO_PERIODS
from test_language import foreign_words, visible_text
from test_sections import LANGUAGES, scores_by_language, tables, text_of

import account_analysis as aa
from account_analysis import Settings
from account_analysis.analysis.scoring import open_inputs, score_period
from account_analysis.analysis.verdict import period_moves
from account_analysis.authoring.examples import example_dataset
from account_analysis.present import sections
from account_analysis.present.section_parts import TEXT
from account_analysis.present.verdict_sections import (
    dependency_sentence,
    dependency_table,
    move_lines,
    verdict_section,
)
from account_analysis.words import words


def example_score(period: str, language: str):
    """The "designated" example (groups G 93.8% and X 6.2% in 2026-Q1) scored: cheap."""
    settings = Settings.from_mapping(
        {
            "period": period,
            "window_months": 3,
            "language": language,
            "dataset": str(example_dataset("designated")),
        }
    )
    return score_period(*reversed(open_inputs(settings)), settings)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_group_entering_as_another_leaves_is_said(lang):
    """Regression: one group assessed only before and another only now (nothing else moved)
    made the move lines fail ('float' object has no attribute 'replace')."""
    score, w = example_score("2026-Q1", lang), TEXT[lang]
    d = score.designations
    g, x = d[d["group_id"] == "G"], d[d["group_id"] == "X"]
    lines = move_lines(score.with_parts(moves=period_moves(x, g)))
    candidate, below = w["status:candidate"], w["not_assessed"]
    assert lines == [
        w["move_line"].format(
            name="Group",
            facts=w["move_fact"].format(fact=w["move:status"], before=candidate, now=below),
        ),
        w["move_line"].format(
            name="Other",
            facts=w["move_fact"].format(fact=w["move:status"], before=below, now=candidate),
        ),
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_first_period_without_revenue_says_so(lang):
    score, w = example_score("2025-Q4", lang), TEXT[lang]  # the example's lines start in 2026
    html = str(verdict_section(score))
    assert f'<p class="headline">{escape(w["verdict_none"])}</p>' in html
    assert "nan" not in tokens(text_of(html))
    assert escape(w["no_candidates"].format(threshold="5%")) in html
    assert escape(w["moves_none"].format(previous="2025-Q3")) in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_groups_assessed_for_the_first_time_are_moves(lang):
    score, w = example_score("2026-Q1", lang), TEXT[lang]
    html = str(verdict_section(score))
    entered = w["move_fact"].format(
        fact=w["move:status"], before=w["not_assessed"], now=w["status:candidate"]
    )
    assert [text_of(li) for li in re.findall(r"<li>(.*?)</li>", html)] == [
        w["move_line"].format(name="Group", facts=entered),
        w["move_line"].format(name="Other", facts=entered),
    ]
    assert w["moves_none"].split("{")[0] not in html


# --------------------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def scores(demo_dir, demo_dataset, demo_cube) -> dict:
    return scores_by_language(demo_dir, demo_dataset, demo_cube)


def report_tables(html: str) -> list[str]:
    """The tables inside the verdict's box (the box is a layout table around them)."""
    return re.findall(r'<table class="report-table[^"]*">.*?</table>', html, flags=re.S)


def cells(table: str) -> list[list[str]]:
    """The body rows of an HTML table, each as the text of its cells."""
    body = table.split("<tbody>", 1)[1]
    return [
        [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_verdict_opens_both_period_reports_heading_then_box(scores, lang):
    assert sections.CONCENTRATION_SECTIONS[0] is verdict_section
    assert sections.RATIONALE_SECTIONS[0] is verdict_section
    html = str(verdict_section(scores[lang]))
    assert html.startswith(
        f"<h2>{escape(TEXT[lang]['verdict'])}</h2>"
        '<table role="presentation" class="verdict"><tr>'
        '<td class="verdict-box"><p class="headline">'
    )
    assert html.endswith("</td></tr></table>") and html.count("<h2>") == 1
    assert html.count('class="verdict"') == 1  # one box, the rest inside it


# The demo's 2026-Q3 verdict, worked out by hand: Zorggroep Vlietstreek 12.5%, Van Houten
# 10.5% (two groups at 10% or more), the top 3 32.0%, HHI 450.
HEADLINES = {
    "en": "High dependency on single customers. The largest customer group, Zorggroep "
    "Vlietstreek B.V., brings 12.5% of revenue; losing the 3 largest would cost 32.0%.",
    "nl": "Hoge afhankelijkheid van afzonderlijke klanten. De grootste klantgroep, Zorggroep "
    "Vlietstreek B.V., brengt 12,5% van de omzet; het vertrek van de 3 grootste kost "
    "32,0%.",
}
RULES = {
    "en": [
        [
            "Largest customer group",
            "12.5%",
            "high: 2 groups at 10% or more",
            "ASC 280 / IFRS 8 major-customer disclosure; due diligence",
        ],
        [
            "Lost if the 3 largest leave",
            "32.0%",
            "elevated: 25% or more",
            "due-diligence rule of thumb (a parameter)",
        ],
        [
            "HHI",
            "450",
            "low: unconcentrated",
            "US merger guidelines 2023 (highly above 1,800); a market measure, "
            "beside the two marks",
        ],
    ],
    "nl": [
        [
            "Grootste klantgroep",
            "12,5%",
            "hoog: 2 groepen op 10% of meer",
            "ASC 280 / IFRS 8, vermelding grote klant; due diligence",
        ],
        [
            "Verlies als de 3 grootste vertrekken",
            "32,0%",
            "verhoogd: 25% of meer",
            "vuistregel due diligence (parameter)",
        ],
        [
            "HHI",
            "450",
            "laag: niet geconcentreerd",
            "fusierichtlijnen VS 2023 (sterk boven 1.800); een marktmaat, naast de twee grenzen",
        ],
    ],
}
# What moved since 2026-Q2: Van Houten's decision (its designation, the same word, left
# out), Polderland's trend and headroom, Waterschap's first decision and its trend (+6 points).
MOVES = {
    "en": [
        "Van Houten Logistiek Groep B.V.: decision watch → decline.",
        "Polderland Bouwgroep N.V.: 12-month trend +10.4% → −45.9%; headroom €11.2m → €7.5m.",
        "Waterschap Lage Landen: decision none → watch; 12-month trend +3.2% → +9.2%.",
    ],
    "nl": [
        "Van Houten Logistiek Groep B.V.: besluit volgen → afwijzen.",
        "Polderland Bouwgroep N.V.: trend over 12 maanden +10,4% → −45,9%; ruimte in de "
        "wallet € 11,2 mln → € 7,5 mln.",
        "Waterschap Lage Landen: besluit geen → volgen; trend over 12 maanden +3,2% → +9,2%.",
    ],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_demo_verdict_by_hand(scores, lang):
    score = scores[lang]
    html = str(verdict_section(score))
    headline = re.search(r'<p class="headline">(.*?)</p>', html).group(1)
    assert headline.replace("\xa0", " ") == HEADLINES[lang]
    rules, candidates = report_tables(html)
    assert [[c.replace("\xa0", " ") for c in row] for row in cells(rules)] == RULES[lang]
    rec = {code: TEXT[lang][f"rec:{code}"] for code in ("designate", "decline")}
    assert [row[0] for row in cells(candidates)] == [
        "Zorggroep Vlietstreek B.V.",
        "Van Houten Logistiek Groep B.V.",
        "Polderland Bouwgroep N.V.",
        "Stichting Onderwijs Brabant",
    ]
    advice = [rec["designate"], rec["decline"], rec["designate"], rec["designate"]]
    assert [row[2:] for row in cells(candidates)] == [[a, a] for a in advice]  # as decided
    moves = [text_of(li).replace("\xa0", " ") for li in re.findall(r"<li>(.*?)</li>", html)]
    assert moves == [m.replace("\xa0", " ") for m in MOVES[lang]]
    assert TEXT[lang]["moves_none"].split("{")[0] not in html


def demo_names(score) -> set[str]:
    return set(score.concentration["name"].dropna()) | set(score.designations["name"].dropna())


def tokens(text: str) -> set[str]:
    return {t.lower() for t in re.findall(r"[^\W\d_]{2,}", text)}  # "Q" of 2026-Q2 aside


@pytest.mark.parametrize(("lang", "other"), [("nl", "en"), ("en", "nl")])
def test_the_verdict_speaks_only_the_report_language(scores, lang, other):
    """No word of the other language's catalog that ours lacks, and none of the words
    test_language searches every report for."""
    score = scores[lang]
    html = str(verdict_section(score))
    names = demo_names(score)
    shown = visible_text(html)
    for name in sorted(names, key=len, reverse=True):
        shown = shown.replace(name, " ")
    ours = set().union(*(tokens(t) for t in words(lang).messages.values() if isinstance(t, str)))
    theirs_only = tokens(visible_text(str(verdict_section(scores[other])))) - ours
    theirs_only -= set().union(*(tokens(n) for n in names))
    assert len(theirs_only) >= 10  # the other language's verdict has words of its own
    assert tokens(shown) & theirs_only == set()
    assert foreign_words(html, lang, names) == []
    # Every heading and column header is a message of the report's catalog.
    texts = set(TEXT[lang].values())
    headers = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", html)
    assert len(headers) == 8 and set(headers) <= texts


@pytest.fixture(scope="module")
def demo_periods(demo_dir, demo_dataset, demo_cube) -> dict:
    """Every demo period scored once: {period: PeriodScore} (in English; in_language shares
    the parts)."""
    return {
        period: aa.score_period(
            demo_cube,
            demo_dataset,
            Settings.from_mapping({"period": period, "dataset": str(demo_dir), "language": "en"}),
        )
        for period in DEMO_PERIODS
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_nothing_moved_is_said_only_when_nothing_moved(demo_periods, scores, lang):
    none_said = TEXT[lang]["moves_none"].split("{")[0]
    for period, score in demo_periods.items():
        html = str(verdict_section(score.in_language(lang)))
        moved_groups = score.moves["group_id"].nunique()
        assert (none_said in html) == (moved_groups == 0), period
        assert html.count("<li>") == moved_groups, period
    score = scores[lang]
    nothing = score.with_parts(moves=score.moves.iloc[0:0])
    html = str(verdict_section(nothing))
    previous = score.settings.parsed_period.previous().label
    assert escape(TEXT[lang]["moves_none"].format(previous=previous)) in html
    assert "<ul>" not in html
    one = score.with_parts(moves=score.moves.iloc[:1])  # one move is not "nothing moved"
    html = str(verdict_section(one))
    assert none_said not in html and html.count("<li>") == 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_level_of_each_rule_in_words(scores, lang):
    score, w = scores[lang], TEXT[lang]
    d = score.dependency

    def rows(**changes):
        table = tables(dependency_table(score.with_parts(dependency=replace(d, **changes))))[0]
        return [row[2].replace("\xa0", " ") for row in cells(table)]

    pct = {"en": "{}%", "nl": "{}%"}[lang]
    mark10, mark25, mark125 = pct.format(10), pct.format(25), {"en": "12.5%", "nl": "12,5%"}[lang]
    low, high, elevated = w["lvl:low"], w["lvl:high"], w["lvl:elevated"]
    below = rows(largest_share=0.08, major_customers=0, top3_share=0.2, hhi_band="moderately")
    assert below == [
        w["v_below"].format(level=low, mark=mark10),
        w["v_below"].format(level=low, mark=mark25),
        w["v_band"].format(level=elevated, band=w["band:moderately"]),
    ]
    one = rows(largest_share=0.10, major_customers=1, top3_share=0.25)
    assert one[:2] == [
        w["v_at_or_above"].format(level=high, mark=mark10),
        w["v_at_or_above"].format(level=elevated, mark=mark25),
    ]
    # A mark that is not whole is shown with its decimal.
    assert rows(major_customer_mark=0.125, largest_share=0.13, major_customers=1)[0] == w[
        "v_at_or_above"
    ].format(level=high, mark=mark125)
    sentence = dependency_sentence(score.with_parts(dependency=replace(d, level="low")))
    assert sentence.startswith(w["level:low"] + " ")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_decision_against_the_advice_is_marked_in_the_verdict(scores, lang):
    score, w = scores[lang], TEXT[lang]
    d = score.designations.copy()
    d.loc[d.index[0], ["decision", "final", "differs"]] = ["decline", "decline", True]
    html = str(verdict_section(score.with_parts(designations=d)))
    first = cells(report_tables(html)[1])[0]
    assert first[2:] == [w["rec:designate"], w["rec:decline"] + w["differs_mark"]]
    assert escape(w["v_differs"]) in html
    assert escape(w["v_differs"]) not in str(verdict_section(score))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_rule_that_sets_the_level_says_that_level(scores, lang):
    """Under raised marks the HHI band alone can set the level: its row then says the
    headline's level, as the mark rows do when they set it."""
    score, w = scores[lang], TEXT[lang]
    for band, level in [("highly", "high"), ("moderately", "elevated")]:
        d = replace(
            score.dependency,
            level=level,
            major_customer_mark=0.5,
            major_customers=0,
            top3_loss_mark=0.9,
            hhi_band=band,
        )
        raised = score.with_parts(dependency=d)
        assert dependency_sentence(raised).startswith(w[f"level:{level}"])
        levels = [row[2] for row in cells(tables(dependency_table(raised))[0])]
        assert levels[:2] == [
            w["v_below"].format(level=w["lvl:low"], mark="50%"),
            w["v_below"].format(level=w["lvl:low"], mark="90%"),
        ]
        assert levels[2] == w["v_band"].format(level=w[f"lvl:{level}"], band=w[f"band:{band}"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_revenue_there_are_no_rules_to_show(lang):
    """No revenue: the sentence says so, and no table of rules with 'the 0 largest'."""
    score, w = example_score("2025-Q4", lang), TEXT[lang]
    html = str(verdict_section(score))
    assert escape(w["v_top3"].format(n=0)) not in html and escape(w["v_rule"]) not in html
    assert html.count("<table") == 1  # the box alone


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_rationale_points_below_for_a_differing_decision(scores, lang):
    """The rationale report's own verdict says the reason is further on, not 'in the
    rationale' (itself); the concentration report's names the rationale report."""
    score, w = scores[lang], TEXT[lang]
    d = score.designations.copy()
    d.loc[d.index[0], ["decision", "final", "differs"]] = ["decline", "decline", True]
    differing = score.with_parts(designations=d)
    below = escape(w["v_differs_below"].format(section=w["rationale"]))
    rationale = str(verdict_section(differing, report="large_account_rationale"))
    assert below in rationale and escape(w["v_differs"]) not in rationale
    assert escape(w["v_differs"]) in str(verdict_section(differing))
    # The section it points to is in the rationale report, under that heading.
    assert any(f.__name__ == "rationale_section" for f in sections.RATIONALE_SECTIONS) and escape(
        w["rationale"]
    ) in str(sections.rationale_section(differing))
