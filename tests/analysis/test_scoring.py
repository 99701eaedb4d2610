"""Scoring one period of the demo: the article's story, end to end through the library."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from account_analysis import Settings, score_period


@pytest.fixture(scope="module")
def demo_score(demo_dir, demo_dataset, demo_cube):
    settings = Settings.from_mapping({"period": "2026-Q3", "dataset": str(demo_dir)})
    return score_period(demo_cube, demo_dataset, settings)


def test_four_candidates_bring_about_forty_percent(demo_score):
    candidates = demo_score.candidates
    assert set(candidates["group_id"]) == {"C10001", "C10023", "C10041", "C10055"}
    assert 0.38 <= candidates["share"].sum() <= 0.41
    assert demo_score.metrics["cr4"] == pytest.approx(candidates["share"].sum())


def test_three_designated_and_not_the_fifth_supplier(demo_score):
    d = demo_score.designations.set_index("group_id")
    assert set(d.index[d["recommendation"] == "designate"]) == {"C10001", "C10041", "C10055"}
    assert d.at["C10023", "recommendation"] == "decline"
    assert d.at["C10023", "reason"] == "not_top3"
    assert not d["differs"].any()  # the demo's decisions agree with the recommendation


def test_changes_trend_and_sell_deep(demo_score):
    assert set(demo_score.changes.loc[demo_score.changes["change"] == "kept", "group_id"]) == {
        "C10001",
        "C10041",
        "C10055",
    }
    assert list(demo_score.trend["period"]) == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    sell = demo_score.sell_wide_vs_deep
    assert sell["new_customers_needed"] > 100  # sell wide: hundreds of median customers
    assert 0 < sell["share_of_wallet_gain_pp"] < 10  # sell deep: a few points of wallet
    assert sell["headroom_covers"] is True


def test_merger_screen_flags_the_retail_pair(demo_score):
    m = demo_score.mergers
    pair = m[(m["group_a"] == "C10086") & (m["group_b"] == "C10090")]
    assert len(pair) == 1 and bool(pair["crosses_threshold"].iloc[0])


def test_a_score_in_another_language_shares_its_facts(demo_dir, demo_dataset, demo_cube):
    settings = Settings.from_mapping(
        {"period": "2026-Q3", "dataset": str(demo_dir), "language": "nl"}
    )
    nl = score_period(demo_cube, demo_dataset, settings).computed()
    en = nl.in_language("en")
    assert en.settings == dataclasses.replace(settings, language="en")
    assert nl.settings.language == "nl"
    assert en.designations is nl.designations and en.territories is nl.territories
    fresh = score_period(demo_cube, demo_dataset, en.settings)  # no part uses the language
    for part in ("designations", "changes", "assignments", "trend", "mergers", "concentration"):
        pd.testing.assert_frame_equal(getattr(en, part), getattr(fresh, part))
    assert en.metrics == fresh.metrics and en.sell_wide_vs_deep == fresh.sell_wide_vs_deep


@pytest.mark.parametrize("months", [12, 18])
def test_window_sensitivity_is_measured_against_the_periods_own_window(
    demo_dir, demo_dataset, demo_cube, months
):
    # It was always 24, whatever the setting: a 12-month period compared against 24 months.
    settings = Settings.from_mapping(
        {"period": "2026-Q3", "dataset": str(demo_dir), "window_months": months}
    )
    sensitivity = score_period(demo_cube, demo_dataset, settings).sensitivity
    assert sensitivity.reference == months
    assert months in sensitivity.windows and {12, 24, 36} <= set(sensitivity.windows)


def test_the_library_defaults_are_the_shipped_settings():
    import yaml

    from account_analysis import config
    from account_analysis.analysis.concentration import DEFAULT_THRESHOLD
    from account_analysis.periods import DEFAULT_WINDOW_MONTHS

    shipped = yaml.safe_load((config.PARAMS_DIR / "defaults.yaml").read_text(encoding="utf-8"))
    assert shipped["window_months"] == DEFAULT_WINDOW_MONTHS
    assert shipped["threshold"] == DEFAULT_THRESHOLD
