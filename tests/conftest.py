"""Shared fixtures: the demo dataset, its cube and every demo period rendered, each made
once per test run (shared by the pytest-xdist workers), and broken copies.

Nothing here may be changed by a test: copy first (``broken_copy``, ``shutil.copytree``).
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from account_analysis import config
from account_analysis.authoring.demo import write_demo_dataset

DEMO_PERIODS = sorted(p.stem for p in config.PARAMS_DIR.glob("*.yaml") if p.stem != "defaults")
# SMTP credentials planted in the environment of the shared render: test_mail checks that
# they appear in no report, notebook or output.
SMTP_USER = "mailer-7Kq2"
SMTP_PASSWORD = "pw-Zq8!planted-7731"
PLANTED = {"ACCOUNT_ANALYSIS_SMTP_USER": SMTP_USER, "ACCOUNT_ANALYSIS_SMTP_PASSWORD": SMTP_PASSWORD}


def pytest_collection_modifyitems(items) -> None:
    """The longest tests first, dealt out to the xdist workers like cards, so that the
    workers end together: the long property tests (minutes each), then the other
    slow ones, then the rest, each in collection order. Under ``--dist worksteal`` each
    worker starts on a contiguous share of this list, and an idle one takes the tail of a
    busy one's queue; dealt, each share starts with its part of the long tests. Started
    last, one property test would leave the other worker idle for minutes."""

    def weight(item) -> int:
        if item.get_closest_marker("slow") is None:
            return 2
        return 0 if getattr(getattr(item, "obj", None), "is_hypothesis_test", False) else 1

    ranked = sorted(items, key=weight)
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    items[:] = [item for k in range(workers) for item in ranked[k::workers]]


@contextlib.contextmanager
def run_wide(tmp_path_factory, name: str):
    """A folder shared by every xdist worker of this run, and a lock on it: the first worker
    to get the lock builds it, the others wait and reuse it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # pytest-of-<user>/pytest-N, above each worker's popen-gwN
        # named for this run: a --basetemp reused by a later run keeps no stale build
        name = f"{name}-{os.environ.get('PYTEST_XDIST_TESTRUNUID', 'run')}"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield base / name
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """A pristine demo dataset. Tests must not change it: use ``broken_copy``."""
    with run_wide(tmp_path_factory, "demo") as folder:
        done = folder.with_name(f"{folder.name}.complete")
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            write_demo_dataset(folder)
            done.touch()
    return folder


def fingerprint(obj) -> dict:
    """Each attribute of ``obj``: a frame or series by its dtypes and a hash of its values
    and index, anything else by its ``repr``. Equal before and after means not changed."""
    import pandas as pd

    out = {}
    for name, value in vars(obj).items():
        if isinstance(value, pd.DataFrame | pd.Series):
            dtypes = value.dtypes if isinstance(value, pd.DataFrame) else value.dtype
            out[name] = (repr(dtypes), int(pd.util.hash_pandas_object(value).sum()))
        else:
            out[name] = repr(value)
    return out


@pytest.fixture(scope="session")
def demo_dataset(demo_dir):
    """The demo dataset loaded (a :class:`Dataset`), shared by every test of the session:
    the library never changes its frames, and a test must not either (checked at the end)."""
    from account_analysis.load.dataset import load_dataset

    dataset = load_dataset(demo_dir)
    before = fingerprint(dataset)
    yield dataset
    assert fingerprint(dataset) == before, "a test changed the shared demo_dataset"


@pytest.fixture(scope="session")
def demo_cube(demo_dataset):
    """The demo dataset consolidated, built without the cache (a :class:`Consolidation`),
    shared like ``demo_dataset`` and checked the same way."""
    from account_analysis.consolidate.cube import build_cube

    cube = build_cube(demo_dataset, cache_dir=None)
    before = fingerprint(cube)
    yield cube
    assert fingerprint(cube) == before, "a test changed the shared demo_cube"


@pytest.fixture(scope="session")
def rendered_demo(tmp_path_factory, demo_dir) -> tuple[Path, subprocess.CompletedProcess]:
    """Every demo period rendered once by the real ``account-analysis run`` on the demo
    dataset (the committed parameter files, 2026-Q3 in Dutch), with SMTP credentials planted
    in its environment: the reports folder and the finished run (``returncode``, ``stdout``,
    ``stderr``). Read only: a test that changes reports works on a copy."""
    with run_wide(tmp_path_factory, "rendered_demo") as folder:
        done = folder / "run.json"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            files = []
            for period in DEMO_PERIODS:
                values = yaml.safe_load((config.PARAMS_DIR / f"{period}.yaml").read_text()) or {}
                values["dataset"] = str(demo_dir)
                path = folder / f"{period}.yaml"
                path.write_text(yaml.safe_dump(values), encoding="utf-8")
                files.append(path)
            # The developer's own credentials, if any, are left out; the planted ones put in.
            env = {k: v for k, v in os.environ.items() if not k.startswith("ACCOUNT_ANALYSIS_SMTP")}
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "account_analysis.cli",
                    "run",
                    *map(str, files),
                    "--reports",
                    str(folder / "reports"),
                ],
                capture_output=True,
                text=True,
                timeout=1800,
                env={**env, **PLANTED},
            )
            run = {
                "returncode": result.returncode,
                "stdout": result.stdout,
                "stderr": result.stderr,
            }
            done.write_text(json.dumps(run), encoding="utf-8")
        run = json.loads(done.read_text(encoding="utf-8"))
    return folder / "reports", subprocess.CompletedProcess(["account-analysis", "run"], **run)


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


def kernelspec(folder: Path, argv: list[str]) -> Path:
    """A JUPYTER_PATH in which the notebooks' kernel is started with ``argv``."""
    spec = folder / "jupyter" / "kernels" / "account-analysis"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "test kernel", "language": "python"}),
        encoding="utf-8",
    )
    return folder / "jupyter"


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


_EMPTY_FRAMES: dict = {}


def _contract_frame(name: str, given):
    """``given`` (anything pandas makes a frame of) as the contract's table ``name``: text
    columns without missing values, booleans filled, absent columns empty. A table given
    as None is the contract's empty table, built once (the property tests make thousands
    of datasets, most tables absent)."""
    import pandas as pd

    from account_analysis.load.parse import empty_column as _empty_column
    from account_analysis.load.schema import TABLES

    table = TABLES[name]
    if given is None and name in _EMPTY_FRAMES:
        return _EMPTY_FRAMES[name].copy(deep=False)  # copy-on-write: callers may assign
    frame = pd.DataFrame(given if given is not None else {})
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
    out = pd.DataFrame(cols, index=index).reset_index(drop=True)
    if given is None:
        _EMPTY_FRAMES[name] = out
        return out.copy(deep=False)
    return out


def make_dataset(invoices, accounts, reporting_currency="EUR", **tables):
    """An in-memory Dataset from small frames; absent columns and tables are filled in
    with the contract's empty values, as the loader would."""
    import numpy as np
    import pandas as pd

    from account_analysis.load.dataset import Dataset
    from account_analysis.load.schema import TABLES

    given = {"invoices": invoices, "accounts": accounts, **tables}
    frames = {name: _contract_frame(name, given.get(name)) for name in TABLES}
    inv = frames["invoices"]
    frames["invoices"] = inv.assign(
        currency=inv["currency"].mask(inv["currency"] == "", reporting_currency),
        status=inv["status"].mask(inv["status"] == "", "posted"),
        invoice_date=pd.to_datetime(inv["invoice_date"]).astype("datetime64[s]"),
        net_amount=inv["net_amount"].astype("int64"),
    )
    for name, cols in (
        ("accounts", ("parent_valid_from", "parent_valid_to")),
        ("parent_links", ("valid_from", "valid_to")),
        ("attribution_rules", ("valid_from", "valid_to")),
    ):
        if given.get(name) is None:
            continue  # the empty table already has its dates as datetime64[s]
        f = frames[name]
        frames[name] = f.assign(**{c: pd.to_datetime(f[c]).astype("datetime64[s]") for c in cols})
    rows = {name: np.arange(len(f)) + 2 for name, f in frames.items()}
    return Dataset(path=None, reporting_currency=reporting_currency, row_numbers=rows, **frames)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key (the mail tests'
    STARTTLS and TLS servers)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            key,
            "-out",
            cert,
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key
