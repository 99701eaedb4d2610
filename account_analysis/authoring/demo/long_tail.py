"""The long tail of the demo's customers: about 680 groups drawn at random.

Group sizes are heavy-tailed (most groups a single account, the largest capped below the
named groups), sectors and names are drawn from ``data/sectors.yaml`` and
``data/names.yaml``, towns from ``data/towns.yaml``. A group is a list of account fields
(dicts, as :class:`~.accounts.DemoAccount` takes them), its top account first.
"""

from __future__ import annotations

import numpy as np

from .accounts import CustomerMaster
from .timeline import N_MONTHS


def buying_chance(revenue: float) -> float:
    """The chance that a small customer buys in a month: small customers do not buy every
    month."""
    return min(1.0, max(0.08, (revenue / 70_000.0) ** 0.7))


def _group_sizes(
    rng: np.random.Generator, n_groups: int, total: float, yearly_revenue: float
) -> np.ndarray:
    size = rng.lognormal(0.0, 1.35, n_groups)
    size = size / size.sum() * total
    cap = 0.017 * yearly_revenue
    for _ in range(6):  # cap the largest, spread the excess over the others
        over = size > cap
        excess = (size[over] - cap).sum()
        size[over] = cap
        size[~over] += excess * size[~over] / size[~over].sum()
    return np.maximum(size, 900.0)


def _base_name(master: CustomerMaster, sector: str) -> tuple[str, str]:
    """A new name (without legal form) for a group in ``sector``, and its town."""
    rng, story = master.rng, master.story
    patterns = story.sectors[sector]["name_patterns"]
    while True:
        pattern = patterns[int(rng.integers(len(patterns)))]
        s1, s2 = rng.choice(len(story.surnames), 2, replace=False)
        base = pattern.format(
            S=story.surnames[s1],
            S2=story.surnames[s2],
            P=story.place_words[int(rng.integers(len(story.place_words)))],
        )
        town = master.random_town()
        if base in master.reserved or rng.random() < 0.5:
            base = f"{base} {town}"
        if base not in master.reserved:
            master.reserved.add(base)
            return base, town


def long_tail_groups(master: CustomerMaster, n_groups: int, total: float) -> list[list[dict]]:
    """``n_groups`` groups of together ``total`` yearly revenue, largest first."""
    rng, story = master.rng, master.story
    size = _group_sizes(rng, n_groups, total, story.yearly_revenue)
    order = np.argsort(-size, kind="stable")
    sectors = [s for s, spec in story.sectors.items() if "long_tail_weight" in spec]
    sector_p = np.array([story.sectors[s]["long_tail_weight"] for s in sectors])
    sector_p = sector_p / sector_p.sum()
    groups: list[list[dict]] = []
    for rank, g in enumerate(order):
        revenue = float(size[g])
        sector = sectors[int(rng.choice(len(sectors), p=sector_p))]
        base, town = _base_name(master, sector)
        p_multi = 0.9 if rank < 50 else 0.6 if rank < 200 else 0.06
        n_acc = int(rng.integers(2, 6)) if rng.random() < p_multi else 1
        trend = float(rng.normal(0.02, 0.12))
        start, end = 0, N_MONTHS - 1
        u = rng.random()
        if u < 0.07:
            end = int(rng.integers(6, 34))  # lost customer
        elif u < 0.16:
            start = int(rng.integers(3, 30))  # new customer
        mix = rng.dirichlet(np.array(story.service_mix(sector)) * 20 + 0.2)
        common = dict(
            sector=sector, trend=trend, start=start, end=end,
            service_mix=tuple(float(x) for x in mix),
        )  # fmt: skip
        key = f"g{int(g)}"
        no_legal = sector in ("Zorg", "Onderwijs") or base.startswith(("VvE", "Woningst"))
        legal = "" if no_legal else " B.V."
        if n_acc == 1:
            groups.append([dict(common, key=key, name=base + legal, parent=None, town=town,
                                revenue=revenue, po_style=int(rng.integers(0, 4)))])  # fmt: skip
            continue
        groups.append(_group(master, common, key, base, town, revenue, n_acc))
    return groups


def _group(
    master: CustomerMaster, common: dict, key: str, base: str, town: str, revenue: float,
    n_acc: int,
) -> list[dict]:  # fmt: skip
    """A holding with ``n_acc - 1`` companies or sites, two or three levels deep."""
    rng = master.rng
    shares = rng.dirichlet(np.ones(n_acc - 1) * 2.0)
    head_share = float(rng.uniform(0.05, 0.35))
    group = [dict(common, key=key, name=f"{base} Holding B.V.", parent=None, town=town,
                  revenue=revenue * head_share, po_style=int(rng.integers(1, 4)),
                  lei=master.lei())]  # fmt: skip
    three_level = n_acc >= 4 and rng.random() < 0.5
    mids = []
    p_bill_to = float(rng.choice([0.0, 0.3, 0.6]))
    for j in range(n_acc - 1):
        child_town = town if rng.random() < 0.4 else master.random_town()
        if three_level and j < 2:
            name = f"{base} {('Noord', 'Zuid')[j]} B.V."
            parent = key
            mids.append(f"{key}_{j}")
        else:
            name = f"{base} vestiging {child_town}"
            parent = mids[j % len(mids)] if mids else key
        if any(d["name"] == name for d in group):
            name = f"{name} {j + 1}"
        group.append(dict(common, key=f"{key}_{j}", name=name, parent=parent, town=child_town,
                          revenue=revenue * (1 - head_share) * float(shares[j]), bill_to=key,
                          p_bill_to=p_bill_to, po_style=int(rng.integers(0, 4))))  # fmt: skip
    return group
