"""Charts of the demo period: valid, small PNGs in the report language, nothing global touched."""

from __future__ import annotations

import dataclasses
import io
import pickle
import struct
import subprocess
import sys
import zlib

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import imread

from account_analysis import Settings, score_period
from account_analysis.present.chart_style import PercentTicks, percent_axis
from account_analysis.present.charts import (
    ACCENT,
    DPI,
    FIGSIZE,
    Chart,
    lorenz_chart,
    pareto_chart,
    trend_chart,
    wallet_chart,
)
from account_analysis.present.format import Html, format_percent

CHARTS = (pareto_chart, lorenz_chart, trend_chart, wallet_chart)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def scores(demo_dir, demo_dataset, demo_cube):
    ds, cube = demo_dataset, demo_cube
    return {
        lang: score_period(
            cube,
            ds,
            Settings.from_mapping(
                {"period": "2026-Q3", "dataset": str(demo_dir), "language": lang}
            ),
        )
        for lang in ("en", "nl")
    }


@pytest.fixture(scope="module")
def charts(scores):
    """Every chart in both languages, drawn once: {(function name, language): Chart}."""
    return {(f.__name__, lang): f(score) for f in CHARTS for lang, score in scores.items()}


def png_chunks(png: bytes) -> dict[bytes, bytes]:
    """The chunks of a PNG by type (the last of each), checking every CRC on the way."""
    assert png[:8] == PNG_MAGIC
    chunks, at = {}, 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        data = png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + data), kind
        chunks[kind] = data
        at += 12 + length
    return chunks


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("function", CHARTS, ids=lambda f: f.__name__)
def test_chart_is_a_small_png_of_the_agreed_size_and_resolution(charts, function, lang):
    chart = charts[function.__name__, lang]
    assert isinstance(chart, Chart)
    chunks = png_chunks(chart.png)
    assert b"IEND" in chunks
    image = imread(io.BytesIO(chart.png))
    assert image.shape[:2] == (round(FIGSIZE[1] * DPI), round(FIGSIZE[0] * DPI))  # (540, 1080)
    assert len(chart.png) < 150_000
    ppx, ppy, unit = struct.unpack(">IIB", chunks[b"pHYs"])
    assert unit == 1 and ppx == ppy  # pixels per metre
    assert 100 <= ppx * 0.0254 <= 150
    assert chart._repr_png_() == (chart.png, {"alt": chart.alt})


def test_chart_shows_as_an_image_not_html(charts):
    from IPython.core.interactiveshell import InteractiveShell

    data, _ = InteractiveShell.instance().display_formatter.format(charts["pareto_chart", "en"])
    assert data["image/png"] == charts["pareto_chart", "en"].png
    assert "text/html" not in data
    assert not hasattr(Chart, "_repr_html_")


def test_charts_leave_the_kernel_backend_settings_and_pyplot_alone(scores, tmp_path):
    """In a fresh interpreter on the inline backend of a Jupyter kernel (as the report
    notebooks run): importing the module and drawing every chart keeps that backend and every
    rc setting, and opens no pyplot figure. Nor does it import seaborn or scipy (1.3 s of
    every report kernel, for theme values written out in chart_style)."""
    pickled = tmp_path / "score.pickle"
    pickled.write_bytes(pickle.dumps(scores["nl"]))
    script = (
        "import pickle, sys, matplotlib\n"
        "before = matplotlib.get_backend()\n"
        "rc = {k: repr(v) for k, v in matplotlib.rcParams.items()}\n"
        "from account_analysis.present import charts\n"
        "score = pickle.loads(open(sys.argv[1], 'rb').read())\n"
        "for f in (charts.pareto_chart, charts.lorenz_chart, charts.trend_chart,"
        " charts.wallet_chart):\n"
        "    f(score)\n"
        "changed = [k for k, v in matplotlib.rcParams.items() if repr(v) != rc[k]]\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'seaborn', 'scipy'})\n"
        "import matplotlib.pyplot as plt\n"
        "print(before, matplotlib.get_backend(), plt.get_fignums(), changed, heavy)\n"
    )
    inline = "module://matplotlib_inline.backend_inline"
    env = {"MPLBACKEND": inline, "PATH": "", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(pickled)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [inline, inline, "[]", "[]", "[]"]


def test_no_pyplot_figure_left_open_in_this_process(scores):
    import matplotlib.pyplot as plt

    for function in CHARTS:
        function(scores["en"])
    assert plt.get_fignums() == []


def test_alt_text_is_in_the_report_language_with_its_key_figure(charts, scores):
    gini = scores["en"].metrics["gini"]
    en, nl = charts["lorenz_chart", "en"].alt, charts["lorenz_chart", "nl"].alt
    assert f"Gini coefficient of {gini:.2f}" in en
    assert f"Gini-coëfficiënt van {gini:.2f}".replace(".", ",") in nl
    cr4 = scores["en"].trend["cr4"].iloc[-1]
    assert format_percent(cr4, "en") in charts["trend_chart", "en"].alt
    assert format_percent(cr4, "nl") in charts["trend_chart", "nl"].alt
    candidates = scores["en"].candidates["share"].sum()
    assert format_percent(candidates, "nl") in charts["pareto_chart", "nl"].alt
    for function in CHARTS:
        en, nl = charts[function.__name__, "en"].alt, charts[function.__name__, "nl"].alt
        assert " de " in nl and not {" the ", " and ", " by "} & set(_words(nl))
        assert " of " in en and not {" de ", " en ", " van "} & set(_words(en))
        assert en.endswith(".") and en.count(". ") == 0  # one sentence


def _words(text: str) -> list[str]:
    return [f" {w} " for w in text.replace(",", " ").split()]


def test_charts_differ_between_languages(charts):
    for function in CHARTS:
        assert charts[function.__name__, "en"].png != charts[function.__name__, "nl"].png


def test_same_score_gives_the_same_bytes(charts, scores):
    assert trend_chart(scores["en"]).png == charts["trend_chart", "en"].png


def _accent_bars(png: bytes) -> int:
    """Runs of image rows holding a long stretch of the accent colour (horizontal bars; the
    legend's patch is shorter)."""
    rgb = imread(io.BytesIO(png))[..., :3]
    accent = np.array(matplotlib.colors.to_rgb(ACCENT))
    wide = (np.abs(rgb - accent).max(axis=2) < 0.06).sum(axis=1) >= 60
    return int((np.diff(wide.astype(int)) == 1).sum() + wide[0])


def test_pareto_highlights_exactly_the_candidates(charts, scores):
    assert _accent_bars(charts["pareto_chart", "en"].png) == len(scores["en"].candidates) == 4
    en = scores["en"]
    lower = score_period(
        en.consolidation, en.dataset, dataclasses.replace(en.settings, threshold=0.03)
    )
    assert _accent_bars(pareto_chart(lower).png) == 5  # the near miss at 3.5% joins


def test_wallet_chart_without_candidates_is_a_sentence_not_an_empty_chart(scores):
    score = scores["nl"]
    empty = score.with_parts(designations=score.designations.iloc[0:0])
    shown = wallet_chart(empty)
    assert isinstance(shown, Html) and not hasattr(shown, "png")
    assert shown.html == '<p class="note">Geen kandidaten of bijna-kandidaten deze periode.</p>'


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_wallet_chart_without_a_known_wallet_is_a_sentence(scores, lang):
    score = scores[lang]
    d = score.designations
    unknown = d.assign(share_of_wallet=np.nan, headroom_cents=pd.NA)
    shown = wallet_chart(score.with_parts(designations=unknown))
    assert isinstance(shown, Html)
    assert ("No share-of-wallet chart" if lang == "en" else "Geen grafiek") in shown.html
    assert "Zorggroep Vlietstreek" in shown.html  # the candidates it is about, named
    # one wallet known: a chart again, with the other names in its note
    one = unknown.assign(share_of_wallet=d["share_of_wallet"].where(d.index == 0))
    assert isinstance(wallet_chart(score.with_parts(designations=one)), Chart)


def _tick_values_and_labels(axis) -> list[tuple[float, str]]:
    """The ticks inside the view with the labels drawn for them."""
    lo, hi = sorted(axis.get_view_interval())
    return [
        (t.get_loc(), t.label1.get_text())
        for t in axis.get_major_ticks()
        if lo - 1e-12 <= t.get_loc() <= hi + 1e-12 and t.label1.get_visible()
    ]


def _percent_value(label: str, lang: str) -> float:
    text = label.replace("\xa0", "").replace("%", "")
    text = text.replace(",", ".") if lang == "nl" else text.replace(",", "")
    return float(text) / 100


def _percent_axes(chart):
    for ax in chart.figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_major_formatter(), PercentTicks):
                yield axis


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("function", CHARTS, ids=lambda f: f.__name__)
def test_every_percent_tick_label_says_its_tick_value(charts, function, lang):
    """Read back from the drawn axes: each label, parsed, is its tick's value exactly (no
    2.5% tick printed as 2% or 3%), and no two labels of an axis are the same."""
    axes = list(_percent_axes(charts[function.__name__, lang]))
    assert axes  # every chart of the period has a percentage axis
    for axis in axes:
        ticks = _tick_values_and_labels(axis)
        assert len(ticks) >= 3
        labels = [label for _, label in ticks]
        assert len(set(labels)) == len(labels)
        for value, label in ticks:
            assert _percent_value(label, lang) == pytest.approx(value, abs=1e-9), label


@given(
    low=st.floats(0, 0.5),
    width=st.floats(0.001, 1.0),
    bins=st.integers(3, 8),
    lang=st.sampled_from(["en", "nl"]),
)
@settings(max_examples=60, deadline=None)
def test_percent_axis_labels_match_ticks_for_any_range(low, width, bins, lang):
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_ylim(low, low + width)
    percent_axis(ax.yaxis, lang, bins)
    fig.canvas.draw()
    for value, label in _tick_values_and_labels(ax.yaxis):
        assert _percent_value(label, lang) == pytest.approx(value, abs=1e-9), label


def test_percent_ticks_at_2_5_steps_get_a_decimal():
    """The defect of issue 14: 0%, 2.5%, 5%, 7.5% written 0%, 2%, 5%, 8%."""
    formatter = PercentTicks("en")
    assert formatter.format_ticks([0, 0.025, 0.05, 0.075, 0.1]) == [
        "0.0%",
        "2.5%",
        "5.0%",
        "7.5%",
        "10.0%",
    ]
    assert formatter.format_ticks([0, 0.05, 0.1]) == ["0%", "5%", "10%"]


def test_pareto_shows_full_group_names_on_horizontal_bars(charts, scores):
    chart = charts["pareto_chart", "nl"]
    ax = chart.figure.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    top = scores["nl"].concentration.head(len(names))
    assert names == list(top["name"]) and len(names) == 20
    assert "Thuiszorg Sanders en Partners Rotterdam" in names
    assert all(t.get_rotation() == 0 for t in ax.get_yticklabels())
    bars = [p for p in ax.patches if p.get_width() > 0]
    # horizontal bars: from 0 along x, one per row, the largest on top
    assert all(p.get_x() == 0 for p in bars)
    assert [round(p.get_y() + p.get_height() / 2, 9) for p in bars] == list(range(20))
    assert ax.get_ylim()[0] > ax.get_ylim()[1]
    assert [round(p.get_width(), 9) for p in bars] == [round(v, 9) for v in top["share"]]


def test_hhi_panel_shows_the_hhi_against_its_band_levels(charts, scores):
    """A line (not four near-equal bars) on a scale that holds both band levels."""
    hx = charts["trend_chart", "en"].figure.axes[1]
    assert not [
        p
        for p in hx.patches
        if type(p).__name__ == "Rectangle" and p.get_height() > 0 and p.get_width() < 1
    ]
    line = [ln for ln in hx.get_lines() if len(ln.get_xdata()) == len(scores["en"].trend)]
    assert line and list(line[0].get_ydata()) == list(scores["en"].trend["hhi"])
    levels = {round(ln.get_ydata()[0]) for ln in hx.get_lines() if len(ln.get_ydata()) == 2}
    assert {1000, 1800} <= levels and hx.get_ylim()[1] > 1800
    texts = {t.get_text() for t in hx.texts}
    assert {"moderately concentrated", "highly concentrated"} <= texts
