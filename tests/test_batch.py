"""The per-period batch, executed for real: papermill runs the notebooks, nbconvert renders.

One module-scoped run renders two periods (English and Dutch) through the real CLI, with the
briefings of their three Large Accounts and the workbooks; the tests read what it wrote.
Further runs check failure isolation and refusal of bad input.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import DEMO_PERIODS, run_cli

import account_analysis as aa
from account_analysis.present import format_count, format_money, format_percent

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
REPORTS = ("revenue_concentration", "large_account_rationale")
BRIEFINGS = {"C10001": "zorggroep-vlietstreek", "C10041": "polderland-bouwgroep",
             "C10055": "stichting-onderwijs-brabant"}  # the demo's Large Accounts
MANIFEST_KEYS = {"group_id", "group_name", "slug", "html", "executed", "account_manager",
                 "account_manager_name", "account_manager_email", "language", "ok"}


def params_file(folder, demo_dir, period, **extra):
    lines = [f'period: "{period}"', f"dataset: {demo_dir}"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    path = folder / f"{period}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rendered(rendered_demo):
    """The session's shared run of every demo period (conftest), 2026-Q2 in English and
    2026-Q3 in Dutch among them."""
    reports, result = rendered_demo
    return result, reports


def html(reports, period, report):
    return (reports / period / f"{report}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def score_of(demo_dir, demo_dataset, demo_cube):
    """The library's score of a demo period in a language, to compare the reports with."""
    def score(period, language):
        settings = aa.Settings.from_mapping(
            {"period": period, "dataset": str(demo_dir), "language": language})
        return aa.score_period(demo_cube, demo_dataset, settings)
    return score


def test_run_writes_both_reports_per_period_and_the_index(rendered):
    result, reports = rendered
    assert result.returncode == 0, result.stderr
    # 2025-Q4, 2026-Q1, 2026-Q2 and 2026-Q3, each with three Large Accounts
    assert "8 of 8 reports, 12 of 12 briefings and 4 of 4 workbooks written" in result.stdout
    for period in DEMO_PERIODS:
        for report in REPORTS:
            assert (reports / period / f"{report}.html").exists()
            assert (reports / period / "executed" / f"{report}.ipynb").exists()
        assert not (reports / period / "failed").exists()
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="2026-Q3/large_account_rationale.html"' in index
    assert 'href="2026-Q2/revenue_concentration.html"' in index
    assert not list(reports.rglob(".*.tmp")) and not list(reports.rglob("*.running.ipynb"))
    for period in ("2026-Q2", "2026-Q3"):
        for slug in BRIEFINGS.values():
            assert f'href="{period}/briefings/{slug}.html"' in index
            assert re.search(rf"{period}\s+briefings/{slug}\s+ok", result.stdout)
        assert f'href="{period}/large_accounts.xlsx"' in index
        assert re.search(rf"{period}\s+large_accounts.xlsx\s+ok", result.stdout)


@pytest.mark.parametrize("period,language", [("2026-Q2", "en"), ("2026-Q3", "nl")])
def test_briefings_and_their_manifest(rendered, score_of, period, language):
    _, reports = rendered
    out = reports / period
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [b["group_id"] for b in s["briefings"]] == list(BRIEFINGS)
    score = score_of(period, language)
    managers = score.dataset.account_managers.set_index("manager_id")
    for entry in s["briefings"]:
        assert set(entry) == MANIFEST_KEYS and entry["ok"] is True
        assert entry["slug"] == BRIEFINGS[entry["group_id"]]
        assert entry["html"] == f"briefings/{entry['slug']}.html"
        assert entry["executed"] == f"executed/briefings/{entry['slug']}.ipynb"
        assert (out / entry["executed"]).exists()
        manager = managers.loc[entry["account_manager"]]
        # The manager's language; a manager without one reads the period's language.
        expected = manager["language"] if manager["language"] in ("en", "nl") else language
        assert (entry["account_manager_name"], entry["account_manager_email"],
                entry["language"]) == (manager["name"], manager["email"], expected)
        page = (out / entry["html"]).read_text(encoding="utf-8")
        assert f'<html lang="{entry["language"]}">' in page
        title = {"nl": "Accountbriefing", "en": "Account briefing"}[entry["language"]]
        assert f"<title>{title}: {entry['group_name']} — {period}</title>" in page
        revenue = score.revenue.set_index("group_id").at[entry["group_id"], "revenue_cents"]
        assert format_money(revenue, entry["language"], "EUR", decimals=0) in page
        assert entry["account_manager_name"] in page
    assert s["briefings"][0]["account_manager"] == "AM03"  # fixed by the decision
    # Ruud Smit has no language of his own: his briefing follows the period (en, then nl).
    assert {b["language"] for b in s["briefings"]} == {"nl", language}


@pytest.mark.parametrize("period,language", [("2026-Q2", "en"), ("2026-Q3", "nl")])
def test_workbook_of_each_period_equals_the_library(rendered, score_of, period, language):
    import openpyxl

    from account_analysis.workbook import SHEETS

    _, reports = rendered
    wb = openpyxl.load_workbook(reports / period / "large_accounts.xlsx")
    score = score_of(period, language)
    assert [ws.title for ws in wb] == [SHEETS[k][language] for k in (
        "designations", "managers", "territories", "territory_accounts", "ledger",
        "movements", "exclusions")]
    rows = list(wb[SHEETS["designations"][language]].iter_rows(values_only=True))[2:]
    d = score.designations
    assert [r[0] for r in rows[1:]] == list(d["group_id"])
    revenue = rows[0].index({"en": "Revenue", "nl": "Omzet"}[language])
    assert [round(r[revenue] * 100) for r in rows[1:]] == list(d["revenue_cents"])
    managers = list(wb[SHEETS["managers"][language]].iter_rows(values_only=True))[2:]
    assert [r[0] for r in managers[1:]] == list(score.assignments["group_id"])


def test_a_failing_briefing_is_kept_aside_and_the_others_are_written(tmp_path, demo_dir):
    from account_analysis import batch

    settings = aa.Settings.from_mapping({"period": "2026-Q3", "dataset": str(demo_dir)})
    reports = tmp_path / "reports"
    earlier = reports / "2026-Q3" / "briefings" / "nobody.html"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("GOOD EARLIER BRIEFING", encoding="utf-8")
    bad = {"group_id": "C99999", "group_name": "Nobody", "slug": "nobody", "language": "en"}
    good = {"group_id": "C10055", "group_name": "Stichting Onderwijs Brabant",
            "slug": "stichting-onderwijs-brabant", "language": "en"}
    failed, ok = (batch.run_briefing(settings, e, reports) for e in (bad, good))
    assert not failed.ok and ok.ok
    assert "2026-Q3 briefings/nobody: failed in cell" in failed.error
    assert "KeyError" in failed.error and "C99999" in failed.error
    assert (reports / "2026-Q3" / "failed" / "briefings" / "nobody.ipynb").exists()
    assert earlier.read_text(encoding="utf-8") == "GOOD EARLIER BRIEFING"
    assert not (reports / "2026-Q3" / "executed" / "briefings" / "nobody.ipynb").exists()
    page = ok.html.read_text(encoding="utf-8")
    assert ok.html == reports / "2026-Q3" / "briefings" / "stichting-onderwijs-brabant.html"
    assert '<html lang="en">' in page and "Talking points" in page


def test_reports_are_static_without_code_or_prompts(rendered):
    _, reports = rendered
    for period in ("2026-Q2", "2026-Q3"):
        for report in REPORTS:
            page = html(reports, period, report)
            assert "<script" not in page and "import account_analysis" not in page
            assert "In&nbsp;[" not in page and "In [" not in page and "Traceback" not in page
            assert not re.search(r"""(src|href)=["']https?://""", page)
            images = re.findall(r'<img [^>]*src="([^"]+)"', page)
            assert images and all(src.startswith("data:image/png;base64,") for src in images)
            alts = re.findall(r'<img [^>]*alt="([^"]*)"', page)
            assert len(alts) == len(images) and all(alts), "every chart has its alt text"


def test_key_figures_equal_the_library(rendered, score_of):
    _, reports = rendered
    for period, lang in (("2026-Q2", "en"), ("2026-Q3", "nl")):
        score = score_of(period, lang)
        conc = html(reports, period, "revenue_concentration")
        headline = aa.concentration_headline(score.concentration, 0.05, score.settings.window,
                                             lang)
        assert headline in conc
        assert format_percent(score.metrics["cr4"], lang) in conc
        assert format_count(round(score.metrics["hhi"]), lang) in conc
        top1 = score.loss_top1["at_risk_cents"]
        assert format_money(top1, lang, "EUR", decimals=0) in conc
        rationale = html(reports, period, "large_account_rationale")
        for _, row in score.designations.iterrows():
            assert row["name"] in rationale
    nl = html(reports, "2026-Q3", "large_account_rationale")
    assert "Van Houten Logistiek Groep B.V." in nl and "5e" in nl


def test_dutch_and_english_formats(rendered):
    _, reports = rendered
    en = html(reports, "2026-Q2", "revenue_concentration")
    nl = html(reports, "2026-Q3", "revenue_concentration")
    assert re.search(r"€\d{1,3}(,\d{3})+", en) and "to the cent: holds." in en
    assert re.search(r"€ \d{1,3}(\.\d{3})+", nl) and "tot op de cent: klopt." in nl
    assert '<html lang="nl">' in nl and '<html lang="en">' in en


def test_summary_json_per_period(rendered, demo_dir):
    _, reports = rendered
    s = json.loads((reports / "2026-Q3" / "summary.json").read_text(encoding="utf-8"))
    assert s["candidates"] == 4 and len(s["designated"]) == 3


def test_a_broken_period_is_isolated_and_keeps_the_good_report(tmp_path, demo_dir):
    reports = tmp_path / "reports"
    good = reports / "2026-Q3" / "revenue_concentration.html"
    good.parent.mkdir(parents=True)
    good.write_text("GOOD EARLIER REPORT", encoding="utf-8")
    files = [params_file(tmp_path, demo_dir, "2026-Q2"),
             # valid as parameters, but the merger pair names no group: the notebook fails
             params_file(tmp_path, demo_dir, "2026-Q3", merger_pairs='[["C10001", "C99999"]]')]
    result = run_cli("run", *files, "--reports", reports)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if "2026-Q3 revenue_concentration" in ln]
    assert len(lines) == 1 and "failed in cell" in lines[0]
    follow = result.stderr.splitlines()[result.stderr.splitlines().index(lines[0]) + 1]
    assert "InputError" in follow and "C99999" in follow
    assert (reports / "2026-Q3" / "failed" / "revenue_concentration.ipynb").exists()
    assert good.read_text(encoding="utf-8") == "GOOD EARLIER REPORT"
    assert (reports / "2026-Q2" / "revenue_concentration.html").exists()
    assert (reports / "2026-Q2" / "large_account_rationale.html").exists()


def test_run_refuses_invalid_dataset_before_running(tmp_path, broken_copy):
    (broken_copy / "accounts.csv").write_bytes(b"")
    reports = tmp_path / "reports"
    result = run_cli("run", params_file(tmp_path, broken_copy, "2026-Q3"), "--reports", reports)
    assert result.returncode == 1
    assert "accounts.csv" in result.stderr and "Traceback" not in result.stderr
    assert not list(reports.rglob("*.html"))


@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                    reason="Debian chromium is not installed; CI installs it and never skips")
def test_rendered_reports_load_cleanly_in_headless_chromium(rendered):
    from playwright.sync_api import sync_playwright

    _, reports = rendered
    pages = [reports / "2026-Q3" / f"{r}.html" for r in REPORTS] + [reports / "index.html"]
    pages += [reports / "2026-Q3" / "briefings" / f"{slug}.html" for slug in BRIEFINGS.values()]
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            for path in pages:
                page = browser.new_page()
                requests, errors, failed = [], [], []
                page.on("request", lambda r, requests=requests: requests.append(r.url))
                page.on("console", lambda m, errors=errors: m.type == "error"
                        and errors.append(m.text))
                page.on("requestfailed", lambda r, failed=failed: failed.append(r.url))
                page.goto(path.as_uri())
                page.wait_for_load_state("load")
                broken = page.evaluate(
                    "[...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
                    ".length")
                assert errors == [] and failed == [], (path, errors, failed)
                assert all(u == path.as_uri() or u.startswith("data:") for u in requests), \
                    requests
                assert broken == 0
                page.close()
        finally:
            browser.close()
