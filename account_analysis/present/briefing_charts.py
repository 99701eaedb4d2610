"""Charts of a Large Account briefing, as PNG images with an alt text, in English or Dutch.

Each function takes a :class:`~account_analysis.analysis.briefing.Briefing` and returns a
:class:`~account_analysis.present.chart_style.Chart`, drawn like the period reports' charts (the
same theme, object-oriented matplotlib, no pyplot), or a sentence where there is nothing to
draw. A briefing chart shows the group's own figures only; a service line has the same colour
in every briefing of a dataset (:func:`~.chart_style.service_line_colours`).
"""

from __future__ import annotations

from html import escape

import numpy as np
from babel.dates import get_month_names

from ..analysis.briefing import Briefing
from ..words import ByLanguage
from .chart_style import DARK, Chart, money_axis, render_chart, service_line_colours
from .format import Html, format_money, format_percent, locale_of, quoted_plain

FIGSIZE = (9.0, 4.2)

_WORDS = ByLanguage("briefing_chart")


def briefing_revenue_chart(b: Briefing) -> Chart | Html:
    """The group's revenue per month over the last 24 months, stacked by service line, with
    the totals of the last 12 months and the 12 before; a sentence when it had none."""
    lang, words = b.language, _WORDS[b.language]
    mix = b.service_mix()
    lines = list(mix.index)
    if not len(b.monthly) or int(b.monthly["revenue_cents"].sum()) == 0:
        sentence = words["revenue_none"].format(name=b.name, n=len(b.months))
        return Html(f'<p class="note">{escape(sentence)}</p>')
    colours = service_line_colours(b.service_lines or lines)
    pivot = b.monthly.pivot_table(
        index="month", columns="service_line", values="revenue_cents", aggfunc="sum", fill_value=0
    ).reindex(index=b.months, columns=lines, fill_value=0)
    last, prior = b.revenue_by_year()
    n = len(b.months)

    months = get_month_names("abbreviated", "stand-alone", locale_of(lang))

    def label(month: str) -> str:
        name = months[int(month[5:7])]
        return f"{name} {month[2:4]}" if month[5:7] in ("01",) or month == b.months[0] else name

    def draw(fig, w, lang):
        ax = fig.add_subplot()
        x = np.arange(n)
        bottom = np.zeros(n)
        for line in lines:
            values = pivot[line].to_numpy(dtype=float)
            ax.bar(
                x, values, bottom=bottom, width=0.75, linewidth=0, color=colours[line], label=line
            )
            bottom += values
        top = float(bottom.max(initial=0.0)) or 1.0
        ax.set_ylim(0, top * 1.25)
        ax.set_xlim(-0.6, n - 0.4)
        money_axis(ax.yaxis, lang, b.currency)
        ax.set_ylabel(w["axis"])
        ax.set_xticks(x, [label(m) for m in b.months], fontsize=7.5)
        ax.tick_params(axis="x", length=0)
        ax.grid(True, axis="y")
        if n >= 24:
            ax.axvline(n - 12.5, color=DARK, linestyle=(0, (4, 3)), linewidth=1)
            for xpos, text in (
                (n - 18.5, w["prior"].format(money=format_money(prior, lang, b.currency, 0))),
                (n - 6.5, w["last"].format(money=format_money(last, lang, b.currency, 0))),
            ):
                ax.annotate(text, (xpos, top * 1.12), ha="center", fontsize=8.5, color=DARK)
        # The lines' names are the data's (in its language): the title says so, as a
        # table's column header does for quoted cells.
        ax.legend(
            loc="upper center",
            ncols=min(len(lines), 6),
            fontsize=8,
            bbox_to_anchor=(0.5, -0.09),
            title=w["legend_title"],
            title_fontsize=8,
        )
        ax.set_title(w["revenue_title"].format(n=n))
        fig.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.25)

    if last + prior > 0 and len(mix):
        alt = words["revenue_alt"].format(
            name=b.name,
            n=n,
            last=format_money(last, lang, b.currency, 0),
            prior=format_money(prior, lang, b.currency, 0),
            # Plain text (an alt attribute), so the report's quotation marks as characters.
            line=quoted_plain(lines[0], lang),
            share=format_percent(float(mix["last_share"].iloc[0]), lang, 0),
        )
    else:
        alt = words["revenue_alt_none"].format(name=b.name, n=n)
    return render_chart(draw, words, lang, alt, FIGSIZE)
