"""GLEIF Level 2 relationship import: links, counts, and clear errors for bad files."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from account_analysis.errors import InputError
from account_analysis.load.gleif import lei_check_digits, lei_problems, read_gleif_relationships

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "gleif" / "relationships.csv"

HOLDING = "724500HOLDINGNV00117"
MID = "724500MIDHOLDING0113"
SUB1 = "724500SUBSIDIARY0113"
SUB2 = "724500SUBSIDIARY0210"
SUB3 = "724500SUBSIDIARY0307"
BRANCH = "724500BRANCHBE000130"
FORMER = "724500FORMERPAR00183"
NOT_IN_MASTER = "724500NOTINMASTER135"
FOREIGN_PARENT = "724500FOREIGNPAR0105"

START, END = "Relationship.StartNode.NodeID", "Relationship.EndNode.NodeID"
DIRECT, ULTIMATE = "IS_DIRECTLY_CONSOLIDATED_BY", "IS_ULTIMATELY_CONSOLIDATED_BY"


def master() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": ["C100", "C110", "C111", "C112", "C113", "C120", "C130", "C140"],
            "name": [
                "Holding NV",
                "Mid BV",
                "Sub 1 BV",
                "Sub 2 BV",
                "Sub 3 BV",
                "Branch BE",
                "Former parent NV",
                "Shop without LEI",
            ],
            "lei": [HOLDING, MID, SUB1, SUB2, SUB3, BRANCH, FORMER, ""],
        }
    )


def independent_check(lei: str) -> bool:
    """ISO 17442 / ISO 7064 MOD 97-10, written the slow obvious way."""
    return int("".join(str(int(c, 36)) for c in lei)) % 97 == 1


def fixture_rows() -> list[list[str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def edited(tmp_path: Path, row: int, column: str, value: str) -> Path:
    """The fixture with one cell changed; ``row`` as a spreadsheet counts (header = 1)."""
    rows = fixture_rows()
    rows[row - 1][rows[0].index(column)] = value
    return write(tmp_path / "relationships.csv", rows)


def only_problem(err: pytest.ExceptionInfo[InputError]):
    assert len(err.value.problems) == 1, err.value.message()
    return err.value.problems[0]


def day(text: str | None):
    return pd.Timestamp(text) if text else pd.NaT


# --------------------------------------------------------------------------- LEIs


def test_fixture_leis_have_valid_check_digits():
    for lei in (HOLDING, MID, SUB1, SUB2, SUB3, BRANCH, FORMER, NOT_IN_MASTER, FOREIGN_PARENT):
        assert len(lei) == 20 and independent_check(lei), lei


@pytest.mark.parametrize(
    "base", ["5493001KJTIIGC8Y1R", "724500HOLDINGNV001", "000000000000000000", "ZZZZZZZZZZZZZZZZZZ"]
)
def test_check_digits_agree_with_the_obvious_computation(base):
    lei = base + lei_check_digits(base)
    assert independent_check(lei)
    assert lei_problems(pd.Series([lei])).tolist() == [""]


def test_lei_problems_tells_shape_from_check_digits():
    verdict = lei_problems(
        pd.Series(
            [SUB1, SUB1[:-2] + "14", SUB1[:-1], "724500SUBSIDIARY01AB", "724500SUBSIDIARY0-13"]
        )
    )
    assert verdict[0] == ""
    assert "valid check digits" in verdict[1]
    assert all("20 characters" in v for v in verdict[2:])


# --------------------------------------------------------------------------- the fixture


def test_links_from_the_fixture():
    result = read_gleif_relationships(FIXTURE, master())
    expected = pd.DataFrame(
        [
            # Mid BV is held directly by the holding since 2015 (date without time).
            ("C110", "C100", "2015-01-01", None, DIRECT),
            # Sub 1 has a direct and an ultimate parent: both kept. The relationship period is
            # period 2 of its record; its accounting and filing periods are not the link.
            ("C111", "C110", "2019-05-01", None, DIRECT),
            ("C111", "C100", "2019-05-01", None, ULTIMATE),
            # Sub 2 moved from the former parent (INACTIVE, ended) to Mid BV; the calendar day
            # is taken as written, not shifted to UTC.
            ("C112", "C130", "2016-01-01", "2020-06-30", DIRECT),
            ("C112", "C110", "2020-07-01", None, DIRECT),
            # No period at all: open at both ends.
            ("C113", "C100", None, None, DIRECT),
        ],
        columns=["account_id", "parent_id", "valid_from", "valid_to", "relationship_type"],
    )
    expected = expected.assign(
        valid_from=expected["valid_from"].map(day).astype("datetime64[s]"),
        valid_to=expected["valid_to"].map(day).astype("datetime64[s]"),
        reason="GLEIF " + expected["relationship_type"],
    )[["account_id", "parent_id", "valid_from", "valid_to", "reason", "relationship_type"]]
    expected = expected.astype(
        {"account_id": "str", "parent_id": "str", "reason": "str", "relationship_type": "str"}
    )
    got = result.links.sort_values(
        ["account_id", "valid_from", "relationship_type"], na_position="first"
    ).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)


def test_counts_from_the_fixture():
    counts = read_gleif_relationships(FIXTURE, master()).counts
    assert counts == {
        "rows_read": 11,
        "rows_used": 6,
        "ignored_types": {"IS_FUND-MANAGED_BY": 1, "IS_INTERNATIONAL_BRANCH_OF": 1},
        "skipped_child_not_in_master": 1,
        "skipped_parent_not_in_master": 1,
        "skipped_inactive_without_end_date": 1,
        "links": 6,
    }


def test_does_not_mutate_the_master():
    accounts = master().assign(lei=lambda f: f["lei"].str.lower())
    before = accounts.copy()
    result = read_gleif_relationships(FIXTURE, accounts)
    pd.testing.assert_frame_equal(accounts, before)
    # LEIs are compared in upper case, so a lower-case master still joins.
    assert result.counts["rows_used"] == 6


def test_child_and_parent_both_unknown_counts_as_child_unknown(tmp_path):
    path = edited(tmp_path, 9, END, FOREIGN_PARENT)
    counts = read_gleif_relationships(path, master()).counts
    assert counts["skipped_child_not_in_master"] == 1
    assert counts["skipped_parent_not_in_master"] == 1


def test_each_relationship_period_gives_a_link(tmp_path):
    rows = fixture_rows()
    header = rows[0]
    row = rows[4]  # Sub 2 → former parent, INACTIVE, period 1 ended 2020-06-30
    row[header.index("Relationship.Period.2.startDate")] = "2022-01-01T00:00:00Z"
    row[header.index("Relationship.Period.2.periodType")] = "RELATIONSHIP_PERIOD"
    row[header.index("Relationship.Period.3.startDate")] = "2010-01-01T00:00:00Z"
    row[header.index("Relationship.Period.3.endDate")] = "2012-12-31T00:00:00Z"
    row[header.index("Relationship.Period.3.periodType")] = "RELATIONSHIP_PERIOD"
    result = read_gleif_relationships(write(tmp_path / "rr.csv", rows), master())
    former = result.links[result.links["parent_id"] == "C130"]
    # The open period of an INACTIVE record says nothing: only the ended ones are kept.
    assert sorted(
        zip(
            former["valid_from"].dt.date.astype(str),
            former["valid_to"].dt.date.astype(str),
            strict=True,
        )
    ) == [("2010-01-01", "2012-12-31"), ("2016-01-01", "2020-06-30")]
    assert result.counts["rows_used"] == 6 and result.counts["links"] == 7


def test_blank_lines_are_not_records_but_keep_row_numbers(tmp_path):
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "")  # a blank line as row 4
    lines[6] = lines[6].replace('"ACTIVE"', '"ACTIEF"', 1)  # Sub 2 → Mid, now row 7
    path = tmp_path / "rr.csv"
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_gleif_relationships(path, master())
    problem = only_problem(err)
    assert (problem.row, problem.column, problem.value) == (
        7,
        "Relationship.RelationshipStatus",
        "ACTIEF",
    )


def test_extra_and_missing_optional_columns_are_fine(tmp_path):
    rows = fixture_rows()
    keep = [
        i
        for i, name in enumerate(rows[0])
        if not name.startswith(("Registration.", "Relationship.Period.3."))
    ]
    rows = [[r[i] for i in keep] + ["x"] for r in rows]
    rows[0][-1] = "Extension.Something"
    result = read_gleif_relationships(write(tmp_path / "rr.csv", rows), master())
    assert result.counts["rows_used"] == 6


def test_without_period_columns_every_link_is_open(tmp_path):
    rows = fixture_rows()
    keep = [i for i, name in enumerate(rows[0]) if not name.startswith("Relationship.Period.")]
    result = read_gleif_relationships(
        write(tmp_path / "rr.csv", [[r[i] for i in keep] for r in rows]), master()
    )
    assert result.links["valid_from"].isna().all() and result.links["valid_to"].isna().all()
    # Both INACTIVE records lost their end dates, so neither tells any history now.
    assert result.counts["skipped_inactive_without_end_date"] == 2
    assert result.counts["rows_used"] == 5


def test_byte_order_mark_is_not_part_of_the_first_column_name(tmp_path):
    path = tmp_path / "rr.csv"
    path.write_bytes(b"\xef\xbb\xbf" + FIXTURE.read_bytes())
    assert read_gleif_relationships(path, master()).counts["rows_used"] == 6


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "column", [START, "Relationship.RelationshipStatus", "Relationship.EndNode.NodeIDType"]
)
def test_missing_required_column(tmp_path, column):
    rows = fixture_rows()
    at = rows[0].index(column)
    path = write(tmp_path / "rr.csv", [r[:at] + r[at + 1 :] for r in rows])
    with pytest.raises(InputError) as err:
        read_gleif_relationships(path, master())
    problem = only_problem(err)
    assert (problem.file, problem.row, problem.column) == ("rr.csv", 1, column)


@pytest.mark.parametrize(
    "value",
    ["2019-13-01T00:00:00Z", "01-05-2019", "2019-02-30", "yesterday", "2019-05-01T25:00:00Z"],
)
def test_unparseable_date(tmp_path, value):
    path = edited(tmp_path, 2, "Relationship.Period.2.startDate", value)
    with pytest.raises(InputError) as err:
        read_gleif_relationships(path, master())
    problem = only_problem(err)
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "relationships.csv",
        2,
        "Relationship.Period.2.startDate",
        value,
    )
    assert "ISO 8601" in problem.expected


def test_end_before_start(tmp_path):
    path = edited(tmp_path, 5, "Relationship.Period.1.endDate", "2015-12-31T00:00:00Z")
    with pytest.raises(InputError) as err:
        read_gleif_relationships(path, master())
    problem = only_problem(err)
    assert (problem.row, problem.column) == (5, "Relationship.Period.1.endDate")


def test_bad_check_digits(tmp_path):
    bad = SUB2[:-2] + "11"
    assert not independent_check(bad)
    path = edited(tmp_path, 6, START, bad)
    with pytest.raises(InputError) as err:
        read_gleif_relationships(path, master())
    problem = only_problem(err)
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "relationships.csv",
        6,
        START,
        bad,
    )
    assert "check digits" in problem.expected


def test_malformed_lei_even_in_an_ignored_record(tmp_path):
    path = edited(tmp_path, 11, END, "FOREIGNPAR")
    with pytest.raises(InputError) as err:
        read_gleif_relationships(path, master())
    problem = only_problem(err)
    assert (problem.row, problem.column, problem.value) == (11, END, "FOREIGNPAR")
    assert "20 characters" in problem.expected


def test_self_link(tmp_path):
    path = edited(tmp_path, 4, END, MID)  # Mid BV consolidated by itself
    with pytest.raises(InputError) as err:
        read_gleif_relationships(path, master())
    problem = only_problem(err)
    assert (problem.row, problem.column, problem.value) == (4, END, MID)
    assert "different from the child" in problem.expected


def test_node_type_other_than_lei(tmp_path):
    path = edited(tmp_path, 3, "Relationship.StartNode.NodeIDType", "BIC")
    with pytest.raises(InputError) as err:
        read_gleif_relationships(path, master())
    problem = only_problem(err)
    assert (problem.row, problem.column, problem.value) == (
        3,
        "Relationship.StartNode.NodeIDType",
        "BIC",
    )


@pytest.mark.parametrize("content", [b"", b"\n\n", b"   \r\n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "rr.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_gleif_relationships(path, master())
    problem = only_problem(err)
    assert problem.file == "rr.csv" and "empty" in problem.expected


def test_header_only(tmp_path):
    path = write(tmp_path / "rr.csv", fixture_rows()[:1])
    with pytest.raises(InputError) as err:
        read_gleif_relationships(path, master())
    problem = only_problem(err)
    assert (problem.file, problem.row) == ("rr.csv", 2)


def test_not_utf8(tmp_path):
    path = tmp_path / "rr.csv"
    data = FIXTURE.read_bytes()
    path.write_bytes(data.replace(b"RETIRED", b"RETIR\xc9", 1))  # Latin-1 É on row 5
    with pytest.raises(InputError) as err:
        read_gleif_relationships(path, master())
    problem = only_problem(err)
    assert (problem.file, problem.row, problem.column) == (
        "rr.csv",
        5,
        "Registration.RegistrationStatus",
    )
    assert "0xC9" in problem.value and "UTF-8" in problem.expected


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as err:
        read_gleif_relationships(tmp_path / "nope.csv", master())
    assert only_problem(err).file == "nope.csv"


def test_two_accounts_with_one_lei():
    accounts = master()
    accounts.loc[accounts["account_id"] == "C140", "lei"] = SUB1.lower() + " "
    with pytest.raises(InputError) as err:
        read_gleif_relationships(FIXTURE, accounts)
    problem = only_problem(err)
    assert (problem.file, problem.column, problem.value) == ("accounts", "lei", SUB1)
    assert "C111" in problem.expected and "C140" in problem.expected


def test_malformed_lei_in_the_master():
    accounts = master()
    accounts.loc[accounts["account_id"] == "C140", "lei"] = SUB1[:-2] + "99"
    with pytest.raises(InputError) as err:
        read_gleif_relationships(FIXTURE, accounts)
    problem = only_problem(err)
    assert (problem.file, problem.column, problem.value) == ("accounts", "lei", SUB1[:-2] + "99")
    assert "C140" in problem.expected


# --------------------------------------------------------------------------- properties

_ROWS = fixture_rows()
_MASTER = master()


def _canonical(links: pd.DataFrame) -> pd.DataFrame:
    return links.sort_values(list(links.columns), na_position="first").reset_index(drop=True)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    picks=st.lists(st.integers(1, len(_ROWS) - 1), min_size=1, max_size=25),
    known=st.lists(st.booleans(), min_size=len(_MASTER), max_size=len(_MASTER)),
    seed=st.randoms(use_true_random=False),
)
def test_row_order_does_not_matter_and_links_stay_in_the_master(picks, known, seed):
    accounts = _MASTER.assign(lei=_MASTER["lei"].where(known, ""))
    records = [_ROWS[i] for i in picks]
    shuffled = records[:]
    seed.shuffle(shuffled)
    with tempfile.TemporaryDirectory() as folder:
        a = read_gleif_relationships(write(Path(folder) / "a.csv", [_ROWS[0], *records]), accounts)
        b = read_gleif_relationships(write(Path(folder) / "b.csv", [_ROWS[0], *shuffled]), accounts)
    pd.testing.assert_frame_equal(_canonical(a.links), _canonical(b.links))
    assert a.counts == b.counts
    with_lei = set(accounts.loc[accounts["lei"] != "", "account_id"])
    assert set(a.links["account_id"]) <= with_lei
    assert set(a.links["parent_id"]) <= with_lei
    c = a.counts
    assert (
        c["rows_read"]
        == len(records)
        == c["rows_used"]
        + sum(c["ignored_types"].values())
        + c["skipped_child_not_in_master"]
        + c["skipped_parent_not_in_master"]
        + c["skipped_inactive_without_end_date"]
    )
