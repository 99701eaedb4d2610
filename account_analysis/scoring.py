"""Scoring one period: every analysis of the concentration and rationale reports in one call.

:func:`score_period` runs, for one period's settings, the concentration metrics, the Lorenz
curve, the trend over the previous periods, the window sensitivity, the loss and merger
scenarios, the Large Account assessment and designation (and the changes since the previous
period) and the sell wide vs sell deep comparison. It is pure: it reads the consolidation
and the dataset and returns a :class:`PeriodScore`; notebooks show its parts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .concentration import (
    concentration_metrics,
    concentration_table,
    concentration_trend,
    lorenz_curve,
)
from .consolidate import Consolidation, revenue_by_group
from .designation import assess_candidates, designate_large_accounts, designation_changes
from .load import Dataset
from .scenarios import loss_of_top, merger_screen, sell_wide_vs_deep
from .sensitivity import WindowSensitivity, window_sensitivity
from .settings import Settings

TREND_PERIODS = 4  # the period and the three before it
WINDOWS = (12, 24, 36)


@dataclass(frozen=True)
class PeriodScore:
    """The analyses of one period. Frames have the columns documented at their source."""

    settings: Settings
    concentration: pd.DataFrame  # concentration.concentration_table
    metrics: dict  # concentration.concentration_metrics
    lorenz: pd.DataFrame  # concentration.lorenz_curve
    trend: pd.DataFrame  # concentration.concentration_trend
    sensitivity: WindowSensitivity
    loss_top1: dict  # scenarios.loss_of_top
    loss_top3: dict
    mergers: pd.DataFrame  # scenarios.merger_screen
    designations: pd.DataFrame  # designation.designate_large_accounts
    previous_designations: pd.DataFrame
    changes: pd.DataFrame  # designation.designation_changes
    sell_wide_vs_deep: dict  # scenarios.sell_wide_vs_deep

    @property
    def candidates(self) -> pd.DataFrame:
        return self.designations[self.designations["status"] == "candidate"]


def _designations(consolidation, dataset, settings, period) -> pd.DataFrame:
    window = period.window(settings.window_months)
    assessed = assess_candidates(consolidation, dataset, window, settings.threshold,
                                 restate_hierarchy=settings.restate_hierarchy,
                                 language=settings.language)
    return designate_large_accounts(assessed, dataset.decisions, period.label,
                                    settings.threshold, language=settings.language)


def score_period(consolidation: Consolidation, dataset: Dataset, settings: Settings
                 ) -> PeriodScore:
    """Score the period of ``settings``; see the module docstring."""
    period = settings.parsed_period
    window = settings.window
    restate = settings.restate_hierarchy
    revenue = revenue_by_group(consolidation, window, restate)
    periods = [period.shift(-k).label for k in range(TREND_PERIODS - 1, -1, -1)]
    designations = _designations(consolidation, dataset, settings, period)
    previous = _designations(consolidation, dataset, settings, period.previous())
    annual = revenue_by_group(consolidation, period.window(12), restate)
    candidates = designations[designations["status"] == "candidate"]
    return PeriodScore(
        settings=settings,
        concentration=concentration_table(revenue),
        metrics=concentration_metrics(revenue),
        lorenz=lorenz_curve(revenue),
        trend=concentration_trend(consolidation, periods, settings.window_months,
                                  settings.threshold, restate),
        sensitivity=window_sensitivity(consolidation, period.label, WINDOWS,
                                       settings.threshold, restate),
        loss_top1=loss_of_top(revenue, 1),
        loss_top3=loss_of_top(revenue, 3),
        mergers=merger_screen(revenue, list(settings.merger_pairs) or None,
                              threshold=settings.threshold),
        designations=designations,
        previous_designations=previous,
        changes=designation_changes(designations, previous),
        sell_wide_vs_deep=sell_wide_vs_deep(annual, candidates, settings.growth_target),
    )
