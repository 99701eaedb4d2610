"""Bad paths and hand-edited files through the real command line: each is one clear error
(exit 1, no traceback, the file named) and nothing is written (issue 12, items 14 and 15)."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

import pytest
from conftest import cell, read_rows, run_cli, set_cell, write_rows
from test_parameters import BOMB


def refused(result, *named):
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.splitlines()) <= 10  # one screen
    for text in named:
        assert str(text) in result.stderr, result.stderr
    return result.stderr


def params(tmp_path, demo_dir, text=""):
    path = tmp_path / "2026-Q3.yaml"
    path.write_text(f'period: "2026-Q3"\ndataset: {demo_dir}\n{text}', encoding="utf-8")
    return path


# -- parameter files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "shown"), [("1", "key 1"), ("true", "key True"), ("null", "key None")]
)
def test_run_refuses_a_params_key_that_is_not_a_name(tmp_path, demo_dir, key, shown):
    reports = tmp_path / "reports"
    result = run_cli("run", params(tmp_path, demo_dir, f"{key}: 0.05\n"), "--reports", reports)
    refused(result, "2026-Q3.yaml", shown, "expected a key that is a name")
    assert not reports.exists()


def test_run_refuses_a_folder_as_params_file(tmp_path):
    folder = tmp_path / "2026-Q3.yaml"
    folder.mkdir()
    reports = tmp_path / "reports"
    refused(run_cli("run", folder, "--reports", reports), folder, "not a folder")
    assert not reports.exists()


def test_run_refuses_a_yaml_alias_bomb_at_once(tmp_path):
    path = tmp_path / "2026-Q3.yaml"
    path.write_text(BOMB, encoding="utf-8")
    reports = tmp_path / "reports"
    started = time.perf_counter()
    result = run_cli("run", path, "--reports", reports)
    assert time.perf_counter() - started < 30
    refused(result, "2026-Q3.yaml, row 2", "no anchors or aliases")
    assert not reports.exists()


# -- output paths ------------------------------------------------------------------------------


def test_ledger_without_a_period_is_refused_not_an_empty_window(demo_dir):
    # It defaulted to 2026-Q3: any other dataset got an empty window, reconciled, exit 0.
    result = run_cli("ledger", demo_dir)
    assert result.returncode == 2
    assert "--period" in result.stderr and "Traceback" not in result.stderr


def test_ledger_period_that_is_a_date_is_told_the_periods_it_falls_in(demo_dir):
    # It said "expected '2005-05-31' is not a period: expected ..." and no period to use.
    refused(
        run_cli("ledger", demo_dir, "--period", "2005-05-31"),
        "--period: '2005-05-31' — expected a quarter (2026-Q3), a month (2026-09) or a year",
        "2005-05-31 is a date, in 2005-Q2, 2005-05 and 2005",
    )


def test_ledger_window_that_is_not_a_number_of_months_is_refused(demo_dir):
    refused(
        run_cli("ledger", demo_dir, "--period", "2026-Q3", "--window", "0"),
        "--window: 0 — expected a whole number of months, at least 1",
    )


def test_ledger_refuses_an_out_that_is_a_file(tmp_path, demo_dir):
    out = tmp_path / "ledger"
    out.write_text("keep me", encoding="utf-8")
    refused(
        run_cli("ledger", demo_dir, "--period", "2026-Q3", "--out", out),
        out,
        "a folder to write to (--out)",
        "is a file",
    )
    assert out.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger"]


def test_ledger_refuses_an_out_below_a_file(tmp_path, demo_dir):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("keep me", encoding="utf-8")
    refused(
        run_cli("ledger", demo_dir, "--period", "2026-Q3", "--out", blocker / "ledger"),
        blocker / "ledger",
        f"has the file {blocker} in its path",
    )
    assert blocker.read_text(encoding="utf-8") == "keep me"


def test_demo_data_refuses_a_file(tmp_path):
    target = tmp_path / "demo"
    target.write_text("keep me", encoding="utf-8")
    refused(run_cli("demo-data", target), target, "demo-data DIRECTORY", "is a file")
    assert target.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


def test_run_refuses_reports_that_is_a_file(tmp_path, demo_dir):
    reports = tmp_path / "reports"
    reports.write_text("keep me", encoding="utf-8")
    refused(
        run_cli("run", params(tmp_path, demo_dir), "--reports", reports),
        reports,
        "--reports",
        "is a file",
    )
    assert reports.read_text(encoding="utf-8") == "keep me"


# -- rule patterns -----------------------------------------------------------------------------


def add_rule(folder, billing, pattern):
    rows, sep = read_rows(folder / "attribution_rules.csv")
    header = rows[0]
    new = dict.fromkeys(header, "")
    new.update(
        rule_id="ZZ1", to_unit="C10002", reason="test", billing_account=billing, po_pattern=pattern
    )
    write_rows(folder / "attribution_rules.csv", [*rows, [new[c] for c in header]], sep)
    return len(rows) + 1  # its spreadsheet row


def test_validate_refuses_a_pattern_re2_cannot_run(broken_copy):
    row = add_rule(broken_copy, "C10001", r"^(PO)-\1")
    refused(
        run_cli("validate", broken_copy),
        f"attribution_rules.csv, row {row}, column po_pattern: '^(PO)-\\\\1'",
        "RE2 syntax",
    )


def test_ledger_answers_a_catastrophic_pattern_at_once(broken_copy, tmp_path):
    """``^(a+)+$`` against 34 a's and a "!" backtracks for hours in Python's re."""
    invoices = broken_copy / "invoices.csv"
    billing = cell(invoices, 2, "billing_account")
    # a new value each run, so that no cached cube of an earlier run answers
    set_cell(invoices, 2, "po_reference", "a" * 34 + "!" + uuid.uuid4().hex)
    set_cell(invoices, 3, "billing_account", billing)
    set_cell(invoices, 3, "po_reference", "a" * 34)
    add_rule(broken_copy, billing, "^(a+)+$")
    assert run_cli("validate", broken_copy).returncode == 0
    out = tmp_path / "ledger"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "account_analysis.cli",
            "ledger",
            str(broken_copy),
            "--period",
            "2026-Q3",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    movements = (out / "movements.csv").read_text(encoding="utf-8")
    assert "ZZ1" in movements
