"""Issue 12, parsing of input files: bad files through the real command line.

Each case runs ``account-analysis`` in a fresh interpreter on a broken copy of the demo and
asserts exit 1, no traceback, the file/row/column/value named and, for ``ledger --out`` and
``run``, nothing written. Each failed on fab6f7d (passed validation, or a traceback).
"""

from __future__ import annotations

import os

import pandas as pd
import pytest
from conftest import read_rows, run_cli, set_cell, write_rows

from account_analysis import load_table


def assert_refused(result, *fragments: str) -> list[str]:
    """Exit 1, no traceback or warning, and one line of stderr naming every fragment."""
    assert result.returncode == 1, result.stdout + result.stderr
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream and "Warning" not in stream, stream
    lines = result.stderr.splitlines()
    assert any(all(f in line for f in fragments) for line in lines), (fragments, lines)
    return lines


def problem_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ", row " in line]


def ledger_writes_nothing(folder, tmp_path, *fragments: str) -> None:
    out = tmp_path / "ledger"
    assert_refused(run_cli("ledger", folder, "--period", "2026-Q3", "--out", out), *fragments)
    assert not out.exists()


def three_decimal_rates(folder, odd_row: int) -> str:
    """fx_rates.csv with ';', rates to three decimals and one row written with ','."""
    path = folder / "fx_rates.csv"
    rows, _ = read_rows(path)
    col = rows[0].index("rate")
    for r in rows[1:]:
        r[col] = f"{float(r[col]):.3f}"
    rows[odd_row - 1][col] = rows[odd_row - 1][col].replace(".", ",")
    write_rows(path, rows, ";")
    return rows[odd_row - 1][col]


def test_fx_rates_with_one_comma_row(broken_copy, tmp_path):
    """12.1: on fab6f7d validate passed with every rate read x1000 (GBP 1153.0)."""
    odd = three_decimal_rates(broken_copy, 12)
    result = run_cli("validate", broken_copy)
    assert_refused(result, "fx_rates.csv", "row 12", "column rate", repr(odd), "decimal point")
    assert len(problem_lines(result)) == 1
    ledger_writes_nothing(broken_copy, tmp_path, "fx_rates.csv", "row 12")


def test_run_refuses_mixed_decimal_conventions_before_writing(broken_copy, tmp_path):
    three_decimal_rates(broken_copy, 30)
    params = tmp_path / "2026-Q3.yaml"
    params.write_text(f'period: "2026-Q3"\ndataset: {broken_copy}\n', encoding="utf-8")
    reports = tmp_path / "reports"
    assert_refused(run_cli("run", params, "--reports", reports), "fx_rates.csv", "row 30")
    assert not reports.exists() or not any(reports.rglob("*"))


def test_one_text_cell_in_a_numeric_xlsx_column(broken_copy):
    """12.1: on fab6f7d every number cell was reported (the text cell had a comma)."""
    fx = pd.read_csv(broken_copy / "fx_rates.csv", dtype={"rate": float})
    fx["rate"] = fx["rate"].astype(object)
    fx.loc[40, "rate"] = "1,17 (estimate)"
    (broken_copy / "fx_rates.csv").unlink()
    fx.to_excel(broken_copy / "fx_rates.xlsx", index=False)
    result = run_cli("validate", broken_copy)
    assert_refused(result, "fx_rates.xlsx", "row 42", "column rate", "'1,17 (estimate)'")
    assert len(problem_lines(result)) == 1
    assert "more problems" not in result.stderr


@pytest.mark.parametrize(
    "amount", ["99999999999999999999,00", "92233720368547758,07", "-10000000000000,00"]
)
def test_huge_amount_in_csv(broken_copy, tmp_path, amount):
    """12.4: on fab6f7d read as 0.00, as -92 quadrillion, or as -10 trillion "valid"."""
    set_cell(broken_copy / "invoices.csv", 7, "net_amount", amount)
    assert_refused(
        run_cli("validate", broken_copy),
        "invoices.csv",
        "row 7",
        "column net_amount",
        repr(amount),
        "10,000,000,000,000",
    )
    ledger_writes_nothing(broken_copy, tmp_path, "invoices.csv", "row 7")


def test_huge_amount_in_parquet(broken_copy, tmp_path):
    """12.4: on fab6f7d a numpy warning, then "valid"."""
    inv = load_table(broken_copy / "invoices.csv", "invoices").drop(columns="_row")
    inv["net_amount"] = inv["net_amount"] / 100
    inv.loc[3, "net_amount"] = 1e20
    (broken_copy / "invoices.csv").unlink()
    inv.to_parquet(broken_copy / "invoices.parquet", index=False)
    assert_refused(
        run_cli("validate", broken_copy),
        "invoices.parquet",
        "row 5",
        "column net_amount",
        "'1e+20'",
        "10,000,000,000,000",
    )
    ledger_writes_nothing(broken_copy, tmp_path, "invoices.parquet", "row 5")


def test_rate_of_zero(broken_copy):
    set_cell(broken_copy / "fx_rates.csv", 9, "rate", "0")
    assert_refused(
        run_cli("validate", broken_copy), "fx_rates.csv", "row 9", "column rate", "'0'", "above 0"
    )


def test_duplicated_column_name(broken_copy, tmp_path):
    """12.6: on fab6f7d the first net_amount was used silently."""
    path = broken_copy / "invoices.csv"
    rows, sep = read_rows(path)
    col = rows[0].index("net_amount")
    write_rows(path, [r + [r[col] if i else "net_amount"] for i, r in enumerate(rows)], sep)
    assert_refused(
        run_cli("validate", broken_copy),
        "invoices.csv",
        "row 1",
        "column net_amount",
        f"columns {col + 1} and {len(rows[0]) + 1}",
    )
    ledger_writes_nothing(broken_copy, tmp_path, "invoices.csv", "column net_amount")


def test_invoices_csv_is_a_folder(broken_copy):
    """12.15: on fab6f7d IsADirectoryError with a traceback."""
    (broken_copy / "invoices.csv").unlink()
    (broken_copy / "invoices.csv").mkdir()
    lines = assert_refused(run_cli("validate", broken_copy), "invoices.csv", "a folder")
    assert not any("required" in line for line in lines)


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_invoices_csv_is_a_symlink_loop(broken_copy):
    """12.15: on fab6f7d "required ... the folder holds ..., invoices.csv, ..."."""
    (broken_copy / "invoices.csv").unlink()
    (broken_copy / "invoices.csv").symlink_to("loop.csv")
    (broken_copy / "loop.csv").symlink_to("invoices.csv")
    lines = assert_refused(run_cli("validate", broken_copy), "invoices.csv", "symbolic link")
    assert not any("required" in line for line in lines)


def test_utf16_file_is_read_as_its_utf8_original(broken_copy, demo_dir):
    """12.15: on fab6f7d a garbled column name and "looks like Windows-1252"."""
    path = broken_copy / "accounts.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    result = run_cli("validate", broken_copy)
    assert result.returncode == 0, result.stderr
    original = run_cli("validate", demo_dir).stdout.splitlines()[1:]
    assert result.stdout.splitlines()[1:] == original


def test_utf16_file_cut_in_half_a_character(broken_copy):
    path = broken_copy / "accounts.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16")[:-1] + b"\x00\xd8")
    assert_refused(run_cli("validate", broken_copy), "accounts.csv", "UTF-16")
