"""The data contract: every input table, its columns, their types and meaning.

This module is the single source of truth for column names. ``docs/data-contract.md``
is generated from it (``python -m account_analysis.load.schema``) and a test keeps the two
in step. The loader (:mod:`account_analysis.load.dataset`) validates files against it.

A dataset is a folder; each table is one file named after the table, with the
extension ``.csv``, ``.xlsx`` or ``.parquet`` (``invoices.csv``, ``accounts.xlsx`` …).

>>> TABLES["invoices"].required_columns[:2]
['invoice_id', 'invoice_date']
>>> [c.name for c in TABLES["fx_rates"].columns]
['month', 'currency', 'rate']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..words import languages


@lru_cache(maxsize=4096)
def rule_pattern(pattern: str):
    """``pattern`` (an attribution rule's ``po_pattern``) compiled with RE2; its ``search(text)``
    is None when ``text`` does not match.

    RE2 matches in time linear in the text, whatever the pattern (Python's ``re`` backtracks:
    ``^(a+)+$`` against 34 a's and a ``!`` takes hours). It has no backreferences and no
    lookaround; such a pattern, or one too large to compile, raises ``ValueError`` with RE2's
    reason. The loader and both consolidation engines match with this one function.

    >>> rule_pattern("^PO-RTD-").search("PO-RTD-17") is not None
    True
    >>> rule_pattern(r"(a)\\1")
    Traceback (most recent call last):
    ...
    ValueError: invalid escape sequence: \\1
    """
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print its reason on stderr too
    try:
        return re2.compile(pattern, options)
    except re2.error as err:
        reason = err.args[0] if err.args else err
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(str(reason)) from None

# Column kinds understood by the loader.
#   text      free text, surrounding spaces stripped
#   id        identifier (text), surrounding spaces stripped, case kept
#   date      a calendar day: 2026-09-30 (ISO) or 30-09-2026 (Dutch day-month-year)
#   month     a calendar month: 2026-09
#   money     an amount with at most two decimals, kept as integer cents
#   number    a decimal number
#   integer   a whole number
#   bool      true/false, yes/no, ja/nee, 1/0 (empty = false)
#   currency  ISO 4217 code, three letters
#   choice    one of a fixed list of values (see ``choices``)
#   regex     a regular expression in RE2 syntax (see rule_pattern)
# Money is bounded so that every amount in cents fits exactly in int64 and in a double
# (|cents| < 10^15 < 2^53), also after conversion into the reporting currency.
MAX_AMOUNT = 10**13  # currency units, exclusive: |amount| < 10,000,000,000,000

KINDS = (
    "text",
    "id",
    "date",
    "month",
    "money",
    "number",
    "integer",
    "bool",
    "currency",
    "choice",
    "regex",
)


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    ``kind`` is one of :data:`KINDS`; ``choices`` go with kind ``choice`` only.

    >>> TABLES["invoices"].column("status")  # doctest: +ELLIPSIS
    Column(name='status', kind='choice', required=False, meaning=..., choices=(...), bounds=())
    >>> Column("net_amount", "money", True, "Net amount of the line.", "1234.50").required
    True
    >>> Column("colour", "paint", False, "", "")
    Traceback (most recent call last):
    ...
    ValueError: unknown column kind 'paint' for colour
    """

    name: str
    kind: str
    required: bool
    meaning: str
    example: str
    choices: tuple[str, ...] = ()
    bounds: tuple[float, float] = ()  # a number's exclusive (lowest, highest), if bounded

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r} for {self.name}")
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError(f"column {self.name}: choices go with kind 'choice' only")


@dataclass(frozen=True)
class Table:
    """One input table: a file in the dataset folder.

    >>> rates = TABLES["fx_rates"]
    >>> rates.name, rates.required, rates.key
    ('fx_rates', False, ('month', 'currency'))
    >>> rates.column_names, rates.column("rate").kind
    (['month', 'currency', 'rate'], 'number')
    """

    name: str
    required: bool
    purpose: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


C = Column

INVOICE_STATUSES = ("posted", "paid", "open", "cancelled")
CANCELLED = "cancelled"
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
                C("invoice_id", "id", True, "Invoice number. All lines of one invoice share "
                  "its date, billing account and currency.", "F2026-004512"),
                C("invoice_date", "date", True, "Invoice date; decides the month the revenue "
                  "counts in.", "2026-09-14"),
                C("billing_account", "id", True, "Account the invoice was addressed to "
                  "(the invoice address); must exist in `accounts`.", "C10045"),
                C("net_amount", "money", True, "Net amount of the line excluding VAT, in the "
                  "invoice currency; negative for credit notes.", "1234.50"),
                C("line_no", "integer", False, "Line number within the invoice; with it, "
                  "(invoice_id, line_no) must be unique.", "2"),
                C("currency", "currency", False, "Invoice currency; empty means the reporting "
                  "currency (parameter `reporting_currency`, default EUR). Other currencies "
                  "need a rate in `fx_rates`.", "EUR"),
                C("ordering_unit", "id", False, "Account of the business unit that placed the "
                  "order, when the export knows it; must exist in `accounts`. A matching "
                  "attribution rule overrides it.", "C10051"),
                C("service_line", "text", False, "Kind of service or product sold.",
                  "Onderhoud"),
                C("account_manager", "id", False, "Account manager who handled the sale; "
                  "should exist in `account_managers`.", "AM03"),
                C("status", "choice", False, "Booking status; empty means posted. Cancelled "
                  "lines are excluded from revenue, with a reason.", "posted",
                  choices=INVOICE_STATUSES),
                C("po_reference", "text", False, "Purchase-order number or cost centre the "
                  "customer quoted; attribution rules can match it.", "PO-RTD-2291"),
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
                C("postcode", "text", True, "Postcode of the account's address (Dutch: four "
                  "digits and two letters).", "2316 XB"),
                C("country", "text", True, "ISO 3166 two-letter country code.", "NL"),
                C("parent_id", "id", False, "Account this one belongs to (holding, head "
                  "office); empty for a top-level account. Must exist in `accounts`.",
                  "C10001"),
                C("parent_valid_from", "date", False, "First day the parent link holds; "
                  "empty means always.", "2025-06-01"),
                C("parent_valid_to", "date", False, "Last day the parent link holds; empty "
                  "means still valid.", ""),
                C("lei", "id", False, "Legal Entity Identifier (20 characters), to join "
                  "GLEIF group relationships.", "724500VKKSH9QOLTFR81"),
                C("sector", "text", False, "Market sector, used to compare similar "
                  "customers.", "Zorg"),
                C("intercompany", "bool", False, "True for companies of our own group; "
                  "their revenue is excluded, with a reason.", "false"),
            ),
        ),
        Table(
            "parent_links",
            required=False,
            purpose="Further effective-dated parent links, for accounts whose group changed "
            "(acquisitions, sales). Adds to the parent in `accounts`.",
            key=("account_id", "valid_from"),
            columns=(
                C("account_id", "id", True, "The subsidiary; must exist in `accounts`.",
                  "C10420"),
                C("parent_id", "id", True, "Its parent from `valid_from`; must exist in "
                  "`accounts`.", "C10200"),
                C("valid_from", "date", True, "First day of the link.", "2025-06-01"),
                C("valid_to", "date", False, "Last day of the link; empty means still "
                  "valid.", ""),
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
                C("to_unit", "id", True, "Account the matched lines are attributed to; must "
                  "exist in `accounts`.", "C10051"),
                C("reason", "text", True, "Why the rule exists, in words a reviewer "
                  "understands.", "Rotterdam site orders via head office"),
                C("invoice_id", "id", False, "Match this invoice only.", "F2025-001234"),
                C("billing_account", "id", False, "Match lines billed to this account.",
                  "C10045"),
                C("service_line", "text", False, "Together with billing_account: match this "
                  "service line only.", "Installatie"),
                C("po_pattern", "regex", False, "Together with billing_account: match lines "
                  "whose po_reference matches this regular expression (RE2 syntax: no "
                  "backreferences or lookaround).", "^PO-RTD-"),
                C("valid_from", "date", False, "Rule applies to invoices from this day.",
                  "2024-01-01"),
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
                C("group_id", "id", True, "Top-level account of the group; must exist in "
                  "`accounts`.", "C10001"),
                C("as_of", "date", True, "Date the figures were known.", "2026-06-30"),
                C("annual_wallet", "money", False, "Yearly spend of the group on this kind of "
                  "service, all suppliers together; empty when unknown.", "5400000"),
                C("currency", "currency", False, "Currency of annual_wallet; empty means the "
                  "reporting currency.", "EUR"),
                C("our_rank", "integer", False, "Our rank among the group's suppliers by "
                  "spend (1 = largest).", "2"),
                C("n_suppliers", "integer", False, "Number of suppliers the group uses for "
                  "this kind of service.", "4"),
                C("source", "choice", False, "Where the figures come from.", "stated",
                  choices=WALLET_SOURCES),
                C("competitors", "text", False, "Other suppliers, separated by `|`.",
                  "Technovia|Schoonhuys"),
            ),
        ),
        Table(
            "complaints",
            required=False,
            purpose="Complaints and escalations registered per account.",
            key=("complaint_id",),
            columns=(
                C("complaint_id", "id", True, "Identifier, unique.", "K2026-0117"),
                C("account_id", "id", True, "Account that complained; must exist in "
                  "`accounts`.", "C10051"),
                C("opened_on", "date", True, "Day the complaint was registered.",
                  "2026-03-02"),
                C("kind", "choice", True, "A complaint, or an escalation to management.",
                  "complaint", choices=COMPLAINT_KINDS),
                C("severity", "choice", False, "Impact as judged by service management.",
                  "medium", choices=SEVERITIES),
                C("closed_on", "date", False, "Day it was resolved; empty while open.",
                  "2026-03-20"),
                C("status", "choice", False, "Open or closed; empty is derived from "
                  "closed_on.", "closed", choices=COMPLAINT_STATUSES),
                C("subject", "text", False, "Short description.", "Late response to outage"),
                C("account_manager", "id", False, "Account manager responsible at the time.",
                  "AM03"),
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
                C("email", "text", False, "Address the briefings are mailed to.",
                  "p.bakker@example.nl"),
                C("capacity", "integer", False, "Most Large Accounts this manager can "
                  "take; empty counts as 1, 0 means never proposed (a decision can still "
                  "assign one).", "2"),
                C("wants_new_challenge", "bool", False, "Manager asked for a new challenge.",
                  "true"),
                C("territory_id", "id", False, "Territory the manager covers today.", "T2"),
                C("language", "choice", False, "Language of the manager's briefings.", "nl",
                  choices=languages()),
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
                C("postcode_from", "integer", True, "First four-digit postcode of the range.",
                  "2200"),
                C("postcode_to", "integer", True, "Last four-digit postcode of the range.",
                  "3399"),
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
                C("period", "text", True, "Reporting period the decision was made for.",
                  "2026-Q3"),
                C("group_id", "id", True, "Top-level account of the group.", "C10001"),
                C("decision", "choice", True, "What was decided.", "designate",
                  choices=DECISIONS),
                C("reason", "text", True, "Why, in plain words.", "Top-3 supplier, framework "
                  "agreement in reach"),
                C("decided_by", "text", True, "Who decided.", "Directie"),
                C("decided_on", "date", False, "Day of the decision.", "2026-10-05"),
                C("account_manager", "id", False, "Fixes the account manager for a "
                  "designated group.", "AM03"),
                C("ambition_top3", "bool", False, "We state the ambition to become a top-3 "
                  "supplier although we are not yet.", "false"),
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
                C("rate", "number", True, "Units of reporting currency for one unit of "
                  "`currency`, exact to 15 significant digits; above 0 and below 1,000,000.",
                  "1.1712", bounds=(0, 10**6)),
            ),
        ),
    )
}

# Account plans are YAML files, one per Large Account group, in the folder
# ``account_plans/`` of the dataset. :mod:`account_analysis.load.plans` validates them against
# :data:`ACCOUNT_PLAN_FIELDS`; a field of a list item is named ``list[].field``.
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
PLAN_KINDS = ("id", "text", "text list", "list", "share", "date", "choice", "status")


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
    "group_id": P("id", True, "Top-level account of the group: in `accounts`, with no "
                  "parent after the last dated change of `accounts` and `parent_links`. "
                  "One plan per group.", "C10001"),
    "market": P("text", False, "The market the customer is in.",
                "Ziekenhuis- en ouderenzorg in de regio Leiden"),
    "market_challenges": P("text list", False, "The customer's challenges in its market.",
                           "[Vergrijzing, Verduurzaming vastgoed]"),
    "services": P("text list", False, "The services we deliver (service lines).",
                  "[Onderhoud, Storingsdienst]"),
    "competitors": P("list", False, "Other suppliers of the customer. Their estimated "
                     "shares together are at most 1.", ""),
    "competitors[].name": P("text", True, "Name of the competitor.", "Klimaatwerk Nederland"),
    "competitors[].estimated_share": P("share", False, "Estimated share of the customer's "
                                       "wallet, 0 to 1; empty when unknown.", "0.3"),
    "stakeholders": P("list", False, "The customer's management: who is who, who knows "
                      "whom.", ""),
    "stakeholders[].name": P("text", True, "Name of the person.", "Erik van Til"),
    "stakeholders[].role": P("text", False, "Their role at the customer.",
                             "Directeur Vastgoed"),
    "stakeholders[].our_counterpart": P("text", False, "Who on our side is their "
                                        "counterpart.", "Pieter Bakker"),
    "stakeholders[].relationship_owner": P("text", False, "Who owns the relationship "
                                           "(an account manager id, or a role).", "AM03"),
    "stakeholders[].stance": P("choice", False, "Their stance towards us; empty means "
                               "unknown.", "supporter", choices=STANCES, default="unknown"),
    "objectives": P("list", False, "Objectives for the account, followed up per period.",
                    ""),
    "objectives[].text": P("text", True, "The objective.", "Raamovereenkomst voor alle "
                           "locaties"),
    "objectives[].measure": P("text", False, "How it is measured.", "Raamovereenkomst "
                              "getekend"),
    "objectives[].target": P("text", False, "The value to reach.", "55%"),
    "objectives[].due": P("date", False, "Day it is due; empty when open-ended.",
                          "2027-06-30"),
    "objectives[].status": P("status", False, "Status per reporting period.",
                             "{2026-Q3: on track}", choices=OBJECTIVE_STATUSES),
    "executive_meetings": P("list", False, "Board-level meetings with the customer, held "
                            "or planned.", ""),
    "executive_meetings[].date": P("date", True, "Day of the meeting.", "2026-11-12"),
    "executive_meetings[].who": P("text", False, "Who attends on our side.",
                                  "Algemeen directeur"),
    "executive_meetings[].their_counterpart": P("text", False, "Who attends on their "
                                                "side.", "Annemiek Hoogland"),
    "benefits": P("text list", False, "The benefits of being a Large Account, in the "
                  "customer's words (\"what's in it for me?\").",
                  "[Eén vast aanspreekpunt]"),
}
_PLAN_KIND_WORDS = {
    "id": "text (account id)",
    "text": "text",
    "text list": "list of text",
    "list": "list of mappings",
    "share": "number from 0 to 1",
    "date": "date (ISO)",
}


def contract_markdown() -> str:
    """The column tables of ``docs/data-contract.md``, generated from :data:`TABLES`.

    One Markdown table per input table, then one of the account-plan fields.

    >>> lines = contract_markdown().splitlines()
    >>> print("\\n".join(lines[i] for i in (0, 4, 6, 7)))
    ### `invoices` (required)
    Unique key: `invoice_id`, `line_no`.
    | column | type | required | meaning | example |
    |---|---|---|---|---|
    """
    out: list[str] = []
    for t in TABLES.values():
        status = "required" if t.required else "optional"
        out.append(f"### `{t.name}` ({status})\n")
        out.append(t.purpose + "\n")
        if t.key:
            out.append(f"Unique key: {', '.join(f'`{k}`' for k in t.key)}.\n")
        out.append("| column | type | required | meaning | example |")
        out.append("|---|---|---|---|---|")
        for c in t.columns:
            kind = c.kind
            if c.choices:
                kind = "one of " + ", ".join(f"`{v}`" for v in c.choices)
            example = f"`{c.example}`" if c.example else "(empty)"
            req = "required" if c.required else "optional"
            out.append(f"| `{c.name}` | {kind} | {req} | {c.meaning} | {example} |")
        out.append("")
    out.append(f"### `{ACCOUNT_PLANS_DIR}/<group>.yaml` (optional)\n")
    out.append("One YAML file per Large Account group, UTF-8. Unknown fields are an error. "
               "A field of a list item is written `list[].field`; an absent or empty list "
               "is an empty list.\n")
    out.append("| field | type | required | meaning | example |")
    out.append("|---|---|---|---|---|")
    for name, f in ACCOUNT_PLAN_FIELDS.items():
        kind = _PLAN_KIND_WORDS.get(f.kind, "")
        if f.kind == "choice":
            kind = "one of " + ", ".join(f"`{v}`" for v in f.choices)
        elif f.kind == "status":
            kind = ("mapping of period (`2026-Q3`, `2026-09`, `2026`) to one of "
                    + ", ".join(f"`{v}`" for v in f.choices))
        example = f"`{f.example}`" if f.example else ""
        req = "required" if f.required else "optional"
        out.append(f"| `{name}` | {kind} | {req} | {f.meaning} | {example} |")
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(contract_markdown())
