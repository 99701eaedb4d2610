"""account_analysis: revenue concentration, Large Account designation and briefings.

The public API that notebooks use (``import account_analysis as aa``)::

    ctx = aa.open_period(period="2026-Q3")       # settings, dataset and cube
    revenue = aa.revenue_by_group(ctx.consolidation, ctx.settings.window)
    table = aa.concentration_table(revenue)
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis.briefing import Briefing, account_briefing, account_manager_of, briefing_language
from .analysis.concentration import (
    candidates_above,
    concentration_metrics,
    concentration_table,
    concentration_trend,
    hhi_band,
    lorenz_curve,
    positive_revenue,
)
from .analysis.designation import assess_candidates, designate_large_accounts, designation_changes
from .analysis.scenarios import loss_of_top, merger, merger_screen, sell_wide_vs_deep
from .analysis.scoring import PeriodScore, open_inputs, score_period
from .analysis.sensitivity import WindowSensitivity, window_sensitivity
from .analysis.wallet import share_of_wallet, wallet_allocation_share
from .authoring.links import suggest_links, write_link_review
from .consolidate.cube import Consolidation, build_cube, cached_cube, cached_cube_exists
from .consolidate.fx import to_reporting_cents
from .consolidate.window import (
    monthly_revenue_by_group,
    reconcile,
    reconciliation_holds,
    revenue_by_group,
)
from .errors import InputError, Problem
from .load.dataset import Dataset, load_dataset, load_table
from .load.hierarchy import Hierarchy
from .periods import Period, Window, parse_period, window_for
from .present.briefing import (
    briefing_benefits_section,
    briefing_complaints_section,
    briefing_glance_section,
    briefing_group_section,
    briefing_objectives_section,
    briefing_revenue_section,
    briefing_stakeholders_section,
    briefing_talking_points_section,
    briefing_title,
    briefing_units_section,
    briefing_wallet_section,
    talking_points,
)
from .present.format import (
    Html,
    concentration_display,
    concentration_headline,
    concentration_summary,
    format_count,
    format_money,
    format_percent,
    html_table,
    reconciliation_summary,
    report_title,
)
from .present.reasons import (
    match_reason,
    rationale,
    wallet_method,
    with_assignment_reasons,
    with_rationale,
    with_words,
)
from .present.sections import (
    account_manager_section,
    candidates_section,
    changes_section,
    data_quality_section,
    key_figures_section,
    merger_section,
    near_miss_section,
    rationale_section,
    risk_section,
    sell_wide_deep_section,
    sensitivity_section,
    territory_section,
    trend_section,
    verdict_section,
    wallet_method_note,
)
from .settings.parameters import Settings, load_settings

__version__ = "0.1.0"

# The chart functions load matplotlib (about half a second): imported on
# first use, so that loading data and building the cube do not pay for them.
_LAZY = {
    "Chart": "present.charts",
    "lorenz_chart": "present.charts",
    "pareto_chart": "present.charts",
    "trend_chart": "present.charts",
    "wallet_chart": "present.charts",
    "briefing_revenue_chart": "present.briefing_charts",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


@dataclass(frozen=True)
class PeriodContext:
    """What every report notebook starts from: validated settings and the loaded dataset."""

    settings: Settings
    dataset: Dataset
    consolidation: Consolidation


def open_period(**parameters) -> PeriodContext:
    """Validate notebook parameters over ``params/defaults.yaml`` and the period's own
    ``params/<period>.yaml`` (:meth:`Settings.for_period`; a parameter given as ``None`` is
    not given) and load the dataset.

    The one library call after a notebook's ``parameters`` cell. When the consolidated cube
    of the dataset is already cached, the invoice lines are not read again:
    ``ctx.dataset.invoices`` is then empty (everything downstream works on
    ``ctx.consolidation``); use :func:`load_dataset` to look at the lines themselves.
    """
    settings = Settings.for_period(parameters)
    dataset, consolidation = open_inputs(settings)
    return PeriodContext(settings, dataset, consolidation)


def open_score(score_file: str = "", **parameters) -> PeriodScore:
    """The period's :class:`PeriodScore`, the one library call after a report notebook's
    ``parameters`` cell.

    The batch runner scores each period once and passes the file as ``score_file``
    (:mod:`account_analysis.render.scores`): it is checked against the notebook's other
    parameters and loaded, every part already computed. Without it (an analyst in
    JupyterLab) the period is opened as by :func:`open_period` and scored here.
    """
    if score_file:
        from .render.scores import read_score

        return read_score(score_file, parameters)
    ctx = open_period(**parameters)
    return score_period(ctx.consolidation, ctx.dataset, ctx.settings)


__all__ = [
    "Briefing",
    "Chart",
    "Consolidation",
    "Dataset",
    "Hierarchy",
    "Html",
    "InputError",
    "Period",
    "PeriodContext",
    "PeriodScore",
    "Problem",
    "Settings",
    "Window",
    "WindowSensitivity",
    "account_manager_section",
    "account_briefing",
    "account_manager_of",
    "assess_candidates",
    "briefing_benefits_section",
    "briefing_complaints_section",
    "briefing_glance_section",
    "briefing_group_section",
    "briefing_language",
    "briefing_objectives_section",
    "briefing_revenue_chart",
    "briefing_revenue_section",
    "briefing_stakeholders_section",
    "briefing_talking_points_section",
    "briefing_title",
    "briefing_units_section",
    "briefing_wallet_section",
    "build_cube",
    "cached_cube",
    "cached_cube_exists",
    "candidates_above",
    "candidates_section",
    "changes_section",
    "data_quality_section",
    "concentration_display",
    "concentration_headline",
    "concentration_metrics",
    "concentration_summary",
    "concentration_table",
    "concentration_trend",
    "designate_large_accounts",
    "designation_changes",
    "format_count",
    "format_money",
    "format_percent",
    "hhi_band",
    "html_table",
    "key_figures_section",
    "load_dataset",
    "load_settings",
    "load_table",
    "lorenz_chart",
    "lorenz_curve",
    "loss_of_top",
    "merger",
    "merger_screen",
    "merger_section",
    "monthly_revenue_by_group",
    "near_miss_section",
    "open_period",
    "open_score",
    "pareto_chart",
    "parse_period",
    "positive_revenue",
    "rationale_section",
    "reconcile",
    "reconciliation_holds",
    "reconciliation_summary",
    "report_title",
    "revenue_by_group",
    "risk_section",
    "score_period",
    "sell_wide_deep_section",
    "sell_wide_vs_deep",
    "sensitivity_section",
    "share_of_wallet",
    "suggest_links",
    "territory_section",
    "talking_points",
    "to_reporting_cents",
    "trend_chart",
    "trend_section",
    "verdict_section",
    "wallet_allocation_share",
    "wallet_chart",
    "wallet_method_note",
    "rationale",
    "wallet_method",
    "with_rationale",
    "with_words",
    "match_reason",
    "with_assignment_reasons",
    "window_for",
    "window_sensitivity",
    "write_link_review",
]
