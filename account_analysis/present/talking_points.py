"""The talking points of a briefing, derived from its numbers, in its language, and the
standard answer to "do we now get more discount?".
"""

from __future__ import annotations

import re
from html import escape

import pandas as pd

from ..analysis.briefing import Briefing
from . import briefing_parts as bp
from .briefing_parts import (
    AT_RISK_STATUSES,
    CLOSED_STATUSES,
    DASH,
    FLAT_TREND,
    GOOD_STATUSES,
    MIX_CHANGE_PP,
    PLAN_COMMAND,
    TOP_SUPPLIERS,
    objective_status,
)
from .format import Html, format_count, format_growth, sentence
from .reasons import ordinal
from .section_parts import join_words

_DISCOUNT = re.compile(r"korting|discount", re.IGNORECASE)


def discount_answer(b: Briefing) -> str:
    """The standard answer to "do we now get more discount?", in the briefing's language;
    the plan's own words on discount (:func:`discount_benefit`) are quoted beside it."""
    return bp.texts(b)["discount_default"]


def discount_benefit(b: Briefing) -> str:
    """The plan's benefit about discount (shown beside the answer, not in the list), or ""."""
    for benefit in (b.plan or {}).get("benefits") or []:
        if _DISCOUNT.search(str(benefit)):
            return str(benefit)
    return ""


# --------------------------------------------------------------------------- talking points


def talking_points(b: Briefing) -> list[Html]:
    """The talking points of a briefing, derived from its numbers, in its language, as HTML
    (the data's text in them quoted; ``.text`` is what a reader sees).

    In this order: the revenue trend (last 12 months against the 12 before), the largest
    change in the service mix, the wallet headroom and supplier rank, the complaints and
    escalations open at the period end, the stakeholders critical of us, the objectives at
    risk or overdue (or how the others stand), and the next executive meeting. Without an
    account plan the last three become one point saying so.
    """
    return _as_html(_points(b)[1])


def first_point(b: Briefing) -> Html:
    """The one thing to raise first, for the briefing's at-a-glance box: an escalation or
    complaint still open, else a stakeholder critical of us, else falling revenue, else an
    objective at risk or overdue, else the wallet headroom (or the first point there is)."""
    kinds, points = _points(b)
    for kind in ("open", "critical", "down", "objective", "headroom"):
        if kind in kinds:
            return _as_html([points[kinds.index(kind)]])[0]
    return _as_html(points[:1])[0]


def _trend_point(b: Briefing) -> tuple[str, str]:
    w = bp.texts(b)
    last, prior = b.revenue_by_year()
    if prior <= 0:
        return "new", w["tp_new_customer"].format(last=bp.money(b, last))
    change = last / prior - 1
    kind = "flat" if abs(change) < FLAT_TREND else "up" if change > 0 else "down"
    # The same rounding as the revenue section's signed figure (format_growth).
    return kind, w[f"tp_{kind}"].format(
        last=bp.money(b, last),
        prior=bp.money(b, prior),
        pct=format_growth(change, b.language, signed=False),
    )


def _points(b: Briefing) -> tuple[list[str], list]:
    """The talking points and, beside each, what kind of point it is (for first_point)."""
    w, lang = bp.texts(b), b.language
    kinds, points = [], []

    def add(kind, point):
        kinds.append(kind)
        points.append(point)

    add(*_trend_point(b))
    for point in _mix_points(b):
        add("mix", point)
    wallet = b.wallet
    rank, n = wallet.get("our_rank"), wallet.get("n_suppliers")
    rank_text = (
        w["sow_rank"].format(rank=ordinal(rank, lang), n=n)
        if rank and n
        else w["rank_unknown_short"]
    )
    if wallet.get("share_of_wallet") is not None and wallet.get("headroom_cents") is not None:
        add(
            "headroom",
            w["tp_headroom"].format(
                sow=bp.pct(b, wallet["share_of_wallet"], 0),
                rank=rank_text,
                headroom=bp.estimate(b, wallet["headroom_cents"]),
            ),
        )
    else:
        add("wallet", w["tp_wallet_unknown"])
    if rank and n and rank > TOP_SUPPLIERS:
        add("rank", w["tp_top3"].format(rank=ordinal(rank, lang), n=n))
    add("open" if b.complaints["open_at_end"].any() else "complaints", _complaint_point(b))
    if b.plan is None:
        add("plan", w["tp_no_plan"].format(command=PLAN_COMMAND.format(group=b.group_id)))
        return kinds, points
    for point in _stakeholder_points(b):
        add("critical", point)
    for kind, point in _objective_points(b):
        add(kind, point)
    add("meeting", _meeting_point(b))
    return kinds, points


def _as_html(points) -> list[Html]:
    return [p if isinstance(p, Html) else Html(escape(p)) for p in points]


def _mix_points(b: Briefing) -> list[str]:
    w = bp.texts(b)
    mix = b.service_mix()
    last, prior = mix["last_cents"].sum(), mix["prior_cents"].sum()
    if last <= 0 or prior <= 0:
        return []
    points = []
    new = mix[(mix["prior_cents"] <= 0) & (mix["last_cents"] > 0)]
    lost = mix[(mix["prior_cents"] > 0) & (mix["last_cents"] <= 0)]
    for line, r in new.iterrows():
        points.append(
            sentence(w["tp_mix_new"], line=bp.data(b, line), money=bp.money(b, r["last_cents"]))
        )
    for line, r in lost.iterrows():
        points.append(
            sentence(w["tp_mix_lost"], line=bp.data(b, line), money=bp.money(b, r["prior_cents"]))
        )
    kept = mix.drop(index=[*new.index, *lost.index])
    if len(kept):
        delta = (kept["last_share"] - kept["prior_share"]) * 100
        line = delta.abs().idxmax()
        if abs(delta[line]) >= MIX_CHANGE_PP:
            key = "tp_mix_up" if delta[line] > 0 else "tp_mix_down"
            points.append(
                sentence(
                    w[key],
                    line=bp.data(b, line),
                    a=bp.pct(b, kept.at[line, "prior_share"], 0),
                    b=bp.pct(b, kept.at[line, "last_share"], 0),
                )
            )
    return points


_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def _complaint_point(b: Briefing) -> str:
    w, c = bp.texts(b), b.complaints
    still = c[c["open_at_end"]]
    if still.empty:
        if c.empty:
            return w["tp_no_complaints"]
        kinds = c["kind"].astype(str)
        return w["tp_no_open"].format(
            c=bp.counted(b, (kinds == "complaint").sum(), "complaint"),
            e=bp.counted(b, (kinds == "escalation").sum(), "escalation"),
        )
    order = still.assign(
        _e=(still["kind"].astype(str) != "escalation").astype(int),
        _s=still["severity"].astype(str).map(_SEVERITY_ORDER).fillna(3),
    )
    top = order.sort_values(["_e", "_s", "opened_on"], ascending=[True, True, False]).iloc[0]
    key = "tp_open_one" if len(still) == 1 else "tp_open"
    return sentence(
        w[key],
        n=bp.counted(b, len(still), "open"),
        subject=bp.data(b, top["subject"]),
        kind=bp.coded_word(b, "kind", top["kind"]),
        severity=bp.coded_word(b, "severity", top["severity"]),
        date=bp.day(top["opened_on"], b.language),
    )


def _stakeholder_points(b: Briefing) -> list[Html]:
    """A point for each stakeholder whose stance is critical of us."""
    w = bp.texts(b)
    return [
        sentence(
            w["tp_critical"],
            name=bp.plain(p.get("name")),
            role=bp.data(b, p.get("role")),
            owner=bp.owner(b, p.get("relationship_owner")),
        )
        for p in (b.plan or {}).get("stakeholders") or []
        if bp.plain(p.get("stance")).lower() == "critical"
    ]


def _objective_points(b: Briefing) -> list[tuple[str, Html]]:
    """The objectives at risk, overdue or not reported; else one point on how they stand."""
    w = bp.texts(b)
    objectives = (b.plan or {}).get("objectives") or []
    points, standing = [], []
    for o in objectives:
        status, _ = objective_status(o, b.period)
        low = status.strip().lower()
        due = o.get("due")
        if low in CLOSED_STATUSES:
            continue
        overdue = (
            bool(due)
            and pd.Timestamp(due).date() <= b.period_end
            and low not in GOOD_STATUSES - {"on track", "op koers"}
        )
        words = dict(
            period=b.period,
            text=bp.data(b, o.get("text")),
            status=bp.status_word(status, b.language) or w["not_reported"],
            due=bp.day(due, b.language) or DASH,
        )
        if overdue:
            points.append(("objective", sentence(w["tp_overdue"], **words)))
        elif low in AT_RISK_STATUSES:
            points.append(("objective", sentence(w["tp_at_risk"], **words)))
        elif not low:
            points.append(("unreported", sentence(w["tp_unreported"], **words)))
        else:
            standing.append(words["status"])
    if standing and not points:
        # How the objectives stand, each status counted: "1 achieved and 1 on track".
        counts = {s_: standing.count(s_) for s_ in dict.fromkeys(standing)}
        listed = join_words(
            [f"{format_count(n, b.language)} {s_}" for s_, n in counts.items()], b.language
        )
        if len(standing) == 1:
            points.append(
                (
                    "objectives",
                    sentence(
                        w["tp_objective_ok"],
                        text=bp.data(b, objectives[0].get("text")),
                        status=standing[0],
                    ),
                )
            )
        else:
            points.append(("objectives", w["tp_objectives_ok"].format(statuses=listed)))
    return points


def upcoming_meetings(b: Briefing) -> list[dict]:
    meetings = [m for m in (b.plan or {}).get("executive_meetings") or [] if m.get("date")]
    after = [m for m in meetings if pd.Timestamp(m["date"]).date() > b.period_end]
    return sorted(after, key=lambda m: pd.Timestamp(m["date"]))


def _meeting_point(b: Briefing) -> str:
    w = bp.texts(b)
    upcoming = upcoming_meetings(b)
    if not upcoming:
        return w["tp_no_meeting"]
    m = upcoming[0]
    return sentence(
        w["tp_meeting"],
        date=bp.day(m["date"], b.language),
        who=bp.data(b, m.get("who")),
        counterpart=bp.plain(m.get("their_counterpart")),
    )
