"""Account briefings: scoping (no other group's name or revenue), talking points, sections.

The scoping test renders every demo period through the real command line (papermill,
nbconvert) and reads every briefing's HTML and executed notebook. The other tests build
briefings in-process from the demo dataset and change one thing at a time.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import account_analysis as aa
from account_analysis import config
from account_analysis.analysis import briefing as data
from account_analysis.present import briefing as br
from account_analysis.present.format import format_money
from account_analysis.present.sections import money_short
from account_analysis.render import paths

GROUP = "C10001"  # Zorggroep Vlietstreek: designated, with an account plan
PLANLESS = "C10023"  # Van Houten Logistiek Groep: a candidate without an account plan
DEMO_PERIODS = sorted(p.stem for p in config.PARAMS_DIR.glob("*.yaml") if p.stem != "defaults")
_IMAGE = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+|\"image/png\": \"[^\"]*\"")


# --------------------------------------------------------------------------- the check


def forbidden_names(dataset, consolidation, period: str, group_id: str) -> set[str]:
    """Names of every account that is not in ``group_id`` at the period end: the other
    top-level groups and all of their units."""
    end = aa.parse_period(period).end
    groups = consolidation.hierarchy.groups_as_of(end)
    names = dataset.accounts.set_index("account_id")["name"]
    other = groups.reindex(names.index).to_numpy() != group_id
    return {n for n in names[other] if isinstance(n, str) and n.strip()}


def forbidden_figures(consolidation, settings, group_id: str, allowed: set[str]) -> set[str]:
    """Every other group's window revenue as a reader would see it, in both languages:
    whole units (``€1,234,567`` / ``€\xa01.234.567``), with cents, and short (``€1.2m``).
    Figures in ``allowed`` (this group's own figures that happen to be equal) are left out."""
    revenue = aa.revenue_by_group(consolidation, settings.window, settings.restate_hierarchy)
    figures = set()
    for g, cents in zip(revenue["group_id"], revenue["revenue_cents"], strict=True):
        if g == group_id:
            continue
        for lang in ("en", "nl"):
            figures |= {
                format_money(cents, lang, decimals=0),
                format_money(cents, lang),
                money_short(cents, lang),
            }
    return figures - allowed


def own_figures(b: data.Briefing) -> set[str]:
    """This group's own amounts as the briefing formats them (units, quarters, years, wallet)."""
    amounts = list(b.units["revenue_cents"]) + [b.revenue_cents, *b.revenue_by_year()]
    m = b.monthly.assign(quarter=b.monthly["month"].map(br.quarter_label))
    amounts += list(m.groupby(["quarter", "service_line"])["revenue_cents"].sum())
    amounts += list(m.groupby("quarter")["revenue_cents"].sum())
    wallet = [v for v in (b.wallet.get("wallet_cents"), b.wallet.get("headroom_cents")) if v]
    # Wallet figures are estimates, shown rounded (≈ € 10,7 mln): money_short's form.
    return {
        format_money(c, lang, decimals=0) for c in amounts + wallet for lang in ("en", "nl")
    } | {money_short(c, lang) for c in wallet for lang in ("en", "nl")}


def leaks(text: str, names: set[str], figures: set[str]) -> list[str]:
    """The forbidden names and figures found in ``text`` (HTML or notebook JSON; embedded
    images are skipped, entities unescaped). A figure counts only as a whole number: not
    as the start of a longer one."""
    text = html.unescape(_IMAGE.sub("", text))
    found = sorted(n for n in names if n in text)
    # The plain substring test first (C speed): the regular expression only where the
    # figure occurs at all (most of a thousand do not; one search each cost ~80 s a run).
    found += sorted(
        f
        for f in figures
        if f in text and re.search(r"(?<![\d.,])" + re.escape(f) + r"(?![\d]|[.,]\d)", text)
    )
    return found


def notebook_text(path) -> str:
    """Every source and output text of an executed notebook, images left out."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        parts.append("".join(cell.get("source", "")))
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            for mime, value in out.get("data", {}).items():
                if not mime.startswith("image/"):
                    parts.append(value if isinstance(value, str) else "".join(value))
            parts.append(str(out.get("evalue", "")))
    return "\n".join(parts)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo(demo_dataset, demo_cube):
    return demo_dataset, demo_cube


def score_for(demo, demo_dir, period="2026-Q3", language="en"):
    ds, cons = demo
    settings = aa.Settings.from_mapping(
        {"period": period, "dataset": str(demo_dir), "language": language}
    )
    return aa.score_period(cons, ds, settings)


@pytest.fixture(scope="module")
def briefings(demo, demo_dir):
    """The demo group's briefing in both languages."""
    return {
        lang: data.account_briefing(score_for(demo, demo_dir, language=lang), GROUP)
        for lang in ("en", "nl")
    }


def page(b: data.Briefing) -> str:
    return "".join(section(b).html for section in (br.briefing_title, *br.BRIEFING_SECTIONS))


@pytest.fixture(scope="module")
def rendered_demo(rendered_demo):
    """Every demo period rendered by the real command line, on the demo dataset (the
    session's shared run, see conftest)."""
    reports, result = rendered_demo
    assert result.returncode == 0, result.stderr
    return reports


# --------------------------------------------------------------------------- scoping


@pytest.mark.slow
def test_every_briefing_of_every_demo_period_names_no_other_group(rendered_demo, demo, demo_dir):
    ds, cons = demo
    checked = 0
    for period in DEMO_PERIODS:
        summary = json.loads((rendered_demo / period / "summary.json").read_text())
        score = score_for(demo, demo_dir, period)
        designated = score.designations.loc[score.designations["final"] == "designate", "group_id"]
        assert [b["group_id"] for b in summary["briefings"]] == list(designated)
        for entry in summary["briefings"]:
            g = entry["group_id"]
            names = forbidden_names(ds, cons, period, g)
            own = own_figures(data.account_briefing(score, g, entry["language"]))
            figures = forbidden_figures(cons, score.settings, g, own)
            assert len(names) > 1000 and len(figures) > 1000  # the check has teeth
            page_html = (rendered_demo / period / entry["html"]).read_text(encoding="utf-8")
            executed = notebook_text(rendered_demo / period / entry["executed"])
            assert entry["group_name"] in page_html and entry["group_name"] in executed
            assert leaks(page_html, names, figures) == [], (period, g)
            assert leaks(executed, names, figures) == [], (period, g)
            checked += 1
    assert checked >= 4  # 2025-Q4: 1, 2026-Q1: 2, 2026-Q3: 3 designated groups


def test_the_scoping_check_catches_a_name_planted_in_the_data(broken_copy, demo_dir):
    """A complaint subject of the group that names another customer reaches the briefing,
    and the check says so: it can fail."""
    path = broken_copy / "complaints.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = frame.index[frame["account_id"] == "C10004"][-1]
    frame.loc[row, "subject"] = "Zelfde storing als bij Van Houten Logistiek Groep B.V."
    frame.to_csv(path, index=False)
    ds = aa.load_dataset(broken_copy)
    cons = aa.build_cube(ds, cache_dir=None)
    settings = aa.Settings.from_mapping({"period": "2026-Q3", "dataset": str(broken_copy)})
    b = data.account_briefing(aa.score_period(cons, ds, settings), GROUP)
    names = forbidden_names(ds, cons, "2026-Q3", GROUP)
    assert leaks(page(b), names, set()) == ["Van Houten Logistiek Groep B.V."]


def test_the_scoping_check_catches_a_planted_revenue_figure(briefings, demo):
    _, cons = demo
    b = briefings["nl"]
    settings = aa.Settings.from_mapping({"period": "2026-Q3"})
    figures = forbidden_figures(cons, settings, GROUP, own_figures(b))
    other = aa.revenue_by_group(cons, settings.window).iloc[1]  # the second largest group
    planted = format_money(other["revenue_cents"], "nl", decimals=0)
    text = page(b)
    assert leaks(text, set(), figures) == []
    assert leaks(text + f"<p>{planted}</p>", set(), figures) == [planted]
    # a longer number that merely starts with the same digits is not that figure
    assert leaks(text + f"<p>{planted}.000</p>", set(), figures) == []


def test_own_figures_only_excuse_this_groups_amounts(briefings):
    b = briefings["en"]
    assert format_money(b.revenue_cents, "en", decimals=0) in own_figures(b)
    assert "€1" not in own_figures(b)


# --------------------------------------------------------------------------- talking points


def _points(b: data.Briefing) -> list[str]:
    """The talking points as a reader sees them (the HTML's text)."""
    return [p.text for p in br.talking_points(b)]


def _monthly(b: data.Briefing, prior: dict, last: dict) -> data.Briefing:
    """``b`` with synthetic revenue: per service line the same amount every month of each
    year (``prior``: the 12 months before, ``last``: the last 12)."""
    rows = [
        (m, line, cents)
        for year, months in ((prior, b.months[:12]), (last, b.months[12:]))
        for line, cents in year.items()
        for m in months
        if cents
    ]
    monthly = pd.DataFrame(rows, columns=["month", "service_line", "revenue_cents"])
    return dataclasses.replace(b, monthly=monthly)


def test_talking_points_follow_the_revenue_trend_in_both_languages(briefings):
    en, nl = briefings["en"], briefings["nl"]
    up = _monthly(en, {"Onderhoud": 100_000_00}, {"Onderhoud": 120_000_00})
    # The one rounding of a growth figure (format_growth), as in the revenue section.
    assert _points(up)[0].startswith(
        "Revenue is growing: €1,440,000 over the last 12 months, 20.0% more"
    )
    down = _monthly(nl, {"Onderhoud": 100_000_00}, {"Onderhoud": 80_000_00})
    assert _points(down)[0].startswith(
        "De omzet daalt: €\xa0960.000 in de laatste 12 maanden, 20,0% minder"
    )
    flat = _monthly(en, {"Onderhoud": 100_000_00}, {"Onderhoud": 101_000_00})
    assert _points(flat)[0].startswith("Revenue is level")
    new = _monthly(nl, {}, {"Onderhoud": 1_000_00})
    assert _points(new)[0].startswith(
        "Omzet in de laatste 12 maanden: €\xa012.000; niets in de 12 maanden daarvoor"
    )


def test_talking_points_name_the_service_mix_changes(briefings):
    b = _monthly(
        briefings["en"],
        {"Onderhoud": 50_00, "Projecten": 50_00, "Advies": 10_00},
        {"Onderhoud": 80_00, "Projecten": 20_00, "Installatie": 10_00},
    )
    points = _points(b)
    # A service line is the data's text: quoted.
    assert "New this year: “Installatie” (€120 over the last 12 months)." in points
    assert (
        "The service line “Advies” stopped: €120 in the 12 months before, nothing since." in points
    )
    assert (
        "The service line “Onderhoud” grew from 45% to 73% of our revenue with the group." in points
    )
    steady = _monthly(
        briefings["en"],
        {"Onderhoud": 50_00, "Advies": 50_00},
        {"Onderhoud": 51_00, "Advies": 50_00},
    )
    assert not any("grew from" in p or "fell from" in p for p in _points(steady))


def test_talking_points_on_wallet_rank_and_headroom(briefings):
    b = briefings["en"]
    points = _points(b)
    # Headroom is derived from an estimated wallet: rounded as an estimate.
    assert any(
        p.startswith(
            "We have 46% of the group's wallet (1st supplier of 3); "
            "≈\xa0€8.0m a year is spent with others"
        )
        for p in points
    )
    behind = dataclasses.replace(b, wallet={**b.wallet, "our_rank": 5, "n_suppliers": 7})
    assert "We are its 5th supplier of 7: the ambition is the top 3." in _points(behind)
    unknown = dataclasses.replace(
        briefings["nl"],
        wallet={**b.wallet, "wallet_cents": None, "share_of_wallet": None, "headroom_cents": None},
    )
    assert any(p.startswith("De wallet van de groep is niet bekend") for p in _points(unknown))


def test_talking_points_on_open_complaints(briefings):
    en, nl = briefings["en"], briefings["nl"]
    assert any(
        p == "Still open at the end of the period: the complaint “Planning niet "
        "doorgegeven” (high, since 25 September 2026). Have an answer ready."
        for p in _points(en)
    )
    c = en.complaints.copy()
    c.loc[c.index[3], ["kind", "severity", "status", "closed_on"]] = [
        "escalation",
        "low",
        "open",
        pd.NaT,
    ]
    c["open_at_end"] = c["status"] == "open"
    two = dataclasses.replace(nl, complaints=c)
    point = next(p for p in _points(two) if "nog open" in p)
    assert point.startswith(
        "2 klachten en escalaties nog open aan het eind van de periode; "
        "het ernstigst is de escalatie"
    )  # an escalation before a complaint
    none = dataclasses.replace(en, complaints=en.complaints.iloc[:0])
    assert "No complaints or escalations over the window." in _points(none)
    closed = dataclasses.replace(en, complaints=en.complaints.assign(open_at_end=False))
    assert any(
        p.startswith(
            "No complaint or escalation was open at the end of the period "
            "(16 complaints and 0 escalations"
        )
        for p in _points(closed)
    )


def test_talking_points_on_objectives_and_meetings(briefings):
    en, nl = briefings["en"], briefings["nl"]
    # One achieved, one on track (2026-Q3): each said as it is.
    assert "No objective is at risk or overdue: 1 achieved and 1 on track." in _points(en)
    assert (
        "Next executive meeting: 12 November 2026, “Algemeen directeur en Pieter Bakker” "
        "with Annemiek Hoogland."
    ) in _points(en)
    plan = {
        **nl.plan,
        "objectives": [
            {
                "text": "A",
                "measure": "m",
                "target": "t",
                "due": "2027-06-30",
                "status": {"2026-Q3": "at risk"},
            },
            {
                "text": "B",
                "measure": "m",
                "target": "t",
                "due": "2027-06-30",
                "status": {"2026-Q2": "on track"},
            },
            {
                "text": "C",
                "measure": "m",
                "target": "t",
                "due": "2026-06-30",
                "status": {"2026-Q3": "on track"},
            },
            {"text": "D", "measure": "m", "target": "t", "due": "2027-06-30", "status": {}},
            {
                "text": "E",
                "measure": "m",
                "target": "t",
                "due": "2026-01-31",
                "status": {"2026-Q1": "dropped"},
            },
        ],
        "executive_meetings": [{"date": "2026-05-01", "who": "x", "their_counterpart": "y"}],
    }
    points = _points(dataclasses.replace(nl, plan=plan))
    assert "Doel in gevaar: “A” (in gevaar, uiterlijk 30 juni 2027)." in points
    assert not any("“B”" in p or "“E”" in p for p in points)  # on track; dropped
    assert "Doel over de datum: “C” (uiterlijk 30 juni 2026, op koers)." in points
    assert any(p.startswith("Geen status over 2026-Q3 bij het doel “D”") for p in points)
    assert points[-1] == "Na deze periode is geen directieoverleg gepland: plan er een."


def test_a_group_without_a_plan_gets_a_briefing_that_says_how_to_make_one(demo, demo_dir):
    for lang, words, short in (
        (
            "en",
            "There is no account plan for this group yet",
            "This comes from the account plan, which this group does not have yet.",
        ),
        (
            "nl",
            "Er is nog geen accountplan voor deze groep",
            "Dit komt uit het accountplan, dat deze groep nog niet heeft.",
        ),
    ):
        b = data.account_briefing(score_for(demo, demo_dir, language=lang), PLANLESS)
        assert b.plan is None
        assert _points(b)[-1].startswith(words)
        assert "account-analysis plan-template C10023" in _points(b)[-1]
        text = br.briefing_stakeholders_section(b).html  # the first section that needs it
        assert words in text
        assert "<code>account-analysis plan-template C10023</code>" in text
        for section in (br.briefing_objectives_section, br.briefing_benefits_section):
            assert short in section(b).html, section.__name__
        assert page(b).count("<code>account-analysis plan-template C10023</code>") == 1
        # the standard answer to the discount question still stands
        assert br.discount_answer(b) == br.TEXT[lang]["discount_default"]


# --------------------------------------------------------------------------- sections


def test_sections_in_english_and_dutch(briefings):
    en, nl = page(briefings["en"]), page(briefings["nl"])
    for text, words in (
        (
            en,
            [
                "Account briefing: Zorggroep Vlietstreek B.V.</h1>",
                "Talking points",
                "Share of wallet and competitors",
                "Complaints and escalations",
                "Stakeholders",
                "Objectives",
                "What&#x27;s in it for the customer?",
                "Units and subsidiaries",
                "account manager: Pieter Bakker",
                "€12,741,702",
                "12.5%",
                "supporter",
                "on track",
                "2026-11-12 (upcoming)",
            ],
        ),
        (
            nl,
            [
                "Accountbriefing: Zorggroep Vlietstreek B.V.</h1>",
                "Gesprekspunten",
                "Share of wallet en concurrenten",
                "Klachten en escalaties",
                "Belanghebbenden",
                "Doelen",
                "Wat heeft de klant eraan?",
                "Eenheden en dochters",
                "accountmanager: Pieter Bakker",
                "€\xa012.741.702",
                "12,5%",
                "voorstander",
                "op koers",
                "2026-11-12 (gepland)",
            ],
        ),
    ):
        for word in words:
            assert word in text, word
    # A relationship owner's manager id gets the manager's name; the id is not shown.
    assert "<td>Pieter Bakker</td>" in en and "AM03" not in en


def test_sections_escape_text_from_the_plan(briefings):
    b = briefings["en"]
    plan = {
        **b.plan,
        "stakeholders": [
            {
                "name": "<script>x</script>",
                "role": "CEO",
                "our_counterpart": "",
                "relationship_owner": "",
                "stance": "neutral",
            }
        ],
    }
    text = br.briefing_stakeholders_section(dataclasses.replace(b, plan=plan)).html
    assert "<script>" not in text and "&lt;script&gt;x&lt;/script&gt;" in text


def test_dates_in_tables_do_not_wrap(briefings):
    text = br.briefing_complaints_section(briefings["en"]).html
    assert '<td style="white-space:nowrap">2026-09-25</td>' in text
    meetings = br.briefing_stakeholders_section(briefings["en"]).html
    assert '<td style="white-space:nowrap">2026-11-12 (upcoming)</td>' in meetings


def test_benefits_and_the_discount_answer(briefings):
    b = briefings["nl"]
    text = br.briefing_benefits_section(b).html
    assert "Krijgen we nu meer korting?" in text
    # the standard answer in the reader's language, the plan's own words beside it, once
    assert "Nee. Large Account zijn verlaagt onze prijzen niet." in text
    assert text.count("Geen extra korting") == 1
    assert 'Het accountplan zegt het zo: “<span class="data" lang="nl">Geen extra korting' in text
    plain = dataclasses.replace(briefings["en"], plan={**b.plan, "benefits": ["One contact"]})
    text = br.briefing_benefits_section(plain).html
    assert "No. Being a Large Account does not lower our prices." in text
    assert "The account plan puts it as" not in text and "One contact" in text


def test_revenue_section_adds_up_by_quarter(briefings):
    b = briefings["en"]
    text = br.briefing_revenue_section(b).html
    quarters = re.findall(r"<td>(\d{4}-Q\d)</td>", text)
    assert len(quarters) == 8 and quarters[0] == "2024-Q4" and quarters[-1] == "2026-Q3"
    last, prior = b.revenue_by_year()
    assert last + prior == b.monthly["revenue_cents"].sum()
    assert format_money(last, "en", decimals=0) in text


def test_units_collapse_to_subsidiaries_in_a_large_group(briefings):
    b = briefings["en"]
    rows = [("T", "Top", "", 0, 100)]
    for i in range(3):
        rows.append((f"S{i}", f"Sub {i}", "T", 1, 10))
        rows += [(f"S{i}U{j}", f"Unit {i}.{j}", f"S{i}", 2, 1) for j in range(20)]
    units = pd.DataFrame(
        rows, columns=["account_id", "name", "parent_id", "depth", "revenue_cents"]
    ).assign(postcode="")
    text = br.briefing_units_section(dataclasses.replace(b, units=units)).html
    assert "The group has 64 units" in text
    assert "Unit 0.1" not in text and "Sub 2" in text
    assert re.search(
        r"Sub 0</td><td>S0</td><td></td><td class=\"num\">€0</td>"
        r"<td class=\"num\">20</td>",
        text,
    )  # 10 + 20 × 1 cents = €0


def test_revenue_chart_is_a_png_with_alt_text_in_both_languages(briefings):
    for lang, start in (
        ("en", "Stacked bar chart of Zorggroep Vlietstreek B.V.'s revenue"),
        ("nl", "Gestapeld staafdiagram van de omzet van Zorggroep"),
    ):
        chart = aa.briefing_revenue_chart(briefings[lang])
        assert chart.png.startswith(b"\x89PNG\r\n\x1a\n") and chart.alt.startswith(start)


def test_account_manager_and_language_come_from_the_assignment(demo, demo_dir):
    score = score_for(demo, demo_dir, language="en")
    manager = data.account_manager_of(score, GROUP)
    assert manager == {
        "manager_id": "AM03",
        "name": "Pieter Bakker",
        "email": "p.bakker@example.nl",
        "language": "nl",
    }
    assert data.briefing_language(score, GROUP) == "nl"  # the manager's, not the period's
    table = pd.DataFrame({"group_id": [GROUP], "manager_id": ["AM05"]})
    other = score.with_parts(assignments=table)
    assert data.account_manager_of(other, GROUP)["name"] == "Sophie van Dijk"
    assert data.briefing_language(other, GROUP) == "en"
    nobody = score.with_parts(assignments=table.iloc[:0])
    assert data.account_manager_of(nobody, "C10055") is None  # no decision names one either
    assert data.briefing_language(nobody, "C10055") == "en"


def test_unknown_group_is_refused(demo, demo_dir):
    with pytest.raises(KeyError, match="C99999"):
        data.account_briefing(score_for(demo, demo_dir), "C99999")
    with pytest.raises(KeyError, match="'C10003' is a unit of the group 'C10001'"):
        data.account_briefing(score_for(demo, demo_dir), "C10003")


def test_slugs_are_ascii_lowercase_hyphenated_and_unique():
    assert paths.group_slug("Zorggroep Vlietstreek B.V.") == "zorggroep-vlietstreek"
    assert paths.group_slug("Bäckerei Müller GmbH") == "backerei-muller"
    assert (
        paths.briefing_slug("C10001", "Zorggroep Vlietstreek B.V.")
        == "c10001-zorggroep-vlietstreek"
    )
    # issue 12: "Acme C10041" gave the same file as the other Acme's C10041 disambiguation
    slugs = [
        paths.briefing_slug(g, n)
        for g, n in [("C10041", "Acme B.V."), ("C10001", "Acme N.V."), ("C10055", "Acme C10041")]
    ]
    assert slugs == ["c10041-acme", "c10001-acme", "c10055-acme-c10041"]
    assert len(paths.briefing_slug("C1", "x" * 500)) <= len("c1-") + paths.MAX_SLUG


_IDS = st.text(st.sampled_from("Cc10-_ .é/"), min_size=1, max_size=6)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(_IDS, st.text(max_size=20)), min_size=2, max_size=8, unique_by=lambda g: g[0]
    )
)
def test_briefing_file_names_differ_for_different_group_ids_whatever_the_names(groups):
    slugs = [paths.briefing_slug(gid, name) for gid, name in groups]
    assert len({s.casefold() for s in slugs}) == len(slugs)  # also where case is ignored
    for (gid, _), slug in zip(groups, slugs, strict=True):
        assert re.fullmatch(r"[a-z0-9_]+-[a-z0-9-]+", slug), slug
        assert slug.split("-", 1)[0] == paths.group_file_id(gid)  # the id part ends at the "-"


def test_the_title_carries_the_group_id_and_period_for_the_mail_check(briefings):
    from account_analysis.deliver.mail import briefing_markers

    b = briefings["en"]
    assert briefing_markers(br.briefing_title(b).html) == {(GROUP, b.period)}


# --------------------------------------------------------------------------- at a glance


def _text(fragment) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", str(getattr(fragment, "html", fragment))))


def test_the_glance_box_says_what_the_sections_below_say(briefings):
    for b in briefings.values():
        glance = _text(br.briefing_glance_section(b))
        revenue = _text(br.briefing_revenue_section(b))
        # one size: the units invoiced in the window (the concentration table's count)
        assert f"{b.units_with_revenue} " in glance.split(b.group_id)[1][:8]
        assert br.bp.money(b, b.revenue_cents) in glance
        last, prior = b.revenue_by_year()
        change = aa.present.format.format_growth(last / prior - 1, b.language)
        assert change in glance and change in revenue
        assert b.manager["name"] in glance
    nl = _text(br.briefing_glance_section(briefings["nl"]))
    assert "aanbevolen: aanwijzen · besloten: aanwijzen" in nl


def test_the_one_thing_to_raise_first(briefings):
    from account_analysis.present.talking_points import first_point

    en = briefings["en"]
    assert first_point(en).text.startswith("Still open at the end of the period")
    closed = dataclasses.replace(en, complaints=en.complaints.assign(open_at_end=False))
    # Marieke Smeets (Manager Inkoop) is critical of us in the demo plan.
    assert first_point(closed).text.startswith("Marieke Smeets (“Manager Inkoop”) is critical")
    calm = dataclasses.replace(closed, plan={**closed.plan, "stakeholders": []})
    down = _monthly(calm, {"Onderhoud": 100_000_00}, {"Onderhoud": 50_000_00})
    assert first_point(down).text.startswith("Revenue is falling")
    up = _monthly(calm, {"Onderhoud": 100_000_00}, {"Onderhoud": 150_000_00})
    assert first_point(up).text.startswith("We have 46% of the group's wallet")


def test_a_critical_stakeholder_is_a_talking_point(briefings):
    points = _points(briefings["nl"])
    assert any(
        p.startswith(
            "Marieke Smeets (“Manager Inkoop”) staat kritisch tegenover ons "
            "(relatie-eigenaar: Pieter Bakker)"
        )
        for p in points
    )
    supportive = {
        **briefings["nl"].plan,
        "stakeholders": [
            {**s, "stance": "supporter"} for s in briefings["nl"].plan["stakeholders"]
        ],
    }
    assert not any(
        "kritisch" in p for p in _points(dataclasses.replace(briefings["nl"], plan=supportive))
    )


def _wallet_rows(b) -> list[tuple[str, str]]:
    section = br.briefing_wallet_section(b).html
    body = section[section.index("<tbody>") :]
    return [
        tuple(_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row))
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_the_wallet_table_adds_up_or_says_the_rest_is_not_known(briefings):
    b = briefings["en"]
    rows = _wallet_rows(b)
    shares = [int(v.rstrip("%")) for _, v in rows]
    assert sum(shares) == 100 and rows[-1][0] == "Others or not known"
    plan = {
        **b.plan,
        "competitors": [
            {**c, "estimated_share": None} if i == 0 else c
            for i, c in enumerate(b.plan["competitors"])
        ],
    }
    assert _wallet_rows(dataclasses.replace(b, plan=plan))[-1] == (
        "Others or not known",
        "not known",
    )
    full = {**b.plan, "competitors": [{"name": "A", "estimated_share": 0.54}]}
    rows = _wallet_rows(dataclasses.replace(b, plan=full, wallet={**b.wallet, "competitors": []}))
    assert [r[0] for r in rows] == ["Us", "A"]  # 46% + 54%: nothing left over


def test_the_wallet_note_says_whether_our_share_is_measured(briefings):
    b = briefings["en"]
    stated = dataclasses.replace(b, wallet={**b.wallet, "wallet_source": "stated"})
    estimated = dataclasses.replace(b, wallet={**b.wallet, "wallet_source": "estimated"})
    assert "against the wallet the group stated" in _text(br.briefing_wallet_section(stated))
    assert "Our share is an estimate" in _text(br.briefing_wallet_section(estimated))


def test_objectives_show_the_value_reached(briefings):
    b = briefings["en"]
    section = _text(br.briefing_objectives_section(b))
    assert "getekend" in section  # the framework agreement: reached in 2026-Q3
    assert "46% (measured)" in section  # share of wallet: from the data
    plan = {
        **b.plan,
        "objectives": [
            {
                "text": "A",
                "measure": "m",
                "target": "21",
                "due": None,
                "status": {"2026-Q3": "on track"},
                "current": {"2026-Q2": "14"},
            },
            {
                "text": "B",
                "measure": "m",
                "target": "t",
                "due": None,
                "status": {"2026-Q3": "on track"},
                "current": {},
            },
        ],
    }
    section = _text(br.briefing_objectives_section(dataclasses.replace(b, plan=plan)))
    assert "14 (in 2026-Q2)" in section and "not recorded" in section
    assert "gives no value reached" in section
