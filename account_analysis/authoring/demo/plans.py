"""The demo's account plans: one per Large Account, from ``data/account_plans.yaml``."""

from __future__ import annotations

import pandas as pd

from .story import Story


def account_plans(story: Story, ids: dict[str, str], wallets: pd.DataFrame) -> list[dict]:
    """The plans as written (``account_plans/<group_id>.yaml``), in the file's order; the
    competitors are those of the group's latest row in ``wallets`` (the wallets table)."""
    spec = story.account_plans
    quarters = spec["reviewed_quarters"]
    plans = []
    for key, plan in spec["plans"].items():
        rows = wallets[wallets["group_id"] == ids[key]]
        names = str(rows["competitors"].iloc[-1]).split("|")
        shares = plan["competitor_shares"]
        plans.append({
            "group_id": ids[key],
            "market": plan["market"],
            "market_challenges": plan["market_challenges"],
            "services": plan["services"],
            "competitors": [{"name": n, "estimated_share": s}
                            for n, s in zip(names[:len(shares)], shares, strict=True)],
            "stakeholders": plan["stakeholders"],
            "objectives": [_objective(o, quarters) for o in plan["objectives"]],
            "executive_meetings": plan["executive_meetings"],
            "benefits": spec["common_benefits"] + plan["benefits"],
        })  # fmt: skip
    return plans


def _objective(objective: dict, quarters: list) -> dict:
    """An objective with its status (and value reached, where the story gives one) per
    reviewed quarter."""
    out = dict(objective, status=dict(zip(quarters, objective["status"], strict=True)))
    if "current" in objective:
        out["current"] = {
            q: str(v) for q, v in zip(quarters, objective["current"], strict=True) if v is not None
        }
    return out
