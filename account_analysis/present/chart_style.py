"""The one look of every chart, in the period reports and the briefings alike: size and
resolution, the colours, and the matplotlib rc values of the theme (seaborn's ``ticks`` style
and ``notebook`` sizes, written out so that no kernel imports seaborn).

:mod:`.charts` and :mod:`.briefing_charts` draw inside ``matplotlib.rc_context(chart_theme())``;
nothing here changes a global setting.

>>> theme = chart_theme()
>>> theme["axes.spines.top"], theme["axes.titlelocation"], round(theme["font.size"], 1)
(False, 'left', 9.6)
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PIL import Image

FIGSIZE = (9.0, 4.5)  # inches
DPI = 120
PALETTE_COLOURS = 256  # of a chart's PNG
NEAR_WHITE = 3  # a palette colour this close to white (0-255 per channel) is made white

NAVY = "#1f3a5f"
TEAL = "#2a9d8f"
GREY = "#9aa5b1"
DARK = "#333f4b"
ACCENT = "#e07b24"  # candidates: the one colour that stands out


# seaborn 0.13's ``axes_style("ticks")`` and ``plotting_context("notebook",
# font_scale=0.8)``, written out: importing seaborn for them took 1.3 s of every report
# kernel (seaborn loads scipy.stats), more than drawing the charts. A test checks them
# against the installed seaborn.
SEABORN_TICKS = {
    "axes.axisbelow": True, "axes.edgecolor": ".15", "axes.facecolor": "white",
    "axes.grid": False, "axes.labelcolor": ".15", "axes.spines.bottom": True,
    "axes.spines.left": True, "axes.spines.right": True, "axes.spines.top": True,
    "figure.facecolor": "white", "font.family": ["sans-serif"],
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans",
                        "sans-serif"],
    "grid.color": ".8", "grid.linestyle": "-", "image.cmap": "rocket",
    "lines.solid_capstyle": "round", "patch.edgecolor": "w", "patch.force_edgecolor": True,
    "text.color": ".15", "xtick.bottom": True, "xtick.color": ".15",
    "xtick.direction": "out", "xtick.top": False, "ytick.color": ".15",
    "ytick.direction": "out", "ytick.left": True, "ytick.right": False,
}
SEABORN_NOTEBOOK_SCALE = 0.8
SEABORN_NOTEBOOK = {  # seaborn's "notebook" sizes, before font_scale
    "axes.labelsize": 12, "axes.linewidth": 1.25, "axes.titlesize": 12, "font.size": 12,
    "grid.linewidth": 1, "legend.fontsize": 11, "legend.title_fontsize": 12,
    "lines.linewidth": 1.5, "lines.markersize": 6, "patch.linewidth": 1,
    "xtick.labelsize": 11, "xtick.major.size": 6, "xtick.major.width": 1.25,
    "xtick.minor.size": 4, "xtick.minor.width": 1, "ytick.labelsize": 11,
    "ytick.major.size": 6, "ytick.major.width": 1.25, "ytick.minor.size": 4,
    "ytick.minor.width": 1,
}
_FONT_KEYS = ("axes.labelsize", "axes.titlesize", "font.size", "legend.fontsize",
              "legend.title_fontsize", "xtick.labelsize", "ytick.labelsize")


def seaborn_theme() -> dict:
    """seaborn's ``ticks`` style with its ``notebook`` context at font scale 0.8 (as
    ``sns.axes_style`` and ``sns.plotting_context`` give them), without importing seaborn."""
    context = {k: v * SEABORN_NOTEBOOK_SCALE if k in _FONT_KEYS else v
               for k, v in SEABORN_NOTEBOOK.items()}
    return {**SEABORN_TICKS, **context}


def chart_theme() -> dict:
    """rc values of the one chart theme: seaborn's ``ticks`` style and ``notebook`` sizes,
    scaled for a 9-inch figure, with a light grid and no top or right spine."""
    rc = seaborn_theme()
    # "rocket" is seaborn's own colour map, registered only by importing seaborn; no chart
    # maps values to colours, so matplotlib's default stays.
    del rc["image.cmap"]
    rc.update({
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
        "axes.prop_cycle": matplotlib.cycler(color=[to_rgb(c)
                                                    for c in (NAVY, TEAL, GREY)]),
        "legend.frameon": False,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "grid.color": ".9",
        "grid.linewidth": 0.8,
    })
    return rc


def draw_png(draw, figsize=FIGSIZE) -> bytes:
    """Draw with ``draw(fig)`` on a fresh figure in the chart theme and return its PNG.

    A flat chart needs few colours: a 256-colour palette PNG is about a third of the size of
    a truecolour one and looks the same, which matters in an email. Fast octree quantising
    takes 5 ms a chart where median cut took 40, and with zlib's level 9 (no filter search)
    the file is a quarter smaller than median cut's with ``optimize`` (benchmarks/README.md).
    Octree moves a colour by at most a few levels: the palette's near-whites are set to white,
    so that a chart's background is the page's. No metadata but the resolution, so the same
    drawing gives the same bytes.

    >>> png = draw_png(lambda fig: fig.add_subplot().plot([0, 1], [0, 1]))
    >>> image = Image.open(io.BytesIO(png))
    >>> image.mode, image.size, image.getpixel((0, 0)) == image.palette.colors[(255, 255, 255)]
    ('P', (1080, 540), True)
    """
    with matplotlib.rc_context(chart_theme()):
        fig = Figure(figsize=figsize, dpi=DPI)
        FigureCanvasAgg(fig)
        draw(fig)
        fig.canvas.draw()
        rgba = np.asarray(fig.canvas.buffer_rgba())
    image = Image.fromarray(rgba[..., :3]).quantize(PALETTE_COLOURS,
                                                    method=Image.Quantize.FASTOCTREE)
    palette = np.array(image.getpalette(), dtype=np.uint8).reshape(-1, 3)
    palette[(palette >= 255 - NEAR_WHITE).all(axis=1)] = 255
    image.putpalette(palette.ravel().tolist())
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=9, dpi=(DPI, DPI))
    return buffer.getvalue()
