"""The account manager and territory sections of the Large Account rationale report."""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape

import pytest
from test_sections import EVIL, LANGUAGES, scores_by_language, tables, text_of

import account_analysis as aa
from account_analysis.present import sections
from account_analysis.present.account_manager_sections import (
    account_manager_section,
    territory_section,
)
from account_analysis.present.section_parts import whole_money


@pytest.fixture(scope="module")
def scores(demo_dir, demo_dataset, demo_cube) -> dict:
    return scores_by_language(demo_dir, demo_dataset, demo_cube)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_account_manager_section_shows_each_large_account_and_capacity(scores, lang):
    score = scores[lang]
    w = sections.TEXT[lang]
    html = str(account_manager_section(score))
    table = tables(html)[0]
    for row in score.assignments.to_dict("records"):
        assert escape(row["group_name"]) in table and escape(row["manager_name"]) in table
    # Zorggroep Vlietstreek's manager is fixed by decision, the other two are proposed.
    assert table.count(f"<td>{w['src:decision']}</td>") == 1
    assert table.count(f"<td>{w['src:proposal']}</td>") == 2
    capacity = tables(html)[1]
    assert re.search(
        r"<td>Pieter Bakker</td><td class=\"num\">2</td>"
        r"<td class=\"num\">2</td><td class=\"num\">0</td>",
        capacity,
    )
    assert ("wil een nieuwe uitdaging" if lang == "nl" else "wants a new challenge") in table


def test_account_manager_section_flags_a_decision_against_the_proposal(scores):
    score = scores["en"]
    a = score.assignments.copy()
    a.loc[0, ["manager_name", "differs", "over_capacity", "capacity"]] = [
        "Linda de Boer",
        True,
        True,
        1,
    ]
    a.loc[1, ["source", "manager_id", "manager_name", "score"]] = [
        "unassigned",
        None,
        None,
        float("nan"),
    ]
    html = str(account_manager_section(score.with_parts(assignments=a)))
    assert "decision (proposal: Pieter Bakker)" in html
    assert "Linda de Boer is fixed by decision beyond their capacity of 1." in html
    assert "1 Large Account(s) have no account manager" in html
    assert "nan" not in text_of(html).lower().split()


def test_sections_without_large_accounts(demo_dir, demo_dataset, demo_cube):
    score = aa.score_period(
        demo_cube,
        demo_dataset,
        aa.Settings.from_mapping({"period": "2026-Q2", "dataset": str(demo_dir), "language": "nl"}),
    )
    score = score.with_parts(designations=score.designations.assign(final="watch"))
    html = str(account_manager_section(score))
    assert sections.TEXT["nl"]["am_none"] in html and "<table" not in html
    territories = str(territory_section(score))
    assert sections.TEXT["nl"]["ter_left_title"] not in territories
    assert "Geen eenheden vertrokken naar een Large Account" in territories


@pytest.mark.parametrize("lang", LANGUAGES)
def test_territory_section_is_the_library_numbers(scores, lang):
    score = scores[lang]
    t = score.territories
    html = str(territory_section(score))
    summary, left, unmatched = tables(html)
    for row in t.summary.to_dict("records"):
        assert escape(row["name"]) in summary
        assert whole_money(score, row["revenue_cents"]) in summary
    assert "Zuid-Holland" in left and "Stichting Onderwijs Brabant" in left
    assert "9900–9999" in text_of(html)  # the demo's gap is named
    for row in t.unmatched.head(sections.MAX_ROWS).to_dict("records"):
        assert escape(row["name"]) in unmatched
    assert sections.money_short(t.totals["territory"], lang) in html


def test_assignment_and_territory_text_is_escaped(scores):
    score = scores["en"]
    a = score.assignments.assign(group_name=EVIL, manager_name=EVIL)
    t = score.territories
    evil_t = replace(
        t,
        summary=t.summary.assign(name=EVIL),
        left=t.left.assign(group_name=EVIL),
        unmatched=t.unmatched.assign(name=EVIL, postcode=EVIL),
    )
    evil = score.with_parts(assignments=a, territories=evil_t)
    for section in (account_manager_section, territory_section):
        html = str(section(evil))
        assert escape(EVIL) in html, section.__name__
        assert EVIL not in html, section.__name__
