"""The designation sections of the Large Account rationale report: each candidate, its
rationale and decision, the near misses, the changes and the wallet method."""

from __future__ import annotations

import re
from html import escape

import pandas as pd
import pytest
from test_sections import LANGUAGES, scores_by_language, tables

from account_analysis.present import sections
from account_analysis.present.designation_sections import (
    candidates_section,
    changes_section,
    near_miss_section,
    rationale_section,
    wallet_method_note,
)
from account_analysis.present.format import format_percent
from account_analysis.present.reasons import rationale, wallet_method


@pytest.fixture(scope="module")
def scores(demo_dir, demo_dataset, demo_cube) -> dict:
    return scores_by_language(demo_dir, demo_dataset, demo_cube)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_candidates_table_has_each_candidate_and_recommendation(scores, lang):
    score = scores[lang]
    html = str(candidates_section(score))
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
    html = str(candidates_section(score.with_parts(designations=d)))
    assert "decline *" in html
    assert "The decision differs from the advice" in html
    assert "decline *" not in str(candidates_section(score))


def test_undecided_candidates_get_a_final_column(scores):
    score = scores["nl"]
    d = score.designations.copy()
    d["decision"] = pd.array([None] * len(d), dtype="str")
    d["final"] = d["recommendation"]
    html = str(candidates_section(score.with_parts(designations=d)))
    assert "<th>Definitief</th>" in html and "geen besluit" in html
    assert "<th>Definitief</th>" not in str(candidates_section(score))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_rationale_per_candidate_with_decision(scores, lang):
    score = scores[lang]
    html = str(rationale_section(score))
    assert html.count("<h3>") == len(score.candidates)
    for cand in score.candidates.to_dict("records"):
        assert escape(rationale(cand, score.settings.threshold, lang)) in html
        # The board's words are the data's: quoted, in their own element, in its language.
        assert f'<span class="data" lang="nl">{escape(cand["decision_reason"])}</span>' in html
    assert '<span class="data" lang="nl">Directie</span>' in html and "2026-10-05" in html
    # The account manager by name, not by id.
    assert {
        "en": "Proposed account manager: Pieter Bakker.",
        "nl": "Voorgestelde accountmanager: Pieter Bakker.",
    }[lang] in html
    assert "AM03" not in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_near_misses_and_none(scores, lang):
    score = scores[lang]
    html = str(near_miss_section(score))
    assert "Waterschap Lage Landen" in html
    assert sections.TEXT[lang]["rec:watch"] in tables(html)[0]
    none = score.with_parts(designations=score.candidates)
    html = str(near_miss_section(none))
    assert "<table" not in html
    assert {"en": "No customer group is close", "nl": "Geen klantgroep zit dicht"}[lang] in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_changes_since_previous_period(scores, lang):
    score = scores[lang]
    html = str(changes_section(score))
    assert "2026-Q2" in html
    entered = {"en": "new Large Account", "nl": "nieuw Large Account"}[lang]
    assert html.count(entered) == (score.changes["change"] == "entered").sum() == 0
    fresh = score.with_parts(changes=score.changes.assign(change="entered"))
    assert str(changes_section(fresh)).count(entered) == 3
    none_text = {"en": "No changes since 2026-Q2.", "nl": "Geen wijzigingen sinds 2026-Q2."}[lang]
    # Van Houten's decision and escalations, Polderland's trend and headroom moved: not "none".
    assert len(score.moves) and none_text not in html
    assert none_text not in str(changes_section(score.with_parts(changes=score.changes.iloc[0:0])))
    nothing = score.with_parts(changes=score.changes.iloc[0:0], moves=score.moves.iloc[0:0])
    html = str(changes_section(nothing))
    assert none_text in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_wallet_note_names_the_estimates_and_methods(scores, lang):
    score = scores[lang]
    html = str(wallet_method_note(score))
    estimated = score.designations[score.designations["wallet_source"] == "estimated"]
    assert len(estimated) == 1
    row = estimated.iloc[0]
    method = wallet_method(row, lang)
    assert method.startswith("Wallet Allocation Rule")  # the demo's: a rank, no amount
    assert f"<li>{escape(row['name'])}: {escape(method)}</li>" in html
    est_part = html.split(sections.TEXT[lang]["wallet_stated"])[0]
    assert escape(row["name"]) in est_part
    assert "Zorggroep Vlietstreek B.V." not in est_part  # stated, so not under the estimates
