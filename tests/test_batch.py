"""The per-period batch, executed for real: papermill runs the notebook, nbconvert renders."""

from __future__ import annotations

import pytest
from conftest import run_cli

pytestmark = pytest.mark.slow


def params_file(tmp_path, demo_dir, period, **extra):
    lines = [f'period: "{period}"', f"dataset: {demo_dir}"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    path = tmp_path / f"{period}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_run_renders_concentration_report_per_period(tmp_path, demo_dir):
    reports = tmp_path / "reports"
    files = [params_file(tmp_path, demo_dir, "2026-Q2"),
             params_file(tmp_path, demo_dir, "2026-Q3", language="nl")]
    result = run_cli("run", *files, "--reports", reports)
    assert result.returncode == 0, result.stderr
    assert "2 of 2 reports written" in result.stdout

    en = (reports / "2026-Q2" / "revenue_concentration.html").read_text(encoding="utf-8")
    assert "customer groups bring" in en and "24 months to June 2026" in en
    assert "<h1>Revenue concentration</h1>" in en
    nl = (reports / "2026-Q3" / "revenue_concentration.html").read_text(encoding="utf-8")
    assert "klantgroepen brengen" in nl and "tot en met september 2026" in nl
    assert "€ " in nl  # Dutch money format
    assert "tot op de cent: klopt." in nl and "to the cent: holds." in en
    for html in (en, nl):
        assert "Traceback" not in html and "import account_analysis" not in html
        assert "<script" not in html
    # The executed notebook is kept beside the report, with the injected parameters.
    executed = (reports / "2026-Q3" / "executed" / "revenue_concentration.ipynb").read_text()
    assert "injected-parameters" in executed
    # Nothing half-written remains.
    assert not list(reports.rglob(".*.tmp")) and not list(reports.rglob("*.running.ipynb"))


def test_run_refuses_invalid_dataset_before_running(tmp_path, broken_copy):
    (broken_copy / "accounts.csv").write_bytes(b"")
    reports = tmp_path / "reports"
    result = run_cli("run", params_file(tmp_path, broken_copy, "2026-Q3"), "--reports", reports)
    assert result.returncode == 1
    assert "accounts.csv" in result.stderr and "Traceback" not in result.stderr
    assert not list(reports.rglob("*.html"))
