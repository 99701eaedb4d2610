"""The briefing of one Large Account for its account manager: data, talking points, sections.

:func:`account_briefing` gathers, for one customer group in one period, everything the
briefing shows into a :class:`Briefing`: the group's units as of the period end, its revenue
over the window and the last 24 months by month and service line, its wallet, supplier rank
and competitors, its complaints and escalations, its account plan (stakeholders,
objectives, executive meetings, benefits) and its account manager. The section functions
turn a :class:`Briefing` into :class:`~account_analysis.present.format.Html` pieces in the
briefing's language (``en`` or ``nl``), in the style of :mod:`account_analysis.present.sections`;
:func:`talking_points` derives the talking points from the numbers.

**Scoping.** A briefing is mailed to one account manager and carries that group's data only:
no other group's name, no other group's revenue, no ranking against named groups. The one
figure relative to the others is the group's own share of our total revenue. Nothing here
reads another group's row except to compute that total.

>>> import account_analysis as aa, tempfile
>>> from account_analysis.authoring.demo import write_demo_dataset
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = write_demo_dataset(folder)
...     ds = aa.load_dataset(folder)
...     s = aa.Settings.from_mapping({"period": "2026-Q3", "dataset": folder})
...     b = account_briefing(aa.score_period(aa.build_cube(ds, cache_dir=None), ds, s), "C10001")
>>> b.name, b.manager["name"], len(b.months)
('Zorggroep Vlietstreek B.V.', 'Pieter Bakker', 24)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from html import escape

import numpy as np
import pandas as pd

from ..analysis.wallet import ordinal
from ..periods import MONTH_NAMES, Window
from .format import TITLES, Html, format_count, format_money, format_percent, html_table

BRIEFING_MONTHS = 24  # the revenue history shown, whatever the window: 12 months against 12
RECENT_COMPLAINTS = 10  # complaints and escalations listed, newest first
MAX_UNITS = 40  # above this, the unit table shows the subsidiaries with everything below
FLAT_TREND = 0.02  # a change of less than 2% a year reads as "level"
MIX_CHANGE_PP = 3.0  # a service line's share moving this many points is worth a word
TOP_SUPPLIERS = 3
DASH = "–"
CLOSED_STATUSES = {"dropped", "vervallen"}  # no longer pursued: nothing to say
GOOD_STATUSES = {"on track", "achieved", "done", "met", "completed", "op koers", "behaald"}
AT_RISK_STATUSES = {"at risk", "behind", "off track", "delayed", "missed", "risico",
                    "achter", "vertraagd", "niet gehaald"}
PLAN_COMMAND = "account-analysis plan-template {group}"

TEXT = {
    "en": {
        "subtitle": "Period {period} · account manager: {manager}",
        "no_manager": "not assigned yet",
        "who": "Who the group is",
        "who_sentence": "{name} ({group}) is one customer group of {n} units as of {end}. "
                        "Consolidated revenue over the {span}: {money}, {share} of our total "
                        "revenue.",
        "decision": "This period's decision: {reason}",
        "manager_line": "Account manager: {name} ({email}).",
        "manager_none": "No account manager is assigned to this group yet.",
        "unit": "Unit",
        "units_title": "Units and subsidiaries",
        "account": "Account",
        "postcode": "Postcode",
        "unit_revenue": "Revenue ({months} months)",
        "units_below": "Units below",
        "units_note": "Units as of {end}; revenue of each unit itself over the window. Units "
                      "without revenue in the window are listed too.",
        "units_collapsed": "The group has {n} units; shown are the top and its direct "
                           "subsidiaries, each with the revenue of everything below it.",
        "revenue": "Revenue over the last {months} months",
        "revenue_sentence": "Last 12 months: {last}, {change} against the 12 months before "
                            "({prior}).",
        "revenue_no_prior": "Last 12 months: {last}; no revenue in the 12 months before.",
        "quarter": "Quarter",
        "total": "Total",
        "revenue_note": "Revenue by the quarter it was invoiced in, by service line, in whole "
                        "{currency}.",
        "wallet": "Share of wallet and competitors",
        "wallet_known": "The group spends about {wallet} a year on our kind of service. "
                        "Our last 12 months ({annual}) are {sow} of that: {headroom} of "
                        "headroom a year.",
        "wallet_source": "Wallet figure: {method}.",
        "wallet_unknown": "The group's wallet (its annual spend on our kind of service) is "
                          "not known.",
        "rank_line": "We are its {rank} supplier of {n}.",
        "rank_unknown": "Our rank among its suppliers is not known.",
        "supplier": "Supplier",
        "est_share": "Estimated share of wallet",
        "us": "Us",
        "competitors_none": "No competitors are recorded for this group.",
        "competitors_note": "Our share is measured; the competitors' shares are estimates "
                            "from the account plan.",
        "complaints": "Complaints and escalations",
        "complaints_sentence": "Over the {span}: {c} and {e}. Open at the end of the "
                               "period: {open}.",
        "n:complaint": ("complaint", "complaints"),
        "n:escalation": ("escalation", "escalations"),
        "complaints_none": "No complaints or escalations over the {span}.",
        "recent": "The most recent ones:",
        "opened": "Opened",
        "kind": "Kind",
        "severity": "Severity",
        "status": "Status",
        "subject": "Subject",
        "kind:complaint": "complaint",
        "kind:escalation": "escalation",
        "severity:low": "low",
        "severity:medium": "medium",
        "severity:high": "high",
        "status:open": "open",
        "status:closed": "closed",
        "status:open_then": "open at period end",
        "stakeholders": "Stakeholders",
        "name": "Name",
        "role": "Role",
        "counterpart": "Our counterpart",
        "owner": "Relationship owner",
        "stance": "Stance",
        "stance:supporter": "supporter",
        "stance:neutral": "neutral",
        "stance:critical": "critical",
        "stance:opponent": "opponent",
        "stance:unknown": "unknown",
        "stakeholders_none": "The account plan names no stakeholders.",
        "meetings": "Executive meetings",
        "meeting_date": "Date",
        "who_ours": "Who (our side)",
        "their_counterpart": "Their counterpart",
        "meetings_none": "No executive meetings are recorded in the account plan.",
        "upcoming": "upcoming",
        "objectives": "Objectives",
        "objective": "Objective",
        "target": "Target (measure)",
        "due": "Due",
        "status_now": "Status {period}",
        "not_reported": "not reported",
        "reported_then": "{status} (in {period})",
        "objectives_none": "The account plan sets no objectives.",
        "benefits": "What's in it for the customer?",
        "benefits_intro": "What being one of our Large Accounts brings the customer, for when "
                          "they ask \"what's in it for me?\":",
        "benefits_none": "The account plan lists no benefits yet.",
        "discount_q": "\"Do we now get more discount?\"",
        "discount_plan": "The account plan puts it as: \"{text}\"",
        "discount_default": "No. Being a Large Account does not lower our prices. What it "
                            "brings is a lower total cost: one account manager who knows "
                            "the whole organisation, planning bundled across all locations, "
                            "fewer failures and faster response, agreed in a framework "
                            "agreement and reported every quarter.",
        "talking_points": "Talking points",
        "tp_up": "Revenue is growing: {last} over the last 12 months, {pct} more than the 12 "
                 "months before ({prior}). Ask what drives it and whether it continues.",
        "tp_down": "Revenue is falling: {last} over the last 12 months, {pct} less than the 12 "
                   "months before ({prior}). Find out why before the customer brings it up.",
        "tp_flat": "Revenue is level: {last} over the last 12 months against {prior} the 12 "
                   "months before.",
        "tp_new_customer": "Revenue over the last 12 months: {last}; nothing in the 12 months "
                           "before.",
        "tp_mix_up": "{line} grew from {a} to {b} of our revenue with the group.",
        "tp_mix_down": "{line} fell from {a} to {b} of our revenue with the group.",
        "tp_mix_new": "New this year: {line} ({money} over the last 12 months).",
        "tp_mix_lost": "{line} stopped: {money} in the 12 months before, nothing since.",
        "tp_headroom": "We have {sow} of the group's wallet ({rank}); {headroom} a year is "
                       "spent with others. That is the room to grow.",
        "tp_top3": "We are its {rank} supplier of {n}: the ambition is the top 3.",
        "tp_wallet_unknown": "The group's wallet is not known: ask what it spends a year on "
                             "our kind of service, and with whom.",
        "tp_open": "{n} still open at the end of the period; the most serious is the "
                   "{kind} \"{subject}\" ({severity}, since {date}). Have an answer ready.",
        "tp_open_one": "Still open at the end of the period: the {kind} \"{subject}\" "
                       "({severity}, since {date}). Have an answer ready.",
        "n:open": ("complaint or escalation", "complaints and escalations"),
        "tp_no_open": "No complaint or escalation was open at the end of the period "
                      "({c} and {e} over the window, all closed).",
        "tp_no_complaints": "No complaints or escalations over the window.",
        "tp_at_risk": "Objective at risk: \"{text}\" ({status}, due {due}).",
        "tp_unreported": "No status reported for {period} on the objective \"{text}\" (due "
                         "{due}): ask its owner before the visit.",
        "tp_overdue": "Objective past its due date: \"{text}\" (due {due}, {status}).",
        "tp_objectives_ok": "All {n} objectives are on track.",
        "tp_objective_ok": "The objective is on track: \"{text}\".",
        "tp_objectives_ok2": "Both objectives are on track.",
        "tp_meeting": "Next executive meeting: {date}, {who} with {counterpart}.",
        "tp_no_meeting": "No executive meeting is planned after this period: plan one.",
        "tp_no_plan": "There is no account plan for this group yet: create it with "
                      "{command} before the visit.",
        "plan_missing_short": "This comes from the account plan, which this group does not "
                              "have yet.",
        "plan_missing": "There is no account plan for this group yet, so stakeholders, "
                        "objectives, executive meetings and benefits are missing here. Create "
                        "it with {command}, fill it in and render the briefing again.",
        "sow_rank": "{rank} supplier of {n}",
        "rank_unknown_short": "rank unknown",
    },
    "nl": {
        "subtitle": "Periode {period} · accountmanager: {manager}",
        "no_manager": "nog niet toegewezen",
        "who": "Wie de klant is",
        "who_sentence": "{name} ({group}) is één klantgroep van {n} eenheden per {end}. "
                        "Geconsolideerde omzet in de {span}: {money}, {share} van onze totale "
                        "omzet.",
        "decision": "Besluit van deze periode: {reason}",
        "manager_line": "Accountmanager: {name} ({email}).",
        "manager_none": "Aan deze groep is nog geen accountmanager toegewezen.",
        "unit": "Eenheid",
        "units_title": "Eenheden en dochters",
        "account": "Account",
        "postcode": "Postcode",
        "unit_revenue": "Omzet ({months} maanden)",
        "units_below": "Eenheden eronder",
        "units_note": "Eenheden per {end}; omzet van elke eenheid zelf in het venster. "
                      "Eenheden zonder omzet in het venster staan er ook in.",
        "units_collapsed": "De groep heeft {n} eenheden; getoond zijn de top en haar directe "
                           "dochters, elk met de omzet van alles wat eronder valt.",
        "revenue": "Omzet in de laatste {months} maanden",
        "revenue_sentence": "Laatste 12 maanden: {last}, {change} ten opzichte van de 12 "
                            "maanden daarvoor ({prior}).",
        "revenue_no_prior": "Laatste 12 maanden: {last}; geen omzet in de 12 maanden daarvoor.",
        "quarter": "Kwartaal",
        "total": "Totaal",
        "revenue_note": "Omzet naar het kwartaal waarin gefactureerd is, per dienst, in hele "
                        "{currency}.",
        "wallet": "Share of wallet en concurrenten",
        "wallet_known": "De groep besteedt ongeveer {wallet} per jaar aan onze soort "
                        "dienstverlening. Onze laatste 12 maanden ({annual}) zijn daarvan "
                        "{sow}: {headroom} ruimte per jaar.",
        "wallet_source": "Walletcijfer: {method}.",
        "wallet_unknown": "De wallet van de groep (wat zij per jaar besteedt aan onze soort "
                          "dienstverlening) is niet bekend.",
        "rank_line": "Wij zijn haar {rank} leverancier van {n}.",
        "rank_unknown": "Onze rang onder haar leveranciers is niet bekend.",
        "supplier": "Leverancier",
        "est_share": "Geschat aandeel in de wallet",
        "us": "Wij",
        "competitors_none": "Voor deze groep zijn geen concurrenten vastgelegd.",
        "competitors_note": "Ons aandeel is gemeten; de aandelen van de concurrenten zijn "
                            "schattingen uit het accountplan.",
        "complaints": "Klachten en escalaties",
        "complaints_sentence": "In de {span}: {c} en {e}. Open aan het eind van de "
                               "periode: {open}.",
        "n:complaint": ("klacht", "klachten"),
        "n:escalation": ("escalatie", "escalaties"),
        "complaints_none": "Geen klachten of escalaties in de {span}.",
        "recent": "De meest recente:",
        "opened": "Geopend",
        "kind": "Soort",
        "severity": "Ernst",
        "status": "Status",
        "subject": "Onderwerp",
        "kind:complaint": "klacht",
        "kind:escalation": "escalatie",
        "severity:low": "laag",
        "severity:medium": "middel",
        "severity:high": "hoog",
        "status:open": "open",
        "status:closed": "gesloten",
        "status:open_then": "open aan eind periode",
        "stakeholders": "Belanghebbenden",
        "name": "Naam",
        "role": "Rol",
        "counterpart": "Onze gesprekspartner",
        "owner": "Eigenaar relatie",
        "stance": "Houding",
        "stance:supporter": "voorstander",
        "stance:neutral": "neutraal",
        "stance:critical": "kritisch",
        "stance:opponent": "tegenstander",
        "stance:unknown": "onbekend",
        "stakeholders_none": "Het accountplan noemt geen belanghebbenden.",
        "meetings": "Directieoverleg",
        "meeting_date": "Datum",
        "who_ours": "Wie (onze kant)",
        "their_counterpart": "Hun gesprekspartner",
        "meetings_none": "Het accountplan bevat geen directieoverleggen.",
        "upcoming": "gepland",
        "objectives": "Doelen",
        "objective": "Doel",
        "target": "Streefwaarde (maatstaf)",
        "due": "Uiterlijk",
        "status_now": "Status {period}",
        "not_reported": "niet gerapporteerd",
        "reported_then": "{status} (in {period})",
        "objectives_none": "Het accountplan stelt geen doelen.",
        "benefits": "Wat heeft de klant eraan?",
        "benefits_intro": "Wat het de klant oplevert een van onze Large Accounts te zijn, voor "
                          "als de vraag komt \"wat heb ik eraan?\":",
        "benefits_none": "Het accountplan noemt nog geen voordelen.",
        "discount_q": "\"Krijgen we nu meer korting?\"",
        "discount_plan": "Het accountplan zegt het zo: \"{text}\"",
        "discount_default": "Nee. Large Account zijn verlaagt onze prijzen niet. Wat het "
                            "oplevert zijn lagere totale kosten: één accountmanager die de hele "
                            "organisatie kent, gebundelde planning over alle locaties, minder "
                            "storingen en snellere reactie, vastgelegd in een raamovereenkomst "
                            "en elk kwartaal gerapporteerd.",
        "talking_points": "Gesprekspunten",
        "tp_up": "De omzet groeit: {last} in de laatste 12 maanden, {pct} meer dan de 12 "
                 "maanden daarvoor ({prior}). Vraag wat daarachter zit en of het doorzet.",
        "tp_down": "De omzet daalt: {last} in de laatste 12 maanden, {pct} minder dan de 12 "
                   "maanden daarvoor ({prior}). Zoek uit waarom voordat de klant erover "
                   "begint.",
        "tp_flat": "De omzet is stabiel: {last} in de laatste 12 maanden tegenover {prior} in "
                   "de 12 maanden daarvoor.",
        "tp_new_customer": "Omzet in de laatste 12 maanden: {last}; niets in de 12 maanden "
                           "daarvoor.",
        "tp_mix_up": "{line} groeide van {a} naar {b} van onze omzet bij de groep.",
        "tp_mix_down": "{line} daalde van {a} naar {b} van onze omzet bij de groep.",
        "tp_mix_new": "Nieuw dit jaar: {line} ({money} in de laatste 12 maanden).",
        "tp_mix_lost": "{line} is gestopt: {money} in de 12 maanden daarvoor, sindsdien niets.",
        "tp_headroom": "Wij hebben {sow} van de wallet van de groep ({rank}); {headroom} per "
                       "jaar gaat naar anderen. Daar zit de groeiruimte.",
        "tp_top3": "Wij zijn haar {rank} leverancier van {n}: de ambitie is de top 3.",
        "tp_wallet_unknown": "De wallet van de groep is niet bekend: vraag wat zij per jaar "
                             "aan onze soort dienstverlening besteedt, en bij wie.",
        "tp_open": "{n} nog open aan het eind van de periode; het ernstigst is de "
                   "{kind} \"{subject}\" ({severity}, sinds {date}). Zorg voor een antwoord.",
        "tp_open_one": "Nog open aan het eind van de periode: de {kind} \"{subject}\" "
                       "({severity}, sinds {date}). Zorg voor een antwoord.",
        "n:open": ("klacht of escalatie", "klachten en escalaties"),
        "tp_no_open": "Aan het eind van de periode stond geen klacht of escalatie open "
                      "({c} en {e} in het venster, alle gesloten).",
        "tp_no_complaints": "Geen klachten of escalaties in het venster.",
        "tp_at_risk": "Doel in gevaar: \"{text}\" ({status}, uiterlijk {due}).",
        "tp_unreported": "Geen status over {period} bij het doel \"{text}\" (uiterlijk "
                         "{due}): vraag het na vóór het bezoek.",
        "tp_overdue": "Doel over de datum: \"{text}\" (uiterlijk {due}, {status}).",
        "tp_objectives_ok": "Alle {n} doelen liggen op koers.",
        "tp_objective_ok": "Het doel ligt op koers: \"{text}\".",
        "tp_objectives_ok2": "Beide doelen liggen op koers.",
        "tp_meeting": "Volgend directieoverleg: {date}, {who} met {counterpart}.",
        "tp_no_meeting": "Na deze periode is geen directieoverleg gepland: plan er een.",
        "tp_no_plan": "Er is nog geen accountplan voor deze groep: maak het aan met "
                      "{command} vóór het bezoek.",
        "plan_missing_short": "Dit komt uit het accountplan, dat deze groep nog niet heeft.",
        "plan_missing": "Er is nog geen accountplan voor deze groep, dus belanghebbenden, "
                        "doelen, directieoverleg en voordelen ontbreken hier. Maak het aan met "
                        "{command}, vul het in en maak de briefing opnieuw.",
        "sow_rank": "{rank} leverancier van {n}",
        "rank_unknown_short": "rang onbekend",
    },
}

STATUS_WORDS = {  # objective statuses as written in plans, in the reader's language
    "nl": {"on track": "op koers", "at risk": "in gevaar", "behind": "achter",
           "achieved": "behaald", "done": "behaald", "missed": "niet gehaald",
           "not started": "niet begonnen", "delayed": "vertraagd", "dropped": "vervallen"},
    "en": {"op koers": "on track", "in gevaar": "at risk", "risico": "at risk",
           "achter": "behind", "behaald": "achieved", "niet gehaald": "missed",
           "niet begonnen": "not started", "vertraagd": "delayed", "vervallen": "dropped"},
}
_DISCOUNT = re.compile(r"korting|discount", re.IGNORECASE)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Briefing:
    """What one group's briefing shows; built by :func:`account_briefing`.

    ``units``: ``account_id``, ``name``, ``postcode``, ``parent_id``, ``depth`` (0 = the
    top), ``revenue_cents`` (the unit's own, over the window), in tree order.
    ``monthly``: ``month`` (``YYYY-MM``), ``service_line``, ``revenue_cents`` over the
    :data:`BRIEFING_MONTHS` months ending at the period end (``months``).
    ``wallet``: ``wallet_cents``, ``wallet_source``, ``wallet_method``, ``our_rank``,
    ``n_suppliers``, ``competitors`` (list), ``share_of_wallet``, ``headroom_cents``
    (missing values as ``None``). ``complaints``: the group's complaints and escalations
    opened in the window, newest first, with ``unit`` (the unit's name) and ``open_at_end``.
    ``plan``: the account plan (a dict, see the data contract) or ``None``. ``manager``:
    ``manager_id``, ``name``, ``email``, ``language`` or ``None``. ``decision_reason``:
    this period's recorded reason, "" when none.
    """

    group_id: str
    name: str
    period: str
    language: str
    currency: str
    window: Window
    period_end: date
    units: pd.DataFrame
    revenue_cents: int
    total_revenue_cents: int
    months: list[str]
    monthly: pd.DataFrame
    wallet: dict
    complaints: pd.DataFrame
    plan: dict | None
    manager: dict | None
    decision_reason: str = ""
    manager_names: dict = field(default_factory=dict)  # manager_id → name

    @property
    def share_of_total(self) -> float:
        return self.revenue_cents / self.total_revenue_cents if self.total_revenue_cents \
            else float("nan")

    def revenue_by_year(self) -> tuple[int, int]:
        """Revenue of the last 12 months and of the 12 before them (cents)."""
        last, prior = set(self.months[-12:]), set(self.months[-24:-12])
        m = self.monthly
        return (int(m.loc[m["month"].isin(last), "revenue_cents"].sum()),
                int(m.loc[m["month"].isin(prior), "revenue_cents"].sum()))

    def service_mix(self) -> pd.DataFrame:
        """Per service line: ``prior_cents``, ``last_cents`` (12 months each) and their
        shares of the group's total in each year, ``prior_share`` and ``last_share``."""
        m = self.monthly
        year = np.where(m["month"].isin(self.months[-12:]), "last_cents",
                        np.where(m["month"].isin(self.months[-24:-12]), "prior_cents", ""))
        frame = m.assign(year=year)
        frame = frame[frame["year"] != ""]
        mix = frame.pivot_table(index="service_line", columns="year", values="revenue_cents",
                                aggfunc="sum", fill_value=0)
        mix = mix.reindex(columns=["prior_cents", "last_cents"], fill_value=0).astype("int64")
        for col, share in (("prior_cents", "prior_share"), ("last_cents", "last_share")):
            total = mix[col].sum()
            mix[share] = mix[col] / total if total else 0.0
        return mix.sort_values("last_cents", ascending=False)


def _plain(value):
    """A pandas missing value as ``None``, numpy scalars as Python ones."""
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def account_manager_of(score, group_id: str) -> dict | None:
    """The account manager of ``group_id`` this period: ``manager_id``, ``name``, ``email``,
    ``language`` (from the ``account_managers`` table), or ``None`` when none is known.

    Taken from ``score.assignments`` (the proposed or fixed assignment) where the score has
    that part, else from the period's recorded decision (``decided_account_manager``).
    """
    manager_id = None
    assignments = getattr(score, "assignments", None)
    if isinstance(assignments, pd.DataFrame) and "group_id" in assignments:
        rows = assignments[assignments["group_id"] == group_id]
        for col in ("manager_id", "account_manager", "assigned_manager"):
            if col in rows and len(rows) and isinstance(rows[col].iloc[0], str) \
                    and rows[col].iloc[0]:
                manager_id = rows[col].iloc[0]
                break
    if manager_id is None:
        d = score.designations
        rows = d[d["group_id"] == group_id]
        if len(rows) and isinstance(rows["decided_account_manager"].iloc[0], str) \
                and rows["decided_account_manager"].iloc[0]:
            manager_id = rows["decided_account_manager"].iloc[0]
    if manager_id is None:
        return None
    managers = score.dataset.account_managers
    rows = managers[managers["manager_id"] == manager_id]
    if rows.empty:
        return {"manager_id": manager_id, "name": manager_id, "email": "", "language": ""}
    row = rows.iloc[0]

    def text(col):
        value = row.get(col)
        return value if isinstance(value, str) else ""

    return {"manager_id": manager_id, "name": text("name") or manager_id,
            "email": text("email"), "language": text("language")}


def briefing_language(score, group_id: str) -> str:
    """The language of a group's briefing: its account manager's, else the period's."""
    manager = account_manager_of(score, group_id)
    if manager and manager["language"] in TEXT:
        return manager["language"]
    return score.settings.language


def _units(consolidation, dataset, group_id: str, end, window: Window,
           restate: bool) -> pd.DataFrame:
    groups = consolidation.hierarchy.groups_as_of(end)
    members = groups.index[groups.to_numpy() == group_id]
    accounts = dataset.accounts.set_index("account_id")
    # Parent on the period end day, within the group (the hierarchy's own links).
    parent = {}
    acc = dataset.accounts[dataset.accounts["account_id"].isin(members)]
    day = pd.Timestamp(end)
    links = []
    if len(dataset.parent_links):
        pl = dataset.parent_links
        start, stop = pd.to_datetime(pl["valid_from"]), pd.to_datetime(pl["valid_to"])
        valid = (start.isna() | (start <= day)) & (stop.isna() | (stop >= day))
        links = list(zip(pl.loc[valid, "account_id"], pl.loc[valid, "parent_id"], strict=True))
    for a, p in links:
        if a in members and p in members:
            parent[a] = p
    for a, p, vf, vt in zip(acc["account_id"], acc["parent_id"].fillna(""),
                            pd.to_datetime(acc["parent_valid_from"]),
                            pd.to_datetime(acc["parent_valid_to"]), strict=True):
        if a in parent or not p or p not in members:
            continue
        if (pd.isna(vf) or vf <= day) and (pd.isna(vt) or vt >= day):
            parent[a] = p
    # Units the roll-up put in the group through links not read here (e.g. GLEIF) hang
    # under the top.
    for a in members:
        if a != group_id and a not in parent:
            parent[a] = group_id
    cube = consolidation.cube
    labels = window.month_labels()
    inside = cube["month"].between(labels[0], labels[-1])
    in_group = consolidation.group_of_units(window, restate).to_numpy() == group_id
    own = cube[inside.to_numpy() & in_group].groupby("unit_id")["revenue_cents"].sum()
    children: dict[str, list[str]] = {}
    for a, p in parent.items():
        children.setdefault(p, []).append(a)
    names = accounts["name"]
    order, depth = [], {}
    stack = [(group_id, 0)]
    while stack:  # depth first, children by name
        node, d = stack.pop()
        order.append(node)
        depth[node] = d
        kids = sorted(children.get(node, []), key=lambda k: str(names.get(k, k)), reverse=True)
        stack.extend((k, d + 1) for k in kids)
    return pd.DataFrame({
        "account_id": order,
        "name": [str(names.get(a, a)) for a in order],
        "postcode": [str(accounts["postcode"].get(a, "") or "") for a in order],
        "parent_id": [parent.get(a, "") for a in order],
        "depth": [depth[a] for a in order],
        "revenue_cents": [int(own.get(a, 0)) for a in order],
    })


def account_briefing(score, group_id: str, language: str | None = None) -> Briefing:
    """Everything the briefing of ``group_id`` shows, for the period of ``score``.

    ``language`` defaults to the score's (``score.settings.language``); the batch passes the
    account manager's (:func:`briefing_language`) as the notebook's ``language``. Raises
    ``KeyError`` for an id that is not in the customer master or is a unit of a group.
    Pure: reads the score's consolidation and dataset, mutates nothing.
    """
    settings, consolidation, dataset = score.settings, score.consolidation, score.dataset
    if group_id not in consolidation.names.index:
        raise KeyError(f"{group_id!r} is not an account in the customer master")
    language = language or settings.language
    window = settings.window
    end = settings.parsed_period.end
    top = consolidation.hierarchy.groups_as_of(end).get(group_id, group_id)
    if top != group_id:
        raise KeyError(f"{group_id!r} is a unit of the group {top!r} at the period end; "
                       f"brief the group")
    restate = settings.restate_hierarchy
    units = _units(consolidation, dataset, group_id, end, window, restate)

    revenue = score.revenue
    own = revenue.loc[revenue["group_id"] == group_id, "revenue_cents"]
    total = int(revenue.loc[revenue["revenue_cents"] > 0, "revenue_cents"].sum())

    history = settings.parsed_period.window(BRIEFING_MONTHS)
    months = history.month_labels()
    cube = consolidation.cube
    inside = cube["month"].between(months[0], months[-1]).to_numpy()
    in_group = consolidation.group_of_units(history, restate).to_numpy() == group_id
    monthly = (cube[inside & in_group].groupby(["month", "service_line"], sort=True)
               ["revenue_cents"].sum().reset_index().astype({"revenue_cents": "int64"}))

    d = score.designations
    row = d[d["group_id"] == group_id]
    wallet = _wallet(score, group_id, row)
    reason = ""
    if len(row) and isinstance(row["decision_reason"].iloc[0], str):
        reason = row["decision_reason"].iloc[0]

    return Briefing(
        group_id=group_id, name=str(consolidation.names.get(group_id, group_id)),
        period=settings.period, language=language, currency=settings.reporting_currency,
        window=window, period_end=end, units=units,
        revenue_cents=int(own.iloc[0]) if len(own) else 0, total_revenue_cents=total,
        months=months, monthly=monthly, wallet=wallet,
        complaints=_complaints(dataset, units, window, end),
        plan=dataset.account_plans.get(group_id), manager=account_manager_of(score, group_id),
        decision_reason=reason,
        manager_names=dict(zip(dataset.account_managers["manager_id"],
                               dataset.account_managers["name"], strict=True)),
    )


def _wallet(score, group_id: str, row: pd.DataFrame) -> dict:
    keys = ("wallet_cents", "wallet_source", "wallet_method", "our_rank", "n_suppliers",
            "competitors", "share_of_wallet", "headroom_cents")
    if row.empty:
        # Not a candidate this period: the same wallet rule, with every group as the peers.
        from ..analysis.designation import annual_revenue
        from ..analysis.wallet import share_of_wallet
        from ..consolidate.cube import monthly_revenue_by_group

        s = score.settings
        annual = annual_revenue(monthly_revenue_by_group(score.consolidation, s.window,
                                                         s.restate_hierarchy), s.window)
        row = share_of_wallet(annual[["group_id", "annual_revenue_cents"]],
                              score.dataset.wallets, score.dataset.accounts, s.window.end,
                              fx_rates=score.dataset.fx_rates,
                              reporting_currency=s.reporting_currency, language=s.language)
        row = row[row["group_id"] == group_id]
    if row.empty:
        return {k: None for k in keys} | {"competitors": [], "wallet_source": "unknown"}
    r = row.iloc[0]
    out = {k: _plain(r[k]) for k in keys}
    out["competitors"] = [c for c in str(out["competitors"] or "").split("|") if c]
    return out


def _complaints(dataset, units: pd.DataFrame, window: Window, end) -> pd.DataFrame:
    c = dataset.complaints
    mine = c[c["account_id"].isin(units["account_id"])]
    opened = pd.to_datetime(mine["opened_on"])
    mine = mine[window.contains(opened).to_numpy()]
    day = pd.Timestamp(end)
    closed = pd.to_datetime(mine["closed_on"])
    open_at_end = ((closed > day) | (closed.isna() & (mine["status"].astype(str) == "open")))
    names = units.set_index("account_id")["name"]
    out = mine.assign(unit=names.reindex(mine["account_id"]).to_numpy(),
                      open_at_end=open_at_end.to_numpy())
    return out.sort_values(["opened_on", "complaint_id"], ascending=False, ignore_index=True)


# --------------------------------------------------------------------------- words


def _w(b: Briefing) -> dict:
    return TEXT[b.language]


def _money(b: Briefing, cents) -> str:
    return format_money(int(cents), b.language, b.currency, decimals=0)


def _pct(b: Briefing, share, decimals: int = 1) -> str:
    return DASH if share is None or pd.isna(share) else format_percent(share, b.language,
                                                                        decimals)


def _date(value, language: str) -> str:
    """``12 November 2026`` / ``12 november 2026``; "" for no date."""
    if value is None or value == "" or pd.isna(value):
        return ""
    day = pd.Timestamp(value)
    return f"{day.day} {MONTH_NAMES[language][day.month - 1]} {day.year}"


def _iso(value) -> str:
    if value is None or value == "" or pd.isna(value):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def _h2(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def _p(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{escape(text)}</p>"


_DATE_CELL = re.compile(r"<td>(\d{4}-\d{2}-\d{2}(?: \([^<]*\))?)</td>")


def _table(frame: pd.DataFrame, numeric: tuple = ()) -> Html:
    """:func:`~account_analysis.present.format.html_table`, with dates that do not wrap (inline
    style: it survives in a mail)."""
    text = html_table(frame, numeric=tuple(numeric)).html
    return Html(_DATE_CELL.sub(r'<td style="white-space:nowrap">\1</td>', text))


def _list(items) -> str:
    return "<ul>" + "".join(f"<li>{escape(str(i))}</li>" for i in items) + "</ul>"


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _counted(b: Briefing, n, noun: str) -> str:
    """``1 complaint``, ``3 escalations`` / ``1 klacht``, ``3 escalaties``."""
    one, many = _w(b)[f"n:{noun}"]
    return f"{format_count(int(n), b.language)} {one if int(n) == 1 else many}"


def _status_word(status: str, language: str) -> str:
    return STATUS_WORDS[language].get(status.strip().lower(), status)


def _word(b: Briefing, prefix: str, value) -> str:
    key = f"{prefix}:{_text(value).lower()}"
    return _w(b).get(key, _text(value))


def _owner(b: Briefing, who) -> str:
    """A relationship owner as written in the plan; a manager id gets the manager's name."""
    who = _text(who)
    name = b.manager_names.get(who)
    return f"{name} ({who})" if name else who


def objective_status(objective: dict, period: str) -> tuple[str, str]:
    """The status of an objective for ``period`` and the period it was reported in: the
    status of ``period`` itself, else the latest reported before it; ``("", "")`` if none.

    >>> objective_status({"status": {"2026-Q2": "behind", "2026-Q3": "on track"}}, "2026-Q3")
    ('on track', '2026-Q3')
    >>> objective_status({"status": {"2026-Q2": "behind"}}, "2026-Q4")
    ('behind', '2026-Q2')
    """
    statuses = objective.get("status") or {}
    if not isinstance(statuses, dict):
        return (str(statuses), period)
    known = sorted((str(k), str(v)) for k, v in statuses.items() if str(k) <= period and v)
    return (known[-1][1], known[-1][0]) if known else ("", "")


def _target(objective: dict) -> str:
    """``55% (share of wallet)``: the target with its measure, where they differ."""
    target, measure = _text(objective.get("target")), _text(objective.get("measure"))
    if not measure or measure.lower() == target.lower():
        return target or measure
    return f"{target} ({measure})" if target else measure


def discount_answer(b: Briefing) -> str:
    """The standard answer to "do we now get more discount?", in the briefing's language;
    the plan's own words on discount (:func:`discount_benefit`) are quoted beside it."""
    return _w(b)["discount_default"]


def discount_benefit(b: Briefing) -> str:
    """The plan's benefit about discount (shown beside the answer, not in the list), or ""."""
    for benefit in (b.plan or {}).get("benefits") or []:
        if _DISCOUNT.search(str(benefit)):
            return str(benefit)
    return ""


# --------------------------------------------------------------------------- talking points


def talking_points(b: Briefing) -> list[str]:
    """The talking points of a briefing, derived from its numbers, in its language.

    In this order: the revenue trend (last 12 months against the 12 before), the largest
    change in the service mix, the wallet headroom and supplier rank, the complaints and
    escalations open at the period end, the objectives at risk or overdue, and the next
    executive meeting. Without an account plan the last two become one point saying so.
    """
    w, lang = _w(b), b.language
    points = []
    last, prior = b.revenue_by_year()
    if prior <= 0:
        points.append(w["tp_new_customer"].format(last=_money(b, last)))
    else:
        change = last / prior - 1
        key = "tp_flat" if abs(change) < FLAT_TREND else "tp_up" if change > 0 else "tp_down"
        points.append(w[key].format(last=_money(b, last), prior=_money(b, prior),
                                    pct=format_percent(abs(change), lang, 0)))
    points += _mix_points(b)
    wallet = b.wallet
    rank, n = wallet.get("our_rank"), wallet.get("n_suppliers")
    rank_text = (w["sow_rank"].format(rank=ordinal(rank, lang), n=n) if rank and n
                 else w["rank_unknown_short"])
    if wallet.get("share_of_wallet") is not None and wallet.get("headroom_cents") is not None:
        points.append(w["tp_headroom"].format(sow=_pct(b, wallet["share_of_wallet"], 0),
                                              rank=rank_text,
                                              headroom=_money(b, wallet["headroom_cents"])))
    else:
        points.append(w["tp_wallet_unknown"])
    if rank and n and rank > TOP_SUPPLIERS:
        points.append(w["tp_top3"].format(rank=ordinal(rank, lang), n=n))
    points.append(_complaint_point(b))
    if b.plan is None:
        points.append(w["tp_no_plan"].format(command=PLAN_COMMAND.format(group=b.group_id)))
        return points
    points += _objective_points(b)
    points.append(_meeting_point(b))
    return points


def _mix_points(b: Briefing) -> list[str]:
    w = _w(b)
    mix = b.service_mix()
    last, prior = mix["last_cents"].sum(), mix["prior_cents"].sum()
    if last <= 0 or prior <= 0:
        return []
    points = []
    new = mix[(mix["prior_cents"] <= 0) & (mix["last_cents"] > 0)]
    lost = mix[(mix["prior_cents"] > 0) & (mix["last_cents"] <= 0)]
    for line, r in new.iterrows():
        points.append(w["tp_mix_new"].format(line=line, money=_money(b, r["last_cents"])))
    for line, r in lost.iterrows():
        points.append(w["tp_mix_lost"].format(line=line, money=_money(b, r["prior_cents"])))
    kept = mix.drop(index=[*new.index, *lost.index])
    if len(kept):
        delta = (kept["last_share"] - kept["prior_share"]) * 100
        line = delta.abs().idxmax()
        if abs(delta[line]) >= MIX_CHANGE_PP:
            key = "tp_mix_up" if delta[line] > 0 else "tp_mix_down"
            points.append(w[key].format(line=line, a=_pct(b, kept.at[line, "prior_share"], 0),
                                        b=_pct(b, kept.at[line, "last_share"], 0)))
    return points


_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def _complaint_point(b: Briefing) -> str:
    w, c = _w(b), b.complaints
    still = c[c["open_at_end"]]
    if still.empty:
        if c.empty:
            return w["tp_no_complaints"]
        kinds = c["kind"].astype(str)
        return w["tp_no_open"].format(c=_counted(b, (kinds == "complaint").sum(), "complaint"),
                                      e=_counted(b, (kinds == "escalation").sum(),
                                                 "escalation"))
    order = still.assign(
        _e=(still["kind"].astype(str) != "escalation").astype(int),
        _s=still["severity"].astype(str).map(_SEVERITY_ORDER).fillna(3))
    top = order.sort_values(["_e", "_s", "opened_on"], ascending=[True, True, False]).iloc[0]
    key = "tp_open_one" if len(still) == 1 else "tp_open"
    return w[key].format(n=_counted(b, len(still), "open"), subject=_text(top["subject"]),
                         kind=_word(b, "kind", top["kind"]),
                         severity=_word(b, "severity", top["severity"]),
                         date=_date(top["opened_on"], b.language))


def _objective_points(b: Briefing) -> list[str]:
    w = _w(b)
    objectives = (b.plan or {}).get("objectives") or []
    points = []
    for o in objectives:
        status, _ = objective_status(o, b.period)
        low = status.strip().lower()
        due = o.get("due")
        if low in CLOSED_STATUSES:
            continue
        overdue = bool(due) and pd.Timestamp(due).date() <= b.period_end \
            and low not in GOOD_STATUSES - {"on track", "op koers"}
        words = dict(period=b.period, text=_text(o.get("text")),
                     status=_status_word(status, b.language) or w["not_reported"],
                     due=_date(due, b.language) or DASH)
        if overdue:
            points.append(w["tp_overdue"].format(**words))
        elif low in AT_RISK_STATUSES:
            points.append(w["tp_at_risk"].format(**words))
        elif not low:
            points.append(w["tp_unreported"].format(**words))
    if objectives and not points:
        if len(objectives) == 1:
            points.append(w["tp_objective_ok"].format(text=_text(objectives[0].get("text"))))
        else:
            key = "tp_objectives_ok2" if len(objectives) == 2 else "tp_objectives_ok"
            points.append(w[key].format(n=len(objectives)))
    return points


def _upcoming_meetings(b: Briefing) -> list[dict]:
    meetings = [m for m in (b.plan or {}).get("executive_meetings") or [] if m.get("date")]
    after = [m for m in meetings if pd.Timestamp(m["date"]).date() > b.period_end]
    return sorted(after, key=lambda m: pd.Timestamp(m["date"]))


def _meeting_point(b: Briefing) -> str:
    w = _w(b)
    upcoming = _upcoming_meetings(b)
    if not upcoming:
        return w["tp_no_meeting"]
    m = upcoming[0]
    return w["tp_meeting"].format(date=_date(m["date"], b.language), who=_text(m.get("who")),
                                  counterpart=_text(m.get("their_counterpart")))


# --------------------------------------------------------------------------- sections


# The title carries the group id and the period in these attributes, so that whoever mails
# a rendered briefing can check that it is the group the manifest says
# (account_analysis.deliver.mail).
GROUP_MARKER = "data-account-analysis-group"
PERIOD_MARKER = "data-account-analysis-period"


def briefing_title(b: Briefing) -> Html:
    """The title block: "Account briefing: <group>", the period and the account manager.

    The ``<h1>`` carries the group id and the period as :data:`GROUP_MARKER` and
    :data:`PERIOD_MARKER` attributes (machine-readable; not shown).
    """
    w = _w(b)
    manager = b.manager["name"] if b.manager else w["no_manager"]
    subtitle = w["subtitle"].format(period=b.period, manager=manager)
    marker = (f'{GROUP_MARKER}="{escape(str(b.group_id))}" '
              f'{PERIOD_MARKER}="{escape(str(b.period))}"')
    return Html(f"<h1 {marker}>{escape(TITLES['account_briefing'][b.language])}: "
                f"{escape(b.name)}</h1>"
                f'<p class="subtitle">{escape(subtitle)}</p>')


def briefing_group_section(b: Briefing) -> Html:
    """Who the group is: how many units as of the period end, consolidated revenue, its
    share of our total revenue, the account manager, and this period's decision."""
    w, lang = _w(b), b.language
    html = _h2(w["who"])
    html += _p(w["who_sentence"].format(
        name=b.name, group=b.group_id, n=format_count(len(b.units), lang),
        end=_date(b.period_end, lang), span=b.window.describe(lang),
        money=_money(b, b.revenue_cents), share=_pct(b, b.share_of_total)), "headline")
    if b.manager:
        html += _p(w["manager_line"].format(name=b.manager["name"],
                                            email=b.manager["email"] or b.manager["manager_id"]))
    else:
        html += _p(w["manager_none"])
    if b.decision_reason:
        html += _p(w["decision"].format(reason=b.decision_reason), "note")
    return Html(html)


def briefing_units_section(b: Briefing) -> Html:
    """The group's units and subsidiaries as of the period end, as a tree, with the revenue
    of each over the window (collapsed to the direct subsidiaries above
    :data:`MAX_UNITS` units)."""
    w, lang = _w(b), b.language
    html = _h2(w["units_title"])
    units = b.units
    below = None
    if len(units) > MAX_UNITS:
        # Collapse to the top and its direct subsidiaries, each with its whole subtree.
        top_of = {}
        for a, p, d in zip(units["account_id"], units["parent_id"], units["depth"],
                           strict=True):
            top_of[a] = a if d <= 1 else top_of.get(p, p)
        key = units["account_id"].map(top_of)
        sums = units.groupby(key)["revenue_cents"].sum()
        counts = units.groupby(key).size()
        units = units[units["depth"] <= 1].copy()
        units["revenue_cents"] = units["account_id"].map(sums).where(units["depth"] > 0,
                                                                     units["revenue_cents"])
        below = [format_count(counts.get(a, 1) - 1, lang) if d else DASH
                 for a, d in zip(units["account_id"], units["depth"], strict=True)]
    indent = "\u2003"
    table = pd.DataFrame({
        w["unit"]: [indent * int(d) + ("↳ " if d else "") + n
                    for n, d in zip(units["name"], units["depth"], strict=True)],
        w["account"]: units["account_id"].to_numpy(),
        w["postcode"]: units["postcode"].to_numpy(),
        w["unit_revenue"].format(months=b.window.months): [_money(b, c)
                                                           for c in units["revenue_cents"]],
    })
    numeric = [w["unit_revenue"].format(months=b.window.months)]
    if below is not None:
        table[w["units_below"]] = below
        numeric.append(w["units_below"])
        html += _p(w["units_collapsed"].format(n=format_count(len(b.units), lang)), "note")
    html += _table(table, numeric=tuple(numeric)).html
    html += _p(w["units_note"].format(end=_date(b.period_end, lang)), "note")
    return Html(html)


def quarter_label(month: str) -> str:
    """``2026-08`` → ``2026-Q3``.

    >>> quarter_label("2026-08")
    '2026-Q3'
    """
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def briefing_revenue_section(b: Briefing) -> Html:
    """Revenue of the last 12 months against the 12 before, and a table of the 24 months by
    quarter and service line (the chart shows them by month)."""
    w, lang = _w(b), b.language
    html = _h2(w["revenue"].format(months=len(b.months)))
    last, prior = b.revenue_by_year()
    if prior > 0:
        change = last / prior - 1
        sign = "+" if change >= 0 else "−"
        html += _p(w["revenue_sentence"].format(
            last=_money(b, last), prior=_money(b, prior),
            change=sign + format_percent(abs(change), lang)), "headline")
    else:
        html += _p(w["revenue_no_prior"].format(last=_money(b, last)), "headline")
    m = b.monthly.assign(quarter=b.monthly["month"].map(quarter_label))
    quarters = sorted({quarter_label(x) for x in b.months})
    pivot = m.pivot_table(index="quarter", columns="service_line", values="revenue_cents",
                          aggfunc="sum", fill_value=0).reindex(quarters, fill_value=0)
    lines = list(b.service_mix().index)
    pivot = pivot.reindex(columns=lines, fill_value=0)
    table = pd.DataFrame({w["quarter"]: quarters})
    for line in lines:
        table[line] = [_money(b, c) for c in pivot[line]]
    table[w["total"]] = [_money(b, c) for c in pivot.sum(axis=1)]
    html += _table(table, numeric=(*lines, w["total"])).html
    html += _p(w["revenue_note"].format(currency=b.currency), "note")
    return Html(html)


def briefing_wallet_section(b: Briefing) -> Html:
    """Share of wallet, supplier rank, headroom and the competitors (the wallet survey's
    names and the account plan's estimated shares)."""
    w, lang = _w(b), b.language
    wallet = b.wallet
    html = _h2(w["wallet"])
    last, _ = b.revenue_by_year()
    if wallet.get("wallet_cents") is not None and wallet.get("share_of_wallet") is not None:
        html += _p(w["wallet_known"].format(
            wallet=_money(b, wallet["wallet_cents"]), annual=_money(b, last),
            sow=_pct(b, wallet["share_of_wallet"]),
            headroom=_money(b, wallet["headroom_cents"] or 0)), "headline")
        if wallet.get("wallet_method"):
            html += _p(w["wallet_source"].format(method=wallet["wallet_method"]), "note")
    else:
        html += _p(w["wallet_unknown"], "headline")
    rank, n = wallet.get("our_rank"), wallet.get("n_suppliers")
    html += _p(w["rank_line"].format(rank=ordinal(rank, lang), n=n) if rank and n
               else w["rank_unknown"])
    planned = [(str(c.get("name", "")), c.get("estimated_share"))
               for c in (b.plan or {}).get("competitors") or [] if c.get("name")]
    names = [n_ for n_, _ in planned] + [c for c in wallet["competitors"]
                                         if c not in {n_ for n_, _ in planned}]
    if not names:
        return Html(html + _p(w["competitors_none"], "note"))
    share_of = dict(planned)
    rows = [(w["us"], _pct(b, wallet.get("share_of_wallet"), 0))]
    rows += [(name, _pct(b, share_of.get(name), 0)) for name in names]
    table = pd.DataFrame(rows, columns=[w["supplier"], w["est_share"]])
    html += _table(table, numeric=(w["est_share"],)).html
    html += _p(w["competitors_note"], "note")
    return Html(html)


def briefing_complaints_section(b: Briefing) -> Html:
    """Complaints and escalations in the window: counts, what was open at the period end,
    and the :data:`RECENT_COMPLAINTS` most recent ones."""
    w, lang = _w(b), b.language
    c = b.complaints
    span = b.window.describe(lang)
    html = _h2(w["complaints"])
    if c.empty:
        return Html(html + _p(w["complaints_none"].format(span=span)))
    kinds = c["kind"].astype(str)
    html += _p(w["complaints_sentence"].format(
        span=span, c=_counted(b, (kinds == "complaint").sum(), "complaint"),
        e=_counted(b, (kinds == "escalation").sum(), "escalation"),
        open=format_count(int(c["open_at_end"].sum()), lang)), "headline")
    recent = c.head(RECENT_COMPLAINTS)
    status = [w["status:open_then"] if o and str(s) != "open" else _word(b, "status", s)
              for s, o in zip(recent["status"], recent["open_at_end"], strict=True)]
    table = pd.DataFrame({
        w["opened"]: [_iso(d) for d in recent["opened_on"]],
        w["kind"]: [_word(b, "kind", k) for k in recent["kind"]],
        w["severity"]: [_word(b, "severity", s) for s in recent["severity"]],
        w["status"]: status,
        w["unit"]: [_text(u) for u in recent["unit"]],
        w["subject"]: [_text(s) for s in recent["subject"]],
    })
    html += _p(w["recent"]) + _table(table).html
    return Html(html)


def _plan_missing(b: Briefing, short: bool = False) -> str:
    """The note that the account plan is missing: in full (with the command that makes it)
    in the first section that needs the plan, short in the later ones."""
    if short:
        return _p(_w(b)["plan_missing_short"], "note")
    command = PLAN_COMMAND.format(group=b.group_id)
    text = escape(_w(b)["plan_missing"]).replace("{command}", f"<code>{escape(command)}</code>")
    return f'<p class="note"><strong>{text}</strong></p>'


def briefing_stakeholders_section(b: Briefing) -> Html:
    """The customer's management from the account plan (who is who, who knows whom) and the
    executive meetings, the upcoming ones marked."""
    w = _w(b)
    html = _h2(w["stakeholders"])
    if b.plan is None:
        return Html(html + _plan_missing(b))
    people = b.plan.get("stakeholders") or []
    if people:
        table = pd.DataFrame({
            w["name"]: [_text(p.get("name")) for p in people],
            w["role"]: [_text(p.get("role")) for p in people],
            w["counterpart"]: [_text(p.get("our_counterpart")) for p in people],
            w["owner"]: [_owner(b, p.get("relationship_owner")) for p in people],
            w["stance"]: [_word(b, "stance", p.get("stance")) for p in people],
        })
        html += _table(table).html
    else:
        html += _p(w["stakeholders_none"])
    html += f"<h3>{escape(w['meetings'])}</h3>"
    meetings = sorted((m for m in b.plan.get("executive_meetings") or [] if m.get("date")),
                      key=lambda m: pd.Timestamp(m["date"]))
    if not meetings:
        return Html(html + _p(w["meetings_none"]))
    table = pd.DataFrame({
        w["meeting_date"]: [_iso(m["date"]) + (f" ({w['upcoming']})"
                                                if pd.Timestamp(m["date"]).date() > b.period_end
                                                else "") for m in meetings],
        w["who_ours"]: [_text(m.get("who")) for m in meetings],
        w["their_counterpart"]: [_text(m.get("their_counterpart")) for m in meetings],
    })
    return Html(html + _table(table).html)


def briefing_objectives_section(b: Briefing) -> Html:
    """The account plan's objectives with their measure, target, due date and status this
    period (or the latest reported before it)."""
    w = _w(b)
    html = _h2(w["objectives"])
    if b.plan is None:
        return Html(html + _plan_missing(b, short=True))
    objectives = b.plan.get("objectives") or []
    if not objectives:
        return Html(html + _p(w["objectives_none"]))

    def status(o):
        text, when = objective_status(o, b.period)
        if not text:
            return w["not_reported"]
        text = _status_word(text, b.language)
        return text if when == b.period else w["reported_then"].format(status=text,
                                                                        period=when)

    table = pd.DataFrame({
        w["objective"]: [_text(o.get("text")) for o in objectives],
        w["target"]: [_target(o) for o in objectives],
        w["due"]: [_iso(o.get("due")) for o in objectives],
        w["status_now"].format(period=b.period): [status(o) for o in objectives],
    })
    return Html(html + _table(table).html)


def briefing_benefits_section(b: Briefing) -> Html:
    """The benefits list ("what's in it for me?") and the answer to "do we now get more
    discount?"."""
    w = _w(b)
    html = _h2(w["benefits"])
    about_discount = discount_benefit(b)
    if b.plan is None:
        html += _plan_missing(b, short=True)
    else:
        benefits = [str(x) for x in b.plan.get("benefits") or [] if str(x) != about_discount]
        html += _p(w["benefits_intro"]) + _list(benefits) if benefits \
            else _p(w["benefits_none"])
    html += f"<h3>{escape(w['discount_q'])}</h3>" + _p(discount_answer(b))
    if about_discount:
        html += _p(w["discount_plan"].format(text=about_discount), "note")
    return Html(html)


def briefing_talking_points_section(b: Briefing) -> Html:
    """The talking points (see :func:`talking_points`) as a list."""
    return Html(_h2(_w(b)["talking_points"]) + _list(talking_points(b)))


BRIEFING_SECTIONS = (briefing_group_section, briefing_talking_points_section,
                     briefing_revenue_section, briefing_wallet_section,
                     briefing_complaints_section, briefing_stakeholders_section,
                     briefing_objectives_section, briefing_benefits_section,
                     briefing_units_section)


# --------------------------------------------------------------------------- file names

_LEGAL_FORM = re.compile(r"\b(b\.?v\.?|n\.?v\.?|v\.?o\.?f\.?|c\.?v\.?|inc\.?|ltd\.?|llc|gmbh|"
                         r"s\.a\.|plc)(?=\s|$|,)", re.IGNORECASE)


def group_slug(name: str, group_id: str = "") -> str:
    """A file name for a group: ascii, lowercase, hyphens, without the legal form.

    >>> group_slug("Zorggroep Vlietstreek B.V."), group_slug("Stichting Onderwijs Brabant")
    ('zorggroep-vlietstreek', 'stichting-onderwijs-brabant')
    >>> group_slug("Café 't Hoekje N.V."), group_slug("B.V.", "C10001")
    ('cafe-t-hoekje', 'c10001')
    """
    text = unicodedata.normalize("NFKD", _LEGAL_FORM.sub(" ", str(name)))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug or re.sub(r"[^a-z0-9]+", "-", str(group_id).lower()).strip("-") or "group"


MAX_SLUG = 60  # characters of the name part of a file name (file systems allow 255 bytes)
_PLAIN_ID = re.compile(r"[A-Z0-9]{1,40}")  # ids such as C10041: their lowercase is unique


def group_file_id(group_id: str) -> str:
    """The group id as the first part of a file name: lowercase ascii, no hyphen, and
    different for different ids (also on a file system that ignores case).

    An id of capitals and digits (``C10041``) is lowercased; any other id keeps its letters
    and digits and gets ``_`` and a hash of the exact id, so ``c1``, ``C1`` and ``C-1`` stay
    apart.

    >>> group_file_id("C10041"), group_file_id("c10041"), group_file_id("C-10041")
    ('c10041', 'c10041_94fafc0847', 'c10041_4d8a505a0c')
    """
    group_id = str(group_id)
    if _PLAIN_ID.fullmatch(group_id):
        return group_id.lower()
    plain = re.sub(r"[^a-z0-9]+", "", unicodedata.normalize("NFKD", group_id)
                   .encode("ascii", "ignore").decode("ascii").lower())[:40]
    return f"{plain}_{hashlib.sha256(group_id.encode('utf-8')).hexdigest()[:10]}"


def briefing_slug(group_id: str, name: str) -> str:
    """The file name (without suffix) of a group's briefing: ``<group id>-<name>``.

    Unique per group id by construction, whatever the names: the id part
    (:func:`group_file_id`) holds no hyphen, so it ends at the first one, and differs
    between ids. The name part (:func:`group_slug`, at most :data:`MAX_SLUG` characters)
    only helps a reader.

    >>> [briefing_slug(g, n) for g, n in [("C10041", "Acme B.V."), ("C10001", "Acme N.V."),
    ...                                    ("C10055", "Acme C10041")]]
    ['c10041-acme', 'c10001-acme', 'c10055-acme-c10041']
    """
    name_part = group_slug(name, group_id)[:MAX_SLUG].strip("-") or "group"
    return f"{group_file_id(group_id)}-{name_part}"
