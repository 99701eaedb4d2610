"""``account-analysis inspect FILE``: a proposed mapping.yaml from an export's header and
first rows, with a comment for every contract column it could not place."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from conftest import run_cli

from account_analysis import load_dataset
from account_analysis.load.mapping import parse_mapping
from account_analysis.load.schema import TABLES

SAMPLES = Path(__file__).parent / "samples"


def test_inspect_proposes_a_mapping_that_loads(tmp_path):
    """The proposals for an SAP export and its customer master, saved as one mapping.yaml,
    load the sample exactly as the preset does."""
    folder = tmp_path / "sap"
    shutil.copytree(SAMPLES / "sap_sd", folder)
    (folder / "mapping.yaml").unlink()
    texts = []
    for name in ("VBRP.csv", "KNA1.csv"):
        result = run_cli("inspect", folder / name)
        assert result.returncode == 0, result.stderr
        texts.append(result.stdout)
    assert texts[0].splitlines()[2] == "invoices:"
    assert texts[1].splitlines()[2] == "accounts:"
    (folder / "mapping.yaml").write_text("".join(texts))
    mine = load_dataset(folder).invoices
    preset = load_dataset(SAMPLES / "sap_sd").invoices
    assert mine.equals(preset)


def test_every_contract_column_is_placed_or_commented(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(
        "Invoice Number;Date;Customer;Amount;Status;Region\nF1;2026-01-05;C1;10,00;Disputed;W\n"
    )
    result = run_cli("inspect", export)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for column in TABLES["invoices"].column_names:
        assert f"    {column}: " in text or f"    # {column}: not placed" in text, column
    assert "    invoice_id: Invoice Number  # e.g. F1" in text
    assert "    # line_no: not placed (optional)" in text
    assert "      # Disputed: ?  — not placed: one of posted, paid, open, cancelled" in text
    assert "# Columns of export.csv not used: Region" in text
    assert parse_mapping(yaml.safe_load(text)).tables["invoices"].columns["net_amount"] == "Amount"


def test_a_required_column_not_found_is_said_so(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("Number,Date,Customer\nF1,2026-01-05,C1\n")
    text = run_cli("inspect", export, "--table", "invoices").stdout
    assert "    # net_amount: not placed (required) — Net amount of the line" in text


def test_inspect_with_a_preset_and_out(tmp_path):
    out = tmp_path / "mapping.yaml"
    debtors = SAMPLES / "afas_profit" / "Profit_Debtor.csv"
    result = run_cli("inspect", debtors, "--preset", "afas_profit", "--out", out)
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "starting from preset afas_profit" in text.splitlines()[0]
    mapped = parse_mapping(yaml.safe_load(text)).tables["accounts"]
    assert mapped.values["country"]["Nederland"] == "NL"
    assert mapped.extract["postcode"].startswith("^")
    again = run_cli("inspect", debtors, "--out", out)  # no overwrite without --force
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert "--force" in again.stderr


def test_inspect_bad_input_is_one_clear_line(tmp_path):
    for args, fragment in [
        ((tmp_path / "missing.csv",), "expected an existing file ending in .csv"),
        ((SAMPLES / "sap_sd" / "VBRP.csv", "--preset", "sap"), "--preset: 'sap' — expected one"),
        ((SAMPLES / "sap_sd" / "VBRP.csv", "--table", "facturen"), "--table: 'facturen'"),
        ((SAMPLES / "sap_sd" / "VBRP.csv", "--rows", "0"), "--rows: 0 — expected a whole"),
    ]:
        result = run_cli("inspect", *args)
        assert result.returncode == 1, (args, result.stdout)
        assert "Traceback" not in result.stderr
        assert any(fragment in line for line in result.stderr.splitlines()), result.stderr
