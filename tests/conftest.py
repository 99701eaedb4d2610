"""Shared fixtures: the demo dataset (generated once per test session) and broken copies."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from account_analysis.demo import write_demo_dataset


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """A pristine demo dataset. Tests must not change it: use ``broken_copy``."""
    folder = tmp_path_factory.mktemp("demo")
    write_demo_dataset(folder)
    return folder


@pytest.fixture()
def broken_copy(demo_dir, tmp_path) -> Path:
    """A private copy of the demo dataset that a test may break."""
    target = tmp_path / "dataset"
    shutil.copytree(demo_dir, target)
    return target


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail (not hang) when the block takes longer than ``seconds``: SIGALRM interrupts even
    a backtracking regular expression (POSIX, main thread)."""
    def expired(*_):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run the real command line in a fresh interpreter, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "account_analysis.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _dialect(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def read_rows(path: Path) -> tuple[list[list[str]], str]:
    """All rows of a CSV file (header first) and its separator."""
    text = path.read_text(encoding="utf-8")
    sep = _dialect(text)
    return list(csv.reader(io.StringIO(text), delimiter=sep)), sep


def write_rows(path: Path, rows: list[list[str]], sep: str, encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` counts as a spreadsheet does (header = 1)."""
    rows, sep = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows, sep)


def cell(path: Path, row: int, column: str) -> str:
    rows, _ = read_rows(path)
    return rows[row - 1][rows[0].index(column)]


def make_dataset(invoices, accounts, reporting_currency="EUR", **tables):
    """An in-memory Dataset from small frames; absent columns and tables are filled in
    with the contract's empty values, as the loader would."""
    import numpy as np
    import pandas as pd

    from account_analysis.load import Dataset, _empty_column
    from account_analysis.schema import TABLES

    given = {"invoices": invoices, "accounts": accounts, **tables}
    frames = {}
    for name, table in TABLES.items():
        frame = pd.DataFrame(given.get(name, {}))
        index = frame.index
        cols = {}
        for col in table.columns:
            if col.name in frame.columns:
                values = frame[col.name]
                if col.kind in ("text", "id", "currency", "choice", "regex", "month"):
                    values = values.fillna("").astype("str")
                elif col.kind == "bool":
                    values = values.fillna(False).astype(bool)
                cols[col.name] = values
            else:
                cols[col.name] = _empty_column(col, len(frame), index)
        frames[name] = pd.DataFrame(cols, index=index).reset_index(drop=True)
    inv = frames["invoices"]
    frames["invoices"] = inv.assign(
        currency=inv["currency"].mask(inv["currency"] == "", reporting_currency),
        status=inv["status"].mask(inv["status"] == "", "posted"),
        invoice_date=pd.to_datetime(inv["invoice_date"]).astype("datetime64[s]"),
        net_amount=inv["net_amount"].astype("int64"),
    )
    for name, cols in (("accounts", ("parent_valid_from", "parent_valid_to")),
                       ("parent_links", ("valid_from", "valid_to")),
                       ("attribution_rules", ("valid_from", "valid_to"))):
        f = frames[name]
        frames[name] = f.assign(**{c: pd.to_datetime(f[c]).astype("datetime64[s]")
                                   for c in cols})
    rows = {name: np.arange(len(f)) + 2 for name, f in frames.items()}
    return Dataset(path=None, reporting_currency=reporting_currency, row_numbers=rows,
                   **frames)
