"""One language per report: no word of ours in the other language, the data's free text
quoted in its own element, people by name (issue 14, item 4).

The rendered demo periods (``rendered_demo``: 2026-Q3 in Dutch, the others in English, each
briefing in its account manager's language) are searched as a reader sees them: the text
and the charts' alt text, without the data's quoted text (``span.data``) and without the
names of the data (customers, units, people, territories, competitors), which are nobody's
language.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from account_analysis.present.format import Html, quoted, sentence

# Words of ours that only one of the two languages has (whole words, any case). Terms the
# Dutch catalog itself uses in English are left out of the English list ("share of wallet",
# "Large Account", "Wallet Allocation Rule", "trackrecord").
ENGLISH = (
    "the",
    "and",
    "with",
    "revenue",
    "customer",
    "customers",
    "designate",
    "decline",
    "watch",
    "near miss",
    "abroad",
    "decided",
    "decision",
    "reason",
    "proposed",
    "growing",
    "largest",
    "supplier",
    "suppliers",
    "complaint",
    "complaints",
    "escalation",
    "escalations",
    "months",
    "account manager",
    "confirmed",
    "above",
    "below",
    "headroom",
    "objective",
    "service line",
    "quarter",
    "unit",
    "units",
)
DUTCH = (
    "de",
    "het",
    "en",
    "van",
    "een",
    "met",
    "omzet",
    "klant",
    "klanten",
    "aanwijzen",
    "afwijzen",
    "volgen",
    "besluit",
    "besloten",
    "reden",
    "voorgestelde",
    "leverancier",
    "klacht",
    "klachten",
    "escalatie",
    "escalaties",
    "maanden",
    "buitenland",
    "dienst",
    "doel",
    "groep",
    "bevestigd",
    "accountmanager",
    "directie",
    "eenheden",
    "kwartaal",
)
OTHER = {"nl": ENGLISH, "en": DUTCH}


def visible_text(html: str) -> str:
    """What a reader sees of a report, without the data's quoted text: the text of the body
    and the alt text of its images."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(["script", "style", "head"]):
        tag.decompose()
    for tag in soup.select(".data"):
        tag.decompose()
    alts = " ".join(img.get("alt", "") for img in soup.find_all("img"))
    return soup.get_text(" ") + " " + alts


def foreign_words(html: str, language: str, names=()) -> list[str]:
    """The words of ours in the other language than ``language`` that ``html`` shows,
    after taking out its quoted data text and the data's ``names``."""
    text = visible_text(html)
    for name in sorted({str(n) for n in names if str(n).strip()}, key=len, reverse=True):
        text = text.replace(name, " ")
    found = set()
    for word in OTHER[language]:
        for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE):
            if not (m.group().isupper() and len(word) <= 3):  # a country code: (DE)
                found.add(word)
    return sorted(found)


def data_names(folder) -> set[str]:
    """The proper names of a dataset: customers and units, managers, territories, the
    account plans' people and the wallets' competitors."""
    names = set(pd.read_csv(folder / "accounts.csv", dtype=str)["name"].dropna())
    names |= set(pd.read_csv(folder / "account_managers.csv", dtype=str)["name"].dropna())
    names |= set(pd.read_csv(folder / "territories.csv", dtype=str)["name"].dropna())
    for value in pd.read_csv(folder / "wallets.csv", dtype=str)["competitors"].dropna():
        names |= set(value.split("|"))
    for plan in (folder / "account_plans").glob("*.yaml"):
        names |= set(
            re.findall(
                r"^\s+(?:- )?(?:name|their_counterpart): (.+)$",
                plan.read_text(encoding="utf-8"),
                re.MULTILINE,
            )
        )
    return {n.strip().strip('"') for n in names}


def report_language(html: str) -> str:
    return re.search(r'<html[^>]* lang="(\w+)"', html).group(1)


@pytest.fixture(scope="module")
def reports(rendered_demo):
    folder, run = rendered_demo
    assert run.returncode == 0, run.stderr
    pages = {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.glob("*/**/*.html"))
    }
    assert len(pages) >= 8
    return pages


def test_every_report_speaks_its_own_language_only(reports, demo_dir):
    names = data_names(demo_dir)
    languages = set()
    for path, html in reports.items():
        language = report_language(html)
        languages.add(language)
        assert foreign_words(html, language, names) == [], path
    assert languages == {"en", "nl"}  # both languages were searched


def test_the_checker_finds_a_planted_word_of_the_other_language(reports, demo_dir):
    names = data_names(demo_dir)
    nl = reports["2026-Q3/large_account_rationale.html"]
    en = reports["2026-Q2/large_account_rationale.html"]
    assert foreign_words(nl, "nl", names) == []
    planted = nl.replace("</h2>", " Largest group, growing</h2>", 1)
    assert foreign_words(planted, "nl", names) == ["growing", "largest"]
    assert foreign_words(en.replace("</h2>", " (aanwijzen)</h2>", 1), "en", names) == ["aanwijzen"]
    # In an alt text too; but the data's text, quoted in its element, is the data's.
    assert foreign_words(nl.replace('alt="', 'alt="revenue ', 1), "nl", names) == ["revenue"]
    data = quoted("Late response to outage, the second", "en", "nl").html
    assert foreign_words(nl.replace("</h2>", data + "</h2>", 1), "nl", names) == []


def test_people_are_named_not_given_by_id(reports, demo_dir):
    ids = pd.read_csv(demo_dir / "account_managers.csv", dtype=str)["manager_id"]
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, ids)) + r")\b")
    for path, html in reports.items():
        assert pattern.findall(visible_text(html)) == [], path
    # The check sees an id where a name should be.
    planted = reports["2026-Q3/large_account_rationale.html"].replace("Pieter Bakker", "AM03", 1)
    assert pattern.findall(visible_text(planted)) == ["AM03"]


def test_data_text_of_the_demo_is_quoted_in_its_language(reports):
    # The English briefing of 2026-Q2 shows the Dutch plan and complaints as quoted data.
    en = reports["2026-Q2/briefings/c10055-stichting-onderwijs-brabant.html"]
    assert report_language(en) == "en"
    assert (
        '<span class="data" lang="nl">Meerjarig contract binnenklimaat voor alle scholen</span>'
    ) in en
    assert '<span class="data" lang="nl">Onderhoud</span>' in en  # a service line


def test_quoted_marks_the_data_and_its_language():
    assert str(quoted("Monteur te laat", "nl", "en")) == (
        '“<span class="data" lang="nl">Monteur te laat</span>”'
    )
    assert str(quoted("a <b> & c", "en", "nl", marks=False)) == (
        '<span class="data" lang="en">a &lt;b&gt; &amp; c</span>'
    )
    assert str(quoted("  ", "nl", "en")) == "" and str(quoted(None, "nl", "en")) == ""
    filled = sentence(
        "The {kind} {subject} & more", kind="complaint", subject=quoted("Lek", "nl", "en")
    )
    assert isinstance(filled, Html)
    assert filled.html == ('The complaint “<span class="data" lang="nl">Lek</span>” &amp; more')
    assert filled.text == "The complaint “Lek” & more"
    # Plain values are escaped; only Html passes as it is.
    assert sentence("{x}", x="<i>").html == "&lt;i&gt;"
