"""Charts of a Large Account briefing, as PNG images with an alt text, in English or Dutch.

Each function takes a :class:`~account_analysis.analysis.briefing.Briefing` and returns a
:class:`~account_analysis.present.charts.Chart`, drawn like the period reports' charts (the same
theme, object-oriented matplotlib, no pyplot). A briefing chart shows the group's own
figures only.
"""

from __future__ import annotations

import numpy as np
from babel.dates import get_month_names
from babel.numbers import format_compact_currency
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..analysis.briefing import Briefing
from ..words import ByLanguage
from .chart_style import ACCENT, DARK, GREY, NAVY, TEAL, draw_png
from .charts import Chart
from .format import format_money, format_percent, locale_of

FIGSIZE = (9.0, 4.2)
LINE_COLOURS = (NAVY, TEAL, ACCENT, "#7a9cc6", GREY, "#c9b458", "#8e6c8a")

_WORDS = ByLanguage("briefing_chart")


def _png(draw, language: str) -> bytes:
    """Draw with ``draw(fig, words, language)`` and return its PNG (as charts.py)."""
    return draw_png(lambda fig: draw(fig, _WORDS[language], language), FIGSIZE)


def _short_money(cents: float, language: str, currency: str) -> str:
    """An axis label in the locale's compact form: ``€250K``, ``€1.2M`` / ``€ 1,2 mln.``."""
    return format_compact_currency(cents / 100, currency, locale=locale_of(language),
                                   fraction_digits=1)


def briefing_revenue_chart(b: Briefing) -> Chart:
    """The group's revenue per month over the last 24 months, stacked by service line, with
    the totals of the last 12 months and the 12 before."""
    lang, words = b.language, _WORDS[b.language]
    mix = b.service_mix()
    lines = list(mix.index)
    pivot = b.monthly.pivot_table(index="month", columns="service_line",
                                  values="revenue_cents", aggfunc="sum", fill_value=0) \
        .reindex(index=b.months, columns=lines, fill_value=0)
    last, prior = b.revenue_by_year()
    n = len(b.months)

    months = get_month_names("abbreviated", "stand-alone", locale_of(lang))

    def label(month: str) -> str:
        name = months[int(month[5:7])]
        return f"{name} {month[2:4]}" if month[5:7] in ("01",) or month == b.months[0] \
            else name

    def draw(fig, w, lang):
        ax = fig.add_subplot()
        x = np.arange(n)
        bottom = np.zeros(n)
        for i, line in enumerate(lines):
            values = pivot[line].to_numpy(dtype=float)
            ax.bar(x, values, bottom=bottom, width=0.75, linewidth=0,
                   color=LINE_COLOURS[i % len(LINE_COLOURS)], label=line)
            bottom += values
        top = float(bottom.max(initial=0.0)) or 1.0
        ax.set_ylim(0, top * 1.25)
        ax.set_xlim(-0.6, n - 0.4)
        ax.yaxis.set_major_locator(MaxNLocator(5))
        ax.yaxis.set_major_formatter(FuncFormatter(
            lambda v, _: _short_money(v, lang, b.currency)))
        ax.set_ylabel(w["axis"])
        ax.set_xticks(x, [label(m) for m in b.months], fontsize=7.5)
        ax.tick_params(axis="x", length=0)
        ax.grid(True, axis="y")
        if n >= 24:
            ax.axvline(n - 12.5, color=DARK, linestyle=(0, (4, 3)), linewidth=1)
            for xpos, text in ((n - 18.5, w["prior"].format(
                    money=format_money(prior, lang, b.currency, 0))),
                    (n - 6.5, w["last"].format(money=format_money(last, lang, b.currency, 0)))):
                ax.annotate(text, (xpos, top * 1.12), ha="center", fontsize=8.5, color=DARK)
        ax.legend(loc="upper center", ncols=min(len(lines), 6), fontsize=8,
                  bbox_to_anchor=(0.5, -0.09))
        ax.set_title(w["revenue_title"].format(n=n))
        fig.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.2)

    png = _png(draw, lang)
    if last + prior > 0 and len(mix):
        alt = words["revenue_alt"].format(
            name=b.name, n=n, last=format_money(last, lang, b.currency, 0),
            prior=format_money(prior, lang, b.currency, 0), line=lines[0],
            share=format_percent(float(mix["last_share"].iloc[0]), lang, 0))
    else:
        alt = words["revenue_alt_none"].format(name=b.name, n=n)
    return Chart(png, alt)
