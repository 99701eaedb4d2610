"""The contract of the account plans: one YAML file per Large Account group.

Account plans are YAML files, one per Large Account group, in the folder ``account_plans/`` of
the dataset. :mod:`account_analysis.load.plans` validates them against
:data:`ACCOUNT_PLAN_FIELDS`; a field of a list item is named ``list[].field``.
``docs/data-contract.md`` documents them (:mod:`account_analysis.load.contract_doc`).

>>> ACCOUNT_PLAN_FIELDS["group_id"].required
True
"""

from __future__ import annotations

from dataclasses import dataclass

ACCOUNT_PLANS_DIR = "account_plans"
STANCES = ("supporter", "neutral", "critical", "unknown")
OBJECTIVE_STATUSES = ("not started", "on track", "at risk", "behind", "achieved", "dropped")

# Field kinds of account plans.
#   id         an account id (text; a plain number is read as text)
#   text       free text (a plain number is read as text); empty or absent means ""
#   text list  a list of non-empty texts; empty or absent means []
#   list       a list of mappings with the ``list[].field`` fields below; absent means []
#   share      a number from 0 to 1; empty or absent means unknown (null)
#   date       an ISO date, 2026-09-30
#   choice     one of ``choices`` (case and surrounding spaces ignored)
#   status     a mapping of reporting period (2026-Q3, 2026-09, 2026) to one of ``choices``
#   progress   a mapping of reporting period to a text (a value reached, such as 14 or 38%)
PLAN_KINDS = ("id", "text", "text list", "list", "share", "date", "choice", "status", "progress")


@dataclass(frozen=True)
class PlanField:
    """One field of an account plan; nested fields are named ``list[].field``.

    ``kind`` is one of :data:`PLAN_KINDS`.

    >>> stance = ACCOUNT_PLAN_FIELDS["stakeholders[].stance"]
    >>> stance.kind, stance.required, stance.choices, stance.default
    ('choice', False, ('supporter', 'neutral', 'critical', 'unknown'), 'unknown')
    >>> PlanField("colour", False, "", "")
    Traceback (most recent call last):
    ...
    ValueError: unknown plan field kind 'colour'
    """

    kind: str
    required: bool
    meaning: str
    example: str
    choices: tuple[str, ...] = ()
    default: str = ""  # for a choice: the value when absent or empty

    def __post_init__(self) -> None:
        if self.kind not in PLAN_KINDS:
            raise ValueError(f"unknown plan field kind {self.kind!r}")


P = PlanField
ACCOUNT_PLAN_FIELDS: dict[str, PlanField] = {
    "group_id": P(
        "id",
        True,
        "Top-level account of the group: in `accounts`, with no "
        "parent after the last dated change of `accounts` and `parent_links`. "
        "One plan per group.",
        "C10001",
    ),
    "market": P(
        "text",
        False,
        "The market the customer is in.",
        "Ziekenhuis- en ouderenzorg in de regio Leiden",
    ),
    "market_challenges": P(
        "text list",
        False,
        "The customer's challenges in its market.",
        "[Vergrijzing, Verduurzaming vastgoed]",
    ),
    "services": P(
        "text list",
        False,
        "The services we deliver (service lines).",
        "[Onderhoud, Storingsdienst]",
    ),
    "competitors": P(
        "list",
        False,
        "Other suppliers of the customer. Their estimated shares together are at most 1.",
        "",
    ),
    "competitors[].name": P("text", True, "Name of the competitor.", "Klimaatwerk Nederland"),
    "competitors[].estimated_share": P(
        "share",
        False,
        "Estimated share of the customer's wallet, 0 to 1; empty when unknown.",
        "0.3",
    ),
    "stakeholders": P("list", False, "The customer's management: who is who, who knows whom.", ""),
    "stakeholders[].name": P("text", True, "Name of the person.", "Erik van Til"),
    "stakeholders[].role": P("text", False, "Their role at the customer.", "Directeur Vastgoed"),
    "stakeholders[].our_counterpart": P(
        "text", False, "Who on our side is their counterpart.", "Pieter Bakker"
    ),
    "stakeholders[].relationship_owner": P(
        "text", False, "Who owns the relationship (an account manager id, or a role).", "AM03"
    ),
    "stakeholders[].stance": P(
        "choice",
        False,
        "Their stance towards us; empty means unknown.",
        "supporter",
        choices=STANCES,
        default="unknown",
    ),
    "objectives": P("list", False, "Objectives for the account, followed up per period.", ""),
    "objectives[].text": P("text", True, "The objective.", "Raamovereenkomst voor alle locaties"),
    "objectives[].measure": P("text", False, "How it is measured.", "Raamovereenkomst getekend"),
    "objectives[].target": P("text", False, "The value to reach.", "55%"),
    "objectives[].due": P("date", False, "Day it is due; empty when open-ended.", "2027-06-30"),
    "objectives[].status": P(
        "status",
        False,
        "Status per reporting period.",
        "{2026-Q3: on track}",
        choices=OBJECTIVE_STATUSES,
    ),
    "objectives[].current": P(
        "progress",
        False,
        "The measure's value reached, per "
        "reporting period (what the target is compared with). For a "
        "measure the data holds (share of wallet), the briefing shows "
        "the measured value beside it.",
        "{2026-Q3: '14'}",
    ),
    "executive_meetings": P(
        "list", False, "Board-level meetings with the customer, held or planned.", ""
    ),
    "executive_meetings[].date": P("date", True, "Day of the meeting.", "2026-11-12"),
    "executive_meetings[].who": P("text", False, "Who attends on our side.", "Algemeen directeur"),
    "executive_meetings[].their_counterpart": P(
        "text", False, "Who attends on their side.", "Annemiek Hoogland"
    ),
    "benefits": P(
        "text list",
        False,
        "The benefits of being a Large Account, in the "
        "customer's words (\"what's in it for me?\").",
        "[Eén vast aanspreekpunt]",
    ),
}
