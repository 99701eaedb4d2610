"""Link suggestions across countries and with registration ids (KvK, VAT, LEI, DUNS)."""

from __future__ import annotations

import pandas as pd
import pytest

from account_analysis.authoring.links import COUNTRY_PENALTY, MAX_BLOCK, suggest_links
from account_analysis.cli import main


def accounts(*rows, **ids: list[str]) -> pd.DataFrame:
    """An accounts frame from (account_id, name, postcode, country) rows, plus id columns."""
    frame = pd.DataFrame(rows, columns=["account_id", "name", "postcode", "country"])
    return frame.assign(parent_id="", **ids)


def pairs(s: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(s["account_id"], s["candidate_parent_id"], strict=True))


GIFTS = accounts(("S1", "Scandinavian Gift Ideas", "114 35", "SE"),
                 ("U1", "Gift Ideas Corp.", "10001", "US"))  # fmt: skip


def test_a_name_alone_does_not_link_across_countries_at_the_default_score():
    assert suggest_links(GIFTS).empty
    low = suggest_links(GIFTS, min_score=0)
    assert pairs(low) == {("S1", "U1")}
    assert low["score"].iloc[0] == 100 - COUNTRY_PENALTY
    assert "in other countries (SE, US)" in low["reason"].iloc[0]


def test_the_same_names_in_one_country_are_still_linked():
    same = GIFTS.assign(country="SE")
    s = suggest_links(same)
    assert pairs(s) == {("S1", "U1")} and s["score"].iloc[0] == 100


def test_a_common_word_abroad_is_compared_within_its_country():
    # More than MAX_BLOCK names share "fjordvik": compared within their country only, where
    # before only Dutch postcode regions split such a block and the rest was never compared.
    swedish = [(f"S{i:03d}", f"Fjordvik Handel {i}", "", "SE") for i in range(150)]
    danish = [(f"D{i:03d}", f"Fjordvik Handel {i}", "", "DK") for i in range(80)]
    acc = accounts(("SH", "Fjordvik Holding AB", "", "SE"), *swedish, *danish)
    assert len(acc) > MAX_BLOCK
    s = suggest_links(acc, min_score=0, max_per_account=None)
    country = dict(zip(acc["account_id"], acc["country"], strict=True))
    assert len(s) and all(country[c] == country[p] for c, p in pairs(s))
    assert {country[c] for c, _ in pairs(s)} == {"SE", "DK"}


ID_CASES = [
    ("kvk", "27312152", "27312153", "same KvK number 27312152"),
    ("vat", "NL801234567B01", "NL801234567B02", "same VAT number NL801234567B01"),
    ("lei", "724500VKKSH9QOLTFR81", "5493001KJTIIGC8Y1R12", "same LEI 724500VKKSH9QOLTFR81"),
    ("duns", "150483782", "150483783", "same DUNS number 150483782"),
]


@pytest.mark.parametrize(("column", "value", "other", "reason"), ID_CASES)
def test_one_registration_id_is_a_link_at_100_whatever_the_names(column, value, other, reason):
    acc = accounts(("A1", "Bakkerij Smit", "2991 LA", "NL"),
                   ("A2", "Koelhuis Noord", "9711 AB", "NL"),
                   ("A3", "Drukkerij Jansen", "5611 AA", "NL"),
                   **{column: [value, " " + value.lower() + " ", other]})  # fmt: skip
    s = suggest_links(acc)
    assert pairs(s) in ({("A2", "A1")}, {("A1", "A2")})
    assert s["score"].tolist() == [100.0]
    assert s["reason"].iloc[0].startswith(reason + "; parent: ")


def test_one_lei_links_across_countries_too():
    acc = GIFTS.assign(lei=["724500VKKSH9QOLTFR81", "724500VKKSH9QOLTFR81"])
    s = suggest_links(acc)
    assert pairs(s) == {("S1", "U1")} and s["score"].iloc[0] == 100
    assert s["reason"].iloc[0].startswith("same LEI 724500VKKSH9QOLTFR81")


@pytest.mark.parametrize(("column", "value", "other", "reason"), ID_CASES)
def test_the_same_name_with_different_ids_is_not_a_link(column, value, other, reason):
    acc = accounts(("A1", "Van Dijk Transport B.V.", "2991 LA", "NL"),
                   ("A2", "Van Dijk Transport", "2991 LB", "NL"),
                   **{column: [value, other]})  # fmt: skip
    assert pairs(suggest_links(acc.drop(columns=column))) == {("A2", "A1")}  # by name alone
    assert suggest_links(acc).empty
    assert suggest_links(acc, min_score=0).empty


def test_a_subsidiary_with_its_own_id_is_still_suggested_with_a_warning():
    acc = accounts(("H", "Kuipers Holding B.V.", "2311 AB", "NL"),
                   ("K", "Kuipers Installatietechniek B.V.", "2312 CD", "NL"),
                   kvk=["27312152", "27312153"])  # fmt: skip
    s = suggest_links(acc)
    assert pairs(s) == {("K", "H")}
    assert "but different KvK numbers: two legal entities" in s["reason"].iloc[0]


USD_ACCOUNTS = (
    "account_id,name,postcode,country,parent_id,duns\n"
    "U1,Gift Ideas Corp.,10001,US,,150483782\n"
    "U2,Gift Ideas Retail LLC,10002,US,,150483782\n"
    "S1,Scandinavian Gift Ideas,114 35,SE,,\n"
)
USD_INVOICES = (
    "invoice_id,invoice_date,billing_account,net_amount,currency,status\n"
    "F1,2026-01-15,U1,100.00,USD,posted\nF2,2026-02-15,S1,50.00,USD,posted\n"
)


def test_suggest_links_reads_the_currency_of_its_params_file(tmp_path, capsys):
    data = tmp_path / "us"
    data.mkdir()
    (data / "accounts.csv").write_text(USD_ACCOUNTS, encoding="utf-8")
    (data / "invoices.csv").write_text(USD_INVOICES, encoding="utf-8")
    params = tmp_path / "2026-Q3.yaml"
    params.write_text(
        f'period: "2026-Q3"\ndataset: {data}\nreporting_currency: USD\n', encoding="utf-8"
    )
    out = tmp_path / "review.csv"
    assert main(["suggest-links", "--params", str(params), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "1 suggested link" in printed
    review = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert review["reason"].str.startswith("same DUNS number 150483782").tolist() == [True]
    assert set(review[["account_id", "parent_id"]].iloc[0]) == {"U1", "U2"}
