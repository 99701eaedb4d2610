"""Parent loops through the real command line: every loop, of any length, from any source, on
any day, ends `validate` and `ledger` with exit 1, one clear problem naming the accounts and
the file, row and column, no traceback, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

# Two LEIs with valid check digits (from the demo's customer master).
LEI_1, LEI_2 = "724500GDRASBD5HDJO93", "7245000YKWJ7LPR57784"

GLEIF_HEAD = (
    "Relationship.StartNode.NodeID,Relationship.StartNode.NodeIDType,"
    "Relationship.EndNode.NodeID,Relationship.EndNode.NodeIDType,"
    "Relationship.RelationshipType,Relationship.RelationshipStatus,"
    "Relationship.Period.1.startDate,Relationship.Period.1.endDate,"
    "Relationship.Period.1.periodType"
)


def dataset(
    folder: Path, parents: dict[str, str], parent_links: list[str] = (), gleif: list[str] = ()
) -> Path:
    """A small dataset: accounts C10001… with the given parents (and LEIs on the first
    two), one invoice line each in 2026-03, optional parent_links rows and a GLEIF file."""
    folder.mkdir()
    ids = list(parents)
    leis = {ids[0]: LEI_1, ids[1]: LEI_2}
    rows = [f"{a},Klant {a},1234 AB,NL,{parents[a]},{leis.get(a, '')}" for a in ids]
    (folder / "accounts.csv").write_text(
        "account_id,name,postcode,country,parent_id,lei\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    lines = [f"F{i},2026-03-0{1 + i % 9},{a},{100 + i}.00" for i, a in enumerate(ids)]
    (folder / "invoices.csv").write_text(
        "invoice_id,invoice_date,billing_account,net_amount\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    if parent_links:
        (folder / "parent_links.csv").write_text(
            "account_id,parent_id,valid_from,valid_to,reason\n" + "\n".join(parent_links) + "\n",
            encoding="utf-8",
        )
    if gleif:
        (folder / "gleif").mkdir()
        (folder / "gleif" / "rr.csv").write_text(
            GLEIF_HEAD + "\n" + "\n".join(gleif) + "\n", encoding="utf-8"
        )
    return folder


def files_in(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


def refused(folder: Path, *extra: str, command: str = "validate"):
    before = files_in(folder.parent)
    result = run_cli(command, folder, *extra)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out
    assert files_in(folder.parent) == before  # nothing written
    return out


def test_validate_refuses_a_loop_of_two_issue12(tmp_path):
    # issue 12: validate passed and C10003, a child of C10001, was rolled into C10002.
    folder = dataset(tmp_path / "d", {"C10001": "C10002", "C10002": "C10001", "C10003": "C10001"})
    out = refused(folder)
    assert "accounts.csv, row 2, column parent_id: 'C10001 → C10002 → C10001'" in out
    assert "accounts.csv row 2, accounts.csv row 3" in out


def test_validate_refuses_a_loop_of_four(tmp_path):
    folder = dataset(
        tmp_path / "d",
        {
            "C10001": "C10002",
            "C10002": "C10003",
            "C10003": "C10004",
            "C10004": "C10001",
            "C10005": "",
        },
    )
    out = refused(folder)
    assert (
        "accounts.csv, row 2, column parent_id: 'C10001 → C10002 → C10003 → C10004 → C10001'" in out
    )


def test_validate_refuses_a_loop_through_parent_links_from_a_date(tmp_path):
    folder = dataset(
        tmp_path / "d",
        {"C10001": "", "C10002": "C10001", "C10003": ""},
        parent_links=["C10001,C10002,2026-01-01,,Reorganised"],
    )
    out = refused(folder)
    assert "parent_links.csv, row 2, column parent_id: 'C10001 → C10002 → C10001'" in out
    assert "from 2026-01-01" in out and "accounts.csv row 3" in out


def test_validate_refuses_a_loop_through_gleif(tmp_path):
    # GLEIF says C10001 is consolidated by C10002; the master says C10002's parent is C10001.
    folder = dataset(
        tmp_path / "d",
        {"C10001": "", "C10002": "C10001", "C10003": ""},
        gleif=[f"{LEI_1},LEI,{LEI_2},LEI,IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,,,"],
    )
    out = refused(folder)
    assert "gleif/rr.csv, row 2, column parent_id: 'C10001 → C10002 → C10001'" in out
    assert "gleif/rr.csv row 2, accounts.csv row 3" in out


@pytest.mark.parametrize("n", [2, 6])
def test_ledger_refuses_a_loop_and_writes_nothing(tmp_path, n):
    ids = [f"C1000{i + 1}" for i in range(n)]
    folder = dataset(
        tmp_path / "d", {a: ids[(i + 1) % n] for i, a in enumerate(ids)} | {"C10009": ""}
    )
    out = refused(folder, "--period", "2026-Q3", "--out", tmp_path / "ledger", command="ledger")
    assert not (tmp_path / "ledger").exists()
    assert f"'{' → '.join([*ids, ids[0]])}'" in out
