"""The parts every report section is built from: its words, a heading, a paragraph, a short
table, and the figures (money, percentages, plain numbers, names) as the sections show them.

Shared by :mod:`.concentration_sections`, :mod:`.designation_sections` and
:mod:`.account_manager_sections`. A figure that is missing reads as a dash; text is escaped.
Nothing here mutates its input.

>>> print(heading("Risk & mergers") + paragraph("<none>", "note"))
<h2>Risk &amp; mergers</h2><p class="note">&lt;none&gt;</p>
>>> join_words(["CR1", "CR4", "HHI"], "nl"), display_name(None, "C10001")
('CR1, CR4 en HHI', 'C10001')
"""

from __future__ import annotations

from html import escape

import pandas as pd
from babel.lists import format_list

from .format import format_decimal, format_money, format_percent, html_table, locale_of
from .section_words import TEXT

MAX_ROWS = 15  # a table longer than this does not read well in an email
DASH = "–"


def words(score) -> dict:
    """The sections' words in the report's language (``score.settings.language``)."""
    return TEXT[score.settings.language]


def heading(text: str) -> str:
    """A section's ``<h2>`` heading, escaped."""
    return f"<h2>{escape(text)}</h2>"


def paragraph(text: str, cls: str = "") -> str:
    """One ``<p>``, escaped, with the CSS class ``cls`` (``headline``, ``note``) if given."""
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{escape(text)}</p>"


def whole_money(score, cents) -> str:
    """Whole euros (or the reporting currency) for a management table."""
    return format_money(
        int(cents), score.settings.language, score.settings.reporting_currency, decimals=0
    )


def plain_decimal(value: float, language: str, decimals: int = 1) -> str:
    """A plain number with ``decimals`` decimals and the reader's separators."""
    if pd.isna(value):
        return DASH
    return format_decimal(float(value), language, decimals)


def percent(score, share, decimals: int = 1) -> str:
    """A share as a percentage in the report's language; a dash if it is missing."""
    if share is None or pd.isna(share):
        return DASH
    return format_percent(float(share), score.settings.language, decimals)


def threshold_percent(score) -> str:
    """The candidate threshold as a percentage: whole if it is whole (5%), else 1 decimal."""
    t = score.settings.threshold
    whole = round(t * 100, 6) == int(round(t * 100, 6))
    return format_percent(t, score.settings.language, 0 if whole else 1)


def display_name(name, group_id) -> str:
    """The name, or the id (of a group or an account) where there is no name."""
    return name if isinstance(name, str) and name else str(group_id)


def display_names(frame: pd.DataFrame) -> list[str]:
    """:func:`display_name` of each row of a frame with ``name`` and ``group_id``."""
    return [display_name(n, g) for n, g in zip(frame["name"], frame["group_id"], strict=True)]


def short_table(
    frame: pd.DataFrame, numeric=(), rows: int = MAX_ROWS, row_data: list[dict] | None = None
) -> str:
    """The first ``rows`` rows of ``frame`` as an email-safe HTML table, the ``numeric``
    columns right-aligned; ``row_data``: each row's facts as ``data-`` attributes."""
    return html_table(
        frame.head(rows), numeric=tuple(numeric), row_data=row_data[:rows] if row_data else None
    ).html


def join_words(items: list[str], language: str) -> str:
    """``a, b, and c`` / ``a, b en c``: the locale's list (Babel, CLDR).

    >>> join_words(["a", "b", "c"], "en"), join_words(["a", "b", "c"], "nl")
    ('a, b, and c', 'a, b en c')
    """
    return format_list(list(items), locale=locale_of(language)) if items else ""
