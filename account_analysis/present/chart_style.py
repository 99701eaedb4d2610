"""The one look of every chart, in the period reports and the briefings alike: size and
resolution, the colours (one fixed colour per service line of a dataset,
:func:`service_line_colours`), the matplotlib rc values of the theme (seaborn's ``ticks`` style
and ``notebook`` sizes, written out so that no kernel imports seaborn), the axes every chart
shares (percentages and money whose tick labels say exactly their tick values), and the
:class:`Chart` a chart function returns, drawn by :func:`render_chart`.

:mod:`.charts`, :mod:`.wallet_chart` and :mod:`.briefing_charts` draw inside
``matplotlib.rc_context(chart_theme())``; nothing here changes a global setting.

>>> theme = chart_theme()
>>> theme["axes.spines.top"], theme["axes.titlelocation"], round(theme["font.size"], 1)
(False, 'left', 9.6)
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator
from PIL import Image

from .format import format_millions, format_money, format_percent

FIGSIZE = (9.0, 4.5)  # inches
DPI = 120
PALETTE_COLOURS = 256  # of a chart's PNG
NEAR_WHITE = 3  # a palette colour this close to white (0-255 per channel) is made white

NAVY = "#1f3a5f"
TEAL = "#2a9d8f"
GREY = "#9aa5b1"
DARK = "#333f4b"
ACCENT = "#e07b24"  # candidates: the one colour that stands out

# Service lines take these in the order of the dataset's sorted service lines: the same line
# has the same colour in every report and briefing of a dataset, whatever its rank there.
SERVICE_LINE_PALETTE = (
    NAVY,
    TEAL,
    ACCENT,
    "#7a9cc6",
    "#c9b458",
    "#8e6c8a",
    GREY,
    "#5b8c5a",
    "#b5651d",
    "#4f5d75",
)
TICK_STEPS = (1, 2, 5, 10)  # round steps: a tick label never needs more decimals than its step
NAME_LENGTH = 28  # characters of a group name beside a bubble


# seaborn 0.13's ``axes_style("ticks")`` and ``plotting_context("notebook",
# font_scale=0.8)``, written out: importing seaborn for them took 1.3 s of every report
# kernel (seaborn loads scipy.stats), more than drawing the charts. A test checks them
# against the installed seaborn.
SEABORN_TICKS = {
    "axes.axisbelow": True,
    "axes.edgecolor": ".15",
    "axes.facecolor": "white",
    "axes.grid": False,
    "axes.labelcolor": ".15",
    "axes.spines.bottom": True,
    "axes.spines.left": True,
    "axes.spines.right": True,
    "axes.spines.top": True,
    "figure.facecolor": "white",
    "font.family": ["sans-serif"],
    "font.sans-serif": [
        "Arial",
        "DejaVu Sans",
        "Liberation Sans",
        "Bitstream Vera Sans",
        "sans-serif",
    ],
    "grid.color": ".8",
    "grid.linestyle": "-",
    "image.cmap": "rocket",
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "text.color": ".15",
    "xtick.bottom": True,
    "xtick.color": ".15",
    "xtick.direction": "out",
    "xtick.top": False,
    "ytick.color": ".15",
    "ytick.direction": "out",
    "ytick.left": True,
    "ytick.right": False,
}
SEABORN_NOTEBOOK_SCALE = 0.8
SEABORN_NOTEBOOK = {  # seaborn's "notebook" sizes, before font_scale
    "axes.labelsize": 12,
    "axes.linewidth": 1.25,
    "axes.titlesize": 12,
    "font.size": 12,
    "grid.linewidth": 1,
    "legend.fontsize": 11,
    "legend.title_fontsize": 12,
    "lines.linewidth": 1.5,
    "lines.markersize": 6,
    "patch.linewidth": 1,
    "xtick.labelsize": 11,
    "xtick.major.size": 6,
    "xtick.major.width": 1.25,
    "xtick.minor.size": 4,
    "xtick.minor.width": 1,
    "ytick.labelsize": 11,
    "ytick.major.size": 6,
    "ytick.major.width": 1.25,
    "ytick.minor.size": 4,
    "ytick.minor.width": 1,
}
_FONT_KEYS = (
    "axes.labelsize",
    "axes.titlesize",
    "font.size",
    "legend.fontsize",
    "legend.title_fontsize",
    "xtick.labelsize",
    "ytick.labelsize",
)


def seaborn_theme() -> dict:
    """seaborn's ``ticks`` style with its ``notebook`` context at font scale 0.8 (as
    ``sns.axes_style`` and ``sns.plotting_context`` give them), without importing seaborn."""
    context = {
        k: v * SEABORN_NOTEBOOK_SCALE if k in _FONT_KEYS else v for k, v in SEABORN_NOTEBOOK.items()
    }
    return {**SEABORN_TICKS, **context}


def chart_theme() -> dict:
    """rc values of the one chart theme: seaborn's ``ticks`` style and ``notebook`` sizes,
    scaled for a 9-inch figure, with a light grid and no top or right spine."""
    rc = seaborn_theme()
    # "rocket" is seaborn's own colour map, registered only by importing seaborn; no chart
    # maps values to colours, so matplotlib's default stays.
    del rc["image.cmap"]
    rc.update(
        {
            "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "sans-serif"],
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": ".35",
            "axes.linewidth": 0.8,
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.titlepad": 10,
            "xtick.major.width": 0.8,
            "ytick.major.width": 0.8,
            "xtick.major.size": 3,
            "ytick.major.size": 3,
            "axes.prop_cycle": matplotlib.cycler(color=[to_rgb(c) for c in (NAVY, TEAL, GREY)]),
            "legend.frameon": False,
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
            "grid.color": ".9",
            "grid.linewidth": 0.8,
        }
    )
    return rc


def service_line_colours(service_lines: Iterable[str]) -> dict[str, str]:
    """One colour per service line, fixed by the line's place among ``service_lines`` sorted
    (pass all the dataset's lines): the order or subset a chart shows does not change it.

    >>> service_line_colours(["Onderhoud", "Advies"]) == service_line_colours(
    ...     ["Advies", "Onderhoud"])
    True
    >>> service_line_colours(["Onderhoud", "Advies"])["Advies"] == SERVICE_LINE_PALETTE[0]
    True
    """
    lines = sorted(set(service_lines))
    return {
        line: SERVICE_LINE_PALETTE[i % len(SERVICE_LINE_PALETTE)] for i, line in enumerate(lines)
    }


@dataclass(frozen=True)
class Chart:
    """A rendered chart: PNG bytes and a one-sentence ``alt`` text in the report language.

    Shown by Jupyter (and kept by nbconvert) as ``image/png``; there is deliberately no
    ``_repr_html_``, so the executed notebook holds the image itself. ``figure`` is the drawn
    matplotlib figure, for reading back what was drawn (its axes, ticks and labels).
    """

    png: bytes
    alt: str
    figure: Figure | None = field(default=None, repr=False, compare=False)

    def _repr_png_(self) -> tuple[bytes, dict]:
        # The alt text travels as output metadata; the report template puts it on the <img>.
        return self.png, {"alt": self.alt}

    def __repr__(self) -> str:
        return f"Chart({len(self.png):,} bytes PNG: {self.alt!r})"


def render_chart(
    draw: Callable,
    chart_words: dict,
    language: str,
    alt: str,
    figsize: tuple[float, float] = FIGSIZE,
) -> Chart:
    """Draw with ``draw(fig, chart_words, language)`` on a fresh figure in the chart theme and
    return it as a :class:`Chart` with ``alt``."""
    with matplotlib.rc_context(chart_theme()):
        fig = Figure(figsize=figsize, dpi=DPI)
        FigureCanvasAgg(fig)
        draw(fig, chart_words, language)
        fig.canvas.draw()
        rgba = np.asarray(fig.canvas.buffer_rgba())
    return Chart(palette_png(rgba), alt, fig)


def palette_png(rgba: np.ndarray) -> bytes:
    """The drawn canvas ``rgba`` as a 256-colour palette PNG.

    A flat chart needs few colours: a palette PNG is about a third of the size of a
    truecolour one and looks the same, which matters in an email. Fast octree quantising
    takes 5 ms a chart where median cut took 40, and with zlib's level 9 (no filter search)
    the file is a quarter smaller than median cut's with ``optimize`` (benchmarks/README.md).
    Octree moves a colour by at most a few levels: the palette's near-whites are set to
    white, so that a chart's background is the page's. No metadata but the resolution, so the
    same drawing gives the same bytes.

    >>> rgba = np.full((2, 3, 4), 255, dtype=np.uint8)
    >>> image = Image.open(io.BytesIO(palette_png(rgba)))
    >>> image.mode, image.size, image.convert("RGB").getpixel((0, 0))
    ('P', (3, 2), (255, 255, 255))
    """
    image = Image.fromarray(np.ascontiguousarray(rgba[..., :3])).quantize(
        PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE
    )
    palette = np.array(image.getpalette(), dtype=np.uint8).reshape(-1, 3)
    palette[(palette >= 255 - NEAR_WHITE).all(axis=1)] = 255
    image.putpalette(palette.ravel().tolist())
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=9, dpi=(DPI, DPI))
    return buffer.getvalue()


def _decimals_for(values: Iterable[float], most: int = 3) -> int:
    """The fewest decimals (up to ``most``) that write every value exactly.

    >>> _decimals_for([0, 2.5, 5.0]), _decimals_for([0, 2, 4]), _decimals_for([0.125])
    (1, 0, 3)
    """
    values = [v for v in values if math.isfinite(v)]
    for d in range(most + 1):
        if all(abs(round(v, d) - v) < 1e-6 * max(1.0, abs(v)) for v in values):
            return d
    return most


class PercentTicks(Formatter):
    """Shares (0–1) as the locale's percentages, with as many decimals as the ticks need
    (all ticks alike), so that each label says its tick's value: 2.5% steps read 2.5%, 5.0%."""

    def __init__(self, language: str):
        self.language = language
        self.decimals = 0

    def set_locs(self, locs):
        super().set_locs(locs)
        self.decimals = _decimals_for([v * 100 for v in locs])

    def __call__(self, x, pos=None):
        return format_percent(x, self.language, self.decimals)


class MoneyTicks(Formatter):
    """Cents as the locale's money, one style per axis: millions with the word the catalog
    gives (``€ 1,5 mln``) when the largest tick is a million or more, else whole amounts
    (``€ 750.000``); never the ``k`` of English compact notation."""

    def __init__(self, language: str, currency: str):
        self.language, self.currency = language, currency
        self.millions, self.decimals = False, 0

    def set_locs(self, locs):
        super().set_locs(locs)
        top = max((abs(v) for v in locs), default=0.0)
        self.millions = top >= 100_000_000
        if self.millions:
            self.decimals = _decimals_for([v / 100_000_000 for v in locs], 2)

    def __call__(self, x, pos=None):
        if not self.millions:
            return format_money(round(x), self.language, self.currency, decimals=0)
        return format_millions(round(x), self.language, self.currency, self.decimals)


def percent_axis(axis, language: str, bins: int = 5) -> None:
    """Ticks at round steps (1, 2 or 5 × a power of ten) labelled as percentages that say
    exactly their values."""
    axis.set_major_locator(MaxNLocator(bins, steps=list(TICK_STEPS)))
    axis.set_major_formatter(PercentTicks(language))


def money_axis(axis, language: str, currency: str, bins: int = 5) -> None:
    """Ticks at round steps labelled as money, one style per axis (see :class:`MoneyTicks`)."""
    axis.set_major_locator(MaxNLocator(bins, steps=list(TICK_STEPS)))
    axis.set_major_formatter(MoneyTicks(language, currency))


_LEGAL_FORMS = re.compile(
    r"\s*\b(B\.V\.|N\.V\.|V\.O\.F\.|Inc\.|Ltd\.?|LLC|GmbH|S\.A\.|"
    r"Holding|Groep)(?=\s|$)",
    re.IGNORECASE,
)


def short_name(name: str, length: int = NAME_LENGTH) -> str:
    """A group name short enough for a label: legal forms dropped, cut at a word.

    >>> short_name("Kwekerij Timmermans Rotterdam Holding B.V.", 22)
    'Kwekerij Timmermans R.'
    >>> short_name("Zorggroep Vlietstreek B.V."), short_name("Stichting Onderwijs Brabant", 22)
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
