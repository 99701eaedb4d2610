"""Invoice lines whose status is in doubt (disputed, on hold): revenue in the books, but a
company decides whether its reports count them, leave them out, or count and flag them
(the setting ``status_treatment``; docs/consolidation.md)."""

from __future__ import annotations

# The code of a doubtful status, in the exclusions and flags tables.
STATUS_CODES = {"disputed": "disputed", "on hold": "on_hold"}
# What becomes of a line with a doubtful status: counted as revenue, excluded with its
# status as the reason, or counted and flagged (the ledger shows it; the default).
TREATMENTS = ("count", "exclude", "flag")
DEFAULT_TREATMENT = "flag"


def status_treatment(given=None) -> dict[str, str]:
    """Every doubtful status with its treatment: ``given`` (a mapping, as the setting
    ``status_treatment``) over the default.

    >>> status_treatment({"disputed": "exclude"})
    {'disputed': 'exclude', 'on hold': 'flag'}
    """
    given = dict(given or {})
    return {s: given.get(s, DEFAULT_TREATMENT) for s in STATUS_CODES}


def statuses_treated(given, treatment: str) -> tuple[str, ...]:
    """The doubtful statuses that ``given`` treats as ``treatment``.

    >>> statuses_treated({"disputed": "exclude"}, "flag")
    ('on hold',)
    """
    return tuple(s for s, t in status_treatment(given).items() if t == treatment)
