"""Link suggestions: found pairs, normalisation, direction, known groups, the review CSV."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from account_analysis.authoring.links import (
    MAX_BLOCK,
    REVIEW_COLUMNS,
    SUGGESTION_COLUMNS,
    name_core,
    normalise_name,
    suggest_links,
    write_link_review,
)
from account_analysis.load.dataset import load_table
from account_analysis.load.schema import TABLES


def accounts(*rows: tuple[str, str, str], parents: dict[str, str] | None = None):
    """An accounts frame from (account_id, name, postcode) rows, all in NL."""
    frame = pd.DataFrame(rows, columns=["account_id", "name", "postcode"])
    parents = parents or {}
    return frame.assign(country="NL", parent_id=[parents.get(i, "") for i in frame["account_id"]])


def pairs(suggestions: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(suggestions["account_id"], suggestions["candidate_parent_id"], strict=True))


VAN_HOUTEN = accounts(
    ("C1", "Van Houten Logistiek Groep B.V.", "2991 LA"),
    ("C2", "Bakkerij Smit", "2991 LB"),
    ("C3", "Van Houten Distributie B.V.", "2993 AB"),
    ("C4", "Houtbouw Noord B.V.", "2992 CD"),
    ("C5", "Zorgcentrum De Linde", "2993 XX"),
)


def test_the_obvious_pair_is_found_with_its_evidence():
    s = suggest_links(VAN_HOUTEN)
    assert list(s.columns) == SUGGESTION_COLUMNS
    assert pairs(s) == {("C3", "C1")}
    row = s.iloc[0]
    assert row["account_name"] == "Van Houten Distributie B.V."
    assert row["candidate_parent_name"] == "Van Houten Logistiek Groep B.V."
    assert 85 <= row["score"] <= 100
    assert "same name core 'van houten'" in row["reason"]
    assert "same postcode region 29" in row["reason"]
    assert "holding word" in row["reason"]
    assert not row["already_same_group"]
    assert row["valid_from"] == "" and row["valid_to"] == ""
    assert row["candidate_group_id"] == "C1"


def test_similar_names_are_suggested_in_one_region_but_not_across_the_country():
    near = accounts(("A1", "Jansen Transport B.V.", "9711 AB"),
                    ("A2", "Jansen Logistiek B.V.", "9722 CD"))  # fmt: skip
    far = accounts(("A1", "Jansen Transport B.V.", "9711 AB"),
                   ("A2", "Jansen Logistiek B.V.", "6211 CD"))  # fmt: skip
    assert pairs(suggest_links(near)) == {("A2", "A1")}
    assert suggest_links(far).empty
    # Below the default threshold, not gone: the score only lost the region points.
    assert pairs(suggest_links(far, min_score=70)) == {("A2", "A1")}


def test_one_place_name_in_two_lines_of_business_is_not_a_group():
    acc = accounts(("H1", "Hotel Reigersbos Leeuwarden B.V.", "8911 AB"),
                   ("H2", "Huisartsenpraktijk Reigersbos Leeuwarden", "8912 CD"),
                   ("H3", "Hotel Reigersbos Leeuwarden vestiging Sneek", "8601 EF"))  # fmt: skip
    assert pairs(suggest_links(acc)) == {("H3", "H1")}
    low = suggest_links(acc, min_score=0, max_per_account=None)
    reason = low.loc[low["account_id"] == "H2", "reason"].iloc[0]
    assert "other lines of business: huisartsenpraktijk (zorg) and hotel (horeca)" in reason


def test_names_sharing_only_a_town_are_not_suggested():
    acc = accounts(("K1", "Accountantskantoor Van Dam Dordrecht B.V.", "3311 AB"),
                   ("K2", "Accountantskantoor Maas Dordrecht B.V.", "3312 CD"))  # fmt: skip
    assert suggest_links(acc).empty


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Van Houten Logistiek Groep B.V.", "van houten logistiek"),
        ("Van Houten Distributie BV", "van houten distributie"),
        ("Polderland Bouwgroep N.V.", "polderland bouwgroep"),  # a compound is a name
        ("Kuipers Holding B.V.", "kuipers"),
        ("Stichting Onderwijs Brabant", "onderwijs brabant"),
        ("Inkoopcombinatie Facilitair Midden U.A.", "inkoopcombinatie facilitair midden"),
        ("Bakker V.O.F.", "bakker"),
        ("Niederrhein Kühlhaus GmbH", "niederrhein kuhlhaus"),
        ("Brantwick Facilities Ltd", "brantwick facilities"),
        ("Scheldeport Logistics NV", "scheldeport logistics"),
        ("Vendôme Services S.A.", "vendome services"),
        ("Huis & Hof vestiging Den Haag", "huis hof"),
        ("Polderland Woningbouw regio Noord", "polderland woningbouw"),
        ("Regio Zorg Noord B.V.", "regio zorg noord"),  # a leading "regio" is the name
        ("Sint-Jozefschool ('s-Hertogenbosch)", "sint jozefschool s hertogenbosch"),
        ("Holding B.V.", "holding"),  # nothing but legal form: keep a word
    ],
)
def test_normalise_name_strips_legal_forms_and_branch_qualifiers(name, normalised):
    assert normalise_name(name) == normalised


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("Van Houten Distributie B.V.", "van houten"),
        ("Van Houten DC Venlo", "van houten venlo"),
        ("Zorggroep Vlietstreek B.V.", "vlietstreek"),
        ("Bouwbedrijf Peeters", "peeters"),
        ("Koel- en Vriestransport Kramer", "koel en kramer"),
        ("Hotel B.V.", "hotel"),  # nothing distinctive: the name itself
    ],
)
def test_name_core_drops_activity_words(name, core):
    assert name_core(name) == core


def test_input_is_not_mutated():
    acc = accounts(*VAN_HOUTEN[["account_id", "name", "postcode"]].itertuples(index=False),
                   parents={"C5": "C2"})  # fmt: skip
    links = pd.DataFrame({"account_id": ["C4"], "parent_id": ["C2"], "valid_from": ["2025-01-01"],
                          "valid_to": [""], "reason": ["test"]})  # fmt: skip
    before, links_before = acc.copy(deep=True), links.copy(deep=True)
    result = suggest_links(acc, include_known=True, parent_links=links, min_score=0)
    assert len(result)
    pd.testing.assert_frame_equal(acc, before)
    pd.testing.assert_frame_equal(links, links_before)


def test_pairs_already_in_one_group_are_left_out_unless_asked():
    linked = VAN_HOUTEN.assign(parent_id=["", "", "C1", "", ""])
    assert suggest_links(linked).empty
    known = suggest_links(linked, include_known=True)
    assert pairs(known) == {("C3", "C1")}
    assert known["already_same_group"].tolist() == [True]


def test_parent_links_count_as_known_structure():
    links = pd.DataFrame({"account_id": ["C3"], "parent_id": ["C1"],
                          "valid_from": [pd.Timestamp("2025-06-01")], "valid_to": [pd.NaT],
                          "reason": ["Acquired"]})  # fmt: skip
    assert suggest_links(VAN_HOUTEN, parent_links=links).empty
    assert pairs(suggest_links(VAN_HOUTEN, parent_links=links.iloc[:0])) == {("C3", "C1")}


def test_a_new_account_gets_one_candidate_per_known_group():
    acc = accounts(("G1", "Polderland Bouwgroep N.V.", "3431 AB"),
                   ("G2", "Polderland Woningbouw B.V.", "3511 CD"),
                   ("G3", "Polderland Infra B.V.", "3432 EF"),
                   ("N1", "Polderland Infra materieeldienst", "3433 GH"),
                   parents={"G2": "G1", "G3": "G1"})  # fmt: skip
    s = suggest_links(acc)
    assert set(s["account_id"]) == {"N1"}
    assert len(s) == 1
    assert s["candidate_parent_id"].iloc[0] == "G3"  # its best match in the group
    assert s["candidate_group_id"].iloc[0] == "G1"


@pytest.mark.parametrize(
    ("child", "parent", "rule"),
    [
        ("Kuipers Installatietechniek B.V.", "Kuipers Holding B.V.", "holding word in name"),
        ("Van Houten Distributie B.V.", "Van Houten Logistiek Groep B.V.", "holding word in name"),
        ("Van Dam Transport vestiging Venlo", "Van Dam Transport B.V.", "the other is a branch"),
        ("Ziekenhuis Vlietstreek Leiden", "Zorggroep Vlietstreek", "shorter name"),
    ],
)
@pytest.mark.parametrize("parent_first", [True, False])
def test_direction_picks_the_holding_whatever_the_order(child, parent, rule, parent_first):
    rows = [("P", parent, "2311 AB"), ("Q", child, "2312 CD")]
    if not parent_first:  # also swap the account numbers, so the lower one is the child
        rows = [("P", child, "2312 CD"), ("Q", parent, "2311 AB")]
    s = suggest_links(accounts(*rows))
    assert len(s) == 1
    assert s["account_name"].iloc[0] == child
    assert s["candidate_parent_name"].iloc[0] == parent
    assert s["reason"].iloc[0].endswith(f"parent: {rule}")


def test_an_account_with_children_is_the_parent():
    acc = accounts(("A", "Brinkman Metaal B.V.", "7511 AB"),
                   ("B", "Brinkman Metaalbewerking B.V.", "7512 CD"),
                   ("C", "Staalservice Twente", "7551 EF"),
                   parents={"C": "B"})  # fmt: skip
    s = suggest_links(acc)
    row = s[s["candidate_parent_id"] == "B"]
    assert row["account_id"].tolist() == ["A"]
    assert row["reason"].iloc[0].endswith("parent: more child accounts")


def test_results_are_best_first_and_capped_per_account():
    acc = accounts(("H", "Vossendaal Holding B.V.", "1011 AB"),
                   *[(f"V{i}", f"Vossendaal vestiging {t}", f"10{i}2 CD")
                     for i, t in enumerate(["Noord", "Zuid", "Oost", "West", "Centrum"])],
                   ("X", "Vossendaal Verpakkingen", "9711 AB"))  # fmt: skip
    s = suggest_links(acc, min_score=0)
    assert s["score"].is_monotonic_decreasing
    assert s.groupby("account_id").size().max() == 3
    assert set(s.loc[s["account_id"] == "V0", "candidate_parent_id"]) >= {"H"}
    assert s.loc[s["account_id"] == "V0", "candidate_parent_id"].iloc[0] == "H"
    assert (
        suggest_links(acc, min_score=0, max_per_account=None).groupby("account_id").size().max() > 3
    )


def test_a_word_in_too_many_names_is_compared_within_a_region_only():
    # 231 accounts share "Heijnsbergen": more than MAX_BLOCK, so only accounts in one postcode
    # region (first two digits) are compared.
    west = [
        (f"W{i:03d}", f"Heijnsbergen vestiging {i}", f"1{i % 90 + 10:02d}1 AB") for i in range(180)
    ]  # region 11..19
    east = [
        (f"E{i:03d}", f"Heijnsbergen vestiging {i}", f"7{i % 90 + 10:02d}1 AB") for i in range(50)
    ]  # region 71..79
    acc = accounts(("H", "Heijnsbergen Holding B.V.", "1101 AA"), *west, *east)
    assert len(acc) > MAX_BLOCK
    s = suggest_links(acc, max_per_account=None)
    region = dict(zip(acc["account_id"], acc["postcode"].str[:2], strict=True))
    assert len(s) > 0
    assert all(region[c] == region[p] for c, p in pairs(s))
    assert set(s.loc[s["candidate_parent_id"] == "H", "account_id"]) == {
        a for a, r in region.items() if r == "11" and a != "H"
    }


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="postcode"):
        suggest_links(VAN_HOUTEN.drop(columns="postcode"))
    with pytest.raises(ValueError, match="not unique: 'C1'"):
        suggest_links(pd.concat([VAN_HOUTEN, VAN_HOUTEN.iloc[:1]]))
    with pytest.raises(ValueError, match="between 0 and 100"):
        suggest_links(VAN_HOUTEN, min_score=120)


def test_empty_and_single_account_inputs_give_an_empty_table():
    for acc in (VAN_HOUTEN.iloc[:0], VAN_HOUTEN.iloc[:1]):
        s = suggest_links(acc)
        assert s.empty and list(s.columns) == SUGGESTION_COLUMNS


def test_review_csv_round_trips_with_an_empty_accept_column(tmp_path):
    acc = pd.concat(
        [
            VAN_HOUTEN,
            accounts(
                ("D1", "Niederrhein Kühlhaus GmbH", "2991 AA"),
                ("D2", "Niederrhein Kühlhaus Logistik", "2992 BB"),
            ),
        ]
    )
    s = suggest_links(acc)
    assert len(s) == 2
    path = tmp_path / "link_review.csv"
    write_link_review(s, path)
    assert [p.name for p in tmp_path.iterdir()] == ["link_review.csv"]
    text = path.read_bytes().decode("utf-8")
    assert text.splitlines()[0] == ",".join(REVIEW_COLUMNS)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(back.columns) == REVIEW_COLUMNS
    assert REVIEW_COLUMNS[:5] == TABLES["parent_links"].column_names
    assert back["accept"].tolist() == ["", ""]
    assert back["account_id"].tolist() == s["account_id"].tolist()
    assert back["parent_id"].tolist() == s["candidate_parent_id"].tolist()
    assert back["reason"].tolist() == s["reason"].tolist()
    assert back["account_name"].tolist() == s["account_name"].tolist()  # ü survives
    assert back["score"].astype(float).tolist() == s["score"].tolist()
    assert back["valid_from"].tolist() == ["", ""]


def test_accepted_review_rows_paste_into_parent_links(tmp_path):
    review = tmp_path / "review.csv"
    write_link_review(suggest_links(VAN_HOUTEN), review)
    rows = pd.read_csv(review, dtype=str, keep_default_na=False)
    rows["accept"] = "yes"
    rows["valid_from"] = "2026-01-01"  # the analyst's part
    accepted = rows[rows["accept"] == "yes"].iloc[:, :5]
    target = tmp_path / "parent_links.csv"
    accepted.to_csv(target, index=False)
    links = load_table(target, "parent_links")
    assert links[["account_id", "parent_id"]].values.tolist() == [["C3", "C1"]]
    assert links["valid_from"].iloc[0] == pd.Timestamp("2026-01-01")


def test_review_csv_neutralises_text_a_spreadsheet_would_run_as_a_formula(tmp_path):
    evil = '=HYPERLINK("http://evil.example/x","Van Houten Logistiek Groep B.V.")'
    acc = accounts(
        ("C1", evil, "2991 LA"),
        ("C3", "@Van Houten Distributie B.V.", "2993 AB"),
        ("C4", "-Van Houten Transport", "2992 CD"),
    )
    s = suggest_links(acc, min_score=0)
    assert s["account_name"].str.startswith(("=", "@", "-")).all()  # raw in the frame
    path = tmp_path / "review.csv"
    write_link_review(s, path)
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    names = back[["account_name", "parent_name"]].stack().tolist()
    assert names and all(n.startswith("'") for n in names)
    assert {n[1:] for n in names} <= {evil, "@Van Houten Distributie B.V.", "-Van Houten Transport"}
    assert not any(
        cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in back.stack()
    )  # nothing Excel would read as a formula
    assert back["account_id"].tolist() == s["account_id"].tolist()  # ordinary text unchanged


def test_review_rejects_a_frame_that_is_not_a_suggestion_table(tmp_path):
    with pytest.raises(ValueError, match="candidate_parent_id"):
        write_link_review(VAN_HOUTEN, tmp_path / "x.csv")
    assert not list(tmp_path.iterdir())


BRANDS = ("Van Houten", "Polderland", "Kuipers", "De Vries", "Vossendaal")
TAILS = (
    "Holding B.V.",
    "Groep B.V.",
    "Transport B.V.",
    "Logistiek",
    "Bouw B.V.",
    "vestiging Venlo",
    "vestiging Utrecht",
    "Installatietechniek",
    "Noord B.V.",
    "",
)
POSTCODES = ("2991 AB", "2992 CD", "5911 EF", "3511 GH", "9711 JK", "B-2030")


@st.composite
def account_lists(draw):
    n = draw(st.integers(2, 12))
    rows = [
        (f"C{i:02d}",
         f"{draw(st.sampled_from(BRANDS))} {draw(st.sampled_from(TAILS))}".strip(),
         draw(st.sampled_from(POSTCODES)))
        for i in range(n)
    ]  # fmt: skip
    frame = accounts(*rows)
    frame["country"] = frame["postcode"].str.startswith("B-").map({True: "BE", False: "NL"})
    parents = draw(st.lists(st.sampled_from(range(n)), min_size=n, max_size=n))
    # A parent is always an earlier account, so there are no cycles.
    frame["parent_id"] = [
        f"C{p:02d}" if p < i and draw(st.booleans()) else "" for i, p in enumerate(parents)
    ]
    return frame


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(data=st.data(), frame=account_lists())
def test_shuffling_accounts_does_not_change_the_suggestions(data, frame):
    order = data.draw(st.permutations(range(len(frame))))
    shuffled = frame.iloc[list(order)].reset_index(drop=True)
    kwargs = {"min_score": 70.0, "include_known": data.draw(st.booleans())}
    original, again = suggest_links(frame, **kwargs), suggest_links(shuffled, **kwargs)
    assert pairs(original) == pairs(again)
    pd.testing.assert_frame_equal(original, again)


def test_suggest_links_command_writes_a_review_file(demo_dir, tmp_path):
    from conftest import run_cli

    out = tmp_path / "review.csv"
    result = run_cli("suggest-links", demo_dir, "--out", out)
    assert result.returncode == 0, result.stderr
    review = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(review) > 100 and (review["accept"] == "").all()
    assert "Nothing is applied" in result.stdout
