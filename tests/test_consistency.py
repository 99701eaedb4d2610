"""One source per fact (issue 14, item 3): across the rendered demo reports and briefings of
every period, a count or figure that two places show is the same.

The reports are the session's one render (``rendered_demo``). Each checker is a pure function
of HTML text, read by stable markers (the ``data-`` attributes the sections write on a
table's first cell and on a rationale, the briefing's title marker); each is shown to fail on
a planted contradiction.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from account_analysis.present.briefing import GROUP_MARKER
from account_analysis.words import languages, words

pytestmark = pytest.mark.slow  # the session's render of every demo period


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _facts(html: str, key: str) -> dict[str, list[int]]:
    """group → the ``data-<key>`` values of the cells and blocks that carry one, in order."""
    out: dict[str, list[int]] = {}
    for tag in _soup(html).find_all(attrs={"data-group": True, f"data-{key}": True}):
        out.setdefault(tag["data-group"], []).append(int(tag[f"data-{key}"]))
    return out


def unit_contradictions(concentration: str, rationale: str) -> list[str]:
    """Groups whose units in the concentration table differ from the units the territory
    table says left their territory for the Large Account (both: units with revenue in the
    window)."""
    top = {g: v[0] for g, v in _facts(concentration, "units").items()}
    left = {g: sum(v) for g, v in _facts(rationale, "units").items()}
    return [
        f"{g}: {top.get(g)} units in the concentration table, {n} in the territories"
        for g, n in left.items()
        if top.get(g) != n
    ]


def briefing_unit_contradictions(concentration: str, briefing: str) -> list[str]:
    """The briefing's units with revenue in the window (the rows of its unit table, the last
    table, whose revenue is not zero) against the concentration table's count."""
    soup = _soup(briefing)
    group = soup.find("h1")[GROUP_MARKER]
    top = {g: v[0] for g, v in _facts(concentration, "units").items()}
    rows = soup.find_all("table")[-1].find("tbody").find_all("tr")
    earning = sum(1 for r in rows if re.search(r"[1-9]", r.find_all("td")[3].get_text()))
    if group in top and top[group] != earning:
        return [
            f"{group}: {top[group]} units in the concentration table, {earning} with "
            f"revenue in its briefing"
        ]
    return []


def briefing_headline_unit_contradictions(concentration: str, briefing: str) -> list[str]:
    """The number of units the briefing's first sentence states against the concentration
    table's count (a reader compares those two)."""
    soup = _soup(briefing)
    group = soup.find("h1")[GROUP_MARKER]
    top = {g: v[0] for g, v in _facts(concentration, "units").items()}
    headline = soup.find("p", class_="headline").get_text()
    stated = [int(n) for n in re.findall(r"\b(\d{1,3})\b", headline.split(group)[-1])][:1]
    if group in top and stated and stated[0] != top[group]:
        return [
            f"{group}: {top[group]} units in the concentration table, {stated[0]} in the "
            f"briefing's first sentence"
        ]
    return []


def escalation_contradictions(rationale: str) -> list[str]:
    """Per candidate: the open escalations of the candidates table, of the rationale, and the
    number its sentence says (none said when none are open)."""
    table = {g: v[0] for g, v in _facts(rationale, "open-escalations").items() if len(v) == 2}
    out = []
    for block in _soup(rationale).find_all("div", attrs={"data-open-escalations": True}):
        group, n = block["data-group"], int(block["data-open-escalations"])
        said = [int(x) for x in re.findall(r"(\d+) escalat", block.get_text())]
        if table.get(group) != n:
            out.append(f"{group}: {table.get(group)} open in the table, {n} in the rationale")
        if said != ([n] if n else []):
            out.append(f"{group}: {n} open, the sentence says {said}")
    return out


def _section(soup: BeautifulSoup, key: str):
    """The ``<h2>`` of the briefing section whose heading is the catalog's ``key``."""
    titles = {words(lang)[key] for lang in languages()}
    return next((h for h in soup.find_all("h2") if h.get_text().strip() in titles), None)


_PERCENT = r"(\d+(?:[.,]\d+)?)\s?%"


def briefing_growth_contradictions(briefing: str) -> list[str]:
    """The revenue change of the briefing's revenue section (signed, ``−45,9%``) against the
    one its first talking point says: the same rounding of the same figure."""
    soup = _soup(briefing)
    heading = _section(soup, "briefing.talking_points")
    point = heading.find_next("li").get_text() if heading else ""
    revenue = soup.find(string=re.compile(r"[+−]" + _PERCENT))
    shown = re.search(r"[+−]" + _PERCENT, str(revenue or ""))
    said = re.findall(_PERCENT, point)
    if shown and said and shown.group(1) not in said:
        return [f"revenue section {shown.group(0)}, talking point {said}"]
    return []


def wallet_share_gaps(briefing: str) -> list[str]:
    """The briefing's share-of-wallet table (us and the competitors) must add up to 100%, or
    have a row for the rest (a row without a percentage counts as that row)."""
    soup = _soup(briefing)
    titles = {words(lang)["briefing.est_share"] for lang in languages()}
    for table in soup.find_all("table"):
        heads = [th.get_text().strip() for th in table.find_all("th")]
        if not titles & set(heads):
            continue
        cells = [tr.find_all("td")[-1].get_text() for tr in table.find("tbody").find_all("tr")]
        shares = [re.search(_PERCENT, c) for c in cells]
        if all(shares):
            total = sum(float(m.group(1).replace(",", ".")) for m in shares)
            if abs(total - 100) > 1:
                return [f"shares add to {total:g}% and no row says what the rest is"]
    return []


def _reports(rendered_demo) -> list[Path]:
    reports, run = rendered_demo
    assert run.returncode == 0, run.stderr
    periods = sorted(p for p in reports.iterdir() if (p / "revenue_concentration.html").exists())
    assert len(periods) >= 4, periods
    return periods


def test_unit_counts_agree_across_the_period_reports(rendered_demo):
    checked = 0
    for period in _reports(rendered_demo):
        concentration = (period / "revenue_concentration.html").read_text(encoding="utf-8")
        rationale = (period / "large_account_rationale.html").read_text(encoding="utf-8")
        assert unit_contradictions(concentration, rationale) == [], period.name
        checked += len(_facts(rationale, "units"))
    assert checked >= 12  # three Large Accounts in four periods


def test_the_units_with_revenue_in_each_briefing_agree_with_the_concentration_table(rendered_demo):
    briefings = 0
    for period in _reports(rendered_demo):
        concentration = (period / "revenue_concentration.html").read_text(encoding="utf-8")
        for path in sorted((period / "briefings").glob("*.html")):
            briefing = path.read_text(encoding="utf-8")
            assert briefing_unit_contradictions(concentration, briefing) == [], path
            briefings += 1
    assert briefings >= 12


def test_the_units_a_briefing_states_agree_with_the_concentration_table(rendered_demo):
    for period in _reports(rendered_demo):
        concentration = (period / "revenue_concentration.html").read_text(encoding="utf-8")
        for path in sorted((period / "briefings").glob("*.html")):
            briefing = path.read_text(encoding="utf-8")
            assert briefing_headline_unit_contradictions(concentration, briefing) == [], path


def test_open_escalations_agree_between_table_and_rationale(rendered_demo):
    for period in _reports(rendered_demo):
        rationale = (period / "large_account_rationale.html").read_text(encoding="utf-8")
        assert escalation_contradictions(rationale) == [], period.name
        assert _facts(rationale, "open-escalations"), period.name


def test_van_houten_has_the_two_open_escalations_its_decision_names(rendered_demo):
    # The board's 2026-Q3 decision reason speaks of "two open escalations".
    period = next(p for p in _reports(rendered_demo) if p.name == "2026-Q3")
    rationale = (period / "large_account_rationale.html").read_text(encoding="utf-8")
    van_houten = [
        g
        for g in _facts(rationale, "open-escalations")
        if "Van Houten" in _soup(rationale).find(attrs={"data-group": g}).get_text()
    ]
    assert [_facts(rationale, "open-escalations")[g][0] for g in van_houten] == [2]


def _briefings(rendered_demo):
    for period in _reports(rendered_demo):
        for path in sorted((period / "briefings").glob("*.html")):
            yield path, path.read_text(encoding="utf-8")


def test_a_briefing_says_its_revenue_change_the_same_way_twice(rendered_demo):
    for path, briefing in _briefings(rendered_demo):
        assert briefing_growth_contradictions(briefing) == [], path


def test_a_briefing_says_what_the_rest_of_the_wallet_is(rendered_demo):
    for path, briefing in _briefings(rendered_demo):
        assert wallet_share_gaps(briefing) == [], path


# --------------------------------------------------------------------------- planted


CONCENTRATION = (
    '<table><tbody><tr><td data-group="G1" data-units="13">Polderland</td></tr>'
    '<tr><td data-group="G2" data-units="22">Zorg</td></tr></tbody></table>'
    '<p class="headline">4 groups</p>'
)
RATIONALE = (
    '<table><tbody><tr><td data-group="G1" data-open-escalations="0">P</td></tr>'
    '<tr><td data-group="G3" data-open-escalations="2">VH</td></tr></tbody></table>'
    '<div data-group="G1" data-open-escalations="0"><p>P brings 9%.</p></div>'
    '<div data-group="G3" data-open-escalations="2"><p>VH brings 10%. 2 escalations '
    "are open.</p></div>"
    '<table><tbody><tr><td data-group="G1" data-units="4">P</td></tr>'
    '<tr><td data-group="G1" data-units="9">P</td></tr></tbody></table>'
)
BRIEFING = (
    f'<h1 {GROUP_MARKER}="G1">Briefing: P</h1><p class="headline">P (G1) is one '
    "group of 13 units as of 30 September 2026.</p><table><tbody>"
    + "".join(
        f"<tr><td>u{k}</td><td>A{k}</td><td>1000</td><td>€ {k + 1}00</td></tr>" for k in range(13)
    )
    + "<tr><td>invoices</td><td>A99</td><td>1000</td><td>€ 0</td></tr>"
    "</tbody></table>"
)


GROWTH = (
    "<h2>Talking points</h2><ul><li>Revenue is falling: 45.9% less.</li></ul>"
    '<h2>Revenue</h2><p class="headline">Last 12 months: €3, −45.9% against the 12 '
    "before.</p>"
)
WALLET = (
    "<table><thead><tr><th>Supplier</th><th>Estimated share of wallet</th></tr></thead>"
    "<tbody><tr><td>Us</td><td>30%</td></tr><tr><td>A</td><td>35%</td></tr>"
    "<tr><td>Rest (unknown)</td><td>35%</td></tr></tbody></table>"
)


def test_the_checkers_pass_consistent_pages():
    assert briefing_growth_contradictions(GROWTH) == []
    assert wallet_share_gaps(WALLET) == []
    assert unit_contradictions(CONCENTRATION, RATIONALE) == []
    assert briefing_unit_contradictions(CONCENTRATION, BRIEFING) == []
    assert briefing_headline_unit_contradictions(CONCENTRATION, BRIEFING) == []
    assert escalation_contradictions(RATIONALE) == []


def test_each_checker_finds_a_planted_contradiction():
    assert unit_contradictions(CONCENTRATION.replace('"13"', '"14"'), RATIONALE)
    assert unit_contradictions(
        CONCENTRATION, RATIONALE.replace('data-units="9"', 'data-units="10"')
    )
    assert briefing_unit_contradictions(CONCENTRATION, BRIEFING.replace("€ 0", "€ 5"))
    assert briefing_headline_unit_contradictions(
        CONCENTRATION, BRIEFING.replace("of 13 units", "of 14 units")
    )
    # the table and the rationale's facts differ; the sentence says another number
    assert escalation_contradictions(
        RATIONALE.replace(
            '<td data-group="G3" data-open-escalations="2">',
            '<td data-group="G3" data-open-escalations="4">',
        )
    )
    assert escalation_contradictions(RATIONALE.replace("2 escalations", "4 escalations"))
    assert escalation_contradictions(
        RATIONALE.replace("P brings 9%.", "P brings 9%. 1 escalation is open.")
    )
    assert briefing_growth_contradictions(GROWTH.replace("45.9% less", "46% less"))
    assert wallet_share_gaps(
        WALLET.replace("<td>35%</td></tr></tbody>", "<td>25%</td></tr></tbody>")
    )
