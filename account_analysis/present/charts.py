"""Charts of a scored period, as PNG images with an alt text, in English or Dutch.

Each function takes a :class:`~account_analysis.analysis.scoring.PeriodScore` and returns a
:class:`Chart`: the PNG bytes and a one-sentence description in the report language.
Jupyter and nbconvert show a ``Chart`` as an ``image/png`` output, so a rendered report
carries the image inline (no file, no external request).

Figures are built with the object-oriented API (``Figure`` + ``FigureCanvasAgg``) inside
``matplotlib.rc_context``: no pyplot figure is opened, the backend is not touched and no
global setting changes, so the inline backend of the analyst's kernel is left alone. The size,
colours and theme are :mod:`.chart_style`'s.

>>> import account_analysis as aa, tempfile
>>> from account_analysis.authoring.demo import write_demo_dataset
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = write_demo_dataset(folder)
...     ds = aa.load_dataset(folder)
...     s = aa.Settings.from_mapping({"period": "2026-Q3", "dataset": folder})
...     score = aa.score_period(aa.build_cube(ds, cache_dir=None), ds, s)
>>> chart = lorenz_chart(score)
>>> chart.png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", chart.alt.startswith("Lorenz curve")
(True, True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from ..analysis.concentration import HHI_HIGHLY_CONCENTRATED, HHI_MODERATELY_CONCENTRATED
from ..words import ByLanguage
from .chart_style import (
    ACCENT,
    DARK,
    DPI,
    FIGSIZE,
    GREY,
    NAVY,
    SEABORN_NOTEBOOK,
    SEABORN_NOTEBOOK_SCALE,
    SEABORN_TICKS,
    TEAL,
    Chart,
    chart_theme,
    percent_axis,
    render_chart,
    seaborn_theme,
    short_name,
)
from .format import format_count, format_decimal, format_percent
from .wallet_chart import DESIGNATION_COLOURS, WALLET_NAME_LENGTH, threshold_text, wallet_chart

# The look (size, colours, theme) is chart_style's and the wallet chart wallet_chart's; their
# names are still importable from here.
__all__ = [
    "ACCENT",
    "DARK",
    "DESIGNATION_COLOURS",
    "DPI",
    "FIGSIZE",
    "GREY",
    "NAVY",
    "SEABORN_NOTEBOOK",
    "SEABORN_NOTEBOOK_SCALE",
    "SEABORN_TICKS",
    "TEAL",
    "TOP_GROUPS",
    "WALLET_NAME_LENGTH",
    "Chart",
    "chart_theme",
    "lorenz_chart",
    "pareto_chart",
    "seaborn_theme",
    "short_name",
    "trend_chart",
    "wallet_chart",
]

TOP_GROUPS = 20  # bars in the Pareto chart

_WORDS = ByLanguage("chart")


def _decimal(value: float, language: str, decimals: int = 2) -> str:
    """A plain number as the locale writes it: ``0.83`` / ``0,83``."""
    return format_decimal(value, language, decimals)


# --------------------------------------------------------------------------- charts


def pareto_chart(score) -> Chart:
    """Share of revenue of the largest groups as horizontal bars under their full names
    (largest on top), the share at each bar, their cumulative share in a column on the right
    and the candidate threshold (dashed); candidates in the accent colour."""
    settings = score.settings
    language, threshold = settings.language, settings.threshold
    words = _WORDS[language]
    top = score.concentration[score.concentration["share"] > 0].head(TOP_GROUPS)
    span = settings.window.describe(language)
    t_text = threshold_text(threshold, language)
    candidate = (top["share"] >= threshold).to_numpy()

    def draw(fig, w, lang):
        ax = fig.add_axes((0.37, 0.1, 0.47, 0.76))
        y = np.arange(len(top))
        share = top["share"].to_numpy(dtype=float)
        ax.barh(y, share, height=0.72, color=np.where(candidate, ACCENT, NAVY), linewidth=0)
        for yi, s in zip(y, share, strict=True):
            ax.annotate(
                format_percent(s, lang),
                (s, yi),
                xytext=(2, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=7,
                color=DARK,
            )
        ax.axvline(threshold, color=DARK, linestyle=(0, (4, 3)), linewidth=1)
        ax.annotate(
            w["threshold"].format(t=t_text),
            (threshold, -1.1),
            xytext=(3, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=7.5,
            color=DARK,
        )
        ax.set_ylim(len(top) - 0.5, -1.7)  # the largest on top, room for the threshold's name
        ax.set_xlim(0, max(float(share.max(initial=0.0)), threshold) * 1.15)
        percent_axis(ax.xaxis, lang)
        ax.set_xlabel(w["share"], fontsize=8.5)
        ax.set_yticks(y, list(top["name"]), fontsize=7)
        ax.tick_params(axis="y", length=0)
        ax.grid(True, axis="x")
        # the cumulative share as a column of figures beside the bars
        column = blended_transform_factory(fig.transFigure, ax.transData)
        ax.text(
            0.98,
            -1.1,
            w["cumulative"],
            transform=column,
            fontsize=7.5,
            color=TEAL,
            ha="right",
            va="center",
            fontweight="bold",
        )
        for yi, c in zip(y, top["cumulative_share"].to_numpy(dtype=float), strict=True):
            ax.text(
                0.98,
                yi,
                format_percent(c, lang),
                transform=column,
                fontsize=7,
                color=TEAL,
                ha="right",
                va="center",
            )
        handles = [
            Patch(color=ACCENT, label=w["candidate"].format(t=t_text)),
            Patch(color=NAVY, label=w["other"]),
        ]
        fig.legend(
            handles=handles, loc="upper right", ncols=2, fontsize=8, bbox_to_anchor=(0.99, 0.95)
        )
        fig.suptitle(
            w["pareto_title"].format(n=len(top), span=span),
            x=0.02,
            y=0.97,
            ha="left",
            fontsize=10.5,
            fontweight="bold",
        )

    above = top[candidate]
    if len(above):
        alt = words["pareto_alt"].format(
            n=len(top),
            span=span,
            k=len(above),
            t=t_text,
            pct=format_percent(
                float(
                    score.concentration.loc[
                        score.concentration["share"] >= threshold, "share"
                    ].sum()
                ),
                language,
            ),
        )
    else:
        alt = words["pareto_alt_none"].format(n=len(top), span=span, t=t_text)
    return render_chart(draw, words, language, alt)


def _lorenz_at(lorenz: pd.DataFrame, group_share: float) -> float:
    """Cumulative revenue share of the smallest ``group_share`` of groups (interpolated)."""
    return float(
        np.interp(group_share, lorenz["cumulative_group_share"], lorenz["cumulative_revenue_share"])
    )


def lorenz_chart(score) -> Chart:
    """The Lorenz curve of revenue over groups with the line of equality, the Gini and two
    plain-words readings (largest 10%, smallest half)."""
    settings = score.settings
    language = settings.language
    words = _WORDS[language]
    lorenz = score.lorenz
    n = int(score.metrics["groups"])
    gini = score.metrics["gini"]
    gini_text = _decimal(gini, language) if np.isfinite(gini) else "–"
    top10 = 1 - _lorenz_at(lorenz, 0.9) if n else float("nan")
    bottom50 = _lorenz_at(lorenz, 0.5) if n else float("nan")
    span = settings.window.describe(language)

    def pct(v, lang):
        return format_percent(v, lang, 0) if np.isfinite(v) else "–"

    def draw(fig, w, lang):
        ax = fig.add_axes((0.08, 0.13, 0.42, 0.74))
        ax.set_box_aspect(1)
        gx = lorenz["cumulative_group_share"].to_numpy(dtype=float)
        ry = lorenz["cumulative_revenue_share"].to_numpy(dtype=float)
        ax.plot([0, 1], [0, 1], color=GREY, linestyle=(0, (4, 3)), linewidth=1, label=w["equality"])
        ax.fill_between(gx, ry, gx, color=TEAL, alpha=0.15, linewidth=0)
        ax.plot(gx, ry, color=NAVY, linewidth=2, label=w["lorenz"])
        if n:
            ax.plot([0.9], [1 - top10], marker="o", color=ACCENT, markersize=5)
            ax.plot([0.5], [bottom50], marker="o", color=ACCENT, markersize=5)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        for axis in (ax.xaxis, ax.yaxis):
            percent_axis(axis, lang)
        ax.grid(True)
        ax.set_xlabel(w["groups_cum"], fontsize=8.5)
        ax.set_ylabel(w["revenue_cum"], fontsize=8.5)
        ax.legend(loc="upper left", fontsize=8)
        fig.suptitle(
            w["lorenz_title"].format(n=format_count(n, lang), span=span),
            x=0.02,
            ha="left",
            fontsize=11,
            fontweight="bold",
        )
        fig.text(
            0.58,
            0.7,
            w["gini"].format(g=gini_text),
            fontsize=20,
            fontweight="bold",
            color=NAVY,
            va="center",
        )
        for y, text in (
            (0.5, w["top10"].format(pct=pct(top10, lang))),
            (0.3, w["bottom50"].format(pct=pct(bottom50, lang))),
        ):
            # the orange dot ties each reading to its point on the curve
            fig.text(0.58, y + 0.027, "●", fontsize=10, color=ACCENT, va="center")
            fig.text(0.605, y, text, fontsize=10.5, color=DARK, va="center", linespacing=1.4)

    alt = words["lorenz_alt"].format(
        n=format_count(n, language), g=gini_text, pct=pct(top10, language)
    )
    return render_chart(draw, words, language, alt)


def trend_chart(score) -> Chart:
    """CR4 and CR1 over the trend periods (left) and, right, the HHI as a line against the
    band levels it is read by (1,000 and the 1,800 of the US 2023 merger guidelines), on a
    scale from 0 to above the highest level: four near-equal bars said nothing, where the
    HHI stands against its bands is what a reader needs."""
    settings = score.settings
    language = settings.language
    words = _WORDS[language]
    trend = score.trend
    periods = trend["period"].astype(str).tolist()

    def draw(fig, w, lang):
        grid = fig.add_gridspec(
            1, 2, width_ratios=(2.3, 1), wspace=0.3, left=0.08, right=0.97, top=0.84, bottom=0.1
        )
        ax = fig.add_subplot(grid[0])
        x = np.arange(len(periods))
        peak = 0.0
        for column, colour in (("cr4", NAVY), ("cr1", TEAL)):
            values = trend[column].to_numpy(dtype=float)
            ax.plot(x, values, color=colour, marker="o", markersize=5, linewidth=2, label=w[column])
            for xi, v in zip(x, values, strict=True):
                if np.isfinite(v):
                    ax.annotate(
                        format_percent(v, lang),
                        (xi, v),
                        xytext=(0, 7),
                        textcoords="offset points",
                        ha="center",
                        fontsize=8,
                        color=colour,
                    )
            peak = max(peak, float(np.nanmax(values, initial=0.0)))
        ax.set_ylim(0, max(peak * 1.3, 0.1))
        percent_axis(ax.yaxis, lang)
        ax.set_xticks(x, periods)
        ax.set_xlim(-0.4, len(periods) - 0.6)
        ax.set_ylabel(w["top_shares"])
        ax.grid(True, axis="y")
        ax.legend(loc="lower left", ncols=2, fontsize=8)
        _hhi_panel(fig.add_subplot(grid[1]), trend, x, periods, w, lang)
        fig.suptitle(
            w["trend_title"].format(n=len(periods), months=settings.window_months),
            x=0.02,
            ha="left",
            fontsize=11,
            fontweight="bold",
        )

    if len(trend):
        first, last = trend.iloc[0], trend.iloc[-1]
        alt = words["trend_alt"].format(
            first=format_percent(first["cr4"], language),
            p0=first["period"],
            last=format_percent(last["cr4"], language),
            p1=last["period"],
            hhi=format_count(round(last["hhi"]), language) if np.isfinite(last["hhi"]) else "–",
            band=words["bands"].get(str(last["hhi_band"]) or "no_revenue", str(last["hhi_band"])),
        )
    else:
        alt = words["trend_alt"].format(
            first="–", p0="–", last="–", p1="–", hhi="–", band=words["bands"]["no_revenue"]
        )
    return render_chart(draw, words, language, alt)


def _hhi_panel(
    hx, trend: pd.DataFrame, x: np.ndarray, periods: list[str], w: dict, lang: str
) -> None:
    """The HHI per period as a line between its band levels, each level named."""
    hhi = trend["hhi"].to_numpy(dtype=float)
    levels = (HHI_MODERATELY_CONCENTRATED, HHI_HIGHLY_CONCENTRATED)
    top = max(float(np.nanmax(hhi, initial=0.0)), levels[-1]) * 1.15
    hx.axhspan(levels[1], top, color=ACCENT, alpha=0.08, linewidth=0)
    hx.axhspan(levels[0], levels[1], color=ACCENT, alpha=0.04, linewidth=0)
    for level, band in zip(levels, ("moderately concentrated", "highly concentrated"), strict=True):
        hx.axhline(level, color=DARK, linestyle=(0, (4, 3)), linewidth=0.8)
        hx.annotate(
            w["bands"][band],
            (0, level),
            xycoords=("axes fraction", "data"),
            xytext=(2, 2),
            textcoords="offset points",
            fontsize=7,
            color=DARK,
            va="bottom",
        )
    hx.plot(x, hhi, color=NAVY, marker="o", markersize=4, linewidth=1.8)
    for xi, v in zip(x, hhi, strict=True):
        if np.isfinite(v):
            hx.annotate(
                format_count(round(v), lang),
                (xi, v),
                xytext=(0, 5),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7.5,
                color=NAVY,
            )
    hx.set_ylim(0, top)
    hx.set_xlim(-0.4, len(periods) - 0.6)
    hx.yaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 5, 10]))
    hx.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_count(round(v), lang)))
    hx.set_xticks(x, periods, fontsize=7.5)
    band = trend["hhi_band"].astype(str).iloc[-1] if len(trend) else ""
    hx.set_title(f"{w['hhi']} ({w['bands'].get(band, band)})", fontsize=9.5)
