"""Registration ids in accounts (KvK, VAT, LEI, DUNS): normalised, and a clear error per bad one."""

from __future__ import annotations

import pandas as pd
import pytest

from account_analysis.cli import main
from account_analysis.errors import InputError
from account_analysis.load.dataset import load_dataset, load_table
from account_analysis.load.registration import id_problems, normalise_ids

HEADER = "account_id,name,postcode,country,kvk,vat,lei,duns\n"
GOOD = "C1,Van Houten B.V.,2991 LA,NL,27312152,NL801234567B01,724500VKKSH9QOLTFR81,150483782\n"


def write_dataset(folder, accounts_rows: str):
    (folder / "accounts.csv").write_text(HEADER + accounts_rows, encoding="utf-8")
    (folder / "invoices.csv").write_text(
        "invoice_id,invoice_date,billing_account,net_amount,status\n"
        "F1,2026-01-15,C1,100.00,posted\n",
        encoding="utf-8",
    )
    return folder


def test_valid_ids_load_normalised(tmp_path):
    row = "C2,Jansen,9711 AB,NL,2731 2152,nl 8012.34.567.b01,724500vkksh9qoltfr81,15-048-3782\n"
    acc = load_table(write_dataset(tmp_path, GOOD + row) / "accounts.csv", "accounts")
    assert acc["kvk"].tolist() == ["27312152", "27312152"]
    assert acc["vat"].tolist() == ["NL801234567B01", "NL801234567B01"]
    assert acc["lei"].tolist() == ["724500VKKSH9QOLTFR81", "724500VKKSH9QOLTFR81"]
    assert acc["duns"].tolist() == ["150483782", "150483782"]


def test_empty_ids_are_allowed(tmp_path):
    ds = load_dataset(write_dataset(tmp_path, "C1,Van Houten B.V.,2991 LA,NL,,,,\n"))
    assert ds.accounts[["kvk", "vat", "lei", "duns"]].iloc[0].tolist() == ["", "", "", ""]


BAD = [
    ("kvk", "1234567", "a KvK number: 8 digits"),
    ("kvk", "1234567A", "a KvK number: 8 digits"),
    ("vat", "801234567B01", "an EU VAT number starting with its country code"),
    ("vat", "US801234567", "an EU VAT number starting with its country code"),
    ("vat", "NL801234567", "NL + 9 digits + B + 2 digits"),
    ("vat", "DE12345678", "DE + 9 digits"),
    ("lei", "724500VKKSH9QOLTFR8", "an LEI: 20 characters"),
    ("lei", "724500VKKSH9QOLTFR82", "an LEI with valid check digits"),
    ("duns", "15048378", "a DUNS number: 9 digits"),
    ("duns", "15048378X", "a DUNS number: 9 digits"),
]


@pytest.mark.parametrize(("column", "value", "expected"), BAD)
def test_a_bad_id_names_file_row_column_value_and_what_was_expected(
    tmp_path, column, value, expected
):
    good = dict(zip(["kvk", "vat", "lei", "duns"], GOOD.strip().split(",")[4:], strict=True))
    good[column] = value
    row = "C2,Jansen,9711 AB,NL," + ",".join(good.values()) + "\n"
    folder = write_dataset(tmp_path, GOOD + row)
    with pytest.raises(InputError) as err:
        load_dataset(folder)
    assert len(err.value.problems) == 1
    text = str(err.value.problems[0])
    assert text.startswith(f"accounts.csv, row 3, column {column}: {value!r} — expected ")
    assert expected in text


def test_the_command_prints_the_bad_id_without_a_traceback(tmp_path, capsys):
    folder = write_dataset(tmp_path, GOOD + "C2,Jansen,9711 AB,NL,1234567,,,\n")
    assert main(["validate", str(folder), "--currency", "EUR"]) == 1
    err = capsys.readouterr().err
    assert "accounts.csv, row 3, column kvk: '1234567' — expected a KvK number: 8 digits" in err
    assert "Traceback" not in err


def test_id_problems_and_normalise_ids():
    assert normalise_ids(pd.Series([None, " be 0123.456.789 "])).tolist() == ["", "BE0123456789"]
    vat = pd.Series(["BE0123456789", "BE2123456789", "EL123456789", "SE123456789001", "ATU1234567"])
    assert [p == "" for p in id_problems(vat, "vat")] == [True, False, True, True, False]
    with pytest.raises(ValueError, match="not a registration id column"):
        id_problems(vat, "iban")
