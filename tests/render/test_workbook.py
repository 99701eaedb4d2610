"""The sales-operations workbook: opens with openpyxl, equals the library, no formulas."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from conftest import read_rows, set_cell

from account_analysis.analysis.scoring import score_period
from account_analysis.consolidate.cube import build_cube
from account_analysis.consolidate.window import reconcile
from account_analysis.load.dataset import load_dataset
from account_analysis.render.workbook import SHEETS, neutralise, write_workbook
from account_analysis.settings.parameters import Settings

PLANTED_NAME = '=HYPERLINK("http://example.invalid/x","Click me")'
PLANTED_REASON = "+31 SUM(A1:A9)"


def _score(dataset_dir, language="en"):
    settings = Settings.from_mapping(
        {"period": "2026-Q3", "dataset": str(dataset_dir), "language": language}
    )
    dataset = load_dataset(settings.dataset_path, settings.reporting_currency)
    return score_period(build_cube(dataset), dataset, settings)


def _rows(ws):
    """Header and data rows of a sheet written by the workbook (note row skipped)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    start = 2 if rows and rows[1] == [None] * len(rows[1]) else 0
    return rows[start], rows[start + 1 :]


@pytest.fixture(scope="module")
def demo_workbook(demo_dir, tmp_path_factory):
    score = _score(demo_dir)
    path = write_workbook(score, tmp_path_factory.mktemp("wb") / "large_accounts.xlsx")
    return score, openpyxl.load_workbook(path), path


def test_designations_sheet_equals_the_library(demo_workbook):
    score, wb, _ = demo_workbook
    header, rows = _rows(wb[SHEETS["designations"]["en"]])
    d = score.designations.reset_index(drop=True)
    assert len(rows) == len(d)
    group = header.index("Group")
    revenue = header.index("Revenue")
    share = header.index("Share of revenue")
    final = header.index("Final")
    for row, (_, expected) in zip(rows, d.iterrows(), strict=True):
        assert row[group] == expected["group_id"]
        assert round(row[revenue] * 100) == expected["revenue_cents"]
        assert row[share] == pytest.approx(expected["share"], abs=1e-12)
        assert row[final] == expected["final"]


def test_ledger_sheets_equal_the_reconciliation(demo_workbook):
    score, wb, _ = demo_workbook
    header, rows = _rows(wb[SHEETS["ledger"]["en"]])
    expected = reconcile(score.consolidation, score.settings.window)
    got = {r[0]: (round(r[1] * 100), r[2]) for r in rows}
    assert got == {item: (cents, lines) for item, cents, lines in expected.itertuples(index=False)}
    # The excluded lines of the window, listed one by one, add up to the summary's row.
    header, rows = _rows(wb[SHEETS["exclusions"]["en"]])
    total = sum(round(r[header.index("Revenue")] * 100) for r in rows)
    assert total == got["excluded"][0]


def test_the_workbook_contains_no_formula_at_all(demo_workbook):
    _, _, path = demo_workbook
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def test_planted_formula_text_stays_text(broken_copy, tmp_path):
    accounts = broken_copy / "accounts.csv"
    rows, _ = read_rows(accounts)
    row = next(i for i, r in enumerate(rows, start=1) if r[0] == "C10001")
    set_cell(accounts, row, "name", PLANTED_NAME)
    decisions = broken_copy / "decisions.csv"
    rows, _ = read_rows(decisions)
    row = next(i for i, r in enumerate(rows, start=1) if r[:2] == ["2026-Q3", "C10001"])
    set_cell(decisions, row, "reason", PLANTED_REASON)

    path = write_workbook(_score(broken_copy, "nl"), tmp_path / "large_accounts.xlsx")
    wb = openpyxl.load_workbook(path)
    header, rows = _rows(wb[SHEETS["designations"]["nl"]])
    name_col, reason_col = header.index("Naam"), header.index("Reden van het besluit")
    planted = [r for r in rows if r[name_col] == PLANTED_NAME]
    assert planted, "the planted name is in the sheet, unchanged"
    assert planted[0][reason_col] == PLANTED_REASON
    ws = wb[SHEETS["designations"]["nl"]]
    cells = [c for r in ws.iter_rows() for c in r if c.value in (PLANTED_NAME, PLANTED_REASON)]
    assert len(cells) >= 2
    for c in cells:
        assert c.data_type == "s" and c.quotePrefix, c.coordinate
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name), name


@pytest.mark.parametrize(
    "text,expected",
    [
        ("=1+1", True),
        ("+31 6", True),
        ("-5", True),
        ("@SUM(A1)", True),
        ("\t=1", True),
        ("Van Houten", False),
        ("", False),
        (5, False),
        (None, False),
    ],
)
def test_neutralise_recognises_formula_starts(text, expected):
    assert neutralise(text) is expected
