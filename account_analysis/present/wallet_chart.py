"""The share-of-wallet chart of the Large Account rationale: the candidates and near misses
by share of revenue (x) and share of wallet (y), bubble area ~ headroom, and the label
spreading that keeps their names apart. Where no wallet is known there is nothing to plot:
:func:`wallet_chart` then gives a sentence instead of an empty chart.

Drawn like every chart (:mod:`.chart_style`: the theme, object-oriented matplotlib, no
pyplot). None of the functions mutates its input.
"""

from __future__ import annotations

from html import escape

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..words import ByLanguage
from .chart_style import (
    DARK,
    GREY,
    NAME_LENGTH,
    NAVY,
    TEAL,
    Chart,
    percent_axis,
    render_chart,
    short_name,
)
from .format import Html, format_millions, format_percent

DESIGNATION_COLOURS = {"designate": NAVY, "watch": TEAL, "decline": GREY}
WALLET_NAME_LENGTH = NAME_LENGTH  # characters of a group name beside a bubble

_WORDS = ByLanguage("chart")


def threshold_text(threshold: float, language: str) -> str:
    """The candidate threshold as a percentage: whole if it is whole (5%), else 1 decimal."""
    whole = round(threshold * 100, 6) == int(round(threshold * 100, 6))
    return format_percent(threshold, language, 0 if whole else 1)


def bubble_area(headroom: np.ndarray) -> np.ndarray:
    """Marker area in points² proportional to headroom; the largest is 1,400 pt².

    >>> bubble_area(np.array([0.0, 5.0, 10.0, np.nan])).tolist()
    [60.0, 730.0, 1400.0, 60.0]
    """
    h = np.nan_to_num(headroom.astype(float), nan=0.0).clip(min=0)
    biggest = h.max(initial=0.0)
    return 60 + (1400 - 60) * (h / biggest if biggest > 0 else h)


def spread_labels(
    xs: np.ndarray, ys: np.ndarray, xlim, ylim, gap: float = 0.06, near: float = 0.3
) -> np.ndarray:
    """Label heights: each bubble's own, pushed up until labels whose bubbles are within
    ``near`` of the x range are at least ``gap`` of the y range apart.

    >>> spread_labels(np.array([1.0, 1.1, 5.0]), np.array([0.5, 0.5, 0.5]), (0, 10), (0, 1))
    array([0.5 , 0.56, 0.5 ])
    """
    out = ys.astype(float).copy()
    dx, dy = (xlim[1] - xlim[0]) * near, (ylim[1] - ylim[0]) * gap
    placed: list[int] = []
    for i in np.argsort(ys, kind="stable"):
        for j in placed:
            if abs(xs[i] - xs[j]) < dx and out[i] - out[j] < dy:
                out[i] = out[j] + dy
        placed.append(i)
    return out


def wallet_chart(score) -> Chart | Html:
    """Share of revenue (x) against share of wallet (y) of the candidates and near misses:
    bubble area ~ headroom, filled for a stated wallet and hollow for an estimate, coloured
    by the final designation, the threshold as a dashed vertical line. Without a known
    wallet (or without candidates) a sentence saying so, not an empty chart."""
    settings = score.settings
    language, threshold = settings.language, settings.threshold
    words_ = _WORDS[language]
    d = score.designations
    known = d[d["share_of_wallet"].notna()].reset_index(drop=True)
    unknown = d[d["share_of_wallet"].isna()]
    if d.empty:
        return Html(f'<p class="note">{escape(words_["wallet_none"])}</p>')
    if known.empty:
        names = ", ".join(short_name(n) for n in unknown["name"])
        sentence = words_["wallet_none_known"].format(names=names)
        return Html(f'<p class="note">{escape(sentence)}</p>')
    t_text = threshold_text(threshold, language)

    def draw(fig, w, lang):
        ax = fig.add_axes((0.08, 0.14, 0.6, 0.72))
        fig.suptitle(w["wallet_title"], x=0.02, ha="left", fontsize=11, fontweight="bold")
        ax.axvline(threshold, color=DARK, linestyle=(0, (4, 3)), linewidth=1)
        ax.set_xlabel(w["share"])
        ax.set_ylabel(w["sow"])
        ax.grid(True)
        xs = known["share"].to_numpy(dtype=float)
        ys = known["share_of_wallet"].to_numpy(dtype=float)
        ax.set_xlim(0, max(float(xs.max(initial=0.0)), threshold) * 1.3)
        ax.set_ylim(0, min(max(float(ys.max(initial=0.0)) * 1.3, 0.2), 1.05))
        percent_axis(ax.xaxis, lang)
        percent_axis(ax.yaxis, lang)
        ax.annotate(
            w["threshold"].format(t=t_text),
            (threshold, 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=8,
            color=DARK,
        )
        areas = bubble_area(known["headroom_cents"].to_numpy(dtype=float, na_value=np.nan))
        for i in np.argsort(-areas):  # big bubbles first, small ones stay visible on top
            row = known.iloc[i]
            colour = DESIGNATION_COLOURS.get(str(row["final"]), GREY)
            stated = row["wallet_source"] == "stated"
            ax.scatter(
                xs[i],
                ys[i],
                s=areas[i],
                color=colour,
                alpha=0.85 if stated else 1,
                facecolors=colour if stated else "white",
                edgecolors=colour,
                linewidths=2,
                zorder=3,
            )
        # labels right of each bubble, nudged apart vertically where they would collide
        label_y = spread_labels(xs, ys, ax.get_xlim(), ax.get_ylim())
        right_half = xs > 0.7 * ax.get_xlim()[1]  # labels there go left of the bubble
        for i in range(len(known)):
            offset = np.sqrt(areas[i]) / 2 + 4
            ax.annotate(
                short_name(known["name"][i], WALLET_NAME_LENGTH),
                (xs[i], label_y[i]),
                xytext=(-offset if right_half[i] else offset, 0),
                textcoords="offset points",
                fontsize=8,
                color=DARK,
                va="center",
                ha="right" if right_half[i] else "left",
                zorder=4,
                bbox={
                    "boxstyle": "square,pad=0.1",
                    "facecolor": "white",
                    "edgecolor": "none",
                    "alpha": 0.75,
                },
            )
        present = [k for k in DESIGNATION_COLOURS if (d["final"] == k).any()]
        handles = [Patch(color=DESIGNATION_COLOURS[k], label=w["final"][k]) for k in present]
        handles += [
            Line2D([], [], linestyle="", marker="o", markersize=9, color=DARK, label=w["stated"]),
            Line2D(
                [],
                [],
                linestyle="",
                marker="o",
                markersize=9,
                markerfacecolor="white",
                markeredgecolor=DARK,
                markeredgewidth=2,
                label=w["estimated"],
            ),
        ]
        fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.71, 0.86),
            fontsize=8.5,
            labelspacing=0.9,
        )
        headroom = known["headroom_cents"].to_numpy(dtype=float, na_value=np.nan)
        notes = [w["size"]]
        if np.isfinite(headroom).any():
            notes[0] += "\n" + w["largest"].format(
                money=format_millions(np.nanmax(headroom), lang, settings.reporting_currency)
            )
        if len(unknown):
            notes.append(
                w["unknown"].format(names=", ".join(short_name(n) for n in unknown["name"]))
            )
        fig.text(0.71, 0.16, "\n".join(notes), fontsize=8, color=DARK, va="bottom", wrap=True)

    counts = d["final"].value_counts()
    alt = words_["wallet_alt"].format(
        n=len(d),
        d=int(counts.get("designate", 0)),
        w=int(counts.get("watch", 0)),
        x=int(counts.get("decline", 0)),
    )
    return render_chart(draw, words_, language, alt)
