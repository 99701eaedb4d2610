"""The data-quality facts: planted foreign units, units in no territory, excluded lines,
exchange rates, wallet dates and a window longer than the data are found and counted."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import make_dataset
from hypothesis import given, settings
from hypothesis import strategies as st

from account_analysis import Settings, build_cube, parse_period, score_period
from account_analysis.analysis.data_quality import data_quality, wallet_dates, window_coverage
from account_analysis.present.data_quality_sections import data_quality_section
from account_analysis.present.sections import sensitivity_section

TERRITORIES = {
    "territory_id": ["T1"],
    "name": ["Randstad"],
    "postcode_from": [1000],
    "postcode_to": [3999],
    "account_manager": ["AM01"],
}
FX = {
    "month": [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)],
    "currency": "GBP",
    "rate": [1.15 + i / 1000 for i in range(24)],
}


def planted(
    foreign: int = 1,
    gap: int = 1,
    cancelled: int = 2,
    intercompany: int = 1,
    first_month: str = "2025-01",
):
    """Group G (in territory T1) and its invoices from ``first_month`` to September 2026,
    plus ``foreign`` units abroad, ``gap`` Dutch units whose postcode is in no range, one
    intercompany account with ``intercompany`` lines, and ``cancelled`` cancelled lines of G.
    The foreign units pay in GBP."""
    acc = {
        "account_id": ["G", "I"],
        "name": ["Groep G", "Eigen B.V."],
        "postcode": ["1011 AB", "1012 AB"],
        "country": ["NL", "NL"],
        "intercompany": [False, True],
    }
    inv = {
        k: []
        for k in (
            "invoice_id",
            "invoice_date",
            "billing_account",
            "net_amount",
            "status",
            "currency",
        )
    }

    def line(account, day, cents, status="posted", currency="EUR"):
        inv["invoice_id"].append(f"F{len(inv['invoice_id']) + 1}")
        for k, v in zip(
            ("invoice_date", "billing_account", "net_amount", "status", "currency"),
            (day, account, cents, status, currency),
            strict=True,
        ):
            inv[k].append(v)

    for month in pd.period_range(first_month, "2026-09", freq="M"):
        line("G", f"{month}-10", 100_000)
    for i in range(foreign):
        acc["account_id"].append(f"F{i}")
        acc["name"].append(f"Abroad {i} Ltd")
        acc["postcode"].append("RG1 3BD")
        acc["country"].append("GB" if i % 2 == 0 else "BE")
        acc["intercompany"].append(False)
        line(f"F{i}", "2026-05-03", 5_000 * (i + 1), currency="GBP")
    for i in range(gap):
        acc["account_id"].append(f"D{i}")
        acc["name"].append(f"Delfzijl {i} B.V.")
        acc["postcode"].append("9934 AB")  # above T1's range
        acc["country"].append("NL")
        acc["intercompany"].append(False)
        line(f"D{i}", "2026-06-03", 7_000 * (i + 1))
    for i in range(cancelled):
        line("G", "2026-02-20", 3_000 + i, status="cancelled")
    for i in range(intercompany):
        line("I", "2026-03-20", 1_000 + i)
    acc["parent_id"] = [""] * len(acc["account_id"])
    return make_dataset(inv, acc, territories=TERRITORIES, fx_rates=FX)


def test_planted_faults_are_found_with_their_counts_and_revenue():
    ds = planted(foreign=2, gap=1, cancelled=3, intercompany=2)
    q = data_quality(
        build_cube(ds, cache_dir=None), ds, parse_period("2026-Q3"), 24, windows=(12, 36)
    )
    assert q.foreign_units["account_id"].tolist() == ["F1", "F0"]  # largest revenue first
    assert sorted(q.foreign_units["country"]) == ["BE", "GB"]
    assert q.units_without_territory[["account_id", "reason", "revenue_cents"]].values.tolist() == [
        ["D0", "no_range", 7_000]
    ]
    assert q.exclusions.set_index("reason").to_dict("index") == {
        "cancelled": {"lines": 3, "revenue_cents": 3_000 + 3_001 + 3_002},
        "intercompany": {"lines": 2, "revenue_cents": 1_000 + 1_001},
    }
    # the rates of January 2025 (1.150) to September 2026 (1.170), one a month
    assert q.fx.values.tolist() == [
        ["GBP", 21, pytest.approx(1.15), pytest.approx(1.17), "2026-09", pytest.approx(1.17)]
    ]
    assert q.coverage.values.tolist() == [
        [12, 12, "2025-01"],
        [24, 21, "2025-01"],
        [36, 21, "2025-01"],
    ]
    assert q.months_with_data(36) == 21 and q.months_with_data(99) == 99


@given(
    foreign=st.integers(0, 3),
    gap=st.integers(0, 3),
    cancelled=st.integers(0, 4),
    intercompany=st.integers(0, 2),
)
@settings(max_examples=25, deadline=None)
def test_any_number_of_planted_faults_is_counted(foreign, gap, cancelled, intercompany):
    ds = planted(foreign, gap, cancelled, intercompany)
    q = data_quality(build_cube(ds, cache_dir=None), ds, parse_period("2026-Q3"), 24)
    assert len(q.foreign_units) == foreign
    assert len(q.units_without_territory) == gap
    assert set(q.units["reason"]) <= {"abroad", "no_range"}
    lines = q.exclusions.set_index("reason")["lines"].to_dict()
    assert lines == {
        k: v for k, v in (("cancelled", cancelled), ("intercompany", intercompany)) if v
    }


def test_wallet_age_in_whole_months_to_the_period_end():
    d = pd.DataFrame(
        {
            "group_id": ["A", "B", "C"],
            "name": ["a", "b", "c"],
            "status": ["candidate"] * 3,
            "wallet_source": ["stated", "stated", "estimated"],
            "wallet_as_of": pd.to_datetime(["2026-06-30", "2024-12-31", None]),
        }
    )
    ages = wallet_dates(d, pd.Timestamp("2026-09-30"))["age_months"]
    assert ages.iloc[:2].tolist() == [3, 21] and ages.isna().iloc[2]


@pytest.mark.parametrize(("first", "present"), [("2023-10", 36), ("2024-04", 30), ("2026-09", 1)])
def test_a_window_longer_than_the_data_counts_the_months_present(first, present):
    raw = pd.DataFrame({"month": [first, "2026-09"]})
    out = window_coverage(raw, parse_period("2026-Q3"), (36,))
    assert out["months_with_data"].tolist() == [present]


@pytest.fixture(scope="module")
def planted_scores(tmp_path_factory):
    ds = planted(foreign=2, gap=1, cancelled=3, intercompany=2)
    cube = build_cube(ds, cache_dir=None)
    folder = tmp_path_factory.mktemp("planted")
    return {
        lang: score_period(
            cube,
            ds,
            Settings.from_mapping(
                {"period": "2026-Q3", "dataset": str(folder), "language": lang, "window_months": 24}
            ),
        )
        for lang in ("en", "nl")
    }


def test_the_section_states_the_planted_faults(planted_scores):
    en = data_quality_section(planted_scores["en"]).html
    assert "<td>Units abroad</td><td>2 units (€175)</td>" in en  # £150 at 1.166: €174.90
    assert "<td>Units in no sales territory</td><td>1 unit (€70)</td>" in en
    assert "postcode in no range: Delfzijl 0 B.V." in en
    assert "<td>Lines excluded: cancelled</td><td>3 lines (€90)</td>" in en
    assert "<td>Exchange rate GBP</td><td>21 of 24 months</td>" in en
    assert "<td>36-month window</td><td>21 of 36 months</td>" in en
    assert "the window reaches back before the data" in en
    nl = data_quality_section(planted_scores["nl"]).html
    assert "<td>Eenheden in het buitenland</td><td>2 eenheden (€\xa0175)</td>" in nl
    assert "<td>Venster van 36 maanden</td><td>21 van 36 maanden</td>" in nl


def test_the_sensitivity_table_heads_a_short_window_with_the_months_present(planted_scores):
    en = str(sensitivity_section(planted_scores["en"]))
    assert '<th class="num">21 of 36 months</th>' in en
    assert '<th class="num">21 of 24 months (this report)</th>' in en
    assert '<th class="num">12 months</th>' in en
    nl = str(sensitivity_section(planted_scores["nl"]))
    assert "21 van 36 maanden" in nl
