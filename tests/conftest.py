"""Shared fixtures: the demo dataset (generated once per test session) and broken copies."""

from __future__ import annotations

import csv
import io
import shutil
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
