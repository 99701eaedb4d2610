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
from conftest import DEMO_PERIODS, kernelspec, run_cli

import account_analysis as aa
from account_analysis.present.format import format_count, format_money, format_percent
from account_analysis.render.reports import PERIOD_REPORTS

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")
BRIEFINGS = {
    "C10001": "c10001-zorggroep-vlietstreek",
    "C10041": "c10041-polderland-bouwgroep",
    "C10055": "c10055-stichting-onderwijs-brabant",
}  # the demo's Large Accounts
MANIFEST_KEYS = {
    "group_id",
    "group_name",
    "slug",
    "html",
    "executed",
    "account_manager",
    "account_manager_name",
    "account_manager_email",
    "language",
    "ok",
}


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
            {"period": period, "dataset": str(demo_dir), "language": language}
        )
        return aa.score_period(demo_cube, demo_dataset, settings)

    return score


def test_run_writes_both_reports_per_period_and_the_index(rendered):
    result, reports = rendered
    assert result.returncode == 0, result.stderr
    # 2025-Q4, 2026-Q1, 2026-Q2 and 2026-Q3, each with three Large Accounts
    assert "8 of 8 reports, 12 of 12 briefings and 4 of 4 workbooks written" in result.stdout
    for period in DEMO_PERIODS:
        for report in PERIOD_REPORTS:
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


def test_each_period_is_scored_once_for_its_kernels_and_the_file_is_gone(rendered):
    """Every notebook of a period got the runner's score file of its language (one file per
    language, so the period was scored once per language, not once per kernel), and the
    files went with the run."""
    _, reports = rendered
    for period in DEMO_PERIODS:
        assert not (reports / period / ".scores").exists()
        files = {}
        for path in (reports / period / "executed").rglob("*.ipynb"):
            params = json.loads(path.read_text(encoding="utf-8"))["metadata"]["papermill"][
                "parameters"
            ]
            score_file = Path(params["score_file"])
            assert score_file.parent == reports / period / ".scores", path
            files.setdefault(params["language"], set()).add(score_file.name)
        assert files and all(len(names) == 1 for names in files.values()), files


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
        assert (
            entry["account_manager_name"],
            entry["account_manager_email"],
            entry["language"],
        ) == (manager["name"], manager["email"], expected)
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

    from account_analysis.render.workbook import SHEETS

    _, reports = rendered
    wb = openpyxl.load_workbook(reports / period / "large_accounts.xlsx")
    score = score_of(period, language)
    assert [ws.title for ws in wb] == [
        SHEETS[k][language]
        for k in (
            "designations",
            "managers",
            "territories",
            "territory_accounts",
            "ledger",
            "movements",
            "exclusions",
        )
    ]
    rows = list(wb[SHEETS["designations"][language]].iter_rows(values_only=True))[2:]
    d = score.designations
    assert [r[0] for r in rows[1:]] == list(d["group_id"])
    revenue = rows[0].index({"en": "Revenue", "nl": "Omzet"}[language])
    assert [round(r[revenue] * 100) for r in rows[1:]] == list(d["revenue_cents"])
    managers = list(wb[SHEETS["managers"][language]].iter_rows(values_only=True))[2:]
    assert [r[0] for r in managers[1:]] == list(score.assignments["group_id"])


def test_reports_are_static_without_code_or_prompts(rendered):
    _, reports = rendered
    for period in ("2026-Q2", "2026-Q3"):
        for report in PERIOD_REPORTS:
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
        headline = aa.concentration_headline(score.concentration, 0.05, score.settings.window, lang)
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
    assert re.search(r"€\s\d{1,3}(\.\d{3})+", nl) and "tot op de cent: klopt." in nl
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
    files = [
        params_file(tmp_path, demo_dir, "2026-Q2"),
        # valid as parameters, but the merger pair names no group: the notebook fails
        params_file(tmp_path, demo_dir, "2026-Q3", merger_pairs='[["C10001", "C99999"]]'),
    ]
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


def test_run_refuses_invalid_invoice_lines_though_the_datasets_cube_is_cached(
    tmp_path, broken_copy
):
    # The copy's cube is cached (same content as the demo); the run takes the invoice lines
    # from it unread only for the content it was built from.
    invoices = broken_copy / "invoices.csv"
    invoices.write_text(
        invoices.read_text(encoding="utf-8")
        + "F2026-999999;2026-13-40;C10001;1,00;1;EUR;;Onderhoud;AM03;paid;\n",
        encoding="utf-8",
    )
    reports = tmp_path / "reports"
    result = run_cli("run", params_file(tmp_path, broken_copy, "2026-Q3"), "--reports", reports)
    assert result.returncode == 1
    assert "invoices.csv" in result.stderr and "2026-13-40" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(reports.rglob("*.html"))


@pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="Debian chromium is not installed; CI installs it and never skips",
)
def test_rendered_reports_load_cleanly_in_headless_chromium(rendered):
    from playwright.sync_api import sync_playwright

    _, reports = rendered
    pages = [reports / "2026-Q3" / f"{r}.html" for r in PERIOD_REPORTS] + [reports / "index.html"]
    pages += [reports / "2026-Q3" / "briefings" / f"{slug}.html" for slug in BRIEFINGS.values()]
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            for path in pages:
                page = browser.new_page()
                requests, errors, failed = [], [], []
                page.on("request", lambda r, requests=requests: requests.append(r.url))
                page.on(
                    "console", lambda m, errors=errors: m.type == "error" and errors.append(m.text)
                )
                page.on("requestfailed", lambda r, failed=failed: failed.append(r.url))
                page.goto(path.as_uri())
                page.wait_for_load_state("load")
                broken = page.evaluate(
                    "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length"
                )
                assert errors == [] and failed == [], (path, errors, failed)
                assert all(u == path.as_uri() or u.startswith("data:") for u in requests), requests
                assert broken == 0
                page.close()
        finally:
            browser.close()


# -- faults contained: kernels that do not start, folders that cannot be written -------------


def dead_kernel(folder: Path) -> Path:
    return kernelspec(folder, ["/bin/false", "{connection_file}"])


def assert_period_still_written(reports: Path, period: str) -> None:
    summary = json.loads((reports / period / "summary.json").read_text(encoding="utf-8"))
    assert summary["period"] == period and len(summary["briefings"]) == 3
    assert not any(b["ok"] for b in summary["briefings"])
    assert (reports / period / "large_accounts.xlsx").stat().st_size > 0
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert period in index and "<strong>failed</strong>" in index


def test_a_kernel_that_never_starts_fails_each_report_and_the_rest_is_written(
    tmp_path, demo_dir, monkeypatch
):
    monkeypatch.setenv("JUPYTER_PATH", str(dead_kernel(tmp_path)))
    reports = tmp_path / "reports"
    result = run_cli("run", params_file(tmp_path, demo_dir, "2026-Q3"), "--reports", reports)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "Error occurred while starting" not in result.stderr  # nbclient's own log
    lines = result.stderr.splitlines()
    heads = [i for i, ln in enumerate(lines) if ln.startswith("2026-Q3 ")]
    assert len(heads) == 5  # two reports and three briefings, two lines each
    for i in heads:
        assert lines[i].endswith("failed, the notebook kernel died or did not start (tried twice)")
        assert lines[i + 1] == "    RuntimeError: Kernel died before replying to kernel_info"
    assert len(lines) == 10
    assert "0 of 2 reports, 0 of 3 briefings and 1 of 1 workbooks" in result.stdout
    assert_period_still_written(reports, "2026-Q3")
    assert not list(reports.rglob(".*.ipynb"))


def test_a_file_where_a_folder_should_be_fails_the_reports_not_the_run(tmp_path, demo_dir):
    """Root writes anywhere, so the unwritable folder is a file in the way."""
    reports = tmp_path / "reports"
    (reports / "2026-Q3").mkdir(parents=True)
    (reports / "2026-Q3" / "executed").write_text("in the way", encoding="utf-8")
    result = run_cli("run", params_file(tmp_path, demo_dir, "2026-Q3"), "--reports", reports)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    heads = [i for i, ln in enumerate(lines) if ln.startswith("2026-Q3 ")]
    assert len(heads) == 5 and len(lines) == 10
    for i in heads:
        assert lines[i].endswith(": failed, could not be written")
        assert str(reports / "2026-Q3" / "executed") in lines[i + 1]
    assert_period_still_written(reports, "2026-Q3")


def test_a_garbage_summary_of_another_period_is_named_and_the_index_written(tmp_path, demo_dir):
    reports = tmp_path / "reports"
    (reports / "2026-Q3").mkdir(parents=True)
    (reports / "2026-Q3" / "executed").write_text("in the way", encoding="utf-8")
    other = reports / "2026-Q1"
    other.mkdir()
    (other / "revenue_concentration.html").write_text("<p>Q1</p>", encoding="utf-8")
    (other / "summary.json").write_text('{"cr4": 0.5, "hhi": "lots", "candi', encoding="utf-8")
    result = run_cli("run", params_file(tmp_path, demo_dir, "2026-Q3"), "--reports", reports)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{other / 'summary.json'}: expected the JSON that `run` writes" in result.stderr
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "2026-Q1/revenue_concentration.html" in index and "2026-Q3" in index


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[1, 2]",
        "null",
        '{"cr4": "x", "hhi": 1}',
        '{"cr4": 0.1, "hhi": 1, "candidates": 1, "candidates_share": 0.1, "briefings": [7]}',
    ],
)
def test_write_index_lists_a_period_with_an_unreadable_summary_without_figures(tmp_path, text):
    from account_analysis.batch import write_index

    period = tmp_path / "2026-Q1"
    period.mkdir()
    (period / "revenue_concentration.html").write_text("<p>Q1</p>", encoding="utf-8")
    (period / "summary.json").write_text(text, encoding="utf-8")
    problems: list[str] = []
    index = write_index(tmp_path, problems).read_text(encoding="utf-8")
    assert "2026-Q1/revenue_concentration.html" in index
    assert len(problems) == 1 and problems[0].startswith(f"{period / 'summary.json'}: expected")


# -- a killed run ------------------------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_run(tmp_path, demo_dir, reports):
    import subprocess
    import sys
    import time

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "account_analysis.cli",
            "run",
            str(params_file(tmp_path, demo_dir, "2026-Q3")),
            "--reports",
            str(reports),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    started = time.monotonic()
    while not list(reports.rglob(".*.running.ipynb")):  # a worker is running a notebook
        assert proc.poll() is None and time.monotonic() - started < 180
        time.sleep(0.1)
    return proc


def _wait_until_gone(pids, seconds=10.0) -> list[int]:
    import time

    started = time.monotonic()
    while any(_running(p) for p in pids) and time.monotonic() - started < seconds:
        time.sleep(0.1)
    return [p for p in pids if _running(p)]


def _files(folder: Path) -> dict:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_kill_9_of_run_stops_its_workers_and_kernels(tmp_path, demo_dir):
    import time

    reports = tmp_path / "reports"
    proc = _start_run(tmp_path, demo_dir, reports)
    family = _descendants(proc.pid)
    assert len(family) >= 2  # a worker and its kernel (and the pool's helpers)
    proc.kill()
    proc.wait()
    assert _wait_until_gone(family) == []
    before = _files(reports)
    time.sleep(3)
    assert _files(reports) == before  # nobody goes on writing reports


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_next_run_removes_the_notebooks_a_killed_run_left_running(
    tmp_path, demo_dir, monkeypatch
):
    import os
    import signal

    reports = tmp_path / "reports"
    proc = _start_run(tmp_path, demo_dir, reports)
    family = _descendants(proc.pid)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole group at once: nobody cleans up
    proc.wait()
    assert _wait_until_gone(family) == []
    left = list(reports.rglob(".*.running.ipynb"))
    scores = list(reports.rglob(".scores/score-*.pickle"))  # the killed run's score file
    assert left and scores
    monkeypatch.setenv("JUPYTER_PATH", str(dead_kernel(tmp_path)))  # a quick second run
    result = run_cli("run", params_file(tmp_path, demo_dir, "2026-Q3"), "--reports", reports)
    assert "Traceback" not in result.stderr
    assert not list(reports.rglob(".*.running.ipynb")), left
    assert not list(reports.rglob("score-*.pickle")), scores


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_zombie_writer_counts_as_gone(tmp_path):
    """The worker of a killed run is a zombie until init reaps it; a run started right after
    removes its notebook all the same."""
    import subprocess
    import time

    from account_analysis.batch import remove_stale_pending

    child = subprocess.Popen(["true"])
    while Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
        time.sleep(0.01)  # exited, not yet waited for: a zombie
    left = tmp_path / "executed" / f".revenue_concentration.{child.pid}.running.ipynb"
    mine = tmp_path / "executed" / f".large_account_rationale.{os.getpid()}.running.ipynb"
    left.parent.mkdir()
    left.write_text("{}")
    mine.write_text("{}")
    try:
        assert remove_stale_pending(tmp_path) == [left]
    finally:
        child.wait()
    assert mine.exists() and not left.exists()


@pytest.fixture()
def full_disk(tmp_path):
    """A 32 KiB file system (tmpfs; needs root): no report, briefing or workbook fits (the
    smallest, a briefing, is ~35 KB), the summary and the index (~2 and ~6 KB) do. At 256 KiB
    a few briefings fitted, which ones depending on the order the workers finished in, and
    then the index sometimes did not: a flaky test."""
    import subprocess

    mount = tmp_path / "full"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_fails_the_reports_not_the_run(tmp_path, demo_dir, full_disk):
    reports = full_disk / "reports"
    result = run_cli("run", params_file(tmp_path, demo_dir, "2026-Q3"), "--reports", reports)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    heads = [i for i, ln in enumerate(lines) if ln.startswith("2026-Q3 ")]
    assert heads and len(lines) == 2 * len(heads)
    assert all("No space left on device" in lines[i + 1] for i in heads)
    assert json.loads((reports / "2026-Q3" / "summary.json").read_text())["period"] == "2026-Q3"
    assert "2026-Q3" in (reports / "index.html").read_text(encoding="utf-8")
    assert not list(reports.rglob(".*.ipynb")) and not list(reports.rglob(".*.tmp"))
