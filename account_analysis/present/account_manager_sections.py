"""The sections of the Large Account rationale report on who looks after the customers:
the account manager of each Large Account (:func:`account_manager_section`) and the postcode
territories (:func:`territory_section`).

Each takes a :class:`~account_analysis.analysis.scoring.PeriodScore` and returns an
:class:`~account_analysis.present.format.Html` piece (see :mod:`.sections`). None mutates the
score.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from .format import Html, format_count, money_short
from .reasons import with_assignment_reasons

# The shared parts under the private names they had in sections.py before the split,
# so that the section bodies moved unchanged.
from .section_parts import DASH, MAX_ROWS
from .section_parts import display_name as _name
from .section_parts import heading as _h2
from .section_parts import join_words as _join
from .section_parts import paragraph as _p
from .section_parts import percent as _pct
from .section_parts import plain_decimal as _decimal
from .section_parts import short_table as _table
from .section_parts import whole_money as _money
from .section_parts import words as _words


def account_manager_section(score) -> Html:
    """The account manager of each Large Account: proposed (the optimal assignment under
    capacity) or fixed by decision (marked where it differs from the proposal), with the
    score and the reason, and the capacity used per manager."""
    from ..analysis.assignment import manager_load

    w, lang = _words(score), score.settings.language
    a = with_assignment_reasons(
        score.assignments, score.dataset.account_managers, lang, score.settings.reporting_currency
    )
    html = _h2(w["am_title"])
    if a.empty:
        return Html(html + _p(w["am_none"]))
    html += _p(w["am_intro"].format(span=score.settings.window.describe(lang)))
    names = score.dataset.account_managers.set_index("manager_id")["name"]

    def basis(row) -> str:
        if row["source"] == "decision" and row["differs"]:
            other = row["proposed_manager_id"]
            return w["am_differs"].format(
                name=names.get(other, DASH) if isinstance(other, str) else DASH
            )
        return w[f"src:{row['source']}"]

    rows = a.to_dict("records")
    table = pd.DataFrame(
        {
            w["am_large"]: [_name(r["group_name"], r["group_id"]) for r in rows],
            w["am_manager"]: [
                r["manager_name"] if isinstance(r["manager_name"], str) else DASH for r in rows
            ],
            w["am_score"]: [
                DASH if pd.isna(r["score"]) else _decimal(r["score"], lang, 0) for r in rows
            ],
            w["am_basis"]: [basis(r) for r in rows],
            w["am_why"]: [_why(r["reason"]) for r in rows],
        }
    )
    html += _table(table, numeric=(w["am_score"],))
    if a["differs"].any():
        html += _p(w["am_differs_note"], "note")
    for r in a[a["over_capacity"]].to_dict("records"):
        html += _p(w["am_over"].format(name=r["manager_name"], cap=r["capacity"]), "note")
    unassigned = int((a["source"] == "unassigned").sum())
    if unassigned:
        html += _p(w["am_unassigned"].format(n=unassigned), "note")
    load = manager_load(a, score.dataset.account_managers)
    html += f"<h3>{escape(w['am_capacity'])}</h3>"
    html += _table(
        pd.DataFrame(
            {
                w["am_manager"]: load["name"].astype(str).to_numpy(),
                w["am_cap"]: [format_count(int(v), lang) for v in load["capacity"]],
                w["am_used"]: [format_count(int(v), lang) for v in load["assigned"]],
                w["am_free"]: [format_count(int(v), lang) for v in load["free"]],
            }
        ),
        numeric=(w["am_cap"], w["am_used"], w["am_free"]),
    )
    html += _p(w["am_formula"], "note")
    return Html(html)


def _why(reason) -> str:
    """The reason without the decision prefix (the basis column says it)."""
    text = str(reason) if isinstance(reason, str) else DASH
    return text.split(": ", 1)[1] if ": " in text else text


def territory_section(score) -> Html:
    """Revenue and units per postcode territory, the units that left their territory for
    a Large Account (per group and territory), and the units in no territory."""
    from ..analysis.territories import uncovered_ranges

    w, lang = _words(score), score.settings.language
    t = score.territories
    totals = t.totals
    span = score.settings.window.describe(lang)
    html = _h2(w["ter_title"])
    accounts = t.accounts
    n_in = int((accounts["status"] == "territory").sum())
    whole = totals["total"]
    html += _p(
        w["ter_intro"].format(
            n=format_count(n_in, lang),
            money=money_short(totals["territory"], lang, score.settings.reporting_currency),
            pct=_pct(score, totals["territory"] / whole if whole else np.nan),
            span=span,
        )
    )
    short = {"lang": lang, "currency": score.settings.reporting_currency}
    rest = w["ter_rest"] if len(t.left) else w["ter_rest_none"]
    html += _p(
        rest.format(
            n=format_count(len(t.left), lang),
            money=money_short(totals["large_account"], short["lang"], short["currency"]),
            m=format_count(len(t.unmatched), lang),
            money_m=money_short(totals["unmatched"], short["lang"], short["currency"]),
        )
    )
    names = score.dataset.account_managers.set_index("manager_id")["name"]
    s = t.summary
    html += _table(
        pd.DataFrame(
            {
                w["ter_territory"]: s["name"].astype(str).to_numpy(),
                w["ter_postcodes"]: s["ranges"].astype(str).to_numpy(),
                w["ter_manager"]: [names.get(m, m) if m else DASH for m in s["account_manager"]],
                w["ter_customers"]: [format_count(int(v), lang) for v in s["customers"]],
                w["ter_revenue"]: [_money(score, v) for v in s["revenue_cents"]],
                w["ter_share"]: [
                    _pct(score, v / whole if whole else np.nan) for v in s["revenue_cents"]
                ],
            }
        ),
        numeric=(w["ter_customers"], w["ter_revenue"], w["ter_share"]),
    )
    if len(t.left):
        html += f"<h3>{escape(w['ter_left_title'])}</h3>"
        per = (
            t.left.assign(
                territory_name=t.left["territory_name"].replace("", w["ter_no_territory"])
            )
            .groupby(["group_id", "group_name", "territory_name"], sort=False)
            .agg(units=("account_id", "size"), revenue_cents=("revenue_cents", "sum"))
            .reset_index()
            .sort_values(["group_id", "revenue_cents"], ascending=[True, False])
        )
        html += _table(
            pd.DataFrame(
                {
                    w["am_large"]: [
                        _name(n, g) for n, g in zip(per["group_name"], per["group_id"], strict=True)
                    ],
                    w["ter_left"]: per["territory_name"].astype(str).to_numpy(),
                    w["ter_customers"]: [format_count(int(v), lang) for v in per["units"]],
                    w["ter_revenue"]: [_money(score, v) for v in per["revenue_cents"]],
                }
            ),
            numeric=(w["ter_customers"], w["ter_revenue"]),
            row_data=[
                {"group": g, "units": int(n)}
                for g, n in zip(per["group_id"], per["units"], strict=True)
            ],
        )
    html += f"<h3>{escape(w['ter_unmatched_title'])}</h3>"
    gaps = uncovered_ranges(score.dataset.territories)
    if gaps:
        html += _p(
            w["ter_gap"].format(
                ranges=_join([f"{lo}–{hi}" if hi > lo else str(lo) for lo, hi in gaps], lang)
            )
        )
    u = t.unmatched
    if u.empty:
        return Html(html + _p(w["ter_unmatched_none"]))
    shown = u.head(MAX_ROWS)
    html += _table(
        pd.DataFrame(
            {
                w["ter_customer"]: [
                    _name(n, a) for n, a in zip(shown["name"], shown["account_id"], strict=True)
                ],
                # Postcode and country in one cell: a bare foreign postcode would read as a number.
                w["ter_postcode"]: [
                    f"{p} ({c})" if isinstance(p, str) and p else f"{DASH} ({c})"
                    for p, c in zip(shown["postcode"], shown["country"], strict=True)
                ],
                w["ter_reason"]: [w[f"why:{r}"] for r in shown["reason"]],
                w["ter_revenue"]: [_money(score, v) for v in shown["revenue_cents"]],
            }
        ),
        numeric=(w["ter_revenue"],),
    )
    if len(u) > MAX_ROWS:
        rest_u = u.iloc[MAX_ROWS:]
        html += _p(
            w["ter_more"].format(
                n=format_count(len(rest_u), lang),
                money=_money(score, rest_u["revenue_cents"].sum()),
            ),
            "note",
        )
    return Html(html)
