"""A deterministic demo dataset: a fictional Dutch technical facility-services company.

:func:`write_demo_dataset` writes a complete dataset folder (every table of
:mod:`account_analysis.load.schema` plus ``account_plans/``) that plays the situation of the
source article: over the 24 months to 2026-09-30, four customer groups bring almost 40% of
revenue once their billing accounts are consolidated, three of them become Large Accounts.

The story in the data
---------------------
* 36 months of invoice lines (2023-10-01 .. 2026-09-30), about 120,000 of them, about
  1,200 billing accounts in about 700 customer groups; roughly EUR 50m revenue a year in the
  service lines Onderhoud, Installatie, Storingsdienst, Projecten and Advies.
* Four groups above 5% of the 24-month revenue (together about 39.5%):
  Zorggroep Vlietstreek (care, growing), Van Houten Logistiek Groep (logistics, declining, many
  complaints and escalations, we are only its 5th supplier), Polderland Bouwgroep
  (construction, one long project peaking mid-2025 so a 12-month window ranks it lower) and
  Stichting Onderwijs Brabant (education, summer peak). A near miss (Waterschap Lage Landen,
  3.5%) and two retail groups whose merger would cross 5%.
* Holdings two to three levels deep; an acquisition on 2025-06-01 (``parent_links``);
  invoices billed to head offices but ordered by units, some with ``ordering_unit``, the
  others fixed by ``attribution_rules`` (by billing account, service line, PO pattern and
  invoice id); a purchasing cooperative paying for a few small customers.
* Credit notes, cancelled invoices, open invoices in the last months, intercompany
  accounts, Belgian, German, British (GBP) and American (USD) customers with monthly rates.

All names of companies and people are invented. Money is generated as integer cents and
written from integers; the output is byte-for-byte the same for the same seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from account_analysis.load.schema import ACCOUNT_PLANS_DIR, TABLES

__all__ = ["DEFAULT_SEED", "write_demo_dataset"]

DEFAULT_SEED = 20260930

N_MONTHS = 36  # 2023-10 .. 2026-09
FIRST_MONTH = np.datetime64("2023-10", "M")
FIRST_DAY = np.datetime64("2023-10-01", "D")
LAST_DAY = np.datetime64("2026-09-30", "D")
WINDOW_FROM = np.datetime64("2024-10-01", "D")  # the default 24-month window
MID = 23.5  # trends are expressed around the middle of the 24-month window

ANNUAL_REVENUE = 55_000_000.0  # nominal yearly revenue (EUR) at the middle of the window
TARGET_LINES = 116_000  # ordinary invoice lines; credit notes and the project come on top
NEW_INVOICE_P = 0.3  # chance that a line of an account-month starts a new invoice
CREDIT_P = 0.0205  # share of lines that get credited
CANCEL_P = 0.0105  # share of invoices that are cancelled

SERVICE_LINES = ("Onderhoud", "Installatie", "Storingsdienst", "Projecten", "Advies")
PROJECTEN = SERVICE_LINES.index("Projecten")

# Seasonality by calendar month (January first): summer dip, December peak; schools are
# maintained while they are closed in summer.
SEASON = np.array(
    [
        [0.96, 0.98, 1.03, 1.00, 1.02, 1.04, 0.80, 0.76, 1.04, 1.06, 1.08, 1.23],
        [0.92, 0.95, 0.98, 0.95, 0.98, 1.05, 1.45, 1.40, 0.95, 0.95, 0.95, 0.97],
    ]
)

MANAGERS = (
    # id, name, email, capacity, wants_new_challenge, territory, language
    ("AM01", "Mark Visser", "m.visser@example.nl", 2, False, "T1", "nl"),
    ("AM02", "Linda de Boer", "l.deboer@example.nl", 1, False, "T3", "nl"),
    ("AM03", "Pieter Bakker", "p.bakker@example.nl", 2, True, "T2", "nl"),
    ("AM04", "Ruud Smit", "r.smit@example.nl", 3, False, "T4", ""),
    ("AM05", "Sophie van Dijk", "s.vandijk@example.nl", 2, False, "", "en"),
    ("AM06", "Jeroen Mulder", "j.mulder@example.nl", 1, False, "T5", "nl"),
)
MANAGER_IDS = np.array([m[0] for m in MANAGERS])
AM01, AM02, AM03, AM04, AM05, AM06 = range(6)

TERRITORIES = (
    # id, name, from, to, manager. 9900-9999 (Eemsdelta) is deliberately not covered.
    ("T1", "Noord-Holland/Flevoland", 1000, 2199, "AM01"),
    ("T1", "Noord-Holland/Flevoland", 8200, 8399, "AM01"),
    ("T2", "Zuid-Holland", 2200, 3399, "AM03"),
    ("T2", "Zuid-Holland", 4200, 4299, "AM03"),
    ("T3", "Utrecht/Gelderland", 3400, 4199, "AM02"),
    ("T3", "Utrecht/Gelderland", 6500, 7399, "AM02"),
    ("T4", "Brabant/Zeeland/Limburg", 4300, 6499, "AM04"),
    ("T5", "Noord-Nederland", 7400, 8199, "AM06"),
    ("T5", "Noord-Nederland", 8400, 9899, "AM06"),
)
TERRITORY_MANAGER = {"T1": AM01, "T2": AM03, "T3": AM02, "T4": AM04, "T5": AM06}

# Town: (first four-digit postcode, last, weight for randomly placed customers).
TOWNS: dict[str, tuple[int, int, float]] = {
    "Amsterdam": (1011, 1109, 8),
    "Haarlem": (2011, 2037, 3),
    "Zaandam": (1501, 1509, 2),
    "Alkmaar": (1811, 1827, 2),
    "Hoorn": (1621, 1625, 1),
    "Lisse": (2161, 2165, 0.5),
    "Almere": (1311, 1363, 2),
    "Lelystad": (8211, 8245, 1),
    "Den Haag": (2491, 2599, 6),
    "Leiden": (2311, 2334, 3),
    "Oegstgeest": (2341, 2343, 0.5),
    "Leiderdorp": (2351, 2353, 0.5),
    "Katwijk": (2221, 2225, 0.5),
    "Noordwijk": (2201, 2204, 0.5),
    "Voorschoten": (2251, 2253, 0.5),
    "Alphen aan den Rijn": (2401, 2409, 1),
    "Rotterdam": (3011, 3089, 7),
    "Barendrecht": (2991, 2994, 0.5),
    "Dordrecht": (3311, 3329, 2),
    "Delft": (2611, 2629, 2),
    "Zoetermeer": (2711, 2729, 2),
    "Gouda": (2801, 2809, 1),
    "Gorinchem": (4201, 4208, 1),
    "Utrecht": (3511, 3585, 6),
    "Amersfoort": (3811, 3829, 3),
    "Nieuwegein": (3431, 3439, 1),
    "Veenendaal": (3901, 3907, 1),
    "Tiel": (4001, 4007, 1),
    "Arnhem": (6811, 6846, 3),
    "Nijmegen": (6511, 6546, 3),
    "Ede": (6711, 6718, 1),
    "Apeldoorn": (7311, 7339, 2),
    "Doetinchem": (7001, 7009, 1),
    "Eindhoven": (5611, 5658, 5),
    "'s-Hertogenbosch": (5211, 5247, 3),
    "Tilburg": (5011, 5049, 4),
    "Waalwijk": (5141, 5146, 0.5),
    "Breda": (4811, 4839, 3),
    "Helmond": (5701, 5709, 1),
    "Roosendaal": (4701, 4709, 1),
    "Moerdijk": (4781, 4782, 0.3),
    "Bergen op Zoom": (4611, 4625, 1),
    "Middelburg": (4331, 4339, 1),
    "Vlissingen": (4381, 4389, 1),
    "Goes": (4461, 4465, 1),
    "Venlo": (5911, 5928, 1),
    "Maastricht": (6211, 6229, 2),
    "Heerlen": (6411, 6422, 1),
    "Roermond": (6041, 6045, 1),
    "Zwolle": (8011, 8043, 2),
    "Deventer": (7411, 7425, 2),
    "Enschede": (7511, 7548, 3),
    "Hengelo": (7551, 7559, 1),
    "Emmen": (7811, 7828, 1),
    "Assen": (9401, 9409, 1),
    "Groningen": (9711, 9747, 3),
    "Leeuwarden": (8911, 8939, 2),
    "Heerenveen": (8441, 8449, 1),
    "Delfzijl": (9930, 9939, 0.3),  # in the deliberate territory gap
}
TOWN_NAMES = tuple(TOWNS)
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"  # letters used in Dutch postcodes

SECTOR_MIX: dict[str, tuple[float, ...]] = {
    # Onderhoud, Installatie, Storingsdienst, Projecten, Advies
    "Zorg": (0.42, 0.22, 0.22, 0.06, 0.08),
    "Onderwijs": (0.45, 0.25, 0.12, 0.08, 0.10),
    "Logistiek": (0.38, 0.20, 0.30, 0.05, 0.07),
    "Bouw": (0.20, 0.35, 0.10, 0.28, 0.07),
    "Industrie": (0.35, 0.30, 0.20, 0.08, 0.07),
    "Retail": (0.40, 0.25, 0.28, 0.02, 0.05),
    "Vastgoed": (0.50, 0.20, 0.20, 0.05, 0.05),
    "Zakelijke dienstverlening": (0.45, 0.15, 0.25, 0.03, 0.12),
    "Horeca": (0.40, 0.20, 0.35, 0.02, 0.03),
    "ICT": (0.30, 0.30, 0.30, 0.05, 0.05),
    "Agrarisch en food": (0.35, 0.30, 0.25, 0.05, 0.05),
    "Overheid": (0.45, 0.20, 0.20, 0.05, 0.10),
}
REST_SECTORS = (
    ("Zorg", 0.12), ("Onderwijs", 0.07), ("Logistiek", 0.09), ("Bouw", 0.10),
    ("Industrie", 0.14), ("Retail", 0.10), ("Vastgoed", 0.10),
    ("Zakelijke dienstverlening", 0.12), ("Horeca", 0.06), ("ICT", 0.04),
    ("Agrarisch en food", 0.06),
)  # fmt: skip
SURNAMES = (
    "Verhoeven", "Kuipers", "Van der Meulen", "Brouwer", "Hoekstra", "Van Leeuwen", "Post",
    "Koster", "Prins", "Huisman", "Peeters", "Willems", "Van den Heuvel", "Kramer",
    "Schouten", "Scholten", "Bosman", "Van Wijk", "Hermans", "Veenstra", "Wolters", "Smits",
    "Gerritsen", "Van Beek", "Vos", "Mertens", "Kok", "Dijkstra", "Timmermans", "Jonker",
    "Maas", "Evers", "Van Dam", "Verbeek", "Sanders", "Hendriks", "Bos", "Groen", "Bouwman",
    "Van Vliet", "Claassen", "Boersma", "Postma", "Hofman", "Lammers", "Veldman", "Martens",
    "Van Rijn", "Ter Horst", "Wijnands", "Oosterhuis", "Van Aalst", "Brinkman", "Zwart",
)  # fmt: skip
PLACE_WORDS = (
    "Eikenrode", "Berkenhof", "Lindeveld", "Kievitsweide", "Vossendaal", "Heidebloem",
    "Meerzicht", "Zilverspar", "Wilgenhoek", "Dijkzicht", "Beekdal", "Rozendaal",
    "Kastanjehof", "Zonnehoek", "Duinrand", "Polderzicht", "Esdoorn", "Waterkant",
    "Hazelaar", "Vlietrand", "Molenzicht", "Eendenkooi", "Klaverweide", "Hoogeland",
    "Kreekrug", "Lisdodde", "Reigersbos", "Valkenhorst", "Sterrenwacht", "Korenbloem",
)  # fmt: skip
NAME_PATTERNS: dict[str, tuple[str, ...]] = {
    "Zorg": ("Zorgcentrum {P}", "Huisartsenpraktijk {P}", "Tandartspraktijk {S}",
             "Fysiotherapie {P}", "Revalidatiecentrum {P}", "Thuiszorg {S} en Partners"),
    "Onderwijs": ("Basisschool {P}", "Kinderopvang {P}", "{P} College",
                  "Opleidingscentrum {S}"),
    "Logistiek": ("{S} Transport", "{S} Logistiek", "Koel- en Vriestransport {S}",
                  "{P} Distributie"),
    "Bouw": ("Bouwbedrijf {S}", "{S} Aannemers", "Renovatiebedrijf {P}",
             "{S} Bouw en Onderhoud"),
    "Industrie": ("{S} Metaalbewerking", "{P} Kunststoffen", "Machinefabriek {S}",
                  "{P} Verpakkingen", "Drukkerij {S}"),
    "Retail": ("{S} Mode", "Tuincentrum {P}", "{S} Tweewielers", "Bouwmarkt {P}",
               "Slagerij {S}"),
    "Vastgoed": ("{P} Vastgoed", "VvE {P}", "{S} Vastgoedbeheer", "Woningstichting {P}"),
    "Zakelijke dienstverlening": ("Accountantskantoor {S}", "{S}, {S2} & Partners",
                                  "{S} Advocaten", "Adviesbureau {P}", "{P} Uitzendgroep"),
    "Horeca": ("Hotel {P}", "Restaurant {P}", "Partycentrum {P}", "Brasserie {S}"),
    "ICT": ("{P} IT Solutions", "Datacenter {P}", "{S} Automatisering"),
    "Agrarisch en food": ("Kwekerij {S}", "{P} Zuivel", "Bakkerij {S}",
                          "Tuinbouwbedrijf {S}"),
}  # fmt: skip
COMPETITORS = (
    "Klimaatwerk Nederland", "Stroomlijn Onderhoud", "Vonkwerk Installaties",
    "Thermidor Services", "Gebouwgarant", "Meridiaan Facility", "Noordkaap Installatiegroep",
    "Zuiderlicht Techniek", "Optitec Gebouwbeheer", "Brakel en Zonen Techniek",
    "Polderwerk Techniek", "Duinstede Facilitair",
)  # fmt: skip

COMPLAINT_SUBJECTS = (
    "Monteur te laat op afspraak", "Factuur klopt niet met offerte",
    "Storing niet binnen de SLA verholpen", "Late response to outage",
    "Onderhoudsrapport ontbreekt", "Werkzaamheden niet volledig afgerond",
    "Overlast tijdens werkzaamheden", "Wrong parts delivered",
    "Planning niet doorgegeven", "Repeat failure after repair",
    "Schade aan pand na werkzaamheden", "Invoice sent to wrong address",
    "Monteur zonder toegangspas", "Missing certificate after inspection",
)  # fmt: skip
ESCALATION_SUBJECTS = (
    "Escalatie: herhaalde storing klimaatinstallatie", "Escalation: SLA breach on critical systems",
    "Escalatie: veiligheidsincident op locatie", "Escalation: project delay and cost overrun",
    "Escalatie naar directie: contractboete dreigt", "Escalation: repeated no-shows by engineers",
)  # fmt: skip

# 24-month revenue shares the named groups are calibrated to (group level, as the test
# and the article measure them: cancelled lines and intercompany accounts left out).
TARGET_SHARES = {
    "zr": 0.125, "vh": 0.105, "hb": 0.090, "ob": 0.075,
    "wl": 0.035, "mp": 0.0265, "hh": 0.0255,
}  # fmt: skip
PROJECT_MONTHS = np.arange(16, 27)  # 2025-02 .. 2025-12
PROJECT_SHAPE = np.array([0.25, 0.5, 0.9, 1.4, 1.9, 2.1, 1.7, 1.3, 0.9, 0.55, 0.3])
PROJECT_TOTAL = 0.07 * ANNUAL_REVENUE


@dataclass
class _Acct:
    """One account with the parameters its invoices are simulated from."""

    key: str
    name: str
    parent: str | None
    sector: str
    rev: float  # yearly revenue (EUR) at the middle of the window
    mix: tuple[float, ...]
    m0: int  # main account manager (index into MANAGERS)
    town: str | None = None
    country: str = "NL"
    postcode: str = ""
    m1: int = -1  # manager after ``change``
    change: int = N_MONTHS
    currency: str = "EUR"
    intercompany: bool = False
    lei: str = ""
    bill_to: str | None = None  # account the unit's invoices go to when billed centrally
    p_hq: float = 0.0  # chance that an account-month is billed to ``bill_to``
    hq_from: int = 0
    hq_to: int = N_MONTHS - 1
    p_ou: float = 1.0  # chance that the export names the ordering unit on such invoices
    hq_po: str = ""  # PO prefix quoted on centrally billed invoices
    po_style: int = 0  # 0 none, 1 PO-nnnnnn, 2 SAP 45nnnnnnnn, 3 cost centre KST-nnnn
    p_active: float = 1.0  # chance of buying in a given month
    start: int = 0
    end: int = N_MONTHS - 1
    trend: float = 0.0  # yearly growth (log scale)
    season: int = 0
    noise: float = 0.12
    parent_valid_to: str = ""
    group: str = ""  # key of the top-level account (the acquisition counts as in its group)


class _World:
    """The customer master under construction."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.accts: list[_Acct] = []
        self.names: set[str] = set()  # membership tests only, never iterated
        self.reserved: set[str] = set()  # base names taken while drawing the long tail
        self.rule_invoices: list[int] = []  # invoices named by attribution rules
        self.invoice_ids: np.ndarray = np.array([], dtype=str)
        weights = np.array([TOWNS[t][2] for t in TOWN_NAMES])
        self.town_p = weights / weights.sum()

    def postcode(self, town: str) -> str:
        lo, hi, _ = TOWNS[town]
        digits = int(self.rng.integers(lo, hi + 1))
        while True:
            i, j = self.rng.integers(0, len(POSTCODE_LETTERS), 2)
            pair = POSTCODE_LETTERS[i] + POSTCODE_LETTERS[j]
            if pair not in ("SA", "SD", "SS"):
                return f"{digits} {pair}"

    def random_town(self) -> str:
        return TOWN_NAMES[int(self.rng.choice(len(TOWN_NAMES), p=self.town_p))]

    def lei(self) -> str:
        chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        body = "724500" + "".join(chars[int(i)] for i in self.rng.integers(0, 36, 12))
        number = int("".join(str(int(c, 36)) for c in body + "00"))
        return f"{body}{98 - number % 97:02d}"

    def add(self, **kw: object) -> _Acct:
        a = _Acct(**kw)  # type: ignore[arg-type]
        if a.name in self.names:
            raise ValueError(f"duplicate account name {a.name}")
        self.names.add(a.name)
        if a.country == "NL" and not a.postcode:
            a.postcode = self.postcode(a.town or self.random_town())
        self.accts.append(a)
        return a


def _p_active(rev: float) -> float:
    """Small customers do not buy every month."""
    return min(1.0, max(0.08, (rev / 70_000.0) ** 0.7))


# ---------------------------------------------------------------------------------------
# The customer master
# ---------------------------------------------------------------------------------------


def _named_group(
    w: _World,
    units: list[tuple],
    total: float,
    sector: str,
    trend: float,
    manager: int,
    season: int = 0,
) -> None:
    """Add one named group: ``units`` are (key, name, parent, town, weight, overrides)."""
    wsum = sum(u[4] for u in units)
    for i, (key, name, parent, town, weight, extra) in enumerate(units):
        kw: dict = dict(
            key=key, name=name, parent=parent, town=town, sector=sector,
            rev=total * weight / wsum, mix=SECTOR_MIX[sector], m0=manager,
            trend=trend + float(w.rng.normal(0.0, 0.03)), season=season,
            po_style=2 if i == 0 else int(w.rng.integers(0, 4)),
            lei=w.lei() if parent is None or name.endswith(("B.V.", "N.V.")) else "",
        )  # fmt: skip
        kw.update(extra)
        w.add(**kw)


def _named_groups(w: _World) -> None:
    a = ANNUAL_REVENUE
    no_storing = {"mix": (0.50, 0.32, 0.0, 0.06, 0.12)}
    zr_site = {"bill_to": "zr_oz", "p_hq": 0.3, "m1": AM03, "change": 14, "m0": AM01}
    woonzorg = [
        ("De Linde", "Oegstgeest"), ("Het Anker", "Katwijk"), ("Duinhof", "Noordwijk"),
        ("Rijnhove", "Leiderdorp"), ("De Zijlhoek", "Leiden"),
        ("Zonnewende", "Alphen aan den Rijn"), ("Lisserhof", "Lisse"),
        ("Voorhof", "Voorschoten"),
    ]  # fmt: skip
    _named_group(
        w,
        [
            ("zr", "Zorggroep Vlietstreek B.V.", None, "Leiden", 0.04, {}),
            ("zr_zh", "Zorggroep Vlietstreek Ziekenhuizen B.V.", "zr", "Leiden", 0.03, {}),
            ("zr_zh_ldn", "Ziekenhuis Vlietstreek Leiden", "zr_zh", "Leiden", 0.20,
             {"bill_to": "zr_zh", "p_hq": 0.3}),
            ("zr_zh_alp", "Ziekenhuis Vlietstreek Alphen", "zr_zh", "Alphen aan den Rijn", 0.13,
             {"bill_to": "zr", "p_hq": 0.5}),
            ("zr_zh_kwk", "Polikliniek Vlietstreek Katwijk", "zr_zh", "Katwijk", 0.03, {}),
            ("zr_zh_ldp", "Polikliniek Vlietstreek Leiderdorp", "zr_zh", "Leiderdorp", 0.03, {}),
            ("zr_oz", "Zorggroep Vlietstreek Ouderenzorg B.V.", "zr", "Leiden", 0.03, {}),
            *[
                (f"zr_oz_{i}", f"Woonzorgcentrum {n} ({t})", "zr_oz", t,
                 0.026 + 0.002 * i, zr_site)
                for i, (n, t) in enumerate(woonzorg)
            ],
            ("zr_tz", "Zorggroep Vlietstreek Thuiszorg B.V.", "zr", "Leiden", 0.06,
             {"bill_to": "zr", "p_hq": 0.6, "hq_to": 20, "hq_po": "ZRL-4410-", "p_ou": 0.0}),
            ("zr_tz_n", "Thuiszorg Vlietstreek team Noord", "zr_tz", "Katwijk", 0.015, {}),
            ("zr_tz_z", "Thuiszorg Vlietstreek team Zuid", "zr_tz", "Alphen aan den Rijn",
             0.015, {}),
            ("zr_ggz", "Zorggroep Vlietstreek GGZ B.V.", "zr", "Oegstgeest", 0.05,
             {"bill_to": "zr", "p_hq": 0.6, "hq_from": 21, "hq_po": "ZRL-4410-",
              "p_ou": 0.0}),
            ("zr_ggz_1", "GGZ Vlietstreek kliniek Oegstgeest", "zr_ggz", "Oegstgeest", 0.04, {}),
            ("zr_ggz_2", "GGZ Vlietstreek polikliniek Leiden", "zr_ggz", "Leiden", 0.02, {}),
            ("zr_fb", "Zorggroep Vlietstreek Facilitair Bedrijf", "zr", "Leiden", 0.04, {}),
        ],
        total=TARGET_SHARES["zr"] * a, sector="Zorg", trend=0.13, manager=AM03,
    )  # fmt: skip

    vh_central = {"bill_to": "vh", "p_hq": 0.4}
    _named_group(
        w,
        [
            ("vh", "Van Houten Logistiek Groep B.V.", None, "Barendrecht", 0.05, {}),
            ("vh_d", "Van Houten Distributie B.V.", "vh", "Barendrecht", 0.03, {}),
            ("vh_d_rtd", "Van Houten DC Rotterdam", "vh_d", "Rotterdam", 0.16,
             {"bill_to": "vh", "p_hq": 1.0, "hq_po": "PO-RTD-", "p_ou": 0.0,
              "m1": AM01, "change": 17}),
            ("vh_d_vnl", "Van Houten DC Venlo", "vh_d", "Venlo", 0.12,
             {"bill_to": "vh", "p_hq": 0.8, "hq_po": "PO-VNL-", "p_ou": 0.0}),
            ("vh_d_tlb", "Van Houten DC Tilburg", "vh_d", "Tilburg", 0.08, vh_central),
            ("vh_d_mdk", "Van Houten DC Moerdijk", "vh_d", "Moerdijk", 0.07, vh_central),
            ("vh_d_zwl", "Van Houten DC Zwolle", "vh_d", "Zwolle", 0.05, {"m0": AM06}),
            ("vh_w", "Van Houten Warehousing B.V.", "vh", "Waalwijk", 0.03, {}),
            ("vh_w_wlk", "Van Houten Warehouse Waalwijk", "vh_w", "Waalwijk", 0.07, {}),
            ("vh_w_nwg", "Van Houten Warehouse Nieuwegein", "vh_w", "Nieuwegein", 0.05,
             vh_central),
            ("vh_w_ede", "Van Houten Warehouse Ede", "vh_w", "Ede", 0.04, {}),
            ("vh_t", "Van Houten Transport B.V.", "vh", "Rotterdam", 0.03, vh_central),
            ("vh_t_whv", "Van Houten Transport vestiging Waalhaven", "vh_t", "Rotterdam", 0.04,
             {}),
            ("vh_t_gro", "Van Houten Transport vestiging Groningen", "vh_t", "Groningen",
             0.03, {"m0": AM06}),
            ("vh_t_ehv", "Van Houten Transport vestiging Eindhoven", "vh_t", "Eindhoven",
             0.03, {}),
            ("vh_f", "Van Houten Fleet Services B.V.", "vh", "Barendrecht", 0.02, {}),
            ("vh_f_1", "Van Houten Werkplaats Barendrecht", "vh_f", "Barendrecht", 0.03, {}),
            ("vh_f_2", "Van Houten Werkplaats Venlo", "vh_f", "Venlo", 0.02, vh_central),
        ],
        total=0.93 * TARGET_SHARES["vh"] * a, sector="Logistiek", trend=-0.17, manager=AM02,
    )  # fmt: skip

    hb_region = {"bill_to": "hb_wb", "p_hq": 0.3}
    _named_group(
        w,
        [
            ("hb", "Polderland Bouwgroep N.V.", None, "Nieuwegein", 0.06, {}),
            ("hb_fv", "Polderland Bouwgroep Factuurverwerking", "hb", "Nieuwegein", 0.0, {}),
            ("hb_wb", "Polderland Woningbouw B.V.", "hb", "Utrecht", 0.16,
             {"bill_to": "hb_fv", "p_hq": 0.6, "p_ou": 0.0}),
            ("hb_wb_n", "Polderland Woningbouw regio Noord", "hb_wb", "Zwolle", 0.06, hb_region),
            ("hb_wb_m", "Polderland Woningbouw regio Midden", "hb_wb", "Amersfoort", 0.08,
             hb_region),
            ("hb_wb_z", "Polderland Woningbouw regio Zuid", "hb_wb", "Breda", 0.07, hb_region),
            ("hb_ub", "Polderland Utiliteitsbouw B.V.", "hb", "Nieuwegein", 0.14, {}),
            ("hb_ub_ams", "Polderland Utiliteitsbouw projectbureau Amsterdam", "hb_ub",
             "Amsterdam", 0.09, {}),
            ("hb_ub_rtd", "Polderland Utiliteitsbouw projectbureau Rotterdam", "hb_ub",
             "Rotterdam", 0.08, {}),
            ("hb_ub_czh", "Polderland Utiliteitsbouw – Project Campus Zuidhaven", "hb_ub",
             "Delft", 0.0, {}),
            ("hb_in", "Polderland Infra B.V.", "hb", "Gorinchem", 0.10, {}),
            ("hb_in_mat", "Polderland Infra materieeldienst", "hb_in", "Gorinchem", 0.06, {}),
            ("hb_in_wp", "Polderland Infra werkplaats Tiel", "hb_in", "Tiel", 0.04, {}),
            ("hb_vo", "Polderland Vastgoedontwikkeling B.V.", "hb", "Utrecht", 0.02, {}),
        ],
        total=0.055 * a, sector="Bouw", trend=-0.02, manager=AM03,
    )  # fmt: skip
    for acct in w.accts:
        if acct.key.startswith("hb"):
            acct.m0, acct.m1, acct.change = AM02, AM03, 5

    schools = (
        "Basisschool De Klimop", "Basisschool Het Kompas", "Basisschool De Wegwijzer",
        "Kindcentrum De Vlindertuin", "Sint-Jozefschool", "Basisschool Het Palet",
        "Basisschool De Fonkelsteen", "Kindcentrum De Boomgaard", "Basisschool De Sprankel",
        "Basisschool Het Baken", "Basisschool De Horizon", "Kindcentrum De Zonnewijzer",
        "Basisschool De Notenkraker", "Basisschool Het Startpunt", "Basisschool De Bongerd",
        "Kindcentrum Het Speelkwartier", "Basisschool De Lijsterbes",
        "Basisschool De Windroos", "Kindcentrum De Kleine Prins",
        "Basisschool Het Zonnelied", "Basisschool De Beiaard",
    )  # fmt: skip
    ob_units: list[tuple] = [
        ("ob", "Stichting Onderwijs Brabant", None, "'s-Hertogenbosch", 0.05, no_storing),
        ("ob_fsc", "Facilitair Servicecentrum Onderwijs Brabant", "ob", "'s-Hertogenbosch",
         0.10, {"mix": (0.0, 0.0, 1.0, 0.0, 0.0), "bill_to": "ob", "p_hq": 1.0,
                "p_ou": 0.0}),
    ]  # fmt: skip
    clusters = (("ehv", "Eindhoven", 8, {}), ("dbs", "'s-Hertogenbosch", 6, {}),
                ("tlb", "Tilburg", 7, {"p_hq": 0.7}))  # fmt: skip
    k = 0
    for code, town, n, extra in clusters:
        ckey = f"ob_{code}"
        ob_units.append(
            (ckey, f"Scholengroep {town} (Onderwijs Brabant)", "ob", town, 0.03, no_storing)
        )
        for _ in range(n):
            unit_extra = dict(no_storing)
            if extra:
                unit_extra.update(extra, bill_to=ckey)
            ob_units.append(
                (
                    f"ob_{code}_{k}",
                    f"{schools[k]} ({town})",
                    ckey,
                    town,
                    float(w.rng.uniform(0.028, 0.05)),
                    unit_extra,
                )
            )
            k += 1
    _named_group(
        w,
        ob_units,
        total=TARGET_SHARES["ob"] * a,
        sector="Onderwijs",
        trend=0.04,
        manager=AM04,
        season=1,
    )

    _named_group(
        w,
        [
            ("wl", "Waterschap Lage Landen", None, "Middelburg", 0.35, {}),
            ("wl_zb", "Waterschap Lage Landen zuiveringsbeheer", "wl", "Goes", 0.25, {}),
            ("wl_rwzi1", "RWZI Zuidhoek (Waterschap Lage Landen)", "wl_zb", "Bergen op Zoom",
             0.20, {}),
            ("wl_rwzi2", "RWZI Walcherse Dijk (Waterschap Lage Landen)", "wl_zb",
             "Vlissingen", 0.20, {}),
            ("wl_gem", "Gemalenbeheer Lage Landen", "wl", "Goes", 0.10, {}),
        ],
        total=TARGET_SHARES["wl"] * a, sector="Overheid", trend=0.05, manager=AM04,
    )  # fmt: skip
    _named_group(
        w,
        [
            ("mp", "Marktplein Supermarkten B.V.", None, "Zaandam", 0.2, {}),
            ("mp_dc", "Marktplein Distributiecentrum Zwolle", "mp", "Zwolle", 0.3, {}),
            ("mp_w", "Marktplein Winkels regio West", "mp", "Haarlem", 0.25,
             {"bill_to": "mp", "p_hq": 0.5}),
            ("mp_z", "Marktplein Winkels regio Zuid", "mp", "Eindhoven", 0.25,
             {"bill_to": "mp", "p_hq": 0.5}),
        ],
        total=TARGET_SHARES["mp"] * a, sector="Retail", trend=0.06, manager=AM05,
    )  # fmt: skip
    _named_group(
        w,
        [
            ("hh", "Huis & Hof Woonwarenhuizen B.V.", None, "Utrecht", 0.15, {}),
            ("hh_utr", "Huis & Hof vestiging Utrecht", "hh", "Utrecht", 0.25, {}),
            ("hh_dh", "Huis & Hof vestiging Den Haag", "hh", "Den Haag", 0.22,
             {"bill_to": "hh", "p_hq": 0.5}),
            ("hh_ehv", "Huis & Hof vestiging Eindhoven", "hh", "Eindhoven", 0.2,
             {"bill_to": "hh", "p_hq": 0.5}),
            ("hh_log", "Huis & Hof Logistiek B.V.", "hh", "Tiel", 0.18, {}),
        ],
        total=TARGET_SHARES["hh"] * a, sector="Retail", trend=-0.03, manager=AM01,
    )  # fmt: skip


def _special_specs(w: _World) -> list[list[dict]]:
    """Groups with a role in the story that are not large: each a list of account dicts."""
    a = ANNUAL_REVENUE
    specs: list[list[dict]] = [
        # Acquired by Van Houten on 2025-06-01 (see parent_links); no parent in accounts.
        [dict(key="kv", name="Koelvries Transport Zwolle B.V.", parent=None, town="Zwolle",
              sector="Logistiek", rev=0.07 * TARGET_SHARES["vh"] * a,
              mix=SECTOR_MIX["Logistiek"], m0=AM06, m1=AM02, change=20, trend=0.02,
              po_style=1, lei=w.lei())],
        [dict(key="coop", name="Inkoopcombinatie Facilitair Midden U.A.", parent=None,
              town="Amersfoort", sector="Zakelijke dienstverlening", rev=0.0,
              mix=SECTOR_MIX["Zakelijke dienstverlening"], m0=AM02)],
    ]  # fmt: skip
    for name, town, rev in (
        ("Tevoro Beveiligingstechniek B.V.", "Utrecht", 310_000.0),
        ("Tevoro Energieservice B.V.", "Arnhem", 240_000.0),
        ("Tevoro Vastgoedbeheer B.V.", "Amersfoort", 170_000.0),
    ):
        specs.append(
            [
                dict(
                    key=f"ic_{len(specs)}",
                    name=name,
                    parent=None,
                    town=town,
                    sector="Intercompany",
                    rev=rev,
                    mix=SECTOR_MIX["Vastgoed"],
                    m0=AM02,
                    intercompany=True,
                    po_style=3,
                )
            ]
        )
    foreign = (
        ("Kempenzorg Lindehof vzw", "BE", "B-2440", "EUR", "Zorg", 180_000.0),
        ("Scheldeport Logistics NV", "BE", "B-2030", "EUR", "Logistiek", 160_000.0),
        ("Niederrhein Kühlhaus GmbH", "DE", "D-47533", "EUR", "Agrarisch en food", 210_000.0),
        ("Brantwick Facilities Ltd", "GB", "RG1 3BD", "GBP", "Vastgoed", 320_000.0),
        ("Cedarmont Logistics Inc.", "US", "43215", "USD", "Logistiek", 260_000.0),
    )  # fmt: skip
    for name, country, postcode, currency, sector, rev in foreign:
        specs.append(
            [
                dict(
                    key=f"fx_{len(specs)}",
                    name=name,
                    parent=None,
                    country=country,
                    postcode=postcode,
                    currency=currency,
                    sector=sector,
                    rev=rev,
                    mix=SECTOR_MIX[sector],
                    m0=AM05,
                    po_style=1,
                    noise=0.25,
                    p_active=0.8,
                )
            ]
        )
    return specs


def _territory_of(postcode: str) -> str | None:
    digits = int(postcode[:4])
    for tid, _, lo, hi, _ in TERRITORIES:
        if lo <= digits <= hi:
            return tid
    return None


def _rest_specs(w: _World, n_groups: int, total: float) -> list[list[dict]]:
    """The long tail: heavy-tailed group sizes, most groups a single account."""
    rng = w.rng
    size = rng.lognormal(0.0, 1.35, n_groups)
    size = size / size.sum() * total
    cap = 0.017 * ANNUAL_REVENUE
    for _ in range(6):  # cap the largest, spread the excess over the others
        over = size > cap
        excess = (size[over] - cap).sum()
        size[over] = cap
        size[~over] += excess * size[~over] / size[~over].sum()
    size = np.maximum(size, 900.0)
    order = np.argsort(-size, kind="stable")
    sectors = [s for s, _ in REST_SECTORS]
    sector_p = np.array([p for _, p in REST_SECTORS])
    sector_p = sector_p / sector_p.sum()
    specs: list[list[dict]] = []
    for rank, g in enumerate(order):
        rev = float(size[g])
        sector = sectors[int(rng.choice(len(sectors), p=sector_p))]
        while True:
            pattern = NAME_PATTERNS[sector][int(rng.integers(len(NAME_PATTERNS[sector])))]
            s1, s2 = rng.choice(len(SURNAMES), 2, replace=False)
            base = pattern.format(
                S=SURNAMES[s1], S2=SURNAMES[s2], P=PLACE_WORDS[int(rng.integers(len(PLACE_WORDS)))]
            )
            town = w.random_town()
            if base in w.reserved or rng.random() < 0.5:
                base = f"{base} {town}"
            if base not in w.reserved:
                w.reserved.add(base)
                break
        p_multi = 0.9 if rank < 50 else 0.6 if rank < 200 else 0.06
        n_acc = int(rng.integers(2, 6)) if rng.random() < p_multi else 1
        trend = float(rng.normal(0.02, 0.12))
        start, end = 0, N_MONTHS - 1
        u = rng.random()
        if u < 0.07:
            end = int(rng.integers(6, 34))  # lost customer
        elif u < 0.16:
            start = int(rng.integers(3, 30))  # new customer
        mix = rng.dirichlet(np.array(SECTOR_MIX[sector]) * 20 + 0.2)
        common = dict(
            sector=sector, trend=trend, start=start, end=end, mix=tuple(float(x) for x in mix)
        )
        key = f"g{int(g)}"
        no_legal = sector in ("Zorg", "Onderwijs") or base.startswith(("VvE", "Woningst"))
        legal = "" if no_legal else " B.V."
        if n_acc == 1:
            specs.append(
                [
                    dict(
                        common,
                        key=key,
                        name=base + legal,
                        parent=None,
                        town=town,
                        rev=rev,
                        po_style=int(rng.integers(0, 4)),
                    )
                ]
            )
            continue
        shares = rng.dirichlet(np.ones(n_acc - 1) * 2.0)
        head_share = float(rng.uniform(0.05, 0.35))
        group = [
            dict(
                common,
                key=key,
                name=f"{base} Holding B.V.",
                parent=None,
                town=town,
                rev=rev * head_share,
                po_style=int(rng.integers(1, 4)),
                lei=w.lei(),
            )
        ]
        three_level = n_acc >= 4 and rng.random() < 0.5
        mids = []
        p_hq = float(rng.choice([0.0, 0.3, 0.6]))
        for j in range(n_acc - 1):
            child_town = town if rng.random() < 0.4 else w.random_town()
            if three_level and j < 2:
                name = f"{base} {('Noord', 'Zuid')[j]} B.V."
                parent = key
                mids.append(f"{key}_{j}")
            else:
                name = f"{base} vestiging {child_town}"
                parent = mids[j % len(mids)] if mids else key
            if any(d["name"] == name for d in group):
                name = f"{name} {j + 1}"
            group.append(
                dict(
                    common,
                    key=f"{key}_{j}",
                    name=name,
                    parent=parent,
                    town=child_town,
                    rev=rev * (1 - head_share) * float(shares[j]),
                    bill_to=key,
                    p_hq=p_hq,
                    po_style=int(rng.integers(0, 4)),
                )
            )
        specs.append(group)
    return specs


def _build_world(rng: np.random.Generator) -> _World:
    w = _World(rng)
    _named_groups(w)
    special = _special_specs(w)
    named_total = sum(TARGET_SHARES.values()) * ANNUAL_REVENUE
    other_rev = sum(d["rev"] for g in special for d in g if not d.get("intercompany"))
    rest_total = ANNUAL_REVENUE - named_total - other_rev
    rest = _rest_specs(w, 684, rest_total)

    # The purchasing cooperative pays for four small single-account customers.
    members = [g[0] for g in rest if len(g) == 1 and 40_000 < g[0]["rev"] < 80_000][:4]
    for i, m in enumerate(members):
        m.update(
            bill_to="coop",
            p_hq=0.7,
            p_ou=0.0,
            hq_po=f"ICM-{1021 + 13 * i}-",
            p_active=1.0,
            start=0,
            end=N_MONTHS - 1,
            hq_from=9 if i == 3 else 0,
        )
    # One mid-size group sold a subsidiary in the spring of 2025.
    for g in rest[60:]:
        if len(g) >= 3:
            g[-1]["parent_valid_to"] = "2025-03-31"
            break
    # A couple of customers in the postcode gap between the territories.
    gap = [g for g in rest if len(g) == 1][100:102]
    for g in gap:
        g[0]["town"] = "Delfzijl"

    others = special + rest
    for gi in rng.permutation(len(others)):
        for d in others[int(gi)]:
            w.add(**{"m0": -1, **d})

    # Managers, activity and groups for everyone.
    keys = {a.key: a for a in w.accts}
    for a in w.accts:
        if a.m0 < 0:
            territory = _territory_of(a.postcode) if a.country == "NL" else None
            a.m0 = TERRITORY_MANAGER.get(territory or "T5", AM06)
            if rng.random() < 0.2:
                a.m1 = int((a.m0 + rng.integers(1, 6)) % 6)
                a.change = int(rng.integers(6, 31))
        if a.m1 < 0:
            a.m1 = a.m0
        if a.key[0] == "g" and a.bill_to != "coop":
            a.p_active = _p_active(a.rev)
        if a.key[0] == "g":
            a.noise = 0.35 if a.rev < 50_000 else 0.2
        top = a
        while top.parent is not None:
            top = keys[top.parent]
        a.group = "vh" if a.key == "kv" else top.key
    return w


# ---------------------------------------------------------------------------------------
# Invoices
# ---------------------------------------------------------------------------------------


@dataclass
class _Lines:
    """Invoice lines (one entry per line) and invoices (one entry per invoice)."""

    inv: np.ndarray  # invoice index of each line
    line_no: np.ndarray
    cents: np.ndarray  # in the invoice currency
    unit: np.ndarray  # account that really ordered (for the story; not written)
    ou: np.ndarray  # ordering_unit written (-1 = empty)
    sl: np.ndarray
    mgr: np.ndarray
    inv_date: np.ndarray
    inv_bill: np.ndarray
    inv_po: np.ndarray  # PO text; credit notes referencing an invoice have ""
    inv_ref: np.ndarray  # referenced invoice index, -1 for none
    inv_status: np.ndarray
    inv_credit: np.ndarray  # bool


def _month_index(dates: np.ndarray) -> np.ndarray:
    return (dates.astype("datetime64[M]") - FIRST_MONTH).astype(np.int64)


def _line_numbers(inv: np.ndarray) -> np.ndarray:
    """1, 2, 3 … within runs of equal values of ``inv`` (which must be grouped)."""
    first = np.r_[True, inv[1:] != inv[:-1]]
    starts = np.flatnonzero(first)
    return np.arange(len(inv)) - starts[np.cumsum(first) - 1] + 1


def _fx_rates(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Monthly EUR per unit, in units of 1/10,000."""
    out = {}
    for cur, start, step, lo, hi in (("GBP", 11530, 55, 11300, 12000),
                                     ("USD", 9450, 85, 8800, 9500)):  # fmt: skip
        path = start + np.cumsum(np.r_[0.0, rng.normal(0.0, step, N_MONTHS - 1)])
        out[cur] = np.clip(np.rint(path), lo, hi).astype(np.int64)
    return out


def _po_numbers(rng: np.random.Generator, prefix: np.ndarray, digits: int) -> np.ndarray:
    numbers = rng.integers(0, 10**digits, len(prefix)).astype(str)
    return np.strings.add(prefix, np.strings.zfill(numbers, digits))


def _simulate(rng: np.random.Generator, w: _World) -> tuple[_Lines, dict[str, np.ndarray]]:
    accts = w.accts
    n_acc = len(accts)
    index = {a.key: i for i, a in enumerate(accts)}

    def col(attr: str, dtype: type = float) -> np.ndarray:
        return np.array([getattr(a, attr) for a in accts], dtype=dtype)

    rev, p_act, sigma = col("rev"), col("p_active"), col("noise")
    start, end = col("start", np.int64), col("end", np.int64)
    bill_to = np.array([index[a.bill_to] if a.bill_to else -1 for a in accts])
    t = np.arange(N_MONTHS)

    # Expected revenue per account and month: level x trend x season x noise.
    trend = np.array([[math.exp(a.trend * (m - MID) / 12.0) for m in range(N_MONTHS)]
                      for a in accts])  # fmt: skip
    season = SEASON[col("season", np.int64)][:, (t + 9) % 12]
    alive = (t >= start[:, None]) & (t <= end[:, None])
    active = alive & (rng.random((n_acc, N_MONTHS)) < p_act[:, None])
    noise = rng.lognormal(-0.5 * sigma[:, None] ** 2, sigma[:, None], (n_acc, N_MONTHS))
    monthly = rev[:, None] / 12.0 * trend * season * noise / p_act[:, None]
    monthly = np.where(active, monthly, 0.0)
    c_acc, c_month = np.nonzero(monthly > 0.0)
    c_rev = monthly[c_acc, c_month]
    c_sl = np.full(len(c_acc), -1)
    n_main = len(c_acc)
    # Polderland's long project: a Projecten stream with a clear peak in mid-2025.
    c_acc = np.r_[c_acc, np.full(len(PROJECT_MONTHS), index["hb_ub_czh"])]
    c_month = np.r_[c_month, PROJECT_MONTHS]
    c_rev = np.r_[c_rev, PROJECT_TOTAL * PROJECT_SHAPE / PROJECT_SHAPE.sum()]
    c_sl = np.r_[c_sl, np.full(len(PROJECT_MONTHS), PROJECTEN)]
    n_cells = len(c_acc)

    line_size = c_rev[:n_main].sum() / (TARGET_LINES - n_main)
    line_size = np.r_[np.full(n_main, line_size), np.full(n_cells - n_main, 25_000.0)]
    n_lines = 1 + rng.poisson(c_rev / line_size)

    # Central billing: some account-months are invoiced to a head office.
    c_bill_to = bill_to[c_acc]
    hq = (
        (c_bill_to >= 0)
        & (rng.random(n_cells) < col("p_hq")[c_acc])
        & (c_month >= col("hq_from", np.int64)[c_acc])
        & (c_month <= col("hq_to", np.int64)[c_acc])
    )
    c_bill = np.where(hq, c_bill_to, c_acc)
    c_ou = np.where(hq & (rng.random(n_cells) < col("p_ou")[c_acc]), c_acc, -1)
    c_mgr = np.where(
        c_month >= col("change", np.int64)[c_acc],
        col("m1", np.int64)[c_acc],
        col("m0", np.int64)[c_acc],
    )

    # Lines and invoices (several invoices per account-month, each with 1..n lines).
    l_cell = np.repeat(np.arange(n_cells), n_lines)
    n_l = len(l_cell)
    first = np.r_[True, l_cell[1:] != l_cell[:-1]]
    l_inv = np.cumsum(first | (rng.random(n_l) < NEW_INVOICE_P)) - 1
    i_first = np.flatnonzero(np.r_[True, l_inv[1:] != l_inv[:-1]])
    i_cell = l_cell[i_first]
    n_inv = len(i_cell)
    months = FIRST_MONTH + np.arange(N_MONTHS + 1)
    month_days = months.astype("datetime64[D]")
    n_busdays = np.busday_count(month_days[:-1], month_days[1:])
    i_month = c_month[i_cell]
    offset = (rng.random(n_inv) * n_busdays[i_month]).astype(np.int64)
    i_date = np.busday_offset(month_days[i_month], offset, roll="forward")
    i_bill = c_bill[i_cell].copy()

    # Amounts: lognormal line weights scaled to the month's revenue.
    weight = rng.lognormal(0.0, 0.8, n_l)
    l_eur = c_rev[l_cell] * weight / np.bincount(l_cell, weight, n_cells)[l_cell]
    mix = np.array([a.mix for a in accts], dtype=float)
    cum = np.cumsum(mix / mix.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    l_acc = c_acc[l_cell]
    l_sl = (rng.random(n_l)[:, None] > cum[l_acc]).sum(axis=1)
    l_sl = np.where(c_sl[l_cell] >= 0, c_sl[l_cell], l_sl)
    l_mgr = c_mgr[l_cell].copy()
    other = rng.random(n_l) < 0.04  # a colleague handled this one
    l_mgr[other] = rng.integers(0, 6, int(other.sum()))

    currency = np.array([a.currency for a in accts])
    rates = _fx_rates(rng)
    l_cents = np.rint(l_eur * 100.0)
    for cur, rate in rates.items():
        is_cur = currency[i_bill[l_inv]] == cur
        l_cents[is_cur] = np.rint(l_cents[is_cur] * 10_000.0 / rate[i_month[l_inv[is_cur]]])
    l_cents = l_cents.astype(np.int64)

    # PO references, per invoice.
    po_prefix = np.array([a.hq_po for a in accts])[c_acc[i_cell]]
    special = hq[i_cell] & (po_prefix != "")
    style = col("po_style", np.int64)[i_bill]
    style = np.where(rng.random(n_inv) < 0.12, 0, style)
    i_po = np.full(n_inv, "", dtype="<U24")
    for s, prefix, digits in ((1, "PO-", 6), (2, "45", 8), (3, "KST-", 4)):
        sel = (style == s) & ~special
        i_po[sel] = _po_numbers(rng, np.full(int(sel.sum()), prefix), digits)
    i_po[special] = _po_numbers(rng, po_prefix[special], 4)

    # Two invoices addressed to a head office although a unit ordered them: the
    # attribution rules name them by invoice id.
    rule_invs = []
    for unit, head, since in (("wl_rwzi1", "wl", 12), ("kv", "vh", 20)):
        cand = np.flatnonzero((c_acc[i_cell] == index[unit]) & ~hq[i_cell] & (i_month >= since)
                              & (i_month <= 33))  # fmt: skip
        pick = int(cand[rng.integers(len(cand))])
        i_bill[pick] = index[head]
        rule_invs.append(pick)
    w.rule_invoices = rule_invs

    # Cancelled invoices, then credit notes on lines of the others.
    cancelled = rng.random(n_inv) < CANCEL_P
    cancelled[rule_invs] = False
    protected = np.zeros(n_inv, bool)
    protected[rule_invs] = True
    cand = ~cancelled[l_inv] & ~protected[l_inv] & (i_date[l_inv] <= LAST_DAY - 10)
    pick = cand & (rng.random(n_l) < CREDIT_P)
    # A credit note either names the corrected invoice in po_reference, or stands on its
    # own and quotes the customer's PO (always so when attribution rules read that PO).
    ref = pick & (rng.random(n_l) < 0.6) & ~special[l_inv]
    a_lines, b_lines = np.flatnonzero(ref), np.flatnonzero(pick & ~ref)
    a_orig, a_group = np.unique(l_inv[a_lines], return_inverse=True)
    cr_orig = np.r_[a_orig, l_inv[b_lines]]
    n_cr = len(cr_orig)
    cr_date = np.busday_offset(i_date[cr_orig], rng.integers(3, 30, n_cr), roll="forward")
    cr_date = np.minimum(cr_date, LAST_DAY)
    src = np.r_[a_lines, b_lines]
    frac = np.r_[np.where(rng.random(len(a_lines)) < 0.5, 1.0,
                          rng.uniform(0.1, 0.6, len(a_lines))),
                 rng.uniform(0.03, 0.25, len(b_lines))]  # fmt: skip
    cr_cents = -np.rint(l_cents[src] * frac).astype(np.int64)
    cr_inv = n_inv + np.r_[a_group, len(a_orig) + np.arange(len(b_lines))]

    all_date = np.r_[i_date, cr_date]
    n_all = n_inv + n_cr
    m_all = _month_index(all_date)
    posted_p = np.where(m_all >= 30, 0.2, 0.03)  # booked, not yet paid: mostly recent
    status = np.where(rng.random(n_all) < posted_p, "posted", "paid").astype("<U9")
    open_p = np.select([m_all == 33, m_all == 34, m_all == 35], [0.08, 0.3, 0.75], 0.0)
    status[rng.random(n_all) < open_p] = "open"
    status[:n_inv][cancelled] = "cancelled"

    return _Lines(
        inv=np.r_[l_inv, cr_inv],
        line_no=np.r_[_line_numbers(l_inv), _line_numbers(cr_inv)],
        cents=np.r_[l_cents, cr_cents],
        unit=np.r_[l_acc, l_acc[src]],
        ou=np.r_[c_ou[l_cell], c_ou[l_cell][src]],
        sl=np.r_[l_sl, l_sl[src]],
        mgr=np.r_[l_mgr, l_mgr[src]],
        inv_date=all_date,
        inv_bill=np.r_[i_bill, i_bill[cr_orig]],
        inv_po=np.r_[i_po, np.full(len(a_orig), "", dtype="<U24"), i_po[l_inv[b_lines]]],
        inv_ref=np.r_[np.full(n_inv, -1), a_orig, np.full(len(b_lines), -1)],
        inv_status=status,
        inv_credit=np.r_[np.zeros(n_inv, bool), np.ones(n_cr, bool)],
    ), rates


def _eur_cents(lines: _Lines, w: _World, rates: dict[str, np.ndarray]) -> np.ndarray:
    currency = np.array([a.currency for a in w.accts])[lines.inv_bill[lines.inv]]
    eur = lines.cents.astype(float)
    month = _month_index(lines.inv_date[lines.inv])
    for cur, rate in rates.items():
        sel = currency == cur
        eur[sel] = eur[sel] * rate[month[sel]] / 10_000.0
    return eur


def _group_revenue(
    lines: _Lines, w: _World, rates: dict[str, np.ndarray], date_from: np.datetime64
) -> tuple[np.ndarray, np.ndarray]:
    """(EUR cents per line counted in the window, group index per line): the article's view.

    Lines are attributed to their ordering unit when known, else to the billing account, and
    rolled up to the group; cancelled lines and intercompany accounts are left out.
    """
    accts = w.accts
    index = {a.key: i for i, a in enumerate(accts)}
    group = np.array([index[a.group] for a in accts])
    ic = np.array([a.intercompany for a in accts])
    acc = np.where(lines.ou >= 0, lines.ou, lines.inv_bill[lines.inv])
    d = lines.inv_date[lines.inv]
    keep = (d >= date_from) & (d <= LAST_DAY) & (lines.inv_status[lines.inv] != "cancelled")
    keep &= ~ic[acc]
    return np.where(keep, _eur_cents(lines, w, rates), 0.0), group[acc]


def _calibrate(lines: _Lines, w: _World, rates: dict[str, np.ndarray]) -> None:
    """Scale the named groups so that their 24-month shares are exactly the targets."""
    index = {a.key: i for i, a in enumerate(w.accts)}
    eur, grp = _group_revenue(lines, w, rates, WINDOW_FROM)
    per_group = np.bincount(grp, eur, len(w.accts))
    named = np.array([index[k] for k in TARGET_SHARES])
    rest = per_group.sum() - per_group[named].sum()
    total = rest / (1.0 - sum(TARGET_SHARES.values()))
    for g, share in zip(named, TARGET_SHARES.values(), strict=True):
        sel = grp == g
        factor = share * total / per_group[g]
        lines.cents[sel] = np.rint(lines.cents[sel] * factor).astype(np.int64)
    eur, grp = _group_revenue(lines, w, rates, WINDOW_FROM)
    shares = np.bincount(grp, eur, len(w.accts)) / eur.sum()
    top = np.sort(shares)[::-1]
    if not (top[3] >= 0.05 and 0.38 <= top[:4].sum() <= 0.41 and 0.03 <= top[4] < 0.05):
        raise RuntimeError(f"demo calibration failed: top shares {top[:6]}")


# ---------------------------------------------------------------------------------------
# Formatting and the other tables
# ---------------------------------------------------------------------------------------


def _money(cents: np.ndarray, sep: str) -> np.ndarray:
    cents = np.asarray(cents, dtype=np.int64)
    a = np.abs(cents)
    text = np.strings.add(np.where(cents < 0, "-", ""), (a // 100).astype(str))
    return np.strings.add(np.strings.add(text, sep), np.strings.zfill((a % 100).astype(str), 2))


def _iso(dates: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(dates.astype("datetime64[D]"), unit="D")


def _invoices_frame(lines: _Lines, w: _World, ids: np.ndarray) -> pd.DataFrame:
    year = lines.inv_date.astype("datetime64[Y]").astype(np.int64) + 1970
    order = np.lexsort((np.arange(len(year)), year, lines.inv_date))
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    year_sorted = year[order]
    seq = np.arange(len(order)) - np.searchsorted(year_sorted, year_sorted, "left") + 1
    inv_id = np.strings.add(
        np.strings.add("F", year_sorted.astype(str)),
        np.strings.add("-", np.strings.zfill(seq.astype(str), 6)),
    )
    inv_id = inv_id[rank]  # back to invoice order
    po = lines.inv_po.astype(object)
    has_ref = lines.inv_ref >= 0
    po[has_ref] = inv_id[lines.inv_ref[has_ref]]
    w.invoice_ids = inv_id

    currency = np.array([a.currency for a in w.accts])
    line_order = np.lexsort((lines.line_no, rank[lines.inv]))
    inv = lines.inv[line_order]
    ou = lines.ou[line_order]
    frame = {
        "invoice_id": inv_id[inv],
        "invoice_date": _iso(lines.inv_date)[inv],
        "billing_account": ids[lines.inv_bill][inv],
        "net_amount": _money(lines.cents[line_order], ","),
        "line_no": lines.line_no[line_order].astype(str),
        "currency": currency[lines.inv_bill][inv],
        "ordering_unit": np.where(ou >= 0, ids[ou], ""),
        "service_line": np.array(SERVICE_LINES)[lines.sl[line_order]],
        "account_manager": MANAGER_IDS[lines.mgr[line_order]],
        "status": lines.inv_status[inv],
        "po_reference": po[inv],
    }
    return pd.DataFrame(frame)


def _accounts_frame(w: _World, ids: dict[str, str]) -> pd.DataFrame:
    rows = [
        {
            "account_id": ids[a.key],
            "name": a.name,
            "postcode": a.postcode,
            "country": a.country,
            "parent_id": ids[a.parent] if a.parent else "",
            "parent_valid_from": "",
            "parent_valid_to": a.parent_valid_to,
            "lei": a.lei,
            "sector": a.sector,
            "intercompany": "true" if a.intercompany else "false",
        }
        for a in w.accts
    ]
    return pd.DataFrame(rows)


def _complaints_frame(
    rng: np.random.Generator, w: _World, ids: dict[str, str], revenue: np.ndarray
) -> pd.DataFrame:
    accts = w.accts
    weight = np.array([max(r, 0.0) for r in revenue]) ** 0.75
    groups = np.array([a.group for a in accts])
    weight[groups == "vh"] *= 3.0
    weight[(groups == "zr") | (groups == "hb")] *= 0.5  # Pieter's accounts: few complaints
    weight[np.array([a.intercompany for a in accts]) | (groups == "coop")] = 0.0
    n = 310
    acc = rng.choice(len(accts), n, p=weight / weight.sum())
    is_vh = groups[acc] == "vh"
    ramp = np.arange(1, N_MONTHS + 1, dtype=float)  # complaints at Van Houten rise
    month = np.where(is_vh, rng.choice(N_MONTHS, n, p=ramp / ramp.sum()),
                     rng.integers(0, N_MONTHS, n))  # fmt: skip
    escalation = rng.random(n) < np.where(is_vh, 0.35, 0.1)
    days = np.where(escalation, 5 + rng.gamma(2.0, 12.0, n), 1 + rng.gamma(2.0, 6.0, n))
    sev_u = rng.random(n)
    severity = np.where(
        escalation,
        np.select([sev_u < 0.05, sev_u < 0.4], ["low", "medium"], "high"),
        np.select([sev_u < 0.45, sev_u < 0.85], ["low", "medium"], "high"),
    )
    subj_c = rng.integers(0, len(COMPLAINT_SUBJECTS), n)
    subj_e = rng.integers(0, len(ESCALATION_SUBJECTS), n)
    subject = np.where(escalation, np.array(ESCALATION_SUBJECTS)[subj_e],
                       np.array(COMPLAINT_SUBJECTS)[subj_c])  # fmt: skip
    month_days = (FIRST_MONTH + np.arange(N_MONTHS + 1)).astype("datetime64[D]")
    n_busdays = np.busday_count(month_days[:-1], month_days[1:])
    opened = np.busday_offset(month_days[month], (rng.random(n) * n_busdays[month]).astype(int),
                              roll="forward")  # fmt: skip
    closed = opened + np.rint(days).astype(np.int64).astype("timedelta64[D]")

    # Two open escalations at Van Houten, recent and serious.
    index = {a.key: i for i, a in enumerate(accts)}
    acc = np.r_[acc, index["vh_d_rtd"], index["vh_d_vnl"]]
    escalation = np.r_[escalation, True, True]
    severity = np.append(severity, ["high", "high"])
    subject = np.append(
        subject,
        [
            "Escalatie: herhaalde uitval koelcellen DC Rotterdam",
            "Escalation: SLA breach on response times at DC Venlo",
        ],
    )
    opened = np.r_[opened, np.datetime64("2026-08-18"), np.datetime64("2026-09-08")]
    closed = np.r_[closed, LAST_DAY + 1, LAST_DAY + 1]
    is_open = closed > LAST_DAY
    month = _month_index(opened)
    m0, m1 = (np.array([getattr(a, f) for a in accts]) for f in ("m0", "m1"))
    change = np.array([a.change for a in accts])
    mgr = np.where(month >= change[acc], m1[acc], m0[acc])

    order = np.lexsort((np.arange(len(acc)), opened))
    year = opened[order].astype("datetime64[Y]").astype(np.int64) + 1970
    seq = np.arange(len(order)) - np.searchsorted(year, year, "left") + 1
    account_ids = np.array([ids[a.key] for a in accts])
    return pd.DataFrame(
        {
            "complaint_id": [f"K{y}-{s:04d}" for y, s in zip(year, seq, strict=True)],
            "account_id": account_ids[acc[order]],
            "opened_on": _iso(opened[order]),
            "kind": np.where(escalation[order], "escalation", "complaint"),
            "severity": severity[order],
            "closed_on": np.where(is_open[order], "", _iso(closed[order])),
            "status": np.where(is_open[order], "open", "closed"),
            "subject": subject[order],
            "account_manager": MANAGER_IDS[mgr[order]],
        }
    )


def _wallets_frame(
    rng: np.random.Generator,
    w: _World,
    ids: dict[str, str],
    rev24: dict[str, float],
    rev12: dict[str, float],
) -> pd.DataFrame:
    def wallet(annual: float, share: float) -> str:
        return str(int(round(annual / share / 10_000.0)) * 10_000)

    def competitors(n: int, first: int) -> str:
        return "|".join(COMPETITORS[(first + 5 * i) % len(COMPETITORS)] for i in range(n))

    rows = [
        ("zr", "2025-06-30", wallet(rev12["zr"] * 0.9, 0.42), 1, 3, "stated", competitors(2, 0)),
        ("zr", "2026-06-30", wallet(rev12["zr"], 0.46), 1, 3, "stated", competitors(2, 0)),
        ("vh", "2025-03-31", wallet(rev12["vh"] * 1.15, 0.14), 4, 6, "annual_report",
         competitors(5, 1)),
        ("vh", "2026-06-30", wallet(rev12["vh"], 0.105), 5, 7, "survey", competitors(6, 1)),
        ("hb", "2026-06-30", "", 2, 4, "survey", competitors(3, 2)),
        ("ob", "2026-03-31", wallet(rev12["ob"], 0.24), 3, 5, "annual_report",
         competitors(4, 4)),
        ("wl", "2026-06-30", wallet(rev12["wl"], 0.38), 2, 3, "stated", competitors(2, 5)),
        ("mp", "2025-12-31", wallet(rev12["mp"], 0.18), 3, 4, "survey", competitors(3, 7)),
        ("hh", "2026-06-30", "", 2, 5, "survey", competitors(4, 8)),
    ]  # fmt: skip
    skip = set(TARGET_SHARES) | {"coop"}
    ic = {a.key for a in w.accts if a.intercompany}
    others = [k for k in sorted(rev24, key=lambda k: (-rev24[k], ids[k]))
              if k not in skip and k not in ic][:27]  # fmt: skip
    share_by_rank = {1: (0.35, 0.6), 2: (0.2, 0.35), 3: (0.12, 0.25)}
    for k in others:
        n_sup = int(rng.integers(2, 7))
        rank = int(rng.integers(1, n_sup + 1))
        lo, hi = share_by_rank.get(rank, (0.04, 0.12))
        known = rng.random() < 0.7
        source = str(rng.choice(["stated", "annual_report", "estimate"])) if known else "survey"
        as_of = str(rng.choice(["2025-12-31", "2026-03-31", "2026-06-30"]))
        rows.append((k, as_of, wallet(rev24[k] / 2.0, float(rng.uniform(lo, hi))) if known
                     else "", rank, n_sup, source,
                     competitors(n_sup - 1, int(rng.integers(len(COMPETITORS))))))  # fmt: skip
    frame = pd.DataFrame(
        [
            {"group_id": ids[k], "as_of": as_of, "annual_wallet": wal, "currency": "EUR",
             "our_rank": str(rank), "n_suppliers": str(n), "source": src, "competitors": comp}
            for k, as_of, wal, rank, n, src, comp in rows
        ]
    )  # fmt: skip
    return frame.sort_values(["group_id", "as_of"], kind="stable").reset_index(drop=True)


def _decisions_frame(ids: dict[str, str]) -> pd.DataFrame:
    # The board designated three of the four big groups in the 2025-Q4 review and confirms
    # them every quarter; Van Houten stays on watch until it is declined in 2026-Q3.
    q4, q1, q2, q3 = "2026-01-12", "2026-04-06", "2026-07-06", "2026-10-05"
    rows = [
        ("2025-Q4", "zr", "designate", "Largest group after consolidation, growing, we are its "
         "first supplier; one account plan for all locations", q4, "AM03", "false"),
        ("2025-Q4", "hb", "designate", "Campus Zuidhaven made us its second supplier and gave "
         "us board contact; check the base revenue without the project during 2026", q4, "",
         "false"),
        ("2025-Q4", "ob", "designate", "Above 5% once the schools are consolidated; the new "
         "facility service centre buys for all schools", q4, "", "false"),
        ("2025-Q4", "vh", "watch", "Above 5%, but only 4th of 6 suppliers and revenue "
         "declining; review the share of wallet", q4, "", "false"),
        ("2026-Q1", "zr", "designate", "Confirmed: account plan agreed, framework agreement "
         "in negotiation", q1, "AM03", "false"),
        ("2026-Q1", "hb", "designate", "Confirmed: second supplier, follow-up projects in "
         "tender", q1, "", "false"),
        ("2026-Q1", "ob", "designate", "Confirmed: third supplier with room in the wallet",
         q1, "", "false"),
        ("2026-Q1", "vh", "watch", "Above 5%, but 4th of 6 suppliers and revenue still "
         "declining", q1, "", "false"),
        ("2026-Q2", "zr", "designate", "Confirmed: framework agreement close to signing", q2,
         "AM03", "false"),
        ("2026-Q2", "hb", "designate", "Confirmed; the project ends this year, base revenue "
         "to be checked in Q3", q2, "", "false"),
        ("2026-Q2", "ob", "designate", "Confirmed; multi-year contract behind schedule", q2,
         "", "false"),
        ("2026-Q2", "vh", "watch", "Above 5%, but only one of seven suppliers and revenue "
         "declining; review share of wallet in Q3", q2, "", "false"),
        ("2026-Q3", "zr", "designate", "Largest group (12.5%), growing, we are its first "
         "supplier; framework agreement for all locations signed", q3, "AM03", "false"),
        ("2026-Q3", "hb", "designate", "Second supplier; base revenue stays above 5% after "
         "the project; board contact already good", q3, "", "false"),
        ("2026-Q3", "ob", "designate", "Third supplier, room in the wallet; central "
         "facility service centre buys for all schools", q3, "", "false"),
        ("2026-Q3", "vh", "decline", "Only 5th of 7 suppliers with a small share of wallet, "
         "revenue declining and two open escalations: no realistic path to the top 3. Stays "
         "with territory sales; fix the escalations first and revisit in 2027", q3, "", "false"),
        ("2026-Q3", "wl", "watch", "Near miss (3.5%); second supplier, new tender expected "
         "in 2027", q3, "", "false"),
    ]  # fmt: skip
    return pd.DataFrame(
        [
            {"period": p, "group_id": ids[k], "decision": d, "reason": r,
             "decided_by": "Directie", "decided_on": on, "account_manager": am,
             "ambition_top3": amb}
            for p, k, d, r, on, am, amb in rows
        ]
    )  # fmt: skip


REVIEWED_QUARTERS = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")


def _statuses(*statuses: str) -> dict[str, str]:
    """An objective's status in each reviewed quarter, oldest first."""
    return dict(zip(REVIEWED_QUARTERS, statuses, strict=True))


def _account_plans(ids: dict[str, str], wallets: pd.DataFrame) -> dict[str, dict]:
    def comps(key: str) -> list[str]:
        rows = wallets[wallets["group_id"] == ids[key]]
        return str(rows["competitors"].iloc[-1]).split("|")

    zr, hb, ob = comps("zr"), comps("hb"), comps("ob")
    common_benefits = [
        "Eén vast aanspreekpunt dat de hele organisatie kent, met een vervanger die meeleest",
        "Kwartaalrapportage over storingen, SLA en kosten per locatie",
        "Meerjarenonderhoudsplan over alle locaties heen, met één begroting",
        "Geen extra korting, wel lagere totale kosten door gebundelde planning en minder storingen",
    ]
    return {
        "zr": {
            "group_id": ids["zr"],
            "market": "Ziekenhuis-, ouderen- en thuiszorg in de regio Leiden, Duin- en "
            "Bollenstreek en Alphen aan den Rijn",
            "market_challenges": [
                "Vergrijzing: meer zorgvraag met minder personeel",
                "Verduurzaming van het vastgoed richting 2030",
                "Kostendruk door tarieven van zorgverzekeraars",
                "Continuïteit van kritieke installaties (OK, klimaat, noodstroom)",
            ],
            "services": ["Onderhoud", "Storingsdienst", "Installatie", "Advies"],
            "competitors": [
                {"name": zr[0], "estimated_share": 0.3},
                {"name": zr[1], "estimated_share": 0.2},
            ],
            "stakeholders": [
                {
                    "name": "Annemiek Hoogland",
                    "role": "Voorzitter Raad van Bestuur",
                    "our_counterpart": "Algemeen directeur",
                    "relationship_owner": "Directie",
                    "stance": "neutral",
                },
                {
                    "name": "Erik van Til",
                    "role": "Directeur Vastgoed en Facilitair",
                    "our_counterpart": "Pieter Bakker",
                    "relationship_owner": "AM03",
                    "stance": "supporter",
                },
                {
                    "name": "Marieke Smeets",
                    "role": "Manager Inkoop",
                    "our_counterpart": "Commercieel directeur",
                    "relationship_owner": "AM03",
                    "stance": "critical",
                },
            ],
            "objectives": [
                {
                    "text": "Raamovereenkomst onderhoud en storingsdienst voor alle locaties",
                    "measure": "Raamovereenkomst getekend",
                    "target": "getekend",
                    "due": "2027-06-30",
                    "status": _statuses("not started", "on track", "on track", "achieved"),
                },
                {
                    "text": "Share of wallet naar 55%",
                    "measure": "Share of wallet",
                    "target": "55%",
                    "due": "2027-12-31",
                    "status": _statuses("not started", "on track", "on track", "on track"),
                },
            ],
            "executive_meetings": [
                {
                    "date": "2026-11-12",
                    "who": "Algemeen directeur en Pieter Bakker",
                    "their_counterpart": "Annemiek Hoogland",
                },
            ],
            "benefits": common_benefits
            + [
                "Voorrang bij storingen aan kritieke zorginstallaties, 24/7",
            ],
        },
        "hb": {
            "group_id": ids["hb"],
            "market": "Woningbouw, utiliteitsbouw en infra in Midden- en Zuid-Nederland",
            "market_challenges": [
                "Stikstof- en vergunningsdossiers vertragen projecten",
                "Krapte aan vakmensen op de bouwplaats",
                "Stijgende materiaalkosten en vaste-prijscontracten",
            ],
            "services": ["Installatie", "Projecten", "Onderhoud", "Advies"],
            "competitors": [
                {"name": hb[0], "estimated_share": 0.35},
                {"name": hb[1], "estimated_share": 0.15},
                {"name": hb[2], "estimated_share": 0.1},
            ],
            "stakeholders": [
                {
                    "name": "Gert-Jan Hollander",
                    "role": "CEO",
                    "our_counterpart": "Algemeen directeur",
                    "relationship_owner": "Directie",
                    "stance": "supporter",
                },
                {
                    "name": "Sandra Ouwehand",
                    "role": "Directeur Utiliteitsbouw",
                    "our_counterpart": "Pieter Bakker",
                    "relationship_owner": "AM03",
                    "stance": "supporter",
                },
                {
                    "name": "Bas Keijzer",
                    "role": "Hoofd Inkoop",
                    "our_counterpart": "Pieter Bakker",
                    "relationship_owner": "AM03",
                    "stance": "neutral",
                },
            ],
            "objectives": [
                {
                    "text": "Vervolgopdracht na Campus Zuidhaven binnenhalen",
                    "measure": "Nieuw project gegund",
                    "target": "1 project > EUR 1 mln",
                    "due": "2027-03-31",
                    "status": _statuses("not started", "on track", "at risk", "at risk"),
                },
                {
                    "text": "Installatiewerk woningbouw onder raamovereenkomst",
                    "measure": "Raamovereenkomst getekend",
                    "target": "getekend",
                    "due": "2027-09-30",
                    "status": _statuses("not started", "on track", "on track", "achieved"),
                },
            ],
            "executive_meetings": [
                {
                    "date": "2026-11-03",
                    "who": "Algemeen directeur",
                    "their_counterpart": "Gert-Jan Hollander",
                },
            ],
            "benefits": common_benefits
            + [
                "Vroeg meedenken in de ontwerpfase van nieuwe projecten",
            ],
        },
        "ob": {
            "group_id": ids["ob"],
            "market": "Primair onderwijs in Noord-Brabant (scholen in Eindhoven, "
            "'s-Hertogenbosch en Tilburg)",
            "market_challenges": [
                "Dalende leerlingaantallen in sommige wijken",
                "Frisse Scholen: ventilatie en binnenklimaat op orde brengen",
                "Beperkte onderhoudsbudgetten, werk alleen in de schoolvakanties",
            ],
            "services": ["Onderhoud", "Installatie", "Storingsdienst", "Advies"],
            "competitors": [
                {"name": ob[0], "estimated_share": 0.3},
                {"name": ob[1], "estimated_share": 0.25},
                {"name": ob[2], "estimated_share": 0.12},
                {"name": ob[3], "estimated_share": 0.09},
            ],
            "stakeholders": [
                {
                    "name": "Hanneke van der Sluis",
                    "role": "Voorzitter College van Bestuur",
                    "our_counterpart": "Algemeen directeur",
                    "relationship_owner": "Directie",
                    "stance": "neutral",
                },
                {
                    "name": "Tom Verstappen",
                    "role": "Manager Facilitair Servicecentrum",
                    "our_counterpart": "Ruud Smit",
                    "relationship_owner": "AM04",
                    "stance": "supporter",
                },
            ],
            "objectives": [
                {
                    "text": "Meerjarig contract binnenklimaat voor alle scholen",
                    "measure": "Aantal scholen onder contract",
                    "target": "21",
                    "due": "2027-08-31",
                    "status": _statuses("not started", "on track", "behind", "on track"),
                },
            ],
            "executive_meetings": [
                {
                    "date": "2026-11-19",
                    "who": "Algemeen directeur en Ruud Smit",
                    "their_counterpart": "Hanneke van der Sluis",
                },
            ],
            "benefits": common_benefits
            + [
                "Onderhoud ingepland in de schoolvakanties, zonder lesuitval",
            ],
        },
    }


def _write_csv(frame: pd.DataFrame, path: Path, table: str, sep: str = ",") -> int:
    expected = TABLES[table].column_names
    if list(frame.columns) != expected:
        raise AssertionError(f"{table}: columns {list(frame.columns)} != {expected}")
    frame.to_csv(path, sep=sep, index=False, lineterminator="\n", encoding="utf-8")
    return len(frame)


def write_demo_dataset(directory: str | Path, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write the demo dataset into ``directory`` and return {table name: rows written}.

    The folder is created if needed; files of the same names are overwritten. The content
    depends only on ``seed``: the same seed gives byte-identical files.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    w = _build_world(rng)
    lines, rates = _simulate(rng, w)
    _calibrate(lines, w, rates)

    keys = [a.key for a in w.accts]
    id_list = [f"C{10001 + i}" for i in range(len(keys))]
    ids = dict(zip(keys, id_list, strict=True))
    id_array = np.array(id_list)
    index = {k: i for i, k in enumerate(keys)}

    eur24, grp24 = _group_revenue(lines, w, rates, WINDOW_FROM)
    eur12, grp12 = _group_revenue(lines, w, rates, np.datetime64("2025-10-01"))
    by24 = np.bincount(grp24, eur24, len(keys)) / 100.0
    by12 = np.bincount(grp12, eur12, len(keys)) / 100.0
    tops = [a.key for a in w.accts if a.parent is None and a.key != "kv"]
    rev24 = {k: float(by24[index[k]]) for k in tops}
    rev12 = {k: float(by12[index[k]]) for k in tops}
    account_rev = np.bincount(lines.unit, _eur_cents(lines, w, rates), len(keys)) / 100.0

    invoices = _invoices_frame(lines, w, id_array)
    wl_inv, kv_inv = (str(w.invoice_ids[i]) for i in w.rule_invoices)
    coop_members = [a for a in w.accts if a.bill_to == "coop"]

    rules = [
        ("R001", "vh_d_rtd", "DC Rotterdam orders through the Van Houten head office; its "
         "PO numbers start with PO-RTD-", "", "vh", "", "^PO-RTD-", "", ""),
        ("R002", "vh_d_vnl", "DC Venlo orders through the Van Houten head office; its PO "
         "numbers start with PO-VNL-", "", "vh", "", "^PO-VNL-", "", ""),
        ("R003", "zr_tz", "Cost centre 4410 (district nursing) belonged to Zorggroep "
         "Vlietstreek Thuiszorg until 30 June 2025", "", "zr", "", "^ZRL-4410-", "", "2025-06-30"),
        ("R004", "zr_ggz", "Cost centre 4410 (district nursing) moved to Zorggroep Vlietstreek "
         "GGZ on 1 July 2025", "", "zr", "", "^ZRL-4410-", "2025-07-01", ""),
        ("R005", "ob_fsc", "All breakdown calls of the schools are ordered by the central "
         "Facilitair Servicecentrum, but invoiced to the foundation", "", "ob",
         "Storingsdienst", "", "", ""),
        ("R006", "hb_wb", "The invoice-processing address of Polderland is used only by "
         "Polderland Woningbouw", "", "hb_fv", "", "", "", ""),
        ("R007", "wl_rwzi1", "Invoice addressed to the water board's head office by mistake; "
         "ordered by RWZI Zuidhoek", wl_inv, "", "", "", "", ""),
        ("R008", "kv", "First order of Koelvries after its acquisition, invoiced to the Van "
         "Houten head office", kv_inv, "", "", "", "", ""),
    ]  # fmt: skip
    for i, m in enumerate(coop_members):
        since = "2024-07-01" if m.hq_from == 9 else ""
        rules.append((f"R{9 + i:03d}", m.key, f"Purchasing cooperative pays for member "
                      f"{m.hq_po[4:-1]} ({m.name}); orders quoted as {m.hq_po}…", "", "coop",
                      "", f"^{m.hq_po}", since, ""))  # fmt: skip

    def acc_id(k: str) -> str:
        return ids[k] if k else ""

    tables: dict[str, tuple[pd.DataFrame, str]] = {
        "invoices": (invoices, ";"),
        "accounts": (_accounts_frame(w, ids), ","),
        "parent_links": (
            pd.DataFrame(
                [
                    {
                        "account_id": ids["kv"],
                        "parent_id": ids["vh_d"],
                        "valid_from": "2025-06-01",
                        "valid_to": "",
                        "reason": "Acquired by Van Houten Logistiek Groep on 1 June 2025",
                    }
                ]
            ),
            ",",
        ),  # fmt: skip
        "attribution_rules": (
            pd.DataFrame(
                [
                    {
                        "rule_id": r,
                        "to_unit": ids[to],
                        "reason": why,
                        "invoice_id": inv,
                        "billing_account": acc_id(bill),
                        "service_line": sl,
                        "po_pattern": pat,
                        "valid_from": vf,
                        "valid_to": vt,
                    }
                    for r, to, why, inv, bill, sl, pat, vf, vt in rules
                ]
            ),
            ",",
        ),  # fmt: skip
    }
    wallets = _wallets_frame(rng, w, ids, rev24, rev12)
    tables["wallets"] = (wallets, ",")
    tables["complaints"] = (_complaints_frame(rng, w, ids, account_rev), ",")
    tables["account_managers"] = (pd.DataFrame([
        {"manager_id": m, "name": n, "email": e, "capacity": str(c),
         "wants_new_challenge": "true" if wnc else "false", "territory_id": t, "language": lang}
        for m, n, e, c, wnc, t, lang in MANAGERS
    ]), ",")  # fmt: skip
    tables["territories"] = (pd.DataFrame([
        {"territory_id": t, "name": n, "postcode_from": str(lo), "postcode_to": str(hi),
         "account_manager": am}
        for t, n, lo, hi, am in TERRITORIES
    ]), ",")  # fmt: skip
    tables["decisions"] = (_decisions_frame(ids), ",")
    months = [str(m) for m in FIRST_MONTH + np.arange(N_MONTHS)]
    tables["fx_rates"] = (pd.DataFrame([
        {"month": m, "currency": cur, "rate": f"{r // 10_000}.{r % 10_000:04d}"}
        for cur, rate in rates.items() for m, r in zip(months, rate.tolist(), strict=True)
    ]), ",")  # fmt: skip

    counts = {}
    for name, (frame, sep) in tables.items():
        counts[name] = _write_csv(frame, out / f"{name}.csv", name, sep)

    plans_dir = out / ACCOUNT_PLANS_DIR
    plans_dir.mkdir(exist_ok=True)
    for plan in _account_plans(ids, wallets).values():
        text = yaml.safe_dump(plan, sort_keys=False, allow_unicode=True, width=100)
        (plans_dir / f"{plan['group_id']}.yaml").write_text(text, encoding="utf-8", newline="\n")
    return counts
