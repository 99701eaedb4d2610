"""The report sections: right numbers, right language, escaped data, email-safe HTML.

Here: what holds for every section of both reports, and what the section tests share (the
scored demo period, the tables of a piece). Each section's own tests mirror its module:
test_concentration_sections, test_designation_sections, test_account_manager_sections.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape

import pytest

import account_analysis as aa
from account_analysis.present import sections

LANGUAGES = ("en", "nl")
ALL_SECTIONS = sections.CONCENTRATION_SECTIONS + sections.RATIONALE_SECTIONS
EVIL = "<b>X</b>"


def scores_by_language(demo_dir, dataset, cube) -> dict:
    """The demo's 2026-Q3 scored in each of ``LANGUAGES``: {language: PeriodScore}."""
    out = {}
    for lang in LANGUAGES:
        s = aa.Settings.from_mapping(
            {"period": "2026-Q3", "dataset": str(demo_dir), "language": lang}
        )
        out[lang] = aa.score_period(cube, dataset, s)
    return out


@pytest.fixture(scope="module")
def scores(demo_dir, demo_dataset, demo_cube) -> dict:
    return scores_by_language(demo_dir, demo_dataset, demo_cube)


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


def test_dutch_sections_speak_dutch(scores):
    nl = "".join(str(f(scores["nl"])) for f in ALL_SECTIONS)
    for word in (
        "Kerncijfers",
        "Omzet in gevaar",
        "Breed of diep verkopen?",
        "Klantgroep",
        "Onderbouwing per kandidaat",
        "aanwijzen",
        "niet geconcentreerd",
    ):
        assert word in nl
    headings = re.findall(r"<h2>(.*?)</h2>", nl) + re.findall(r"<th[^>]*>(.*?)</th>", nl)
    english = set(
        re.findall(r"<h2>(.*?)</h2>", "".join(str(f(scores["en"])) for f in ALL_SECTIONS))
    )
    english |= {
        "Customer group",
        "Share of revenue",
        "Revenue at risk",
        "Recommendation",
        "Decision",
        "Period",
        "Headroom",
    }
    assert not english & set(headings)
    assert "€\xa05,0\xa0mln" in nl and "39,5%" in nl
    assert "<td>afwijzen</td>" in nl
    for word in ("designate", "decline", "watch"):
        assert f"<td>{word}</td>" not in nl


def test_data_text_is_escaped_everywhere(scores):
    score = scores["en"]
    d = score.designations.assign(
        name=EVIL,
        decision_reason=EVIL,
        decided_by=EVIL,
        wallet_basis="survey",
        wallet_currency=EVIL,
    )
    lost1 = score.loss_top1["lost"].assign(name=EVIL)
    mergers = score.mergers.assign(name_a=EVIL)
    mergers.attrs = score.mergers.attrs
    sens = replace(score.sensitivity, ranks=score.sensitivity.ranks.assign(name=EVIL))
    evil = score.with_parts(
        designations=d,
        loss_top1=dict(score.loss_top1, lost=lost1),
        mergers=mergers,
        sensitivity=sens,
        changes=score.changes.assign(name=EVIL),
    )
    for section in (
        sections.risk_section,
        sections.merger_section,
        sections.sensitivity_section,
        sections.candidates_section,
        sections.rationale_section,
        sections.near_miss_section,
        sections.changes_section,
        sections.wallet_method_note,
    ):
        html = str(section(evil))
        assert escape(EVIL) in html, section.__name__
        assert EVIL not in html, section.__name__


def test_money_short():
    assert sections.money_short(499_856_042, "en") == "€5.0m"
    assert sections.money_short(7_053_403_863, "nl") == "€\xa070,5\xa0mln"
    assert sections.money_short(1_725_206, "nl") == "€\xa017.252"
