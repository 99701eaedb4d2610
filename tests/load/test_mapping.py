"""Input mapping (mapping.yaml): renaming, value codes, credit notes, dates, and every bad
mapping reported in one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from account_analysis import InputError, load_dataset
from account_analysis.consolidate.cube import cache_key

ACCOUNTS = "Code;Company;Zip;Land\nG1;Holding;1011 AB;NL\nU1;Unit;3511 CD;NL\n"
LINES = (
    "Factuur;Datum;Debiteur;Besteller;Bedrag;Soort;Stand\n"
    "F1;20260115;G1;U1;100,00;V;B\n"
    "F2;20260203;U1;;40,00;C;B\n"
    "F3;20260301;U1;;10,00;V;X\n"
)
MAPPING = """\
invoices:
  file: export.csv
  columns:
    invoice_id: Factuur
    invoice_date: Datum
    billing_account: Debiteur
    ordering_unit: Besteller
    net_amount: Bedrag
    status: Stand
  values:
    status: {B: posted, X: cancelled}
  negative_when: {column: Soort, values: [C]}
  date_formats: {invoice_date: "%Y%m%d"}
accounts:
  file: klanten.csv
  columns: {account_id: Code, name: Company, postcode: Zip, country: Land}
"""


def dataset(tmp_path: Path, mapping: str = MAPPING, lines: str = LINES) -> Path:
    (tmp_path / "export.csv").write_text(lines)
    (tmp_path / "klanten.csv").write_text(ACCOUNTS)
    (tmp_path / "mapping.yaml").write_text(mapping)
    return tmp_path


def problem_lines(folder: Path) -> list[str]:
    with pytest.raises(InputError) as err:
        load_dataset(folder)
    return err.value.message().splitlines()


def assert_cli_problem(folder: Path, *fragments: str) -> None:
    """``validate`` fails cleanly: exit 1, no traceback, one line naming every fragment."""
    result = run_cli("validate", folder)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any(all(f in line for f in fragments) for line in lines), (fragments, lines)


# --------------------------------------------------------------------------- applied


def test_mapping_renames_maps_codes_signs_and_dates(tmp_path):
    d = load_dataset(dataset(tmp_path))
    inv = d.invoices.set_index("invoice_id")
    assert inv["net_amount"].to_dict() == {"F1": 10000, "F2": -4000, "F3": 1000}
    assert inv["status"].to_dict() == {"F1": "posted", "F2": "posted", "F3": "cancelled"}
    assert [str(v.date()) for v in inv["invoice_date"]] == [
        "2026-01-15",
        "2026-02-03",
        "2026-03-01",
    ]
    assert inv.loc["F1", "ordering_unit"] == "U1"
    assert d.sources["invoices"].name == "export.csv"
    assert sorted(d.accounts["account_id"]) == ["G1", "U1"]


def test_a_credit_line_written_negative_stays_negative(tmp_path):
    lines = LINES.replace("F2;20260203;U1;;40,00", "F2;20260203;U1;;-40,00")
    d = load_dataset(dataset(tmp_path, lines=lines))
    assert d.invoices.set_index("invoice_id").loc["F2", "net_amount"] == -4000


def test_one_export_column_can_feed_two_contract_columns(tmp_path):
    mapping = MAPPING.replace(
        "account_id: Code, name: Company", "account_id: Company, name: Company"
    )
    lines = LINES.replace(";G1;", ";Holding;").replace(";U1;", ";Unit;")
    d = load_dataset(dataset(tmp_path, mapping, lines.replace("U1", "Unit")))
    assert sorted(d.accounts["account_id"]) == sorted(d.accounts["name"]) == ["Holding", "Unit"]


def test_a_file_in_contract_form_beside_the_mapping_still_reads(tmp_path):
    mapping = MAPPING.split("accounts:")[0]
    folder = dataset(tmp_path, mapping)
    (folder / "accounts.csv").write_text(
        "account_id,name,postcode,country\nG1,Holding,1011 AB,NL\nU1,Unit,3511 CD,NL\n"
    )
    assert len(load_dataset(folder).accounts) == 2


def test_the_user_mapping_overrides_its_preset(tmp_path):
    (tmp_path / "VBRP.csv").write_text(
        "VBELN,POSNR,FKDAT,KUNRG,KUNAG,BEDRAG,WAERK,FKSTO,VBTYP\n"
        "9001,10,20260115,C1,C1,12.50,EUR,,M\n"
    )
    (tmp_path / "KNA1.csv").write_text("KUNNR,NAME1,PSTLZ,LAND1\nC1,Acme,1011 AB,NL\n")
    (tmp_path / "mapping.yaml").write_text(
        "preset: sap_sd\ninvoices:\n  columns:\n    net_amount: BEDRAG\n"
    )
    d = load_dataset(tmp_path)
    assert d.invoices["net_amount"].tolist() == [1250]
    # BSTNK_VF and MATKL (optional in the preset) are not in this export: not an error
    assert d.invoices["po_reference"].tolist() == [""]


def test_a_changed_mapping_changes_the_cube_cache_key(tmp_path):
    folder = dataset(tmp_path)
    before = cache_key(load_dataset(folder))
    (folder / "mapping.yaml").write_text(MAPPING.replace("B: posted", "B: paid"))
    assert cache_key(load_dataset(folder)) != before


# --------------------------------------------------------------------------- bad input


def test_validation_problems_name_the_export_column(tmp_path):
    folder = dataset(tmp_path, lines=LINES.replace("40,00", "4O,00"))
    lines = problem_lines(folder)
    assert any(
        line.startswith("export.csv, row 3, column Bedrag (net_amount): '-4O,00'") for line in lines
    ), lines
    assert_cli_problem(folder, "export.csv", "row 3", "Bedrag (net_amount)")


def test_an_unmapped_code_is_named_with_its_export_column(tmp_path):
    folder = dataset(tmp_path, lines=LINES.replace(";V;X", ";V;Q"))
    lines = problem_lines(folder)
    assert any("row 4, column Stand (status): 'Q'" in line for line in lines), lines


def test_a_date_not_in_the_mapped_format_is_named(tmp_path):
    folder = dataset(tmp_path, lines=LINES.replace("20260301", "2026-13-01"))
    lines = problem_lines(folder)
    assert any("row 4, column Datum (invoice_date): '2026-13-01'" in line for line in lines)


def test_a_mapped_column_the_file_lacks_is_an_error(tmp_path):
    folder = dataset(tmp_path, MAPPING.replace("net_amount: Bedrag", "net_amount: Amount"))
    lines = problem_lines(folder)
    assert any(
        line.startswith(
            "mapping.yaml, key invoices.columns.net_amount: 'Amount' — expected a "
            "column of export.csv; its header has factuur, datum"
        )
        for line in lines
    ), lines
    assert_cli_problem(folder, "mapping.yaml", "invoices.columns.net_amount", "'Amount'")


def test_a_sign_column_the_file_lacks_is_an_error(tmp_path):
    folder = dataset(tmp_path, MAPPING.replace("column: Soort", "column: Type"))
    assert any("key invoices.negative_when.column: 'Type'" in x for x in problem_lines(folder))


def test_an_unknown_contract_column_is_an_error(tmp_path):
    folder = dataset(tmp_path, MAPPING.replace("net_amount: Bedrag", "amount: Bedrag"))
    lines = problem_lines(folder)
    assert any(
        "key invoices.columns.amount: 'amount' — expected a column of the contract's invoices "
        "table: invoice_id" in line
        for line in lines
    ), lines
    assert_cli_problem(folder, "mapping.yaml", "invoices.columns.amount", "contract's invoices")


def test_an_unknown_table_key_or_preset_is_an_error(tmp_path):
    folder = dataset(tmp_path, "preset: sap\nfacturen: {}\n")
    lines = problem_lines(folder)
    assert any("key preset: 'sap' — expected one of afas_profit, exact_online" in x for x in lines)
    folder = dataset(tmp_path, "facturen: {}\n")
    assert any("key facturen: expected preset or a table" in x for x in problem_lines(folder))
    folder = dataset(tmp_path, MAPPING.replace("  file: export.csv", "  bestand: export.csv"))
    assert any(
        "key invoices.bestand: expected one of file, columns" in x for x in problem_lines(folder)
    )


def test_a_code_mapped_to_an_unknown_status_is_an_error(tmp_path):
    folder = dataset(tmp_path, MAPPING.replace("X: cancelled", "X: void"))
    lines = problem_lines(folder)
    assert any("key invoices.values.status.X: 'void' — expected one of posted" in x for x in lines)


def test_a_mapped_file_that_is_not_there_is_an_error(tmp_path):
    folder = dataset(tmp_path, MAPPING.replace("file: export.csv", "file: export2.csv"))
    lines = problem_lines(folder)
    assert any("key invoices.file: 'export2.csv' — expected a file in" in x for x in lines), lines


def test_a_bad_pattern_or_date_column_is_an_error(tmp_path):
    bad = MAPPING + "  extract: {postcode: '[0-9]+'}\n"
    lines = problem_lines(dataset(tmp_path, bad))
    assert any("key accounts.extract.postcode: '[0-9]+' — expected a regular" in x for x in lines)
    bad = MAPPING.replace('invoice_date: "%Y%m%d"', 'invoice_id: "%Y%m%d"')
    lines = problem_lines(dataset(tmp_path, bad))
    assert any("key invoices.date_formats.invoice_id" in x for x in lines), lines


def test_a_mapping_that_is_not_yaml_is_an_error(tmp_path):
    folder = dataset(tmp_path, "invoices: [unclosed\n")
    lines = problem_lines(folder)
    assert lines[0].startswith("mapping.yaml: expected valid UTF-8 YAML"), lines
    assert_cli_problem(folder, "mapping.yaml", "expected valid UTF-8 YAML")


def test_a_reference_problem_names_the_export_column(tmp_path):
    folder = dataset(tmp_path, lines=LINES.replace("F2;20260203;U1", "F2;20260203;U9"))
    lines = problem_lines(folder)
    assert any("export.csv, row 3, column Debiteur (billing_account): 'U9'" in x for x in lines), (
        lines
    )
