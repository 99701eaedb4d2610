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

import re
from html import escape

import pandas as pd

from ..analysis.briefing import Briefing
from ..words import words
from .briefing_words import TEXT, status_code
from .format import TITLES, Html, format_count, format_day, format_money, format_percent, html_table
from .reasons import ordinal, wallet_method

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

_DISCOUNT = re.compile(r"korting|discount", re.IGNORECASE)


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
    return format_day(pd.Timestamp(value).date(), language)


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
    noun = words(b.language).plural(f"briefing.n:{noun}", int(n))
    return f"{format_count(int(n), b.language)} {noun}"


def _status_word(status: str, language: str) -> str:
    """An objective's status as the plan writes it, in the reader's language when it is one
    the catalogs know (``status.*``, in any language); otherwise as written."""
    code = status_code(status)
    return words(language)[f"status.{code}"] if code else status


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
        if wallet.get("wallet_basis"):
            html += _p(w["wallet_source"].format(method=wallet_method(wallet, lang)), "note")
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


