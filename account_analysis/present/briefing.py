"""The briefing of one Large Account for its account manager: its sections and talking points.

The section functions turn a :class:`~account_analysis.analysis.briefing.Briefing` (built by
:func:`~account_analysis.analysis.briefing.account_briefing`) into
:class:`~account_analysis.present.format.Html` pieces in the briefing's language (``en`` or
``nl``), in the style of :mod:`account_analysis.present.sections`; :func:`talking_points`
derives the talking points from the numbers. The words are in :mod:`.briefing_words`.

**Scoping.** A briefing is mailed to one account manager and carries that group's data only:
no other group's name, no other group's revenue, no ranking against named groups. The one
figure relative to the others is the group's own share of our total revenue.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from ..analysis.briefing import Briefing
from ..words import words
from . import briefing_parts as bp
from .briefing_parts import DASH, MAX_UNITS, PLAN_COMMAND, RECENT_COMPLAINTS, objective_status
from .briefing_words import TEXT
from .format import TITLES, Html, format_count, format_growth, format_percent, sentence
from .reasons import ordinal, wallet_method
from .talking_points import discount_answer, discount_benefit, first_point, talking_points

__all__ = ["TEXT", "objective_status", "discount_answer", "discount_benefit", "talking_points"]


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
    w = bp.texts(b)
    manager = b.manager["name"] if b.manager else w["no_manager"]
    subtitle = w["subtitle"].format(period=b.period, manager=manager)
    marker = f'{GROUP_MARKER}="{escape(str(b.group_id))}" {PERIOD_MARKER}="{escape(str(b.period))}"'
    return Html(
        f"<h1 {marker}>{escape(TITLES['account_briefing'][b.language])}: "
        f"{escape(b.name)}</h1>"
        f'<p class="subtitle">{escape(subtitle)}</p>'
    )


def _size_sentence(b: Briefing, key: str) -> str:
    w, lang = bp.texts(b), b.language
    return w[key].format(
        name=b.name,
        group=b.group_id,
        n=format_count(b.units_with_revenue, lang),
        all=format_count(len(b.units), lang),
        end=bp.day(b.period_end, lang),
        span=b.window.describe(lang),
        money=bp.money(b, b.revenue_cents),
        share=bp.pct(b, b.share_of_total),
    )


def _trend_text(b: Briefing) -> str:
    """The revenue change of the last 12 months against the 12 before (format_growth: the
    one rounding of a growth figure), or that there was no revenue before."""
    w = bp.texts(b)
    last, prior = b.revenue_by_year()
    if prior <= 0:
        return w["glance_new"]
    return w["glance_trend_value"].format(change=format_growth(last / prior - 1, b.language))


def _open_text(b: Briefing) -> str:
    w, c = bp.texts(b), b.complaints
    still = c[c["open_at_end"]] if len(c) else c
    if still.empty:
        return w["glance_none_open"]
    kinds = still["kind"].astype(str)
    parts = [
        bp.counted(b, n, kind)
        for kind, n in (
            ("escalation", (kinds == "escalation").sum()),
            ("complaint", (kinds != "escalation").sum()),
        )
        if n
    ]
    return " · ".join(parts)


def _designation_text(b: Briefing) -> str:
    """This period's recommendation and decision, in the reader's words."""
    w, section = bp.texts(b), words(b.language)

    def word(code):
        return section.get(f"section.rec:{code}", code) if code else w["glance_not_decided"]

    return w["glance_designation_value"].format(
        recommended=word(b.recommendation), decided=word(b.decision)
    )


def briefing_glance_section(b: Briefing) -> Html:
    """The briefing's verdict, first: who the group is and how big, the revenue trend, what
    is still open, the one thing to raise first, this period's recommendation and decision
    and the account manager; the same figures as the sections below."""
    w = bp.texts(b)
    rows = [
        (w["glance_trend"], _trend_text(b)),
        (w["glance_open"], _open_text(b)),
        (w["glance_raise"], first_point(b)),
        (w["glance_designation"], _designation_text(b)),
        (w["glance_manager"], b.manager["name"] if b.manager else w["no_manager"]),
    ]
    body = "".join(
        f'<tr><th scope="row">{escape(k)}</th><td>{bp.as_html(v)}</td></tr>' for k, v in rows
    )
    html = (
        bp.para(_size_sentence(b, "glance_size"), "headline")
        + f'<table class="glance">{body}</table>'
    )
    return Html(
        bp.h2(w["glance"]) + '<table role="presentation" class="verdict"><tr>'
        f'<td class="verdict-box">{html}</td></tr></table>'
    )


def briefing_group_section(b: Briefing) -> Html:
    """Who the group is: its units invoiced in the window (the concentration table's count)
    and all its units as of the period end, consolidated revenue, its share of our total
    revenue, the account manager, and this period's decision."""
    w = bp.texts(b)
    html = bp.h2(w["who"])
    key = "who_sentence" if b.units_with_revenue == len(b.units) else "who_sentence_idle"
    html += bp.para(_size_sentence(b, key))
    if b.manager:
        html += bp.para(
            w["manager_line"].format(
                name=b.manager["name"], email=b.manager["email"] or b.manager["manager_id"]
            )
        )
    else:
        html += bp.para(w["manager_none"])
    if b.decision_reason:
        html += bp.para(sentence(w["decision"], reason=bp.data(b, b.decision_reason)), "note")
    return Html(html)


def briefing_units_section(b: Briefing) -> Html:
    """The group's units and subsidiaries as of the period end, as a tree, with the revenue
    of each over the window (collapsed to the direct subsidiaries above
    :data:`MAX_UNITS` units)."""
    w, lang = bp.texts(b), b.language
    html = bp.h2(w["units_title"])
    units = b.units
    below = None
    if len(units) > MAX_UNITS:
        # Collapse to the top and its direct subsidiaries, each with its whole subtree.
        top_of = {}
        for a, p, d in zip(units["account_id"], units["parent_id"], units["depth"], strict=True):
            top_of[a] = a if d <= 1 else top_of.get(p, p)
        key = units["account_id"].map(top_of)
        sums = units.groupby(key)["revenue_cents"].sum()
        counts = units.groupby(key).size()
        units = units[units["depth"] <= 1].copy()
        units["revenue_cents"] = (
            units["account_id"].map(sums).where(units["depth"] > 0, units["revenue_cents"])
        )
        below = [
            format_count(counts.get(a, 1) - 1, lang) if d else DASH
            for a, d in zip(units["account_id"], units["depth"], strict=True)
        ]
    indent = "\u2003"
    table = pd.DataFrame(
        {
            w["unit"]: [
                indent * int(d) + ("↳ " if d else "") + n
                for n, d in zip(units["name"], units["depth"], strict=True)
            ],
            w["account"]: units["account_id"].to_numpy(),
            w["postcode"]: units["postcode"].to_numpy(),
            w["unit_revenue"].format(months=b.window.months): [
                bp.money(b, c) for c in units["revenue_cents"]
            ],
        }
    )
    numeric = [w["unit_revenue"].format(months=b.window.months)]
    if below is not None:
        table[w["units_below"]] = below
        numeric.append(w["units_below"])
        html += bp.para(w["units_collapsed"].format(n=format_count(len(b.units), lang)), "note")
    html += bp.table(table, numeric=tuple(numeric)).html
    html += bp.para(w["units_note"].format(end=bp.day(b.period_end, lang)), "note")
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
    w, lang = bp.texts(b), b.language
    html = bp.h2(w["revenue"].format(months=len(b.months)))
    last, prior = b.revenue_by_year()
    if prior > 0:
        html += bp.para(
            w["revenue_sentence"].format(
                last=bp.money(b, last),
                prior=bp.money(b, prior),
                change=format_growth(last / prior - 1, lang),
            ),
            "headline",
        )
    else:
        html += bp.para(w["revenue_no_prior"].format(last=bp.money(b, last)), "headline")
    m = b.monthly.assign(quarter=b.monthly["month"].map(quarter_label))
    quarters = sorted({quarter_label(x) for x in b.months})
    pivot = m.pivot_table(
        index="quarter", columns="service_line", values="revenue_cents", aggfunc="sum", fill_value=0
    ).reindex(quarters, fill_value=0)
    lines = list(b.service_mix().index)
    pivot = pivot.reindex(columns=lines, fill_value=0)
    table = pd.DataFrame({w["quarter"]: quarters})
    heads = [bp.data(b, line, marks=False) for line in lines]  # the data's service lines
    for line, head in zip(lines, heads, strict=True):
        table[head] = [bp.money(b, c) for c in pivot[line]]
    table[w["total"]] = [bp.money(b, c) for c in pivot.sum(axis=1)]
    html += bp.table(table, numeric=(*heads, w["total"])).html
    html += bp.para(w["revenue_note"].format(currency=b.currency), "note")
    return Html(html)


def briefing_wallet_section(b: Briefing) -> Html:
    """Share of wallet, supplier rank, headroom and the competitors (the wallet survey's
    names and the account plan's estimated shares), with a row for the rest of the wallet
    so that the column adds up to 100%. Wallet figures are estimates and rounded as such
    (the rationale report's rounding of the same figures)."""
    w, lang = bp.texts(b), b.language
    wallet = b.wallet
    html = bp.h2(w["wallet"])
    last, _ = b.revenue_by_year()
    if wallet.get("wallet_cents") is not None and wallet.get("share_of_wallet") is not None:
        html += bp.para(
            w["wallet_known"].format(
                wallet=bp.estimate(b, wallet["wallet_cents"]),
                annual=bp.money(b, last),
                sow=bp.pct(b, wallet["share_of_wallet"]),
                headroom=bp.estimate(b, wallet["headroom_cents"] or 0),
            ),
            "headline",
        )
        if wallet.get("wallet_basis"):
            html += bp.para(w["wallet_source"].format(method=wallet_method(wallet, lang)), "note")
    else:
        html += bp.para(w["wallet_unknown"], "headline")
    rank, n = wallet.get("our_rank"), wallet.get("n_suppliers")
    html += bp.para(
        w["rank_line"].format(rank=ordinal(rank, lang), n=n) if rank and n else w["rank_unknown"]
    )
    planned = [
        (str(c.get("name", "")), c.get("estimated_share"))
        for c in (b.plan or {}).get("competitors") or []
        if c.get("name")
    ]
    names = [n_ for n_, _ in planned] + [
        c for c in wallet["competitors"] if c not in {n_ for n_, _ in planned}
    ]
    if not names:
        return Html(html + bp.para(w["competitors_none"], "note"))
    html += bp.table(_wallet_table(b, names, dict(planned)), numeric=(w["est_share"],)).html
    measured = wallet.get("wallet_source") == "stated"
    return Html(
        html + bp.para(w["competitors_note" if measured else "competitors_note_est"], "note")
    )


def _wallet_table(b: Briefing, names: list[str], share_of: dict) -> pd.DataFrame:
    """Us and the competitors with their shares as shown (whole percents), and the rest:
    what the shown shares leave of 100%, or "not known" when a share is missing."""
    w = bp.texts(b)
    shares = [b.wallet.get("share_of_wallet"), *(share_of.get(name) for name in names)]
    shown = [None if s_ is None or pd.isna(s_) else round(float(s_) * 100) for s_ in shares]
    rows = [(w["us"], bp.pct(b, shares[0], 0))]
    rows += [(name, bp.pct(b, s_, 0)) for name, s_ in zip(names, shares[1:], strict=True)]
    if any(s_ is None for s_ in shown):
        rows.append((w["wallet_rest"], w["wallet_rest_unknown"]))
    elif sum(shown) < 100:
        rows.append((w["wallet_rest"], format_percent((100 - sum(shown)) / 100, b.language, 0)))
    return pd.DataFrame(rows, columns=[w["supplier"], w["est_share"]])


def briefing_complaints_section(b: Briefing) -> Html:
    """Complaints and escalations in the window: counts, what was open at the period end,
    and the :data:`RECENT_COMPLAINTS` most recent ones."""
    w, lang = bp.texts(b), b.language
    c = b.complaints
    span = b.window.describe(lang)
    html = bp.h2(w["complaints"])
    if c.empty:
        return Html(html + bp.para(w["complaints_none"].format(span=span)))
    kinds = c["kind"].astype(str)
    html += bp.para(
        w["complaints_sentence"].format(
            span=span,
            c=bp.counted(b, (kinds == "complaint").sum(), "complaint"),
            e=bp.counted(b, (kinds == "escalation").sum(), "escalation"),
            open=format_count(int(c["open_at_end"].sum()), lang),
        ),
        "headline",
    )
    recent = c.head(RECENT_COMPLAINTS)
    status = [
        w["status:open_then"] if o and str(s) != "open" else bp.coded_word(b, "status", s)
        for s, o in zip(recent["status"], recent["open_at_end"], strict=True)
    ]
    table = pd.DataFrame(
        {
            w["opened"]: [bp.iso_day(d) for d in recent["opened_on"]],
            w["kind"]: [bp.coded_word(b, "kind", k) for k in recent["kind"]],
            w["severity"]: [bp.coded_word(b, "severity", s) for s in recent["severity"]],
            w["status"]: status,
            w["unit"]: [bp.plain(u) for u in recent["unit"]],
            w["subject"]: [bp.data(b, s, marks=False) for s in recent["subject"]],
        }
    )
    html += bp.para(w["recent"]) + bp.table(table).html
    return Html(html)


def _plan_missing(b: Briefing, short: bool = False) -> str:
    """The note that the account plan is missing: in full (with the command that makes it)
    in the first section that needs the plan, short in the later ones."""
    if short:
        return bp.para(bp.texts(b)["plan_missing_short"], "note")
    command = PLAN_COMMAND.format(group=b.group_id)
    code = f"<code>{escape(command)}</code>"
    text = escape(bp.texts(b)["plan_missing"]).replace("{command}", code)
    return f'<p class="note"><strong>{text}</strong></p>'


def briefing_stakeholders_section(b: Briefing) -> Html:
    """The customer's management from the account plan (who is who, who knows whom) and the
    executive meetings, the upcoming ones marked."""
    w = bp.texts(b)
    html = bp.h2(w["stakeholders"])
    if b.plan is None:
        return Html(html + _plan_missing(b))
    people = b.plan.get("stakeholders") or []
    if people:
        table = pd.DataFrame(
            {
                w["name"]: [bp.plain(p.get("name")) for p in people],
                w["role"]: [bp.data(b, p.get("role"), marks=False) for p in people],
                w["counterpart"]: [bp.owner(b, p.get("our_counterpart")) for p in people],
                w["owner"]: [bp.owner(b, p.get("relationship_owner")) for p in people],
                w["stance"]: [bp.coded_word(b, "stance", p.get("stance")) for p in people],
            }
        )
        html += bp.table(table).html
    else:
        html += bp.para(w["stakeholders_none"])
    html += f"<h3>{escape(w['meetings'])}</h3>"
    meetings = sorted(
        (m for m in b.plan.get("executive_meetings") or [] if m.get("date")),
        key=lambda m: pd.Timestamp(m["date"]),
    )
    if not meetings:
        return Html(html + bp.para(w["meetings_none"]))
    table = pd.DataFrame(
        {
            w["meeting_date"]: [
                bp.iso_day(m["date"])
                + (f" ({w['upcoming']})" if pd.Timestamp(m["date"]).date() > b.period_end else "")
                for m in meetings
            ],
            w["who_ours"]: [bp.data(b, m.get("who"), marks=False) for m in meetings],
            w["their_counterpart"]: [bp.plain(m.get("their_counterpart")) for m in meetings],
        }
    )
    return Html(html + bp.table(table).html)


def briefing_objectives_section(b: Briefing) -> Html:
    """The account plan's objectives with their measure, target, due date and status this
    period (or the latest reported before it)."""
    w = bp.texts(b)
    html = bp.h2(w["objectives"])
    if b.plan is None:
        return Html(html + _plan_missing(b, short=True))
    objectives = b.plan.get("objectives") or []
    if not objectives:
        return Html(html + bp.para(w["objectives_none"]))

    def status(o):
        text, when = objective_status(o, b.period)
        if not text:
            return w["not_reported"]
        text = bp.status_word(text, b.language)
        return text if when == b.period else w["reported_then"].format(status=text, period=when)

    def current(o):
        if bp.measured_by_data(o) == "share_of_wallet":
            share = b.wallet.get("share_of_wallet")
            return (
                DASH if share is None else w["current_measured"].format(value=bp.pct(b, share, 0))
            )
        value, when = objective_status(o, b.period, "current")
        if not value:
            return w["current_none"]
        value = bp.data(b, value, marks=False)
        return (
            value if when == b.period else sentence(w["reported_then"], status=value, period=when)
        )

    table = pd.DataFrame(
        {
            w["objective"]: [bp.data(b, o.get("text"), marks=False) for o in objectives],
            w["target"]: [bp.data(b, bp.target_text(o), marks=False) for o in objectives],
            w["current"]: [current(o) for o in objectives],
            w["due"]: [bp.iso_day(o.get("due")) for o in objectives],
            w["status_now"].format(period=b.period): [status(o) for o in objectives],
        }
    )
    html += bp.table(table).html
    if any(
        not objective_status(o, b.period, "current")[0] and not bp.measured_by_data(o)
        for o in objectives
    ):
        html += bp.para(w["current_missing"], "note")
    return Html(html)


def briefing_benefits_section(b: Briefing) -> Html:
    """The benefits list ("what's in it for me?") and the answer to "do we now get more
    discount?"."""
    w = bp.texts(b)
    html = bp.h2(w["benefits"])
    about_discount = discount_benefit(b)
    if b.plan is None:
        html += _plan_missing(b, short=True)
    else:
        benefits = [str(x) for x in b.plan.get("benefits") or [] if str(x) != about_discount]
        html += (
            bp.para(w["benefits_intro"]) + bp.bullets(bp.data(b, x, marks=False) for x in benefits)
            if benefits
            else bp.para(w["benefits_none"])
        )
    html += f"<h3>{escape(w['discount_q'])}</h3>" + bp.para(discount_answer(b))
    if about_discount:
        html += bp.para(sentence(w["discount_plan"], text=bp.data(b, about_discount)), "note")
    return Html(html)


def briefing_talking_points_section(b: Briefing) -> Html:
    """The talking points (see :func:`talking_points`) as a list."""
    return Html(bp.h2(bp.texts(b)["talking_points"]) + bp.bullets(talking_points(b)))


BRIEFING_SECTIONS = (
    briefing_glance_section,
    briefing_group_section,
    briefing_talking_points_section,
    briefing_revenue_section,
    briefing_wallet_section,
    briefing_complaints_section,
    briefing_stakeholders_section,
    briefing_objectives_section,
    briefing_benefits_section,
    briefing_units_section,
)
