"""The reports the product renders, each named once: its name, its notebook, its order and
whether it is rendered once per period or once per Large Account (the briefing).

Everything that lists reports reads them here: the batch runner (what to render, in what
order), the output layout (:mod:`.paths`), the index page and the mail delivery (who gets
what). A report's name is also the key of its title (``present.format.TITLES``) and of its
mail subject (``deliver.mail.SUBJECTS``).

>>> [r.name for r in REPORTS]
['revenue_concentration', 'large_account_rationale', 'account_briefing']
>>> PERIOD_REPORTS, BRIEFING_REPORT
(('revenue_concentration', 'large_account_rationale'), 'account_briefing')
>>> report("account_briefing").notebook
'account_briefing'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PERIOD = "period"  # one per period, for management (``mail_management``)
BRIEFING = "briefing"  # one per designated group, for its account manager


@dataclass(frozen=True)
class Report:
    """One report: ``name`` (its files ``<name>.html``, its title and subject), ``notebook``
    (``notebooks/<notebook>.ipynb``) and ``kind`` (:data:`PERIOD` or :data:`BRIEFING`)."""

    name: str
    notebook: str
    kind: Literal["period", "briefing"]


# In the order they are rendered, listed in the index and mailed.
REPORTS = (
    Report("revenue_concentration", "revenue_concentration", PERIOD),
    Report("large_account_rationale", "large_account_rationale", PERIOD),
    Report("account_briefing", "account_briefing", BRIEFING),
)
PERIOD_REPORTS = tuple(r.name for r in REPORTS if r.kind == PERIOD)
(BRIEFING_REPORT,) = (r.name for r in REPORTS if r.kind == BRIEFING)


def report(name: str) -> Report:
    """The report called ``name``; ``KeyError`` for a name that is not one."""
    for r in REPORTS:
        if r.name == name:
            return r
    raise KeyError(name)
