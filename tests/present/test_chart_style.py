"""The one chart look: the theme written out is seaborn's, one colour per service line, money
axes in one style."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_hex

from account_analysis import Settings, score_period
from account_analysis.analysis.briefing import account_briefing
from account_analysis.present.briefing_charts import briefing_revenue_chart
from account_analysis.present.chart_style import (
    SERVICE_LINE_PALETTE,
    MoneyTicks,
    seaborn_theme,
    service_line_colours,
)
from account_analysis.present.format import Html


def test_the_theme_is_seaborns_ticks_style_in_its_notebook_context():
    """The values written out in the module are the installed seaborn's."""
    import seaborn as sns

    assert seaborn_theme() == {
        **sns.axes_style("ticks"),
        **sns.plotting_context("notebook", font_scale=0.8),
    }


@given(
    lines=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=10, unique=True),
    data=st.data(),
)
@settings(max_examples=200, deadline=None)
def test_a_service_line_keeps_its_colour_whatever_the_order_or_subset_shown(lines, data):
    """The colour depends on the dataset's set of lines only: two briefings listing the lines
    in other orders (their own ranks) give every line the same colour, and lines differ."""
    shuffled = data.draw(st.permutations(lines))
    a, b = service_line_colours(lines), service_line_colours(shuffled)
    assert a == b
    assert len(set(a.values())) == len(lines)  # up to the palette's size, all distinct
    assert set(a.values()) <= set(SERVICE_LINE_PALETTE)


def test_the_palette_has_room_for_every_line_of_the_demo_and_more():
    assert len(set(SERVICE_LINE_PALETTE)) == len(SERVICE_LINE_PALETTE) >= 10


@pytest.fixture(scope="module")
def demo_briefings(demo_dir, demo_dataset, demo_cube):
    score = score_period(
        demo_cube,
        demo_dataset,
        Settings.from_mapping({"period": "2026-Q3", "dataset": str(demo_dir), "language": "nl"}),
    )
    return {g: account_briefing(score, g) for g in score.large_accounts["group_id"]}


def _bar_colours(chart) -> dict[str, str]:
    """The fill colour of each service line's bars, read from the drawn axes."""
    ax = chart.figure.axes[0]
    return {c.get_label(): to_hex(c.patches[0].get_facecolor()) for c in ax.containers}


def test_a_service_line_has_one_colour_in_every_briefing_of_the_demo(demo_briefings):
    charts = {g: briefing_revenue_chart(b) for g, b in demo_briefings.items()}
    colours = [_bar_colours(c) for c in charts.values()]
    ranks = [list(b.service_mix().index) for b in demo_briefings.values()]
    assert len({tuple(r) for r in ranks}) > 1  # the briefings rank their lines differently
    for line in set().union(*colours):
        assert len({c[line] for c in colours if line in c}) == 1, line
    assert to_hex(SERVICE_LINE_PALETTE[2]) == colours[0]["Onderhoud"]  # 3rd of the sorted 5


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_briefing_money_axis_is_one_style_without_k(demo_briefings, lang):
    """Every tick of the briefing's money axis in millions with the same decimals (the
    catalog's 'mln' / 'm'), none in the 'k' of compact notation, and each label its value."""
    b = dataclasses.replace(next(iter(demo_briefings.values())), language=lang)
    ax = briefing_revenue_chart(b).figure.axes[0]
    lo, hi = ax.get_ylim()
    labels = [t.get_text() for t in ax.get_yticklabels() if lo <= t.get_position()[1] <= hi]
    values = [t.get_position()[1] for t in ax.get_yticklabels() if lo <= t.get_position()[1] <= hi]
    assert len(labels) >= 3 and not any("k" in x.lower() or "K" in x for x in labels)
    unit = "mln" if lang == "nl" else "m"
    assert all(x.rstrip().endswith(unit) for x in labels)
    decimals = {len(re.sub(r"[^\d.,]", "", x).replace(",", ".").partition(".")[2]) for x in labels}
    assert len(decimals) == 1
    for label, value in zip(labels, values, strict=True):
        number = re.sub(r"[^\d.,]", "", label)
        number = number.replace(".", "").replace(",", ".") if lang == "nl" else number
        assert float(number) * 100_000_000 == pytest.approx(value), label


def test_money_ticks_below_a_million_are_whole_amounts():
    formatter = MoneyTicks("nl", "EUR")
    assert formatter.format_ticks([0, 25_000_000, 50_000_000, 75_000_000]) == [
        "€\xa00",
        "€\xa0250.000",
        "€\xa0500.000",
        "€\xa0750.000",
    ]
    assert formatter.format_ticks([0, 50_000_000, 100_000_000, 150_000_000]) == [
        "€\xa00,0\xa0mln",
        "€\xa00,5\xa0mln",
        "€\xa01,0\xa0mln",
        "€\xa01,5\xa0mln",
    ]


def test_a_briefing_without_revenue_gets_a_sentence_not_an_empty_chart(demo_briefings):
    b = next(iter(demo_briefings.values()))
    none = dataclasses.replace(b, monthly=b.monthly.iloc[0:0], language="en")
    shown = briefing_revenue_chart(none)
    assert isinstance(shown, Html) and "had no revenue in the last 24 months" in shown.html
