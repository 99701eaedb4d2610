"""Report sections for readers: one function per section of the period reports.

Each function takes a :class:`~account_analysis.analysis.scoring.PeriodScore` and returns a
:class:`~account_analysis.present.format.Html` piece: an ``<h2>`` heading, a few plain sentences
and at most one short table, in the report language (``score.settings.language``, ``en`` or
``nl``). Numbers go through the formatters of :mod:`account_analysis.present.format`; every piece of
text that comes from the data is escaped. No section mutates the score.

The sections live by concept, built from the parts in :mod:`.section_parts`; this module
names each report's sections in order and keeps every section importable from here.
Both period reports open with :func:`verdict_section` (:mod:`.verdict_sections`).
Revenue concentration report (:mod:`.concentration_sections`): :func:`key_figures_section`,
:func:`trend_section`, :func:`risk_section`, :func:`merger_section`,
:func:`sell_wide_deep_section`, :func:`sensitivity_section`; its data quality
(:mod:`.data_quality_sections`): :func:`data_quality_section`. Large Account rationale report:
the designation (:mod:`.designation_sections`): :func:`candidates_section`,
:func:`rationale_section`, :func:`near_miss_section`, :func:`changes_section`,
:func:`wallet_method_note`; who looks after the customers (:mod:`.account_manager_sections`):
:func:`account_manager_section`, :func:`territory_section`.
"""

from __future__ import annotations

from .account_manager_sections import account_manager_section, territory_section
from .concentration_sections import (
    MERGER_ROWS,
    SENSITIVITY_ROWS,
    key_figures_section,
    merger_section,
    risk_section,
    sell_wide_deep_section,
    sensitivity_section,
    trend_section,
)
from .data_quality_sections import data_quality_section
from .designation_sections import (
    candidates_section,
    changes_section,
    near_miss_section,
    rationale_section,
    wallet_method_note,
)
from .format import money_short
from .section_parts import DASH, MAX_ROWS
from .section_words import TEXT
from .verdict_sections import verdict_section

CONCENTRATION_SECTIONS = (
    verdict_section,
    key_figures_section,
    trend_section,
    risk_section,
    merger_section,
    sell_wide_deep_section,
    sensitivity_section,
    data_quality_section,
)
RATIONALE_SECTIONS = (
    verdict_section,
    candidates_section,
    rationale_section,
    near_miss_section,
    changes_section,
    wallet_method_note,
    account_manager_section,
    territory_section,
)

# Imported from here before the split (and TEXT, money_short by the tests): still here.
__all__ = [
    "CONCENTRATION_SECTIONS",
    "DASH",
    "MAX_ROWS",
    "MERGER_ROWS",
    "RATIONALE_SECTIONS",
    "SENSITIVITY_ROWS",
    "TEXT",
    "account_manager_section",
    "candidates_section",
    "changes_section",
    "data_quality_section",
    "key_figures_section",
    "merger_section",
    "money_short",
    "near_miss_section",
    "rationale_section",
    "risk_section",
    "sell_wide_deep_section",
    "sensitivity_section",
    "territory_section",
    "trend_section",
    "verdict_section",
    "wallet_method_note",
]
