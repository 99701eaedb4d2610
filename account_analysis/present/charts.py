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

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..words import ByLanguage, words
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
    chart_theme,
    draw_png,
    seaborn_theme,
)
from .format import format_count, format_decimal, format_money, format_percent

# The look (size, colours, theme) is chart_style's; its names are still importable from here.
__all__ = [
    "ACCENT", "DARK", "DESIGNATION_COLOURS", "DPI", "FIGSIZE", "GREY", "NAME_LENGTH", "NAVY",
    "SEABORN_NOTEBOOK", "SEABORN_NOTEBOOK_SCALE", "SEABORN_TICKS", "TEAL", "TOP_GROUPS",
    "WALLET_NAME_LENGTH", "Chart", "chart_theme", "lorenz_chart", "pareto_chart",
    "seaborn_theme", "short_name", "trend_chart", "wallet_chart",
]

TOP_GROUPS = 20  # bars in the Pareto chart
NAME_LENGTH = 22  # characters of a group name on an axis
WALLET_NAME_LENGTH = 28  # and beside a bubble, where there is more room

DESIGNATION_COLOURS = {"designate": NAVY, "watch": TEAL, "decline": GREY}


@dataclass(frozen=True)
class Chart:
    """A rendered chart: PNG bytes and a one-sentence ``alt`` text in the report language.

    Shown by Jupyter (and kept by nbconvert) as ``image/png``; there is deliberately no
    ``_repr_html_``, so the executed notebook holds the image itself.
    """

    png: bytes
    alt: str

    def _repr_png_(self) -> tuple[bytes, dict]:
        # The alt text travels as output metadata; the report template puts it on the <img>.
        return self.png, {"alt": self.alt}

    def __repr__(self) -> str:
        return f"Chart({len(self.png):,} bytes PNG: {self.alt!r})"


# --------------------------------------------------------------------------- words

_WORDS = ByLanguage("chart")


def _decimal(value: float, language: str, decimals: int = 2) -> str:
    """A plain number as the locale writes it: ``0.83`` / ``0,83``."""
    return format_decimal(value, language, decimals)


def _millions(cents: float, language: str, currency: str = "EUR") -> str:
    """An amount in millions for a chart note: ``€42.7m`` / ``€ 42,7 mln``."""
    amount = format_money(cents, language, currency, decimals=1, scale=6)
    return words(language)["format.millions"].format(amount=amount)


def _threshold_text(threshold: float, language: str) -> str:
    whole = round(threshold * 100, 6) == int(round(threshold * 100, 6))
    return format_percent(threshold, language, 0 if whole else 1)


_LEGAL_FORMS = re.compile(r"\s*\b(B\.V\.|N\.V\.|V\.O\.F\.|Inc\.|Ltd\.?|LLC|GmbH|S\.A\.|"
                          r"Holding|Groep)(?=\s|$)", re.IGNORECASE)


def short_name(name: str, length: int = NAME_LENGTH) -> str:
    """A group name short enough for an axis: legal forms dropped, cut at a word.

    >>> short_name("Kwekerij Timmermans Rotterdam Holding B.V.")
    'Kwekerij Timmermans R.'
    >>> short_name("Adviesbureau Rozendaal Ede Holding B.V.")
    'Adviesbureau Rozendaal E.'
    >>> short_name("Zorggroep Vlietstreek B.V."), short_name("Stichting Onderwijs Brabant")
    ('Zorggroep Vlietstreek', 'Stichting Onderwijs B.')
    """
    text = " ".join(_LEGAL_FORMS.sub("", str(name)).split()) or str(name).strip()
    if len(text) <= length:
        return text
    out = ""
    for word in text.split():
        if len(out) + len(word) + (1 if out else 0) > length:
            # the first letter of the next word says more than an ellipsis
            return f"{out} {word[0]}." if out else text[: length - 1] + "…"
        out = f"{out} {word}" if out else word
    return out


def _percent_axis(axis, language: str, decimals: int = 0) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: format_percent(v, language, decimals)))


def _render(draw, score) -> bytes:
    """Draw with ``draw(fig, words, language)`` on a fresh figure and return its PNG."""
    language = score.settings.language
    return draw_png(lambda fig: draw(fig, _WORDS[language], language))


# --------------------------------------------------------------------------- charts


def pareto_chart(score) -> Chart:
    """Share of revenue of the largest groups (bars), their cumulative share (line, right
    axis) and the candidate threshold (dashed); candidates in the accent colour."""
    settings = score.settings
    language, threshold = settings.language, settings.threshold
    words = _WORDS[language]
    top = score.concentration[score.concentration["share"] > 0].head(TOP_GROUPS)
    span = settings.window.describe(language)
    t_text = _threshold_text(threshold, language)
    candidate = (top["share"] >= threshold).to_numpy()

    def draw(fig, w, lang):
        ax = fig.add_subplot()
        x = np.arange(len(top))
        share = top["share"].to_numpy(dtype=float)
        ax.bar(x, share, width=0.72, color=np.where(candidate, ACCENT, NAVY), linewidth=0)
        for xi, s in zip(x[candidate], share[candidate], strict=True):
            ax.annotate(format_percent(s, lang), (xi, s), xytext=(0, 2),
                        textcoords="offset points", ha="center", va="bottom", fontsize=8,
                        color=DARK)
        ax.axhline(threshold, color=DARK, linestyle=(0, (4, 3)), linewidth=1)
        ax.annotate(w["threshold"].format(t=t_text), (len(top) - 0.5, threshold),
                    xytext=(0, 3), textcoords="offset points", ha="right", va="bottom",
                    fontsize=8, color=DARK)
        top_share = max(float(share.max(initial=0.0)), threshold)
        ax.set_ylim(0, top_share * 1.18)
        ax.set_xlim(-0.6, len(top) - 0.4)
        _percent_axis(ax.yaxis, lang)
        ax.yaxis.set_major_locator(MaxNLocator(5))
        ax.set_ylabel(w["share"])
        ax.set_xticks(x, [short_name(n) for n in top["name"]], rotation=40, ha="right",
                      rotation_mode="anchor", fontsize=7.5)
        ax.tick_params(axis="x", length=0)

        cum = ax.twinx()
        cum.plot(x, top["cumulative_share"].to_numpy(dtype=float), color=TEAL,
                 marker="o", markersize=3.5, linewidth=1.6)
        cum.set_ylim(0, 1.0)
        cum.spines["right"].set_visible(True)
        _percent_axis(cum.yaxis, lang)
        cum.set_ylabel(w["cumulative"], color=TEAL)
        cum.tick_params(axis="y", colors=TEAL)
        cum.spines["right"].set_color(TEAL)

        handles = [Patch(color=ACCENT, label=w["candidate"].format(t=t_text)),
                   Patch(color=NAVY, label=w["other"]),
                   Line2D([], [], color=TEAL, marker="o", markersize=3.5, label=w["cumulative"])]
        ax.legend(handles=handles, loc="upper center", ncols=3, fontsize=8,
                  bbox_to_anchor=(0.5, 1.0))
        ax.set_title(w["pareto_title"].format(n=len(top), span=span))
        fig.subplots_adjust(left=0.08, right=0.92, top=0.9, bottom=0.3)

    png = _render(draw, score)
    above = top[candidate]
    if len(above):
        alt = words["pareto_alt"].format(
            n=len(top), span=span, k=len(above), t=t_text,
            pct=format_percent(float(score.concentration.loc[
                score.concentration["share"] >= threshold, "share"].sum()), language))
    else:
        alt = words["pareto_alt_none"].format(n=len(top), span=span, t=t_text)
    return Chart(png, alt)


def _lorenz_at(lorenz: pd.DataFrame, group_share: float) -> float:
    """Cumulative revenue share of the smallest ``group_share`` of groups (interpolated)."""
    return float(np.interp(group_share, lorenz["cumulative_group_share"],
                           lorenz["cumulative_revenue_share"]))


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
        ax.plot([0, 1], [0, 1], color=GREY, linestyle=(0, (4, 3)), linewidth=1,
                label=w["equality"])
        ax.fill_between(gx, ry, gx, color=TEAL, alpha=0.15, linewidth=0)
        ax.plot(gx, ry, color=NAVY, linewidth=2, label=w["lorenz"])
        if n:
            ax.plot([0.9], [1 - top10], marker="o", color=ACCENT, markersize=5)
            ax.plot([0.5], [bottom50], marker="o", color=ACCENT, markersize=5)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        for axis in (ax.xaxis, ax.yaxis):
            _percent_axis(axis, lang)
            axis.set_major_locator(MaxNLocator(5))
        ax.grid(True)
        ax.set_xlabel(w["groups_cum"], fontsize=8.5)
        ax.set_ylabel(w["revenue_cum"], fontsize=8.5)
        ax.legend(loc="upper left", fontsize=8)
        fig.suptitle(w["lorenz_title"].format(n=format_count(n, lang), span=span),
                     x=0.02, ha="left", fontsize=11, fontweight="bold")
        fig.text(0.58, 0.7, w["gini"].format(g=gini_text), fontsize=20, fontweight="bold",
                 color=NAVY, va="center")
        for y, text in ((0.5, w["top10"].format(pct=pct(top10, lang))),
                        (0.3, w["bottom50"].format(pct=pct(bottom50, lang)))):
            # the orange dot ties each reading to its point on the curve
            fig.text(0.58, y + 0.027, "●", fontsize=10, color=ACCENT, va="center")
            fig.text(0.605, y, text, fontsize=10.5, color=DARK, va="center",
                     linespacing=1.4)

    png = _render(draw, score)
    alt = words["lorenz_alt"].format(n=format_count(n, language), g=gini_text,
                                     pct=pct(top10, language))
    return Chart(png, alt)


def trend_chart(score) -> Chart:
    """CR4 and CR1 over the trend periods (left) and the HHI (small panel, right)."""
    settings = score.settings
    language = settings.language
    words = _WORDS[language]
    trend = score.trend
    periods = trend["period"].astype(str).tolist()

    def draw(fig, w, lang):
        grid = fig.add_gridspec(1, 2, width_ratios=(2.3, 1), wspace=0.3, left=0.08,
                                right=0.97, top=0.84, bottom=0.1)
        ax = fig.add_subplot(grid[0])
        x = np.arange(len(periods))
        peak = 0.0
        for column, colour in (("cr4", NAVY), ("cr1", TEAL)):
            values = trend[column].to_numpy(dtype=float)
            ax.plot(x, values, color=colour, marker="o", markersize=5, linewidth=2,
                    label=w[column])
            for xi, v in zip(x, values, strict=True):
                if np.isfinite(v):
                    ax.annotate(format_percent(v, lang), (xi, v), xytext=(0, 7),
                                textcoords="offset points", ha="center", fontsize=8,
                                color=colour)
            peak = max(peak, float(np.nanmax(values, initial=0.0)))
        ax.set_ylim(0, max(peak * 1.3, 0.1))
        _percent_axis(ax.yaxis, lang)
        ax.yaxis.set_major_locator(MaxNLocator(5))
        ax.set_xticks(x, periods)
        ax.set_xlim(-0.4, len(periods) - 0.6)
        ax.set_ylabel(w["top_shares"])
        ax.grid(True, axis="y")
        ax.legend(loc="lower left", ncols=2, fontsize=8)

        hx = fig.add_subplot(grid[1])
        hhi = trend["hhi"].to_numpy(dtype=float)
        hx.bar(x, hhi, width=0.6, color=GREY, linewidth=0)
        for xi, v in zip(x, hhi, strict=True):
            if np.isfinite(v):
                hx.annotate(format_count(round(v), lang), (xi, v), xytext=(0, 2),
                            textcoords="offset points", ha="center", va="bottom", fontsize=8,
                            color=DARK)
        hx.set_ylim(0, max(float(np.nanmax(hhi, initial=0.0)) * 1.2, 100))
        hx.yaxis.set_major_locator(MaxNLocator(4))
        hx.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_count(v, lang)))
        hx.set_xticks(x, periods, fontsize=7.5)
        band = trend["hhi_band"].astype(str).iloc[-1] if len(trend) else ""
        hx.set_title(f"{w['hhi']} ({w['bands'].get(band, band)})", fontsize=9.5)
        fig.suptitle(w["trend_title"].format(n=len(periods), months=settings.window_months),
                     x=0.02, ha="left", fontsize=11, fontweight="bold")

    png = _render(draw, score)
    if len(trend):
        first, last = trend.iloc[0], trend.iloc[-1]
        alt = words["trend_alt"].format(
            first=format_percent(first["cr4"], language), p0=first["period"],
            last=format_percent(last["cr4"], language), p1=last["period"],
            hhi=format_count(round(last["hhi"]), language) if np.isfinite(last["hhi"]) else "–",
            band=words["bands"].get(str(last["hhi_band"]) or "no_revenue",
                                    str(last["hhi_band"])))
    else:
        alt = words["trend_alt"].format(first="–", p0="–", last="–", p1="–", hhi="–",
                                        band=words["bands"]["no_revenue"])
    return Chart(png, alt)


def _bubble_area(headroom: np.ndarray) -> np.ndarray:
    """Marker area in points² proportional to headroom; the largest is 1,400 pt²."""
    h = np.nan_to_num(headroom.astype(float), nan=0.0).clip(min=0)
    biggest = h.max(initial=0.0)
    return 60 + (1400 - 60) * (h / biggest if biggest > 0 else h)


def _spread(xs: np.ndarray, ys: np.ndarray, xlim, ylim, gap: float = 0.06,
            near: float = 0.3) -> np.ndarray:
    """Label heights: each bubble's own, pushed up until labels whose bubbles are within
    ``near`` of the x range are at least ``gap`` of the y range apart."""
    out = ys.astype(float).copy()
    dx, dy = (xlim[1] - xlim[0]) * near, (ylim[1] - ylim[0]) * gap
    placed: list[int] = []
    for i in np.argsort(ys, kind="stable"):
        for j in placed:
            if abs(xs[i] - xs[j]) < dx and out[i] - out[j] < dy:
                out[i] = out[j] + dy
        placed.append(i)
    return out


def wallet_chart(score) -> Chart:
    """Share of revenue (x) against share of wallet (y) of the candidates and near misses:
    bubble area ~ headroom, filled for a stated wallet and hollow for an estimate, coloured
    by the final designation, the threshold as a dashed vertical line."""
    settings = score.settings
    language, threshold = settings.language, settings.threshold
    words = _WORDS[language]
    d = score.designations
    known = d[d["share_of_wallet"].notna()].reset_index(drop=True)
    unknown = d[d["share_of_wallet"].isna()]
    t_text = _threshold_text(threshold, language)

    def draw(fig, w, lang):
        ax = fig.add_axes((0.08, 0.14, 0.6, 0.72))
        fig.suptitle(w["wallet_title"], x=0.02, ha="left", fontsize=11, fontweight="bold")
        ax.axvline(threshold, color=DARK, linestyle=(0, (4, 3)), linewidth=1)
        _percent_axis(ax.xaxis, lang)
        _percent_axis(ax.yaxis, lang)
        ax.set_xlabel(w["share"])
        ax.set_ylabel(w["sow"])
        ax.grid(True)
        xs = known["share"].to_numpy(dtype=float)
        ys = known["share_of_wallet"].to_numpy(dtype=float)
        ax.set_xlim(0, max(float(xs.max(initial=0.0)), threshold) * 1.3)
        ax.set_ylim(0, min(max(float(ys.max(initial=0.0)) * 1.3, 0.2), 1.05))
        ax.annotate(w["threshold"].format(t=t_text), (threshold, 1),
                    xycoords=("data", "axes fraction"), xytext=(3, -3),
                    textcoords="offset points", ha="left", va="top", fontsize=8, color=DARK)
        if d.empty:
            ax.text(0.5, 0.5, w["wallet_none"], transform=ax.transAxes, ha="center",
                    va="center", color=DARK)
        areas = _bubble_area(known["headroom_cents"].to_numpy(dtype=float, na_value=np.nan))
        order = np.argsort(-areas)  # big bubbles first, small ones stay visible on top
        for i in order:
            row = known.iloc[i]
            colour = DESIGNATION_COLOURS.get(str(row["final"]), GREY)
            stated = row["wallet_source"] == "stated"
            ax.scatter(xs[i], ys[i], s=areas[i], color=colour, alpha=0.85 if stated else 1,
                       facecolors=colour if stated else "white", edgecolors=colour,
                       linewidths=2, zorder=3)
        # labels right of each bubble, nudged apart vertically where they would collide
        label_y = _spread(xs, ys, ax.get_xlim(), ax.get_ylim())
        right_half = xs > 0.7 * ax.get_xlim()[1]  # labels there go left of the bubble
        for i in range(len(known)):
            offset = np.sqrt(areas[i]) / 2 + 4
            ax.annotate(short_name(known["name"][i], WALLET_NAME_LENGTH), (xs[i], label_y[i]),
                        xytext=(-offset if right_half[i] else offset, 0),
                        textcoords="offset points", fontsize=8, color=DARK, va="center",
                        ha="right" if right_half[i] else "left", zorder=4,
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                              "edgecolor": "none", "alpha": 0.75})
        present = [k for k in DESIGNATION_COLOURS if (d["final"] == k).any()]
        handles = [Patch(color=DESIGNATION_COLOURS[k], label=w["final"][k]) for k in present]
        handles += [
            Line2D([], [], linestyle="", marker="o", markersize=9, color=DARK, label=w["stated"]),
            Line2D([], [], linestyle="", marker="o", markersize=9, markerfacecolor="white",
                   markeredgecolor=DARK, markeredgewidth=2, label=w["estimated"]),
        ]
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.71, 0.86),
                   fontsize=8.5, labelspacing=0.9)
        headroom = known["headroom_cents"].to_numpy(dtype=float, na_value=np.nan)
        notes = [w["size"]]
        if np.isfinite(headroom).any():
            notes[0] += "\n" + w["largest"].format(
                money=_millions(np.nanmax(headroom), lang, settings.reporting_currency))
        if len(unknown):
            notes.append(w["unknown"].format(names=", ".join(short_name(n)
                                                              for n in unknown["name"])))
        fig.text(0.71, 0.16, "\n".join(notes), fontsize=8, color=DARK, va="bottom", wrap=True)

    png = _render(draw, score)
    if d.empty:
        alt = words["wallet_alt_none"]
    else:
        counts = d["final"].value_counts()
        alt = words["wallet_alt"].format(n=len(d), d=int(counts.get("designate", 0)),
                                         w=int(counts.get("watch", 0)),
                                         x=int(counts.get("decline", 0)))
    return Chart(png, alt)
