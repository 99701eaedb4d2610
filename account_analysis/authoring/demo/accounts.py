"""The demo's customer master under construction: its accounts and what they are simulated
from.

An account is created from its fields in the data files (``story.Story.account_fields``)
plus what the generator draws; :class:`CustomerMaster` adds each one, gives a Dutch account
a postcode in its town and draws legal entity identifiers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .story import Story
from .timeline import N_MONTHS

POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"  # letters used in Dutch postcodes
_LEI_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass
class DemoAccount:
    """One account with the parameters its invoices are simulated from."""

    key: str  # how the data files name it (never written)
    name: str
    parent: str | None
    sector: str
    revenue: float  # yearly revenue (EUR) at the middle of the window
    service_mix: tuple[float, ...]  # share of each service line
    manager: int  # main account manager (number in sales_team.yaml; -1: by territory)
    town: str | None = None
    country: str = "NL"
    postcode: str = ""
    next_manager: int = -1  # manager from the month ``handover`` on
    handover: int = N_MONTHS
    currency: str = "EUR"
    intercompany: bool = False
    lei: str = ""
    bill_to: str | None = None  # account the unit's invoices go to when billed centrally
    p_bill_to: float = 0.0  # chance that an account-month is billed to ``bill_to``
    billed_from: int = 0
    billed_until: int = N_MONTHS - 1
    p_ordering_unit: float = 1.0  # chance that the export names the unit on such invoices
    billed_po_prefix: str = ""  # PO prefix quoted on centrally billed invoices
    po_style: int = 0  # 0 none, 1 PO-nnnnnn, 2 SAP 45nnnnnnnn, 3 cost centre KST-nnnn
    p_active: float = 1.0  # chance of buying in a given month
    start: int = 0
    end: int = N_MONTHS - 1
    trend: float = 0.0  # yearly growth (log scale)
    season: int = 0
    noise: float = 0.12
    parent_valid_to: str = ""
    group: str = ""  # key of the top-level account (the acquisition counts as in its group)


class CustomerMaster:
    """The accounts created so far, in the order of their account ids."""

    def __init__(self, rng: np.random.Generator, story: Story) -> None:
        self.rng = rng
        self.story = story
        self.accounts: list[DemoAccount] = []
        self.names: set[str] = set()  # membership tests only, never iterated
        self.reserved: set[str] = set()  # base names taken while drawing the long tail
        self.town_names = tuple(story.towns)
        weights = np.array([story.towns[t]["weight"] for t in self.town_names])
        self.town_p = weights / weights.sum()

    def postcode(self, town: str) -> str:
        lo, hi = self.story.towns[town]["from"], self.story.towns[town]["to"]
        digits = int(self.rng.integers(lo, hi + 1))
        while True:
            i, j = self.rng.integers(0, len(POSTCODE_LETTERS), 2)
            pair = POSTCODE_LETTERS[i] + POSTCODE_LETTERS[j]
            if pair not in ("SA", "SD", "SS"):
                return f"{digits} {pair}"

    def random_town(self) -> str:
        return self.town_names[int(self.rng.choice(len(self.town_names), p=self.town_p))]

    def lei(self) -> str:
        """A legal entity identifier with valid check digits (ISO 17442)."""
        body = "724500" + "".join(_LEI_CHARS[int(i)] for i in self.rng.integers(0, 36, 12))
        number = int("".join(str(int(c, 36)) for c in body + "00"))
        return f"{body}{98 - number % 97:02d}"

    def add(self, **fields: object) -> DemoAccount:
        account = DemoAccount(**fields)  # type: ignore[arg-type]
        if account.name in self.names:
            raise ValueError(f"duplicate account name {account.name}")
        self.names.add(account.name)
        if account.country == "NL" and not account.postcode:
            account.postcode = self.postcode(account.town or self.random_town())
        self.accounts.append(account)
        return account

    def index(self) -> dict[str, int]:
        """{account key: position}."""
        return {a.key: i for i, a in enumerate(self.accounts)}
