"""The data contract: every input table, its columns, their types and meaning.

This module is the single source of truth for column names. ``docs/data-contract.md``
is generated from it (``python -m account_analysis.load.contract_doc``) and a test keeps the
two in step. The loader (:mod:`account_analysis.load.dataset`) validates files against it.
What a column is (its kinds, :class:`Column`, :class:`Table`) is in
:mod:`account_analysis.load.columns`; the account plans' fields are in
:mod:`account_analysis.load.plan_fields`.

A dataset is a folder; each table is one file named after the table, with the
extension ``.csv``, ``.xlsx`` or ``.parquet`` (``invoices.csv``, ``accounts.xlsx`` …).

>>> TABLES["invoices"].required_columns[:2]
['invoice_id', 'invoice_date']
>>> [c.name for c in TABLES["fx_rates"].columns]
['month', 'currency', 'rate']
"""

from __future__ import annotations

from ..settings.statuses import STATUS_CODES
from ..words import languages
from .columns import KINDS, MAX_AMOUNT, Column, Table, rule_pattern
from .plan_fields import (
    ACCOUNT_PLAN_FIELDS,
    ACCOUNT_PLANS_DIR,
    OBJECTIVE_STATUSES,
    PLAN_KINDS,
    STANCES,
    PlanField,
)

# The contract's vocabulary (columns) and the account plans' fields (plan_fields) are read
# from here too: this module is where a reader looks for the contract.
__all__ = [
    "ACCOUNT_PLAN_FIELDS",
    "ACCOUNT_PLANS_DIR",
    "CANCELLED",
    "DOUBTFUL_STATUSES",
    "COMPLAINT_KINDS",
    "COMPLAINT_STATUSES",
    "DECISIONS",
    "INVOICE_STATUSES",
    "KINDS",
    "MAX_AMOUNT",
    "OBJECTIVE_STATUSES",
    "PLAN_KINDS",
    "SEVERITIES",
    "STANCES",
    "TABLES",
    "WALLET_SOURCES",
    "Column",
    "PlanField",
    "Table",
    "rule_pattern",
]

C = Column

INVOICE_STATUSES = ("posted", "paid", "open", "cancelled", "disputed", "on hold")
CANCELLED = "cancelled"
# Lines that are revenue in the books but in doubt: counted, excluded or counted and
# flagged, as the period's ``status_treatment`` says (docs/consolidation.md).
DOUBTFUL_STATUSES = tuple(STATUS_CODES)
COMPLAINT_KINDS = ("complaint", "escalation")
SEVERITIES = ("low", "medium", "high")
COMPLAINT_STATUSES = ("open", "closed")
DECISIONS = ("designate", "decline", "watch")
WALLET_SOURCES = ("stated", "survey", "annual_report", "estimate")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "invoices",
            required=True,
            purpose="Invoice lines from the bookkeeping export, one row per line. "
            "Credit notes are lines with a negative amount.",
            key=("invoice_id", "line_no"),
            columns=(
                C(
                    "invoice_id",
                    "id",
                    True,
                    "Invoice number. All lines of one invoice share "
                    "its date, billing account and currency.",
                    "F2026-004512",
                ),
                C(
                    "invoice_date",
                    "date",
                    True,
                    "Invoice date; decides the month the revenue counts in.",
                    "2026-09-14",
                ),
                C(
                    "billing_account",
                    "id",
                    True,
                    "Account the invoice was addressed to "
                    "(the invoice address); must exist in `accounts`.",
                    "C10045",
                ),
                C(
                    "net_amount",
                    "money",
                    True,
                    "Net amount of the line excluding VAT, in the "
                    "invoice currency; negative for credit notes.",
                    "1234.50",
                ),
                C(
                    "line_no",
                    "integer",
                    False,
                    "Line number within the invoice; with it, "
                    "(invoice_id, line_no) must be unique.",
                    "2",
                ),
                C(
                    "currency",
                    "currency",
                    False,
                    "Invoice currency; empty means the reporting "
                    "currency (parameter `reporting_currency`, default EUR). Other currencies "
                    "need a rate in `fx_rates`.",
                    "EUR",
                ),
                C(
                    "ordering_unit",
                    "id",
                    False,
                    "Account of the business unit that placed the "
                    "order, when the export knows it; must exist in `accounts`. A matching "
                    "attribution rule overrides it.",
                    "C10051",
                ),
                C("service_line", "text", False, "Kind of service or product sold.", "Onderhoud"),
                C(
                    "account_manager",
                    "id",
                    False,
                    "Account manager who handled the sale; should exist in `account_managers`.",
                    "AM03",
                ),
                C(
                    "status",
                    "choice",
                    False,
                    "Booking status; empty means posted. Posted, paid "
                    "and open lines are revenue; cancelled lines are excluded, with a "
                    "reason; disputed and on-hold lines are counted, excluded or "
                    "counted and flagged, as the setting status_treatment says.",
                    "posted",
                    choices=INVOICE_STATUSES,
                ),
                C(
                    "po_reference",
                    "text",
                    False,
                    "Purchase-order number or cost centre the "
                    "customer quoted; attribution rules can match it.",
                    "PO-RTD-2291",
                ),
            ),
        ),
        Table(
            "accounts",
            required=True,
            purpose="Customer master: every billing account and business unit, with its "
            "parent in the group structure.",
            key=("account_id",),
            columns=(
                C("account_id", "id", True, "Account number, unique.", "C10045"),
                C("name", "text", True, "Legal or trading name.", "Zorggroep Vlietstreek B.V."),
                C(
                    "postcode",
                    "text",
                    True,
                    "Postcode of the account's address (Dutch: four digits and two letters).",
                    "2316 XB",
                ),
                C("country", "text", True, "ISO 3166 two-letter country code.", "NL"),
                C(
                    "parent_id",
                    "id",
                    False,
                    "Account this one belongs to (holding, head "
                    "office); empty for a top-level account. Must exist in `accounts`.",
                    "C10001",
                ),
                C(
                    "parent_valid_from",
                    "date",
                    False,
                    "First day the parent link holds; empty means always.",
                    "2025-06-01",
                ),
                C(
                    "parent_valid_to",
                    "date",
                    False,
                    "Last day the parent link holds; empty means still valid.",
                    "",
                ),
                C(
                    "lei",
                    "id",
                    False,
                    "Legal Entity Identifier (20 characters, ISO 17442 check digits), to join "
                    "GLEIF group relationships; as the other ids, checked on loading and exact "
                    "evidence for `suggest-links`.",
                    "724500VKKSH9QOLTFR81",
                ),
                C(
                    "kvk",
                    "id",
                    False,
                    "Dutch Chamber of Commerce (KvK) number: 8 digits.",
                    "27312152",
                ),
                C(
                    "vat",
                    "id",
                    False,
                    "EU VAT number with its country prefix, in that country's format "
                    "(spaces and dots ignored).",
                    "NL801234567B01",
                ),
                C("duns", "id", False, "Dun & Bradstreet D-U-N-S number: 9 digits.", "150483782"),
                C(
                    "sector",
                    "text",
                    False,
                    "Market sector, used to compare similar customers.",
                    "Zorg",
                ),
                C(
                    "intercompany",
                    "bool",
                    False,
                    "True for companies of our own group; "
                    "their revenue is excluded, with a reason.",
                    "false",
                ),
            ),
        ),
        Table(
            "parent_links",
            required=False,
            purpose="Further effective-dated parent links, for accounts whose group changed "
            "(acquisitions, sales). Adds to the parent in `accounts`.",
            key=("account_id", "valid_from"),
            columns=(
                C("account_id", "id", True, "The subsidiary; must exist in `accounts`.", "C10420"),
                C(
                    "parent_id",
                    "id",
                    True,
                    "Its parent from `valid_from`; must exist in `accounts`.",
                    "C10200",
                ),
                C("valid_from", "date", True, "First day of the link.", "2025-06-01"),
                C("valid_to", "date", False, "Last day of the link; empty means still valid.", ""),
                C("reason", "text", False, "Why the link exists.", "Acquired June 2025"),
            ),
        ),
        Table(
            "attribution_rules",
            required=False,
            purpose="Rules that move invoice lines from the billing account (invoice address) "
            "to the business unit that placed the order. The most specific matching rule "
            "wins: invoice id, then billing account + PO pattern, then billing account + "
            "service line, then billing account.",
            key=("rule_id",),
            columns=(
                C("rule_id", "id", True, "Rule identifier, unique.", "R007"),
                C(
                    "to_unit",
                    "id",
                    True,
                    "Account the matched lines are attributed to; must exist in `accounts`.",
                    "C10051",
                ),
                C(
                    "reason",
                    "text",
                    True,
                    "Why the rule exists, in words a reviewer understands.",
                    "Rotterdam site orders via head office",
                ),
                C("invoice_id", "id", False, "Match this invoice only.", "F2025-001234"),
                C("billing_account", "id", False, "Match lines billed to this account.", "C10045"),
                C(
                    "service_line",
                    "text",
                    False,
                    "Together with billing_account: match this service line only.",
                    "Installatie",
                ),
                C(
                    "po_pattern",
                    "regex",
                    False,
                    "Together with billing_account: match lines "
                    "whose po_reference matches this regular expression (RE2 syntax: no "
                    "backreferences or lookaround).",
                    "^PO-RTD-",
                ),
                C(
                    "valid_from",
                    "date",
                    False,
                    "Rule applies to invoices from this day.",
                    "2024-01-01",
                ),
                C("valid_to", "date", False, "Rule applies to invoices up to this day.", ""),
            ),
        ),
        Table(
            "wallets",
            required=False,
            purpose="What a customer group spends per year in total on our kind of service "
            "(its wallet), and our rank among its suppliers.",
            key=("group_id", "as_of"),
            columns=(
                C(
                    "group_id",
                    "id",
                    True,
                    "Top-level account of the group; must exist in `accounts`.",
                    "C10001",
                ),
                C("as_of", "date", True, "Date the figures were known.", "2026-06-30"),
                C(
                    "annual_wallet",
                    "money",
                    False,
                    "Yearly spend of the group on this kind of "
                    "service, all suppliers together; empty when unknown.",
                    "5400000",
                ),
                C(
                    "currency",
                    "currency",
                    False,
                    "Currency of annual_wallet; empty means the reporting currency.",
                    "EUR",
                ),
                C(
                    "our_rank",
                    "integer",
                    False,
                    "Our rank among the group's suppliers by spend (1 = largest).",
                    "2",
                ),
                C(
                    "n_suppliers",
                    "integer",
                    False,
                    "Number of suppliers the group uses for this kind of service.",
                    "4",
                ),
                C(
                    "source",
                    "choice",
                    False,
                    "Where the figures come from.",
                    "stated",
                    choices=WALLET_SOURCES,
                ),
                C(
                    "competitors",
                    "text",
                    False,
                    "Other suppliers, separated by `|`.",
                    "Technovia|Schoonhuys",
                ),
            ),
        ),
        Table(
            "complaints",
            required=False,
            purpose="Complaints and escalations registered per account.",
            key=("complaint_id",),
            columns=(
                C("complaint_id", "id", True, "Identifier, unique.", "K2026-0117"),
                C(
                    "account_id",
                    "id",
                    True,
                    "Account that complained; must exist in `accounts`.",
                    "C10051",
                ),
                C("opened_on", "date", True, "Day the complaint was registered.", "2026-03-02"),
                C(
                    "kind",
                    "choice",
                    True,
                    "A complaint, or an escalation to management.",
                    "complaint",
                    choices=COMPLAINT_KINDS,
                ),
                C(
                    "severity",
                    "choice",
                    False,
                    "Impact as judged by service management.",
                    "medium",
                    choices=SEVERITIES,
                ),
                C(
                    "closed_on",
                    "date",
                    False,
                    "Day it was resolved; empty while open.",
                    "2026-03-20",
                ),
                C(
                    "status",
                    "choice",
                    False,
                    "Open or closed; empty is derived from closed_on.",
                    "closed",
                    choices=COMPLAINT_STATUSES,
                ),
                C("subject", "text", False, "Short description.", "Late response to outage"),
                C(
                    "account_manager",
                    "id",
                    False,
                    "Account manager responsible at the time.",
                    "AM03",
                ),
            ),
        ),
        Table(
            "account_managers",
            required=False,
            purpose="Account managers who can take on Large Accounts.",
            key=("manager_id",),
            columns=(
                C("manager_id", "id", True, "Identifier, unique.", "AM03"),
                C("name", "text", True, "Full name.", "Pieter Bakker"),
                C(
                    "email",
                    "text",
                    False,
                    "Address the briefings are mailed to.",
                    "p.bakker@example.nl",
                ),
                C(
                    "capacity",
                    "integer",
                    False,
                    "Most Large Accounts this manager can "
                    "take; empty counts as 1, 0 means never proposed (a decision can still "
                    "assign one).",
                    "2",
                ),
                C(
                    "wants_new_challenge",
                    "bool",
                    False,
                    "Manager asked for a new challenge.",
                    "true",
                ),
                C("territory_id", "id", False, "Territory the manager covers today.", "T2"),
                C(
                    "language",
                    "choice",
                    False,
                    "Language of the manager's briefings.",
                    "nl",
                    choices=languages(),
                ),
            ),
        ),
        Table(
            "territories",
            required=False,
            purpose="Sales territories by postcode range, for customers that are not Large "
            "Accounts. Accounts in the Netherlands (country `NL`) are matched on the four "
            "digits of their postcode; other accounts match no range and are listed.",
            key=("territory_id", "postcode_from"),
            columns=(
                C("territory_id", "id", True, "Territory identifier.", "T2"),
                C("name", "text", True, "Territory name.", "Zuid-Holland"),
                C(
                    "postcode_from",
                    "integer",
                    True,
                    "First four-digit postcode of the range.",
                    "2200",
                ),
                C("postcode_to", "integer", True, "Last four-digit postcode of the range.", "3399"),
                C("account_manager", "id", False, "Manager of the territory.", "AM02"),
            ),
        ),
        Table(
            "decisions",
            required=False,
            purpose="Decisions per period on Large Account candidates; they override the "
            "recommendation and are shown beside it.",
            key=("period", "group_id"),
            columns=(
                C("period", "text", True, "Reporting period the decision was made for.", "2026-Q3"),
                C("group_id", "id", True, "Top-level account of the group.", "C10001"),
                C("decision", "choice", True, "What was decided.", "designate", choices=DECISIONS),
                C(
                    "reason",
                    "text",
                    True,
                    "Why, in plain words.",
                    "Top-3 supplier, framework agreement in reach",
                ),
                C("decided_by", "text", True, "Who decided.", "Directie"),
                C("decided_on", "date", False, "Day of the decision.", "2026-10-05"),
                C(
                    "account_manager",
                    "id",
                    False,
                    "Fixes the account manager for a designated group.",
                    "AM03",
                ),
                C(
                    "ambition_top3",
                    "bool",
                    False,
                    "We state the ambition to become a top-3 supplier although we are not yet.",
                    "false",
                ),
            ),
        ),
        Table(
            "fx_rates",
            required=False,
            purpose="Monthly exchange rates into the reporting currency. Needed for every "
            "month in which an invoice is in another currency.",
            key=("month", "currency"),
            columns=(
                C("month", "month", True, "Month the rate applies to.", "2026-09"),
                C("currency", "currency", True, "Currency converted from.", "GBP"),
                C(
                    "rate",
                    "number",
                    True,
                    "Units of reporting currency for one unit of "
                    "`currency`, exact to 15 significant digits; above 0 and below 1,000,000.",
                    "1.1712",
                    bounds=(0, 10**6),
                ),
            ),
        ),
    )
}
