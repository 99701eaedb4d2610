"""The demo's customer master: the named groups, the other customers of the story and the
long tail, in the order of their account ids.

The named groups come first, unit by unit as ``data/named_groups.yaml`` lists them; the
other customers (``data/other_customers.yaml``) and the long tail follow in random order.
Every account ends with a manager, its chances of buying and billing, and its group.
"""

from __future__ import annotations

import numpy as np

from .accounts import CustomerMaster
from .long_tail import buying_chance, long_tail_groups
from .story import Story
from .timeline import N_MONTHS, month_number


def _units(master: CustomerMaster, group: dict) -> list[dict]:
    """The units of a named group with a weight each, the ``sites`` entries expanded."""
    units = []
    for entry in group["units"]:
        if "sites" not in entry:
            units.append(entry)
            continue
        sites = entry["sites"]
        weight = sites["weight"]
        for i, unit in enumerate(sites["units"]):
            if "drawn_between" in weight:
                lo, hi = weight["drawn_between"]
                w = float(master.rng.uniform(lo, hi))
            else:
                w = weight["first"] + weight["step"] * i
            units.append({**sites["with"], **unit, "weight": w})
    return units


def _named_group(master: CustomerMaster, group: dict) -> None:
    """Add the units of one named group (``data/named_groups.yaml``)."""
    story, rng = master.story, master.rng
    if "simulated_share" in group:
        total = group["simulated_share"] * story.yearly_revenue
    else:
        total = group.get("simulated_factor", 1.0) * group["target_share"] * story.yearly_revenue
    sector = group["sector"]
    mix = tuple(group["service_mix"]) if "service_mix" in group else story.service_mix(sector)
    season = story.season_numbers[group["season"]] if "season" in group else 0
    handover = story.account_fields(
        {k: group[k] for k in ("next_manager", "handover") if k in group}
    )
    units = _units(master, group)
    wsum = sum(u["weight"] for u in units)
    for i, unit in enumerate(units):
        fields = story.account_fields(unit)  # key, name, parent, town and overrides
        weight, parent, name = fields.pop("weight"), fields.get("parent"), fields["name"]
        kw: dict = dict(
            parent=None, sector=sector, revenue=total * weight / wsum, service_mix=mix,
            manager=story.manager_number(group["manager"]),
            trend=group["trend"] + float(rng.normal(0.0, 0.03)), season=season,
            po_style=2 if i == 0 else int(rng.integers(0, 4)),
            lei=master.lei() if parent is None or name.endswith(("B.V.", "N.V.")) else "",
        )  # fmt: skip
        kw.update(handover)
        kw.update(fields)
        master.add(**kw)


def _other_customers(master: CustomerMaster) -> list[list[dict]]:
    """The customers of ``data/other_customers.yaml``: each a list of account fields (one
    account each)."""
    story = master.story
    spec = story.other_customers
    acquisition = spec["acquisition"]
    acquired = story.account_fields(acquisition["account"])
    by_group = story.named_groups[acquisition["acquired_by"]]
    acquired.update(
        parent=None,
        revenue=acquisition["revenue_share"] * by_group["target_share"] * story.yearly_revenue,
        service_mix=story.service_mix(acquired["sector"]),
        lei=master.lei(),
    )
    coop = story.account_fields(spec["cooperative"]["account"])
    coop.update(parent=None, service_mix=story.service_mix(coop["sector"]))
    groups = [[acquired], [coop]]

    intercompany = spec["intercompany"]
    for account in intercompany["accounts"]:
        groups.append([dict(
            account, key=f"ic_{len(groups)}", parent=None, sector=intercompany["sector"],
            service_mix=story.service_mix(intercompany["service_mix_of"]),
            manager=story.manager_number(intercompany["manager"]), intercompany=True,
            po_style=intercompany["po_style"],
        )])  # fmt: skip
    foreign = spec["foreign"]
    for account in foreign["accounts"]:
        groups.append([dict(
            account, key=f"fx_{len(groups)}", parent=None,
            service_mix=story.service_mix(account["sector"]),
            manager=story.manager_number(foreign["manager"]), po_style=foreign["po_style"],
            noise=foreign["noise"], p_active=foreign["p_active"],
        )])  # fmt: skip
    return groups


def _join_the_cooperative(master: CustomerMaster, tail: list[list[dict]]) -> None:
    """The first single-account customers in the cooperative's revenue range become its
    members: billed to the cooperative, quoting the member's PO prefix."""
    coop = master.story.other_customers["cooperative"]
    key = coop["account"]["key"]
    lo, hi = coop["member_revenue"]
    members = [g[0] for g in tail if len(g) == 1 and lo < g[0]["revenue"] < hi]
    for member, spec in zip(members, coop["members"], strict=False):
        member.update(
            bill_to=key,
            p_bill_to=coop["p_bill_to"],
            p_ordering_unit=0.0,
            billed_po_prefix=coop["po_prefix"].format(number=spec["number"]),
            p_active=1.0,
            start=0,
            end=N_MONTHS - 1,
            billed_from=month_number(spec["since"]) if "since" in spec else 0,
        )


def _touch_the_long_tail(master: CustomerMaster, tail: list[list[dict]]) -> None:
    """The story's touches on the long tail: the cooperative's members, a subsidiary sold, a
    couple of customers in the postcode gap between the territories."""
    story = master.story.other_customers["long_tail"]
    _join_the_cooperative(master, tail)
    for g in tail[60:]:  # one mid-size group sold a subsidiary
        if len(g) >= 3:
            g[-1]["parent_valid_to"] = story["subsidiary_sold_on"]
            break
    gap = story["in_the_territory_gap"]
    for g in [g for g in tail if len(g) == 1][100 : 100 + gap["customers"]]:
        g[0]["town"] = gap["town"]


def _territory_of(master: CustomerMaster, postcode: str) -> str | None:
    digits = int(postcode[:4])
    for territory in master.story.territories:
        if territory["from"] <= digits <= territory["to"]:
            return territory["id"]
    return None


def _complete(master: CustomerMaster, tail_keys: set[str]) -> None:
    """Managers, activity and groups for every account."""
    rng, story = master.rng, master.story
    n_managers = len(story.managers)
    territory_managers = story.territory_managers()
    acquisition = story.other_customers["acquisition"]
    acquired_key = acquisition["account"]["key"]
    coop_key = story.other_customers["cooperative"]["account"]["key"]
    keys = {a.key: a for a in master.accounts}
    for a in master.accounts:
        if a.manager < 0:
            territory = _territory_of(master, a.postcode) if a.country == "NL" else None
            a.manager = territory_managers[territory or story.uncovered_territory]
            if rng.random() < 0.2:
                a.next_manager = int((a.manager + rng.integers(1, n_managers)) % n_managers)
                a.handover = int(rng.integers(6, 31))
        if a.next_manager < 0:
            a.next_manager = a.manager
        if a.key in tail_keys and a.bill_to != coop_key:
            a.p_active = buying_chance(a.revenue)
        if a.key in tail_keys:
            a.noise = 0.35 if a.revenue < 50_000 else 0.2
        top = a
        while top.parent is not None:
            top = keys[top.parent]
        a.group = acquisition["acquired_by"] if a.key == acquired_key else top.key


def build_customers(rng: np.random.Generator, story: Story) -> CustomerMaster:
    """The demo's customer master, drawn with ``rng``."""
    master = CustomerMaster(rng, story)
    for group in story.named_groups.values():
        _named_group(master, group)
    others = _other_customers(master)
    named_total = sum(story.target_shares().values()) * story.yearly_revenue
    other_revenue = sum(d["revenue"] for g in others for d in g if not d.get("intercompany"))
    tail_total = story.yearly_revenue - named_total - other_revenue
    tail = long_tail_groups(master, story.other_customers["long_tail"]["groups"], tail_total)
    _touch_the_long_tail(master, tail)
    everyone = others + tail
    for gi in rng.permutation(len(everyone)):
        for d in everyone[int(gi)]:
            master.add(**{"manager": -1, **d})
    _complete(master, {d["key"] for g in tail for d in g})
    return master
