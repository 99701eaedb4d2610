"""Numbers and tables for readers, in English or Dutch.

Money, percentages and counts are formatted by Babel for the report's locale (CLDR data):
digits grouped and decimals marked as the locale writes them, the currency's symbol where
the locale puts it, and a no-break space where the locale has a space, so that a symbol
never breaks from its amount at the end of a line.
"""

from __future__ import annotations

import copy
import math
import re
from decimal import Decimal
from functools import cache
from html import escape, unescape

import pandas as pd
from babel import Locale
from babel.dates import format_date

from ..analysis.wallet import ESTIMATE, EXACT
from ..words import ByKey, languages, words


@cache
def locale_of(language: str) -> Locale:
    """The Babel locale of a report language (``en``, ``nl``: its catalog's ``Language``) or
    of a locale name.

    >>> str(locale_of("nl")), str(locale_of("de_DE"))
    ('nl_NL', 'de_DE')
    """
    return words(language).locale if language in languages() else Locale.parse(language)


@cache
def _pattern(kind: str, language: str, decimals: int):
    """The locale's standard pattern of ``kind`` with exactly ``decimals`` decimals."""
    locale = locale_of(language)
    base = {
        "currency": locale.currency_formats["standard"],
        "percent": locale.percent_formats[None],
        "decimal": locale.decimal_formats[None],
    }[kind]
    pattern = copy.copy(base)
    pattern.frac_prec = (decimals, decimals)
    return pattern


def currency_symbol(currency: str, language: str = "en") -> str:
    """The symbol the report's locale writes for ``currency``.

    >>> currency_symbol("EUR", "nl"), currency_symbol("GBP", "en")
    ('€', '£')
    """
    return locale_of(language).currency_symbols.get(currency, currency)


def format_decimal(value: float, language: str = "en", decimals: int = 1) -> str:
    """A plain number with exactly ``decimals`` decimals, as the locale writes it.

    >>> format_decimal(1234.5, "nl"), format_decimal(1234.5, "en", 2)
    ('1.234,5', '1,234.50')
    """
    return _pattern("decimal", language, decimals).apply(value, locale_of(language))


def format_money(
    cents: int, language: str = "en", currency: str = "EUR", decimals: int = 2, scale: int = 0
) -> str:
    """An amount of cents for a reader, exact (integer cents, never a binary float), rounded
    half to even where ``decimals`` drops digits; ``scale`` 6 shows it in millions.

    >>> format_money(123456750, "en")
    '€1,234,567.50'
    >>> format_money(123456750, "nl")  # a no-break space after the symbol
    '€\\xa01.234.567,50'
    >>> format_money(-2500, "nl", decimals=0)
    '€\\xa0-25'
    """
    value = Decimal(int(cents)).scaleb(-2 - scale)
    return _pattern("currency", language, decimals).apply(
        value, locale_of(language), currency=currency, currency_digits=False
    )


def format_percent(share: float, language: str = "en", decimals: int = 1) -> str:
    """A share (0–1) as a percentage; a missing share as a dash.

    >>> format_percent(0.3962, "en"), format_percent(0.3962, "nl")
    ('39.6%', '39,6%')
    """
    if share is None or not math.isfinite(share):
        return "–"
    return _pattern("percent", language, decimals).apply(share, locale_of(language))


def format_count(n: int, language: str = "en") -> str:
    """A whole number with thousands separators.

    >>> format_count(123456, "nl"), format_count(123456, "en")
    ('123.456', '123,456')
    """
    return format_decimal(int(n), language, 0)


def format_day(day, language: str = "en") -> str:
    """A day in words, as the locale writes day, month name and year.

    >>> from datetime import date
    >>> format_day(date(2026, 11, 12), "nl"), format_day(date(2026, 11, 12), "en")
    ('12 november 2026', '12 November 2026')
    """
    # The pattern is the catalog's (format.day): CLDR's long dates differ from what our
    # readers write (English "November 12, 2026"), and German needs its "12. November".
    return format_date(day, words(language)["format.day"], locale=locale_of(language))


def format_millions(cents, language: str = "en", currency: str = "EUR", decimals: int = 1) -> str:
    """An amount in millions: the locale's money with the catalog's word for a million
    (``format.millions``) after the number, wherever the locale puts the symbol.

    >>> format_millions(7_053_403_863, "en"), format_millions(7_053_403_863, "nl")
    ('€70.5m', '€\\xa070,5\\xa0mln')
    >>> format_millions(-123_456_789, "en")
    '-€1.2m'
    """
    money = format_money(cents, language, currency, decimals=decimals, scale=6)
    # The word follows the digits, not the symbol: "€70.5m", but "70,5 Mio. €" in German.
    number = format_decimal(abs(int(cents)) / 100_000_000, language, decimals)
    word = words(language)["format.millions"].format(amount=number)
    return money.replace(number, word, 1)


def money_short(cents, language: str = "en", currency: str = "EUR") -> str:
    """An amount for a sentence: millions with one decimal, smaller amounts in whole units.

    >>> money_short(499_856_042), money_short(7_053_403_863, "nl"), money_short(1_725_206)
    ('€5.0m', '€\\xa070,5\\xa0mln', '€17,252')
    """
    cents = int(cents)
    if abs(cents) < 100_000_000:
        return format_money(cents, language, currency, decimals=0)
    return format_millions(cents, language, currency)


# How a figure is shown follows how well it is known: an exact ledger figure to the unit,
# an estimate (a wallet, and what is derived from it) rounded and marked "about". The kind
# comes from the analysis (``analysis.wallet.figure_kind``), never from the layout.
ESTIMATE_DIGITS = 2  # significant digits of an estimate below a million: ≈ €750,000


def money_as_known(cents, kind: str = EXACT, language: str = "en", currency: str = "EUR") -> str:
    """An amount of cents as precise as it is known: ``exact`` in whole units, an
    ``estimate`` marked "about" and rounded, millions with one decimal, smaller amounts to
    :data:`ESTIMATE_DIGITS` significant digits.

    >>> money_as_known(795_856_512, EXACT, "nl"), money_as_known(795_856_512, ESTIMATE, "nl")
    ('€\xa07.958.565', '≈\xa0€\xa08,0\xa0mln')
    >>> money_as_known(4_321_000, ESTIMATE), money_as_known(-123_456_789, ESTIMATE)
    ('≈\xa0€43,000', '≈\xa0-€1.2m')
    """
    cents = int(cents)
    if kind == EXACT:
        return format_money(cents, language, currency, decimals=0)
    if kind != ESTIMATE:
        raise ValueError(f"unknown kind of figure {kind!r}: {EXACT!r} or {ESTIMATE!r}")
    if abs(cents) >= 100_000_000:
        amount = format_millions(cents, language, currency)
    else:
        units = abs(cents) / 100
        step = 10 ** max(0, math.floor(math.log10(units)) + 1 - ESTIMATE_DIGITS) if units else 1
        rounded = int(round(units / step) * step) * (1 if cents >= 0 else -1)
        amount = format_money(rounded * 100, language, currency, decimals=0)
    return words(language)["format.about"].format(amount=amount)


GROWTH_DECIMALS = 1  # a relative change, in a table and in a sentence alike: +3.6%, 3.6% more


def format_growth(change: float, language: str = "en", signed: bool = True) -> str:
    """A relative change (``0.036`` = 3.6% more) with :data:`GROWTH_DECIMALS` decimals, the
    one rounding of a growth figure for every section, table and talking point: ``signed``
    with its sign (``+3.6%``, ``−45.9%``), else its size for a sentence whose verb says the
    direction ("fell 45.9%"). A missing change is a dash.

    >>> format_growth(0.0362), format_growth(-0.4589, "nl"), format_growth(-0.4589, "nl", False)
    ('+3.6%', '−45,9%', '45,9%')
    >>> format_growth(0.0), format_growth(float("nan"))
    ('0.0%', '–')
    """
    if change is None or not math.isfinite(change):
        return "–"
    size = format_percent(abs(change), language, GROWTH_DECIMALS)
    if not signed or round(abs(change) * 100, GROWTH_DECIMALS) == 0:
        return size
    return ("+" if change > 0 else "−") + size


LABELS = ByKey("label")  # column headers of the report tables


def concentration_display(
    table: pd.DataFrame, language: str = "en", top: int = 15, currency: str = "EUR"
) -> pd.DataFrame:
    """The first ``top`` rows of a concentration table as formatted text for a report.

    >>> t = pd.DataFrame({"rank": [1], "group_id": ["C1"], "name": ["Acme"], "units": [3],
    ...                   "revenue_cents": [1234500], "share": [0.5], "cumulative_share": [0.5]})
    >>> concentration_display(t, "nl").iloc[0, 1:].tolist()
    ['Acme', '3', '€\\xa012.345', '50,0%', '50,0%']
    """
    t = table.head(top)
    out = pd.DataFrame(
        {
            "rank": t["rank"].to_numpy(),
            "name": t["name"].to_numpy(),
            "units": [format_count(n, language) for n in t["units"]],
            "revenue_cents": [
                format_money(c, language, currency, decimals=0) for c in t["revenue_cents"]
            ],
            "share": [format_percent(s, language) for s in t["share"]],
            "cumulative_share": [format_percent(s, language) for s in t["cumulative_share"]],
        }
    )
    return out.rename(columns={c: LABELS[c][language] for c in out.columns})


class Html:
    """A piece of report HTML that Jupyter and nbconvert show as rich output."""

    def __init__(self, html: str):
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    @property
    def text(self) -> str:
        """What a reader sees of it: the tags dropped, the entities read.

        >>> Html('Open: “<span class="data" lang="nl">Lek &amp; kier</span>”').text
        'Open: “Lek & kier”'
        """
        return unescape(re.sub(r"<[^>]*>", "", self.html))


def as_html(value) -> str:
    """``value`` as HTML: an :class:`Html` piece as it is, anything else as escaped text."""
    return value.html if isinstance(value, Html) else escape("" if value is None else str(value))


def quoted_plain(text: str, language: str) -> str:
    """Text between the quotation marks of ``language`` (catalog ``format.quoted``), as plain
    text: for an alt attribute or the plain-text part, where :func:`quoted` cannot go.

    >>> quoted_plain("Onderhoud", "en")
    '“Onderhoud”'
    """
    return words(language)["format.quoted"].replace("{text}", str(text))


def quoted(text, data_language: str, report_language: str, *, marks: bool = True) -> Html:
    """Free text from the data (a complaint subject, an objective, a decision note, a
    service line) as the data's, not ours: in its own element, marked with the language it
    was typed in, and, in running text (``marks``), between the quotation marks of the
    report's language (catalog ``format.quoted``; plain characters, so that they survive in
    every mail client and in the plain-text part). A table cell passes ``marks=False``: its
    column says what it is. Empty text gives empty HTML.

    >>> print(quoted("Monteur te laat", "nl", "en"))
    “<span class="data" lang="nl">Monteur te laat</span>”
    >>> print(quoted("Tom & Jerry", "nl", "nl", marks=False))
    <span class="data" lang="nl">Tom &amp; Jerry</span>
    """
    text = "" if text is None else str(text).strip()
    if not text:
        return Html("")
    element = f'<span class="data" lang="{escape(data_language)}">{escape(text)}</span>'
    if not marks:
        return Html(element)
    return Html(escape(quoted_plain("\0", report_language)).replace("\0", element))


def sentence(template: str, **values) -> Html:
    """A catalog message with its placeholders filled, as HTML: the message and plain
    values escaped, :class:`Html` values (such as :func:`quoted` data text) as they are.

    >>> print(sentence("Open: {subject} & more", subject=quoted("Lek", "nl", "en")))
    Open: “<span class="data" lang="nl">Lek</span>” &amp; more
    """
    return Html(escape(template).format(**{k: _Raw(as_html(v)) for k, v in values.items()}))


class _Raw(str):
    """Already HTML: a format spec in a message is ignored rather than applied to markup."""

    def __format__(self, spec: str) -> str:
        return str(self)


def html_table(
    frame: pd.DataFrame,
    numeric: tuple[str, ...] = (),
    caption: str = "",
    row_data: list[dict] | None = None,
    stacked: bool = False,
) -> Html:
    """A plain HTML table of already formatted text (escaped; an :class:`Html` cell or
    header as it is); ``numeric`` columns align right; ``row_data`` gives each row's facts
    as ``data-`` attributes of its first cell; ``stacked`` marks the table (class
    ``stacked``, each cell's header as its ``data-label``) for the browser stylesheet to
    show on a phone as one block per row, each value after its label.

    >>> t = html_table(pd.DataFrame({"a": ["x"], "n": ["1"]}), numeric=("n",))
    >>> print(str(t).replace("<tbody>", "\\n<tbody>"))
    <table class="report-table"><thead><tr><th>a</th><th class="num">n</th></tr></thead>
    <tbody><tr><td>x</td><td class="num">1</td></tr></tbody></table>
    """

    def cls(col):
        return ' class="num"' if col in numeric else ""

    head = "".join(f"<th{cls(c)}>{as_html(c)}</th>" for c in frame.columns)

    def attrs(i: int, k: int) -> str:
        # A row's facts for machines (tests/test_consistency.py), not shown: data-<key> on
        # its first cell.
        given = dict(row_data[i]) if row_data and k == 0 else {}
        if stacked and k > 0:
            given["label"] = frame.columns[k]
        return "".join(f' data-{key}="{escape(str(v))}"' for key, v in given.items())

    body = "".join(
        "<tr>"
        + "".join(
            f"<td{cls(c)}{attrs(i, k)}>{as_html(v)}</td>"
            for k, (c, v) in enumerate(zip(frame.columns, row, strict=True))
        )
        + "</tr>"
        for i, row in enumerate(frame.itertuples(index=False))
    )
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    kind = "report-table stacked" if stacked else "report-table"
    return Html(
        f'<table class="{kind}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


TITLES = ByKey("title")


def concentration_headline(
    table: pd.DataFrame, threshold: float, window, language: str = "en"
) -> str:
    """The headline sentence: how many groups pass the threshold and what they bring.

    >>> from account_analysis.periods import window_for
    >>> t = pd.DataFrame({"share": [0.15, 0.12, 0.07, 0.056, 0.03]})
    >>> concentration_headline(t, 0.05, window_for("2026-Q3"))
    '4 customer groups bring 39.6% of revenue over the 24 months to September 2026.'
    >>> concentration_headline(t, 0.05, window_for("2026-Q3"), "nl")
    '4 klantgroepen brengen 39,6% van de omzet in de 24 maanden tot en met september 2026.'
    """
    above = table[table["share"] >= threshold]
    n, share = len(above), float(above["share"].sum())
    span = window.describe(language)
    pct = format_percent(share, language)
    limit = format_percent(threshold, language, 0 if threshold * 100 == int(threshold * 100) else 1)
    w = words(language)
    if n == 0:
        return w["headline.none"].format(limit=limit, span=span)
    return w.plural("headline.some", n).format(n=n, pct=pct, span=span)


def report_title(report: str, period: str, language: str = "en") -> Html:
    """The report's title block: name and period."""
    subtitle = words(language)["format.period"].format(period=period)
    return Html(
        f'<h1>{escape(TITLES[report][language])}</h1><p class="subtitle">{escape(subtitle)}</p>'
    )


def concentration_summary(
    table: pd.DataFrame, settings, top: int = 15, with_headline: bool = True
) -> Html:
    """Headline sentence (unless ``with_headline`` is false) and the largest groups."""
    lang = settings.language
    headline = concentration_headline(table, settings.threshold, settings.window, lang)
    shown = concentration_display(table, lang, top, settings.reporting_currency)
    numeric = tuple(
        LABELS[c][lang] for c in ("rank", "units", "revenue_cents", "share", "cumulative_share")
    )
    lead = f'<p class="headline">{escape(headline)}</p>' if with_headline else ""
    facts = [
        {"group": g, "units": int(n)}
        for g, n in zip(table["group_id"].head(top), table["units"].head(top), strict=True)
    ]
    return Html(
        lead
        + f"<h2>{escape(TITLES['top_groups'][lang])}</h2>"
        + html_table(shown, numeric, row_data=facts).html
    )


RECONCILIATION_LABELS = ByKey("reconciliation")


def reconciliation_summary(table: pd.DataFrame, settings) -> Html:
    """The reconciliation of the window for readers: every cent accounted for."""
    lang, cur = settings.language, settings.reporting_currency
    t = table.set_index("item")
    holds = (
        t.at["raw_in_window", "revenue_cents"]
        == t.at["consolidated", "revenue_cents"] + t.at["excluded", "revenue_cents"]
    )
    shown = pd.DataFrame(
        {
            "item": [RECONCILIATION_LABELS.get(i, {}).get(lang, i) for i in table["item"]],
            "amount": [format_money(c, lang, cur) for c in table["revenue_cents"]],
            "lines": [format_count(n, lang) for n in table["lines"]],
        }
    )
    w = words(lang).table("reconciliation_table")
    heads = ("", w["amount"], w["lines"])
    shown.columns = list(heads)
    title, note = w["title"], w["holds" if holds else "fails"]
    return Html(
        f"<h2>{escape(title)}</h2>"
        + html_table(shown, heads[1:]).html
        + f'<p class="note">{escape(note)}</p>'
    )
