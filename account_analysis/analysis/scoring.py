"""Scoring one period: every analysis of the concentration and rationale reports in one call.

:func:`score_period` runs, for one period's settings, the concentration metrics, the Lorenz
curve, the trend over the previous periods, the window sensitivity, the loss and merger
scenarios, the Large Account assessment and designation (and the changes since the previous
period), the verdict's dependency and what moved since the previous period, the sell wide vs
sell deep comparison, the account manager proposals for the
Large Accounts and the postcode territories of the other customers. It is pure: it reads
the consolidation and the dataset and returns a :class:`PeriodScore`; notebooks show its
parts.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "accounts.csv").write_text(
...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n"
...     "U,Unit,3511 CD,NL,G\\nX,Other,5611 EF,NL,\\n")
>>> _ = (folder / "invoices.csv").write_text(
...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
...     "F1,2026-01-15,U,100.00,posted\\nF2,2026-02-01,G,50.50,posted\\n"
...     "F3,2026-03-01,X,25.00,cancelled\\nF4,2026-03-09,X,10.00,posted\\n")
>>> from account_analysis import Settings
>>> settings = Settings.from_mapping({"period": "2026-Q1", "window_months": 3,
...                                   "dataset": str(folder)})
>>> score = score_period(*reversed(open_inputs(settings)), settings)
>>> round(score.metrics["cr1"], 4), score.metrics["hhi_band"]
(0.9377, 'highly concentrated')
>>> score.designations[["group_id", "status"]].values.tolist()
[['G', 'candidate'], ['X', 'candidate']]
"""

from __future__ import annotations

import dataclasses
from functools import cached_property

import pandas as pd

from ..consolidate.cube import Consolidation, build_cube, cached_cube
from ..consolidate.window import revenue_by_group
from ..load.dataset import Dataset, load_dataset
from ..settings.parameters import Settings
from .assignment import (
    assign_account_managers,
    check_account_managers,
    score_managers,
    track_record,
)
from .concentration import (
    concentration_metrics,
    concentration_table,
    concentration_trend,
    lorenz_curve,
)
from .data_quality import DataQuality, data_quality
from .designation import assess_candidates, designate_large_accounts, designation_changes
from .scenarios import loss_of_top, merger_screen, sell_wide_vs_deep
from .sensitivity import DEFAULT_WINDOWS, WindowSensitivity, window_sensitivity
from .territories import TerritoryAssignment, territories_in_window
from .verdict import Dependency, dependency, period_moves

TREND_PERIODS = 4  # the period and the three before it


class PeriodScore:
    """The analyses of one period, each computed on first use and then kept.

    A report that shows only some parts pays only for those. Frames and dicts have the
    columns and keys documented at their source (named beside each property).

    >>> from account_analysis import Settings
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("designated")
    >>> settings = Settings.from_mapping({"period": "2026-Q1", "window_months": 3,
    ...                                      "dataset": str(folder), "language": "en"})
    >>> score = score_period(*reversed(open_inputs(settings)), settings)
    >>> score.revenue[["group_id", "revenue_cents"]].values.tolist()
    [['G', 15050], ['X', 1000]]
    >>> score.assignments[["group_id", "manager_id", "source"]].values.tolist()
    [['G', 'M2', 'decision']]
    """

    def __init__(self, consolidation: Consolidation, dataset: Dataset, settings: Settings):
        self.consolidation = consolidation
        self.dataset = dataset
        self.settings = settings

    @cached_property
    def revenue(self) -> pd.DataFrame:  # consolidate.revenue_by_group
        return revenue_by_group(
            self.consolidation, self.settings.window, self.settings.restate_hierarchy
        )

    @cached_property
    def concentration(self) -> pd.DataFrame:  # concentration.concentration_table
        return concentration_table(self.revenue)

    @cached_property
    def metrics(self) -> dict:  # concentration.concentration_metrics
        return concentration_metrics(self.revenue)

    @cached_property
    def lorenz(self) -> pd.DataFrame:  # concentration.lorenz_curve
        return lorenz_curve(self.revenue)

    @cached_property
    def trend(self) -> pd.DataFrame:  # concentration.concentration_trend
        period = self.settings.parsed_period
        periods = [period.shift(-k).label for k in range(TREND_PERIODS - 1, -1, -1)]
        return concentration_trend(
            self.consolidation,
            periods,
            self.settings.window_months,
            self.settings.threshold,
            self.settings.restate_hierarchy,
        )

    @cached_property
    def sensitivity(self) -> WindowSensitivity:  # sensitivity.window_sensitivity
        # The period's own window is the reference, and is shown beside 12, 24 and 36.
        months = self.settings.window_months
        windows = tuple(sorted({*DEFAULT_WINDOWS, months}))
        return window_sensitivity(
            self.consolidation,
            self.settings.period,
            windows,
            self.settings.threshold,
            self.settings.restate_hierarchy,
            reference=months,
        )

    @cached_property
    def data_quality(self) -> DataQuality:  # data_quality.data_quality
        return data_quality(
            self.consolidation,
            self.dataset,
            self.settings.parsed_period,
            self.settings.window_months,
            self.designations,
            self.sensitivity.windows,
        )

    @cached_property
    def loss_top1(self) -> dict:  # scenarios.loss_of_top
        return loss_of_top(self.revenue, 1)

    @cached_property
    def loss_top3(self) -> dict:
        return loss_of_top(self.revenue, 3)

    @cached_property
    def mergers(self) -> pd.DataFrame:  # scenarios.merger_screen
        return merger_screen(
            self.revenue,
            list(self.settings.merger_pairs) or None,
            threshold=self.settings.threshold,
        )

    @cached_property
    def designations(self) -> pd.DataFrame:  # designation.designate_large_accounts
        return _designations(
            self.consolidation, self.dataset, self.settings, self.settings.parsed_period
        )

    @cached_property
    def previous_designations(self) -> pd.DataFrame:
        return _designations(
            self.consolidation, self.dataset, self.settings, self.settings.parsed_period.previous()
        )

    @cached_property
    def changes(self) -> pd.DataFrame:  # designation.designation_changes
        return designation_changes(self.designations, self.previous_designations)

    @cached_property
    def moves(self) -> pd.DataFrame:  # verdict.period_moves
        return period_moves(self.designations, self.previous_designations)

    @cached_property
    def dependency(self) -> Dependency:  # verdict.dependency
        return dependency(
            self.concentration,
            self.metrics,
            self.loss_top3,
            self.settings.major_customer_mark,
            self.settings.top3_loss_mark,
        )

    @cached_property
    def sell_wide_vs_deep(self) -> dict:  # scenarios.sell_wide_vs_deep
        annual = revenue_by_group(
            self.consolidation,
            self.settings.parsed_period.window(12),
            self.settings.restate_hierarchy,
        )
        return sell_wide_vs_deep(annual, self.candidates, self.settings.growth_target)

    @cached_property
    def manager_scores(self) -> pd.DataFrame:  # assignment.score_managers
        check_account_managers(self.dataset)
        record = track_record(
            self.consolidation,
            self.dataset.complaints,
            self.settings.window,
            self.settings.restate_hierarchy,
        )
        return score_managers(
            record, self.large_accounts["group_id"], self.dataset.account_managers
        )

    @cached_property
    def assignments(self) -> pd.DataFrame:  # assignment.assign_account_managers
        return assign_account_managers(
            self.manager_scores, self.large_accounts, self.dataset.account_managers
        )

    @cached_property
    def territories(self) -> TerritoryAssignment:  # territories.assign_territories
        return territories_in_window(
            self.consolidation,
            self.dataset,
            self.settings.window,
            self.large_accounts["group_id"],
            self.settings.restate_hierarchy,
        )

    def with_parts(self, **parts) -> PeriodScore:
        """A copy with some parts given instead of computed (for what-ifs and tests)."""
        unknown = [
            k for k in parts if not isinstance(getattr(type(self), k, None), cached_property)
        ]
        if unknown:
            raise TypeError(f"not parts of a PeriodScore: {', '.join(unknown)}")
        copy = self._copy(self.settings)
        copy.__dict__.update(parts)
        return copy

    def in_language(self, language: str) -> PeriodScore:
        """This score for a report in ``language``: the settings' language replaced, the parts
        computed so far shared, not computed again (they are facts: none depends on the
        language, the words are written later). A period whose briefings are in two
        languages is so scored once.

        >>> from account_analysis import Settings
        >>> score = PeriodScore(None, None, Settings.from_mapping({"period": "2026-Q3",
        ...                                                          "language": "nl"}))
        >>> score.__dict__["metrics"] = {"cr4": 0.4}  # as if computed
        >>> en = score.in_language("en")
        >>> en.settings.language, en.metrics is score.metrics, score.settings.language
        ('en', True, 'nl')
        """
        return self._copy(dataclasses.replace(self.settings, language=language))

    def _copy(self, settings: Settings) -> PeriodScore:
        copy = PeriodScore(self.consolidation, self.dataset, settings)
        copy.__dict__.update(
            {
                k: v
                for k, v in self.__dict__.items()
                if isinstance(getattr(type(self), k, None), cached_property)
            }
        )
        return copy

    def computed(self) -> PeriodScore:
        """This score (itself) with every part computed that can be: for handing to another
        process, which then computes none of them again. A part that raises stays
        uncomputed, to fail where it is used, as it would have."""
        for name, attr in vars(type(self)).items():
            if isinstance(attr, cached_property):
                try:
                    getattr(self, name)
                except Exception:  # noqa: BLE001, S112 - the user of the part reports it
                    continue
        return self

    @property
    def candidates(self) -> pd.DataFrame:
        return self.designations[self.designations["status"] == "candidate"]

    @property
    def large_accounts(self) -> pd.DataFrame:
        """The designated groups of the period (``final == "designate"``)."""
        return self.designations[(self.designations["final"] == "designate").to_numpy()]


def _designations(consolidation, dataset, settings, period) -> pd.DataFrame:
    window = period.window(settings.window_months)
    assessed = assess_candidates(
        consolidation,
        dataset,
        window,
        settings.threshold,
        restate_hierarchy=settings.restate_hierarchy,
    )
    return designate_large_accounts(assessed, dataset.decisions, period.label)


def open_inputs(settings: Settings) -> tuple[Dataset, Consolidation]:
    """The dataset and its consolidation for ``settings``: the invoice lines are read only
    when no cube is cached for them (``dataset.invoices`` is then empty), and the
    consolidation groups as the settings say (``restate_hierarchy``), so that
    ``revenue_by_group(consolidation, settings.window)`` follows them.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from account_analysis import Settings
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "accounts.csv").write_text(
    ...     "account_id,name,postcode,country,parent_id\\nG,Group,1011 AB,NL,\\n")
    >>> _ = (folder / "invoices.csv").write_text(
    ...     "invoice_id,invoice_date,billing_account,net_amount,status\\n"
    ...     "F1,2026-01-15,G,123.45,posted\\n")
    >>> settings = Settings.from_mapping({"period": "2026-Q1", "dataset": str(folder),
    ...                                   "restate_hierarchy": False})
    >>> dataset, consolidation = open_inputs(settings)  # builds the cube, or reads it cached
    >>> consolidation.cube["revenue_cents"].tolist(), consolidation.restate_hierarchy
    ([12345], False)
    >>> dataset, _ = open_inputs(settings)  # cached now: the lines are not read again
    >>> len(dataset.invoices), sorted(dataset.sources)
    (0, ['accounts', 'invoices'])
    """
    dataset = load_dataset(settings.dataset_path, settings.reporting_currency, skip_invoices=True)
    cube = cached_cube(dataset, statuses=settings.statuses)  # the input files hashed once
    if cube is None:
        dataset = load_dataset(settings.dataset_path, settings.reporting_currency)
        cube = build_cube(dataset, statuses=settings.statuses)
    return dataset, dataclasses.replace(cube, restate_hierarchy=settings.restate_hierarchy)


def score_period(consolidation: Consolidation, dataset: Dataset, settings: Settings) -> PeriodScore:
    """Score the period of ``settings``; see the module docstring. Parts are computed when
    first used, so a report pays only for what it shows.

    >>> from account_analysis import Settings
    >>> from account_analysis.authoring.examples import example_dataset
    >>> folder = example_dataset("designated")
    >>> settings = Settings.from_mapping({"period": "2026-Q1", "window_months": 3,
    ...                                      "dataset": str(folder), "language": "en"})
    >>> score = score_period(*reversed(open_inputs(settings)), settings)
    >>> score.settings.period, score.metrics["groups"], round(score.metrics["cr1"], 4)
    ('2026-Q1', 2, 0.9377)
    """
    return PeriodScore(consolidation, dataset, settings)
