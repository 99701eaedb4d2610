"""The small parts the briefing's sections and talking points share: its words, its money,
percent and date formats, its HTML pieces and the status of an objective.

Split from :mod:`account_analysis.present.briefing` (its sections) and
:mod:`account_analysis.present.talking_points`.
"""

from __future__ import annotations

import re
from html import escape

import pandas as pd

from ..analysis.briefing import Briefing
from ..analysis.wallet import ESTIMATE
from ..words import languages, words
from .briefing_words import TEXT, status_code
from .format import (
    Html,
    as_html,
    format_count,
    format_day,
    format_money,
    format_percent,
    html_table,
    money_as_known,
    quoted,
)

RECENT_COMPLAINTS = 10  # complaints and escalations listed, newest first
MAX_UNITS = 40  # above this, the unit table shows the subsidiaries with everything below
FLAT_TREND = 0.02  # a change of less than 2% a year reads as "level"
MIX_CHANGE_PP = 3.0  # a service line's share moving this many points is worth a word
TOP_SUPPLIERS = 3
DASH = "–"
CLOSED_STATUSES = {"dropped", "vervallen"}  # no longer pursued: nothing to say
GOOD_STATUSES = {"on track", "achieved", "done", "met", "completed", "op koers", "behaald"}
AT_RISK_STATUSES = {
    "at risk",
    "behind",
    "off track",
    "delayed",
    "missed",
    "risico",
    "achter",
    "vertraagd",
    "niet gehaald",
}
PLAN_COMMAND = "account-analysis plan-template {group}"


# --------------------------------------------------------------------------- words


def texts(b: Briefing) -> dict:
    return TEXT[b.language]


def money(b: Briefing, cents) -> str:
    return format_money(int(cents), b.language, b.currency, decimals=0)


def estimate(b: Briefing, cents) -> str:
    """An amount derived from a wallet, as precise as it is known (``≈ € 8,0 mln``): the
    rounding the rationale report gives the same figure."""
    return money_as_known(int(cents), ESTIMATE, b.language, b.currency)


def pct(b: Briefing, share, decimals: int = 1) -> str:
    return DASH if share is None or pd.isna(share) else format_percent(share, b.language, decimals)


def day(value, language: str) -> str:
    """``12 November 2026`` / ``12 november 2026``; "" for no date."""
    if value is None or value == "" or pd.isna(value):
        return ""
    return format_day(pd.Timestamp(value).date(), language)


def iso_day(value) -> str:
    if value is None or value == "" or pd.isna(value):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def h2(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def para(text, cls: str = "") -> str:
    """One ``<p>``: text escaped, an :class:`Html` sentence (with data quoted) as it is."""
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{as_html(text)}</p>"


_DATE_CELL = re.compile(r"<td>(\d{4}-\d{2}-\d{2}(?: \([^<]*\))?)</td>")


def table(frame: pd.DataFrame, numeric: tuple = ()) -> Html:
    """:func:`~account_analysis.present.format.html_table`, with dates that do not wrap (inline
    style: it survives in a mail)."""
    text = html_table(frame, numeric=tuple(numeric)).html
    return Html(_DATE_CELL.sub(r'<td style="white-space:nowrap">\1</td>', text))


def bullets(items) -> str:
    return "<ul>" + "".join(f"<li>{as_html(i)}</li>" for i in items) + "</ul>"


def data(b: Briefing, text, marks: bool = True) -> Html:
    """Free text of the data (a subject, an objective, a role, a service line) quoted as the
    data's (:func:`~account_analysis.present.format.quoted`); ``marks=False`` in a table."""
    return quoted(plain(text), b.data_language or b.language, b.language, marks=marks)


def plain(value) -> str:
    return "" if value is None else str(value).strip()


def counted(b: Briefing, n, noun: str) -> str:
    """``1 complaint``, ``3 escalations`` / ``1 klacht``, ``3 escalaties``."""
    noun = words(b.language).plural(f"briefing.n:{noun}", int(n))
    return f"{format_count(int(n), b.language)} {noun}"


def status_word(status: str, language: str) -> str:
    """An objective's status as the plan writes it, in the reader's language when it is one
    the catalogs know (``status.*``, in any language); otherwise as written."""
    code = status_code(status)
    return words(language)[f"status.{code}"] if code else status


def coded_word(b: Briefing, prefix: str, value) -> str:
    key = f"{prefix}:{plain(value).lower()}"
    return texts(b).get(key, plain(value))


def owner(b: Briefing, who):
    """A relationship owner: a manager id as the manager's name, anything else as the plan
    writes it (data text)."""
    who = plain(who)
    name = b.manager_names.get(who)
    return name if name else data(b, who, marks=False)


def objective_status(objective: dict, period: str, field: str = "status") -> tuple[str, str]:
    """The status of an objective for ``period`` and the period it was reported in: the
    status of ``period`` itself, else the latest reported before it; ``("", "")`` if none.
    ``field="current"`` gives the value reached the same way.

    >>> objective_status({"status": {"2026-Q2": "behind", "2026-Q3": "on track"}}, "2026-Q3")
    ('on track', '2026-Q3')
    >>> objective_status({"status": {"2026-Q2": "behind"}}, "2026-Q4")
    ('behind', '2026-Q2')
    >>> objective_status({"current": {"2026-Q2": "12", "2026-Q4": "16"}}, "2026-Q3", "current")
    ('12', '2026-Q2')
    """
    statuses = objective.get(field) or {}
    if not isinstance(statuses, dict):
        return (str(statuses), period)
    known = sorted((str(k), str(v)) for k, v in statuses.items() if str(k) <= period and v)
    return (known[-1][1], known[-1][0]) if known else ("", "")


def measured_by_data(objective: dict) -> str | None:
    """The figure of the data an objective's measure names, or None: ``share_of_wallet``
    when the measure is the catalogs' "share of wallet" in any language.

    >>> measured_by_data({"measure": "Share of wallet"}), measured_by_data({"measure": "x"})
    ('share_of_wallet', None)
    """
    measure = plain(objective.get("measure")).lower()
    for language in languages():
        if measure and measure == words(language)["briefing.measure:share_of_wallet"].lower():
            return "share_of_wallet"
    return None


def target_text(objective: dict) -> str:
    """``55% (share of wallet)``: the target with its measure, where they differ."""
    target, measure = plain(objective.get("target")), plain(objective.get("measure"))
    if not measure or measure.lower() == target.lower():
        return target or measure
    return f"{target} ({measure})" if target else measure
