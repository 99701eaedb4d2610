"""The command line's shared options: every dataset command reads the period's parameter
file (``--params``) for what it is not told, as ``run`` and the notebooks do."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from conftest import run_cli


def params_file(tmp_path, text: str):
    path = tmp_path / "2026-Q3.yaml"
    path.write_text(f'period: "2026-Q3"\n{text}', encoding="utf-8")
    return path


def test_ledger_takes_dataset_and_window_from_the_params(tmp_path, demo_dir):
    # It had no --params: the window was 24 months whatever the period file said.
    params = params_file(tmp_path, f"dataset: {demo_dir}\nwindow_months: 12\n")
    result = run_cli("ledger", "--params", params, "--period", "2026-Q3")
    assert result.returncode == 0, result.stderr
    assert f"{demo_dir}: reconciliation over the 12 months to September 2026" in result.stdout
    told = run_cli("ledger", demo_dir, "--params", params, "--period", "2026-Q3", "--window", "6")
    assert "over the 6 months to September 2026" in told.stdout  # what is given wins


def test_validate_and_suggest_links_take_the_reporting_currency_from_the_params(
    tmp_path, broken_copy
):
    # suggest-links loaded every dataset in EUR and had no currency option at all.
    for name, sep in (("invoices", ";"), ("wallets", ",")):  # a US company: all in dollars
        path = broken_copy / f"{name}.csv"
        table = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
        table["currency"] = "USD"
        table.to_csv(path, sep=sep, index=False)
    params = params_file(tmp_path, f"dataset: {broken_copy}\nreporting_currency: USD\n")
    result = run_cli("validate", "--params", params)
    assert result.returncode == 0, result.stderr
    assert "USD  $" in result.stdout
    out = tmp_path / "links.csv"
    links = run_cli("suggest-links", "--params", params, "--out", out)
    assert links.returncode == 0, links.stderr
    assert out.exists()
    ledger = run_cli("ledger", "--params", params, "--period", "2026-Q3")
    assert ledger.returncode == 0, ledger.stderr
    assert "raw_total                        $" in ledger.stdout  # the ledger in dollars


def test_output_cut_short_by_a_pipe_ends_quietly(demo_dir):
    # `account-analysis ledger … | head -2` ended in a BrokenPipeError traceback.
    command = [sys.executable, "-m", "account_analysis.cli", "validate", str(demo_dir)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as p:
        p.stdout.readline()
        p.stdout.close()  # the reader has gone, as `head` goes
        err = p.stderr.read().decode()
        p.wait(timeout=120)
    assert "Traceback" not in err, err
