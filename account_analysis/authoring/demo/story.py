"""The demo's story, read from the data files beside the generator (``data/*.yaml``).

Every name, text and table of the demo lives in those files; each says at its top what it
holds and how the generator uses it. :func:`read_story` reads them into one :class:`Story`,
which the generator's modules take their names and numbers from; they keep only the
mechanics (the random draws, the invoices, the calibration, the files written).

>>> story = read_story()
>>> story.managers[2]["name"], story.manager_number("AM03")
('Pieter Bakker', 2)
>>> story.account_fields({"manager": "AM01", "handover": "2024-12"})
{'manager': 0, 'handover': 14}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .timeline import month_number

DATA_DIR = Path(__file__).resolve().parent / "data"

# An account's fields in the data files that name a manager (by id) or a month ("YYYY-MM").
_MANAGER_FIELDS = ("manager", "next_manager")
_MONTH_FIELDS = ("handover", "billed_from", "billed_until")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(name: str) -> Any:
    return yaml.load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"), Loader=_LOADER)


@dataclass(frozen=True)
class Story:
    """The demo's fixed names, texts and tables, as the data files hold them (read-only)."""

    yearly_revenue: float  # EUR, nominal, at the middle of the 24-month window
    service_lines: tuple[str, ...]
    seasons: np.ndarray  # (season, calendar month from January): revenue factors
    season_numbers: dict[str, int]
    exchange_rates: dict[str, dict[str, int]]  # currency: start, step, low, high (1/10,000)
    managers: list[dict]  # sales_team.yaml, account_managers
    territories: list[dict]  # sales_team.yaml, one postcode range each
    uncovered_territory: str
    towns: dict[str, dict]  # town: from, to, weight
    sectors: dict[str, dict]  # sector: service_mix, long_tail_weight, name_patterns
    surnames: tuple[str, ...]
    place_words: tuple[str, ...]
    competitors: tuple[str, ...]
    named_groups: dict[str, dict]  # group key: target_share, sector, …, units
    other_customers: dict
    complaints: dict
    decisions: dict
    attribution_rules: list[dict]
    wallets: dict
    account_plans: dict

    @property
    def manager_ids(self) -> np.ndarray:
        """The managers' ids, by manager number (the position in sales_team.yaml)."""
        return np.array([m["id"] for m in self.managers])

    def manager_number(self, manager_id: str) -> int:
        return [m["id"] for m in self.managers].index(manager_id)

    def territory_managers(self) -> dict[str, int]:
        """{territory id: the number of its manager}."""
        return {t["id"]: self.manager_number(t["manager"]) for t in self.territories}

    def service_mix(self, sector: str) -> tuple[float, ...]:
        return tuple(self.sectors[sector]["service_mix"])

    def target_shares(self) -> dict[str, float]:
        """{named group's key: its 24-month revenue share after calibration}, in file order."""
        return {key: group["target_share"] for key, group in self.named_groups.items()}

    def account_fields(self, fields: dict) -> dict:
        """An account's fields as written in a data file, with managers as numbers and months
        as month numbers (a new dict; ``fields`` is not changed)."""
        out = dict(fields)
        for name in _MANAGER_FIELDS:
            if name in out:
                out[name] = self.manager_number(out[name])
        for name in _MONTH_FIELDS:
            if name in out:
                out[name] = month_number(out[name])
        if "service_mix" in out:
            out["service_mix"] = tuple(out["service_mix"])
        return out


def read_story() -> Story:
    """Read the data files (a new :class:`Story` each call)."""
    company, team, names = _read("company"), _read("sales_team"), _read("names")
    return Story(
        yearly_revenue=float(company["yearly_revenue"]),
        service_lines=tuple(company["service_lines"]),
        seasons=np.array(list(company["seasons"].values())),
        season_numbers={name: i for i, name in enumerate(company["seasons"])},
        exchange_rates=company["exchange_rates"],
        managers=team["account_managers"],
        territories=team["territories"],
        uncovered_territory=team["uncovered_postcodes_go_to"],
        towns=_read("towns"),
        sectors=_read("sectors"),
        surnames=tuple(names["surnames"]),
        place_words=tuple(names["place_words"]),
        competitors=tuple(names["competitors"]),
        named_groups=_read("named_groups")["groups"],
        other_customers=_read("other_customers"),
        complaints=_read("complaints"),
        decisions=_read("decisions"),
        attribution_rules=_read("attribution_rules")["rules"],
        wallets=_read("wallets"),
        account_plans=_read("account_plans"),
    )
