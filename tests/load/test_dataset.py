"""Loading and validation: every bad-input case through the real CLI, and file formats."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import cell, read_rows, run_cli, set_cell, write_rows
from hypothesis import given, settings
from hypothesis import strategies as st

from account_analysis import InputError, load_dataset, load_table
from account_analysis.errors import CAP_PER_FILE


def assert_problem(result, *fragments: str) -> None:
    """The CLI failed cleanly (exit 1, no traceback) and one line names every fragment."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any(all(f in line for f in fragments) for line in lines), (fragments, lines)


def invoice_row_with_lines(folder, minimum=2) -> tuple[int, int]:
    """Spreadsheet rows of two lines of the same invoice."""
    rows, _ = read_rows(folder / "invoices.csv")
    col = rows[0].index("invoice_id")
    seen: dict[str, int] = {}
    for i, r in enumerate(rows[1:], start=2):
        if r[col] in seen:
            return seen[r[col]], i
        seen[r[col]] = i
    raise AssertionError("the demo has no invoice with two lines")


# --------------------------------------------------------------------------- the happy path


def test_validate_demo_prints_summary(demo_dir):
    result = run_cli("validate", demo_dir)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "valid" in out
    rows = pd.read_csv(demo_dir / "invoices.csv", sep=";", dtype=str)
    assert f"{len(rows):,}" in out  # rows per table
    dates = sorted(rows["invoice_date"])
    assert f"{dates[0]} to {dates[-1]}" in out  # date range
    assert dates[0] >= "2023-10-01" and dates[-1] == "2026-09-30"
    for currency in ("EUR", "GBP", "USD"):  # totals per currency
        assert f"  {currency}  " in out


def test_load_demo_types_and_totals(demo_dir):
    ds = load_dataset(demo_dir)
    inv = ds.invoices
    assert inv["net_amount"].dtype == "int64"
    assert inv["invoice_date"].dtype.kind == "M"
    assert (inv["currency"] != "").all() and (inv["status"] != "").all()
    # Totals in cents equal an exact decimal sum of the raw text.
    raw = pd.read_csv(demo_dir / "invoices.csv", sep=";", dtype=str, keep_default_na=False)
    exact = sum(int(round(float(v.replace(",", ".")) * 100)) for v in raw["net_amount"])
    assert int(inv["net_amount"].sum()) == exact
    assert len(ds.account_plans) >= 1


# --------------------------------------------------------------------------- bad input, per case


def test_missing_required_column(broken_copy):
    path = broken_copy / "invoices.csv"
    rows, sep = read_rows(path)
    col = rows[0].index("net_amount")
    write_rows(path, [r[:col] + r[col + 1 :] for r in rows], sep)
    assert_problem(
        run_cli("validate", broken_copy), "invoices.csv", "row 1", "column net_amount", "required"
    )


def test_unparseable_date(broken_copy):
    set_cell(broken_copy / "invoices.csv", 17, "invoice_date", "31-02-2026")
    assert_problem(
        run_cli("validate", broken_copy),
        "invoices.csv",
        "row 17",
        "column invoice_date",
        "'31-02-2026'",
        "expected a date",
    )


def test_non_numeric_amount(broken_copy):
    set_cell(broken_copy / "invoices.csv", 5, "net_amount", "12,3x")
    assert_problem(
        run_cli("validate", broken_copy),
        "invoices.csv",
        "row 5",
        "column net_amount",
        "'12,3x'",
        "expected an amount",
    )


def test_amount_with_fractions_of_a_cent(broken_copy):
    set_cell(broken_copy / "invoices.csv", 6, "net_amount", "10,125")
    assert_problem(
        run_cli("validate", broken_copy),
        "invoices.csv",
        "row 6",
        "column net_amount",
        "at most two decimals",
    )


def test_same_invoice_id_different_content(broken_copy):
    first, second = invoice_row_with_lines(broken_copy)
    path = broken_copy / "invoices.csv"
    other = (
        dt.date.fromisoformat(cell(path, first, "invoice_date")) + dt.timedelta(days=1)
    ).isoformat()
    set_cell(path, second, "invoice_date", other)
    assert_problem(
        run_cli("validate", broken_copy),
        "invoices.csv",
        f"row {second}",
        "column invoice_date",
        f"row {first} has",
    )


def test_duplicate_invoice_line_with_other_amount(broken_copy):
    first, second = invoice_row_with_lines(broken_copy)
    path = broken_copy / "invoices.csv"
    set_cell(path, second, "line_no", cell(path, first, "line_no"))
    assert_problem(
        run_cli("validate", broken_copy),
        "invoices.csv",
        f"row {second}",
        "column invoice_id",
        f"row {first}",
    )


@pytest.mark.parametrize("content", [b"", b"\n  \n"])
def test_empty_file(broken_copy, content):
    (broken_copy / "accounts.csv").write_bytes(content)
    assert_problem(run_cli("validate", broken_copy), "accounts.csv", "empty")


def test_header_only_file(broken_copy):
    path = broken_copy / "invoices.csv"
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    assert_problem(run_cli("validate", broken_copy), "invoices.csv", "row 2", "none")


def set_invoice(path, row: int, column: str, value: str) -> None:
    """Set ``column`` on every line of the invoice that spreadsheet ``row`` belongs to."""
    rows, sep = read_rows(path)
    inv = rows[0].index("invoice_id")
    for r in rows[1:]:
        if r[inv] == rows[row - 1][inv]:
            r[rows[0].index(column)] = value
    write_rows(path, rows, sep)


def test_invoice_with_unknown_account(broken_copy):
    set_invoice(broken_copy / "invoices.csv", 9, "billing_account", "C99999")
    assert_problem(
        run_cli("validate", broken_copy),
        "invoices.csv",
        "row 9",
        "column billing_account",
        "'C99999'",
        "exists in accounts",
    )


def test_parent_with_unknown_account(broken_copy):
    path = broken_copy / "accounts.csv"
    set_cell(path, 4, "parent_id", "C99999")
    assert_problem(
        run_cli("validate", broken_copy),
        "accounts.csv",
        "row 4",
        "column parent_id",
        "'C99999'",
        "exists in accounts",
    )


def test_file_not_utf8(broken_copy):
    path = broken_copy / "accounts.csv"
    rows, sep = read_rows(path)
    rows[11][rows[0].index("name")] = "Café De Rotonde"
    write_rows(path, rows, sep, encoding="cp1252")
    assert_problem(
        run_cli("validate", broken_copy), "accounts.csv", "row 12", "column name", "0xE9", "UTF-8"
    )


def test_currency_without_fx_rate(broken_copy):
    path = broken_copy / "invoices.csv"
    set_invoice(path, 3, "currency", "CHF")
    month = cell(path, 3, "invoice_date")[:7]
    assert_problem(
        run_cli("validate", broken_copy),
        "invoices.csv",
        "row 3",
        "column currency",
        "'CHF'",
        f"a rate for CHF in {month}",
    )


def test_missing_required_table(broken_copy):
    (broken_copy / "accounts.csv").rename(broken_copy / "account.csv")
    assert_problem(run_cli("validate", broken_copy), "accounts.csv", "account.csv")


def test_two_files_for_one_table(broken_copy):
    (broken_copy / "fx_rates.parquet").write_bytes(b"PAR1")
    assert_problem(run_cli("validate", broken_copy), "fx_rates.csv and fx_rates.parquet")


def test_broken_xlsx(broken_copy):
    (broken_copy / "fx_rates.csv").unlink()
    (broken_copy / "fx_rates.xlsx").write_bytes(b"this is not a zip file")
    assert_problem(run_cli("validate", broken_copy), "fx_rates.xlsx", "readable Excel")


def test_ragged_csv_row(broken_copy):
    path = broken_copy / "fx_rates.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[4] += ",extra"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert_problem(run_cli("validate", broken_copy), "fx_rates.csv", "row 5", "fields")


def test_many_problems_are_capped_and_counted(broken_copy):
    path = broken_copy / "invoices.csv"
    rows, sep = read_rows(path)
    col = rows[0].index("invoice_date")
    for r in rows[1:]:
        r[col] = "someday"
    write_rows(path, rows, sep)
    result = run_cli("validate", broken_copy)
    assert_problem(result, "invoices.csv", "row 2", "column invoice_date", "'someday'")
    assert f"error: {len(rows) - 1:,} input problems" in result.stderr
    assert len(result.stderr.splitlines()) <= CAP_PER_FILE + 3


def test_all_problems_of_a_file_at_once(broken_copy):
    path = broken_copy / "invoices.csv"
    set_cell(path, 5, "net_amount", "abc")
    set_cell(path, 8, "invoice_date", "gisteren")
    set_cell(path, 11, "status", "maybe")
    result = run_cli("validate", broken_copy)
    assert_problem(result, "row 5", "net_amount")
    assert_problem(result, "row 8", "invoice_date")
    assert_problem(result, "row 11", "status", "one of posted, paid, open, cancelled")


def test_traceback_only_on_request(broken_copy):
    set_cell(broken_copy / "invoices.csv", 5, "net_amount", "abc")
    result = run_cli("--traceback", "validate", broken_copy)
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_no_dataset_folder(tmp_path):
    assert_problem(run_cli("validate", tmp_path / "nope"), "nope", "dataset folder")


# --------------------------------------------------------------------------- formats


def _fx_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "invoice_id": ["F1", "F1", "F2", "F3"],
            "line_no": [1, 2, 1, 1],
            "invoice_date": pd.to_datetime(
                ["2026-01-05", "2026-01-05", "2026-02-28", "2025-12-31"]
            ),
            "billing_account": ["C1", "C1", "C2", "C3"],
            "net_amount": [1234567.5, -25.0, 0.1, 99.99],
            "currency": ["EUR", "EUR", "GBP", ""],
            "status": ["posted", "cancelled", "", "paid"],
            "service_line": ["Onderhoud", "Advies", "", "Projecten, groot"],
        }
    )


def test_same_table_from_csv_dialects_xlsx_and_parquet(tmp_path):
    frame = _fx_frame()
    text = frame.assign(invoice_date=frame["invoice_date"].dt.strftime("%Y-%m-%d"))
    text.to_csv(tmp_path / "comma.csv", index=False)
    dutch = text.assign(
        invoice_date=frame["invoice_date"].dt.strftime("%d-%m-%Y"),
        net_amount=["1.234.567,50", "25,00-", "0,10", "99,99"],
    )
    dutch.to_csv(tmp_path / "semicolon.csv", index=False, sep=";")
    frame.to_excel(tmp_path / "table.xlsx", index=False)
    frame.to_parquet(tmp_path / "table.parquet", index=False)

    loaded = [
        load_table(tmp_path / name, "invoices")
        for name in ("comma.csv", "semicolon.csv", "table.xlsx", "table.parquet")
    ]
    for other in loaded[1:]:
        pd.testing.assert_frame_equal(loaded[0], other)
    first = loaded[0]
    assert first["net_amount"].tolist() == [123456750, -2500, 10, 9999]
    assert first["line_no"].tolist() == [1, 2, 1, 1]
    assert first["service_line"].iloc[3] == "Projecten, groot"


def test_excel_file_through_the_dataset(demo_dir, tmp_path):
    import shutil

    folder = tmp_path / "ds"
    shutil.copytree(demo_dir, folder)
    fx = pd.read_csv(folder / "fx_rates.csv", dtype=str)
    (folder / "fx_rates.csv").unlink()
    fx.to_excel(folder / "fx_rates.xlsx", index=False)
    a, b = load_dataset(demo_dir), load_dataset(folder)
    pd.testing.assert_frame_equal(a.fx_rates, b.fx_rates)
    assert b.sources["fx_rates"].name == "fx_rates.xlsx"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=-(10**13), max_value=10**13), min_size=1, max_size=30))
def test_money_round_trips_exactly_in_both_dialects(tmp_path_factory, cents):
    """Any amount written by an export, in either dialect, is read back to the cent."""
    folder = tmp_path_factory.mktemp("money")

    def dot(c):
        return f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}"

    def dutch(c):
        whole = f"{abs(c) // 100:,}".replace(",", ".")
        return f"{'-' if c < 0 else ''}{whole},{abs(c) % 100:02d}"

    months = [f"{2000 + i // 12}-{i % 12 + 1:02d}" for i in range(len(cents))]
    base = {"month": months, "currency": ["GBP"] * len(cents)}
    rates = [abs(c) % (10**8 - 1) + 1 for c in cents]  # within the bounds of a rate
    for name, fmt, sep in (("a.csv", dot, ","), ("b.csv", dutch, ";")):
        pd.DataFrame({**base, "rate": [fmt(c) for c in rates]}).to_csv(
            folder / name, index=False, sep=sep
        )
    # fx rate is a "number" column; money is checked through a money column below.
    for name, fmt, sep in (("c.csv", dot, ","), ("d.csv", dutch, ";")):
        pd.DataFrame(
            {
                "invoice_id": [f"F{i}" for i in range(len(cents))],
                "invoice_date": ["2026-01-01"] * len(cents),
                "billing_account": ["C1"] * len(cents),
                "net_amount": [fmt(c) for c in cents],
            }
        ).to_csv(folder / name, index=False, sep=sep)
        assert load_table(folder / name, "invoices")["net_amount"].tolist() == cents
    a = load_table(folder / "a.csv", "fx_rates")["rate"].to_numpy()
    b = load_table(folder / "b.csv", "fx_rates")["rate"].to_numpy()
    np.testing.assert_array_equal(a, b)


def test_load_dataset_raises_input_error_with_all_files(broken_copy):
    set_cell(broken_copy / "invoices.csv", 5, "net_amount", "abc")
    set_cell(broken_copy / "fx_rates.csv", 3, "rate", "hoog")
    with pytest.raises(InputError) as info:
        load_dataset(broken_copy)
    files = {p.file for p in info.value.problems}
    assert files == {"invoices.csv", "fx_rates.csv"}


# --------------------------------------------------------------------------- decimal conventions


def _load_error(path, table) -> InputError:
    with pytest.raises(InputError) as info:
        load_table(path, table)
    return info.value


def _fx_csv(path, rates, sep=";"):
    months = [f"{2023 + (9 + i) // 12}-{(9 + i) % 12 + 1:02d}" for i in range(len(rates))]
    lines = [f"month{sep}currency{sep}rate"] + [
        f"{m}{sep}GBP{sep}{r}" for m, r in zip(months, rates, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_three_decimal_rates_with_one_comma_row_are_a_conflict(tmp_path):
    """Issue 12.1: `1.153` and `1,164` in one file read 1153 (×1000) on fab6f7d."""
    path = _fx_csv(tmp_path / "fx_rates.csv", ["1.153", "1.158", "1.157", "1,164", "1.160"])
    err = _load_error(path, "fx_rates")
    assert [(p.row, p.column, p.value) for p in err.problems] == [(5, "rate", "1,164")]
    assert "'.' as decimal point" in err.problems[0].expected
    assert "row 2: '1.153'" in err.problems[0].expected


def test_unambiguous_rate_decides_against_a_comma_row(tmp_path):
    path = _fx_csv(tmp_path / "fx_rates.csv", ["1.1530", "1,164"])
    assert [(p.row, p.value) for p in _load_error(path, "fx_rates").problems] == [(3, "1,164")]


@pytest.mark.parametrize(
    "rates", [["1.153", "1.158"], ["1,153", "1,158"], ["1.153", "1.1712"], ["1,153", "1,17"]]
)
def test_three_decimal_rates_in_one_convention(tmp_path, rates):
    path = _fx_csv(tmp_path / "fx_rates.csv", rates)
    expected = [float(r.replace(",", ".")) for r in rates]
    assert load_table(path, "fx_rates")["rate"].tolist() == expected


def test_thousands_groups_in_both_conventions(tmp_path):
    inv = "invoice_id;invoice_date;billing_account;net_amount\n"
    for name, values in (
        ("point.csv", ["1,234,567.50", "1,234.05", "12.5", "-7"]),
        ("comma.csv", ["1.234.567,50", "1.234,05", "12,5", "7-"]),
    ):
        rows = "".join(f"F{i};2026-01-01;C1;{v}\n" for i, v in enumerate(values))
        (tmp_path / name).write_text(inv + rows, encoding="utf-8")
        amounts = load_table(tmp_path / name, "invoices")["net_amount"].tolist()
        assert amounts == [123456750, 123405, 1250, -700], name


def test_mixed_conventions_across_columns_of_one_file(tmp_path):
    path = tmp_path / "wallets.csv"
    path.write_text(
        "group_id;as_of;annual_wallet;our_rank\n"
        "C1;2026-06-30;5400000,50;1\nC2;2026-06-30;1.234.567;2\n"
        "C3;2026-06-30;12.25;3\n",
        encoding="utf-8",
    )
    err = _load_error(path, "wallets")
    assert [(p.row, p.value) for p in err.problems] == [(4, "12.25")]


def _xlsx_invoices(path, amounts):
    n = len(amounts)
    pd.DataFrame(
        {
            "invoice_id": [f"F{i}" for i in range(n)],
            "invoice_date": ["2026-01-01"] * n,
            "billing_account": ["C1"] * n,
            "net_amount": amounts,
        }
    ).to_excel(path, index=False)
    return path


def test_one_text_cell_in_a_numeric_xlsx_column_is_one_error(tmp_path):
    """Issue 12.1: on fab6f7d a text cell with a comma made every number cell an error."""
    amounts = [1234.5 + i for i in range(1979)] + ["12,5x"]
    err = _load_error(_xlsx_invoices(tmp_path / "invoices.xlsx", amounts), "invoices")
    assert err.count == 1
    assert (err.problems[0].row, err.problems[0].value) == (1981, "12,5x")


def test_text_cells_of_an_xlsx_number_column_follow_the_file(tmp_path):
    path = _xlsx_invoices(tmp_path / "invoices.xlsx", [1234.5, "1.234,50", 7, "12,5"])
    assert load_table(path, "invoices")["net_amount"].tolist() == [123450, 123450, 700, 1250]


# --------------------------------------------------------------------------- bounds


def _invoices_csv(path, amounts, sep=";"):
    head = sep.join(["invoice_id", "invoice_date", "billing_account", "net_amount"])
    rows = [sep.join([f"F{i}", "2026-01-01", "C1", a]) for i, a in enumerate(amounts)]
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return path


def test_huge_amounts_are_refused_with_row_and_value(tmp_path):
    """Issue 12.4: on fab6f7d these read as 0.00 and as -92 quadrillion."""
    amounts = [
        "99999999999999999999,00",
        "92233720368547758,07",
        "-10000000000000,00",
        "9999999999999,99",
        "-9999999999999,99",
        "00000000000012,00",
    ]
    err = _load_error(_invoices_csv(tmp_path / "invoices.csv", amounts), "invoices")
    assert [(p.row, p.value) for p in err.problems] == [
        (2, "99999999999999999999,00"),
        (3, "92233720368547758,07"),
        (4, "-10000000000000,00"),
    ]
    assert all("10,000,000,000,000" in p.expected for p in err.problems)
    ok = load_table(_invoices_csv(tmp_path / "ok.csv", amounts[3:]), "invoices")
    assert ok["net_amount"].tolist() == [999999999999999, -999999999999999, 1200]


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_huge_typed_amounts_are_refused(tmp_path, suffix):
    import warnings

    frame = pd.DataFrame(
        {
            "invoice_id": ["F1", "F2", "F3"],
            "invoice_date": ["2026-01-01"] * 3,
            "billing_account": ["C1"] * 3,
            "net_amount": [1e20, -9_999_999_999_999.99, -1e13],
        }
    )
    path = tmp_path / f"invoices{suffix}"
    getattr(frame, "to_excel" if suffix == ".xlsx" else "to_parquet")(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fab6f7d: "invalid value encountered in cast"
        err = _load_error(path, "invoices")
    assert [p.row for p in err.problems] == [2, 4]
    assert all("10,000,000,000,000" in p.expected for p in err.problems)


@pytest.mark.parametrize("rate", ["0", "-1,17", "1000000", "1.5e9", "inf"])
def test_rates_out_of_bounds_are_refused(tmp_path, rate):
    err = _load_error(_fx_csv(tmp_path / "fx_rates.csv", ["1,17", rate]), "fx_rates")
    assert [(p.row, p.value) for p in err.problems] == [(3, rate)]


def test_amount_too_large_once_converted(broken_copy):
    path = broken_copy / "invoices.csv"
    set_invoice(path, 123, "currency", "GBP")  # a GBP rate is about 1.15
    set_cell(path, 123, "net_amount", "9000000000000,00")
    with pytest.raises(InputError) as info:
        load_dataset(broken_copy)
    (problem,) = info.value.problems
    assert (problem.file, problem.row, problem.column) == ("invoices.csv", 123, "net_amount")
    assert problem.value == "9000000000000.00" and "once converted" in problem.expected


# --------------------------------------------------------------------------- headers and files


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_duplicated_column_name_is_refused(tmp_path, suffix):
    """Issue 12.6: on fab6f7d the first net_amount was used silently (CSV, xlsx)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = ["invoice_id", "invoice_date", "billing_account", "net_amount", "net_amount"]
    values = [["F1"], ["2026-01-01"], ["C1"], [1.0], [2.0]]
    path = tmp_path / f"invoices{suffix}"
    if suffix == ".parquet":
        pq.write_table(pa.table([pa.array(v) for v in values], names=names), path)
    else:
        frame = pd.DataFrame({i: v for i, v in enumerate(values)})
        frame.columns = names
        if suffix == ".csv":
            frame.to_csv(path, index=False)
        else:
            frame.to_excel(path, index=False)
    err = _load_error(path, "invoices")
    assert [(p.file, p.row, p.column) for p in err.problems] == [(path.name, 1, "net_amount")]
    assert "columns 4 and 5" in err.problems[0].expected


def test_utf16_csv_is_read(tmp_path):
    """Issue 12.15: on fab6f7d a garbled column name and 'looks like Windows-1252'."""
    text = "invoice_id\tinvoice_date\tbilling_account\tnet_amount\nF1\t2026-01-01\tC1\t12,50\n"
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        assert load_table(path, "invoices")["net_amount"].tolist() == [1250], encoding


def test_binary_csv_is_refused(tmp_path):
    path = tmp_path / "invoices.csv"
    path.write_bytes(b"invoice_id;net_amount\n\x00\x01garbage")
    assert "zero bytes" in _load_error(path, "invoices").problems[0].expected


def _written(cents: int, sep: str, grouped: bool, trim: bool, trailing_minus: bool) -> str:
    """An amount as an export might write it: decimal ``sep``, maybe thousands groups,
    maybe without trailing zero decimals (12.5, 12), maybe with a trailing minus."""
    group = "," if sep == "." else "."
    whole = f"{abs(cents) // 100:,}".replace(",", group) if grouped else str(abs(cents) // 100)
    frac = f"{abs(cents) % 100:02d}"
    if trim:
        frac = frac.rstrip("0")
    text = whole + (sep + frac if frac else "")
    if cents < 0:
        text = text + "-" if trailing_minus else "-" + text
    return text


AMOUNTS = st.integers(min_value=-(10**15 - 1), max_value=10**15 - 1)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([".", ","]),
    st.lists(
        st.tuples(AMOUNTS, st.booleans(), st.booleans(), st.booleans()), min_size=1, max_size=12
    ),
    st.sampled_from([".", ","]),
    st.integers(min_value=0, max_value=11),
)
def test_amounts_in_either_convention_read_back_exactly_or_are_refused(
    tmp_path_factory, sep, values, stray_sep, stray_at
):
    """Issue 12.1: whatever the convention, groups and decimals, an amount parses back to
    the same cents or the file is refused; never a silently different amount. One value
    may be written in the other convention (a hand edit): then the file may be refused.
    On fab6f7d, 1,230 (1230 with "," grouping thousands) read as 1.23."""
    folder = tmp_path_factory.mktemp("conventions")
    cents = [c for c, *_ in values]
    texts = [_written(c, sep, g, t, m) for c, g, t, m in values]
    if stray_at < len(values):
        c, g, t, m = values[stray_at]
        texts[stray_at] = _written(c, stray_sep, g, t, m)
    path = _invoices_csv(folder / "invoices.csv", texts, sep=";")
    try:
        got = load_table(path, "invoices")["net_amount"].tolist()
    except InputError as err:
        # Refused only for a reason: a mix of conventions, or a value that is ambiguous.
        assert all(p.column == "net_amount" for p in err.problems)
        mixed = stray_at < len(values) and stray_sep != sep
        # With two decimals everywhere each value shows its convention: no reason to refuse.
        assert mixed or not all(not t for _, _, t, _ in values), (texts, err)
        return
    assert got == cents, (texts, got)
