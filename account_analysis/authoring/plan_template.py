"""A pre-filled account plan for a newly designated group (``account-analysis plan-template``).

:func:`plan_template` writes the YAML text of a plan for one top-level group, filled from the
data of a period's window: the group's units and subsidiaries (as comments, from the group
structure at the window's end), the services it buys (service lines with revenue in the
window, largest first, each with its revenue as a comment), its revenue, its complaints and
escalations (count and the most recent subjects as comments), and wallet and competitors
from ``wallets`` where known. The fields only people know (market, challenges, stakeholders,
objectives, meetings, benefits) are empty placeholders, each with a comment saying what to
write. The text is a valid plan as it is (:mod:`account_analysis.load.plans` checks it before it
is returned) and stays valid once the placeholders are filled in as described.

:func:`write_plan_template` writes it atomically and never overwrites a plan unless asked.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import yaml

from ..analysis.wallet import latest_wallets
from ..consolidate.cube import Consolidation
from ..errors import InputError
from ..load.dataset import Dataset
from ..load.hierarchy import SOURCES, collect_links
from ..load.plans import final_groups, group_problem, parse_account_plan
from ..load.schema import ACCOUNT_PLANS_DIR, OBJECTIVE_STATUSES, STANCES
from ..periods import Window
from ..present.format import format_count, format_money, format_percent
from ..present.reasons import ordinal
from ..words import ByLanguage

RECENT_COMPLAINTS = 5  # complaint subjects listed in the template

_WORDS = ByLanguage("plan_template")

# Commented examples under each placeholder: how a filled-in field looks.
_EXAMPLES = {
    "market_challenges": [
        "market_challenges:",
        "- Krapte aan vakmensen",
        "- 'Verduurzaming: vastgoed van energielabel C naar A'",
    ],
    "stakeholders": [
        "stakeholders:",
        "- name: Jan de Vries",
        "  role: Directeur Facilitair",
        "  our_counterpart: Pieter Bakker",
        "  relationship_owner: AM03",
        "  stance: unknown",
    ],
    "objectives": [
        "objectives:",
        "- text: Raamovereenkomst voor alle locaties",
        "  measure: Raamovereenkomst getekend",
        "  target: getekend",
        "  due: 2027-06-30",
        "  status:",
        "    2026-Q4: not started",
    ],
    "executive_meetings": [
        "executive_meetings:",
        "- date: 2026-12-10",
        "  who: Algemeen directeur",
        "  their_counterpart: Jan de Vries",
    ],
    "benefits": ["benefits:", "- Eén vast aanspreekpunt dat de hele organisatie kent"],
}


def _scalar(value) -> str:
    """One YAML scalar, quoted where YAML needs it."""
    text = yaml.safe_dump(
        [value], default_flow_style=True, allow_unicode=True, width=1_000_000
    ).strip()
    return text[1:-1]


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def direct_parents(dataset: Dataset, day) -> pd.Series:
    """The direct parent of every account that has one on ``day``: account_id → parent_id.

    The link that wins is the one the group structure uses (see
    :mod:`account_analysis.load.hierarchy`).
    """
    links = collect_links(
        dataset.accounts, dataset.parent_links, getattr(dataset, "gleif_links", None)
    )
    d = pd.Timestamp(day).to_datetime64().astype("datetime64[D]")
    active = links[(links["valid_from"].to_numpy() <= d) & (links["valid_to"].to_numpy() >= d)]
    rank = active["source"].map({s: i for i, s in enumerate(SOURCES)})
    active = active.assign(rank=rank.to_numpy()).sort_values(["account_id", "rank"], kind="stable")
    first = active.drop_duplicates("account_id")
    return pd.Series(
        first["parent_id"].to_numpy(), index=first["account_id"].to_numpy(), name="parent_id"
    )


def check_plan_group(
    dataset: Dataset, consolidation: Consolidation, group_id: str, window: Window
) -> None:
    """Raise :class:`InputError` unless ``group_id`` is a top-level group at the window's
    end (and after the last dated change, where plans are checked)."""
    names = dataset.accounts.set_index("account_id")["name"]
    source = dataset.sources.get("accounts")
    where = source.name if source is not None else "accounts"
    if group_id not in names.index:
        raise InputError.single("GROUP", f"an account_id that exists in {where}", value=group_id)
    top = consolidation.hierarchy.groups_as_of(window.end)[group_id]
    if top != group_id:
        raise InputError.single(
            "GROUP",
            f"a top-level group; on {window.end.isoformat()} {group_id} "
            f"({names[group_id]}) belongs to group {top} ({names[top]}): write or extend "
            f"the plan of {top}",
            value=group_id,
        )
    why = group_problem(group_id, final_groups(dataset.accounts, dataset.parent_links), names)
    if why:
        raise InputError.single("GROUP", why, value=group_id)


def plan_template(
    dataset: Dataset,
    consolidation: Consolidation,
    group_id: str,
    window: Window,
    *,
    period: str = "",
    restate_hierarchy: bool | None = None,
    language: str = "en",
) -> str:
    """The YAML text of a pre-filled account plan for ``group_id`` over ``window``.

    Revenue is the consolidated revenue of the group's units in the window, with the group
    structure at the window's end (``restate_hierarchy``) or on each invoice date. Raises
    :class:`InputError` for an unknown group or one that is not top-level. Pure: reads its
    inputs, writes nothing.
    """
    check_plan_group(dataset, consolidation, group_id, window)
    w = _WORDS[language]
    cur = dataset.reporting_currency
    names = dataset.accounts.set_index("account_id")["name"]
    window_words = window.describe(language)

    def money(cents) -> str:
        return format_money(int(cents), language, cur)

    # Revenue of the group's units in the window, per unit, service line and month.
    cube = consolidation.cube
    labels = window.month_labels()
    inside = cube["month"].between(labels[0], labels[-1]).to_numpy()
    group = consolidation.group_of_units(window, restate_hierarchy).to_numpy()
    mine = cube[inside & (group == group_id)]
    total = int(mine["revenue_cents"].sum())

    out = [
        f"# {_comment(w['title'].format(group=group_id, name=names[group_id]))}",
        f"# {w['filled'].format(period=period or window.end.isoformat(), window=window_words)}",
        f"# {w['check']}",
        "#",
    ]

    # Units and subsidiaries at the window's end, as a tree.
    members = consolidation.hierarchy.groups_as_of(window.end)
    members = members[members == group_id].index
    parents = direct_parents(dataset, window.end).reindex(members)
    unit_revenue = mine.groupby("unit_id")["revenue_cents"].sum()
    postcodes = dataset.accounts.set_index("account_id")["postcode"]
    children: dict[str, list[str]] = {}
    for account, parent in parents.items():
        if account != group_id and isinstance(parent, str):
            children.setdefault(parent, []).append(account)
    out.append(f"# {w['units'].format(day=window.end.isoformat())}")

    def tree(account: str, depth: int) -> None:
        revenue = money(unit_revenue.get(account, 0))
        out.append(
            f"#   {'  ' * depth}{account}  {_comment(names[account])}, "
            f"{_comment(postcodes[account])}: {revenue}"
        )
        for child in sorted(children.get(account, [])):
            tree(child, depth + 1)

    tree(group_id, 0)

    # Revenue, with the last 12 months against the 12 before when the window holds both.
    if window.months >= 24:
        monthly = mine.groupby("month")["revenue_cents"].sum()
        last = int(monthly[monthly.index >= labels[-12]].sum())
        before = int(monthly[(monthly.index >= labels[-24]) & (monthly.index < labels[-12])].sum())
        out.append(
            "# "
            + w["revenue"].format(
                total=money(total), window=window_words, last=money(last), before=money(before)
            )
        )
    else:
        out.append("# " + w["revenue_short"].format(total=money(total), window=window_words))
    last12 = int(mine.loc[mine["month"] >= labels[max(0, len(labels) - 12)], "revenue_cents"].sum())

    out += _complaints_lines(dataset, consolidation, group_id, window, w, language)
    wallet = latest_wallets(dataset.wallets, window.end)
    wallet = wallet[wallet["group_id"] == group_id]
    out += _wallet_lines(wallet, last12, cur, w, language)

    out.append(f"group_id: {_scalar(group_id)}")
    out.append(f"# {w['market']}")
    out.append("market: ''")
    out += _placeholder("market_challenges", w["challenges"])

    services = (
        mine.groupby("service_line")["revenue_cents"]
        .sum()
        .loc[lambda s: s > 0]
        .reset_index()
        .sort_values(["revenue_cents", "service_line"], ascending=[False, True])
    )
    services = services[services["service_line"].str.strip() != ""]
    if len(services):
        out.append(f"# {w['services']}")
        out.append("services:")
        for line, cents in services.itertuples(index=False):
            share = format_percent(cents / total, language) if total > 0 else ""
            out.append(f"- {_scalar(line)}  # {money(cents)} ({share})")
    else:
        out.append(f"# {w['no_services']}")
        out.append("services: []")

    competitors = []
    if len(wallet) and str(wallet["competitors"].iloc[0]).strip():
        competitors = [
            c.strip() for c in str(wallet["competitors"].iloc[0]).split("|") if c.strip()
        ]
    if competitors:
        as_of = pd.Timestamp(wallet["as_of"].iloc[0]).date().isoformat()
        out.append(f"# {w['competitors'].format(as_of=as_of)}")
        out.append("competitors:")
        for name in dict.fromkeys(competitors):
            out.append(f"- name: {_scalar(name)}")
            out.append("  estimated_share: null")
    else:
        out.append(f"# {w['no_competitors']}")
        out.append("# - name: Klimaatwerk Nederland")
        out.append("#   estimated_share: 0.3")
        out.append("competitors: []")

    out += _placeholder("stakeholders", w["stakeholders"].format(stances=", ".join(STANCES)))
    out += _placeholder(
        "objectives", w["objectives"].format(statuses=", ".join(OBJECTIVE_STATUSES))
    )
    out += _placeholder("executive_meetings", w["meetings"])
    out += _placeholder("benefits", w["benefits"])
    text = "\n".join(out) + "\n"
    # The template is a valid plan as it stands: prove it before anyone reads it.
    parse_account_plan(text, f"{ACCOUNT_PLANS_DIR}/{group_id}.yaml")
    return text


def _placeholder(field: str, comment: str) -> list[str]:
    return [f"# {comment}", *(f"#   {line}" for line in _EXAMPLES[field]), f"{field}: []"]


def _complaints_lines(dataset, consolidation, group_id, window, w, language) -> list[str]:
    comp = dataset.complaints
    if not len(comp):
        return [f"# {w['no_complaints']}"]
    groups = consolidation.hierarchy.groups_as_of(window.end)
    in_group = comp["account_id"].map(groups).to_numpy() == group_id
    opened = pd.to_datetime(comp["opened_on"])
    mine = comp[in_group & window.contains(opened).to_numpy()]
    if not len(mine):
        return [f"# {w['no_complaints']}"]
    lines = [
        "# "
        + w["complaints"].format(
            n=format_count(len(mine), language),
            esc=format_count(int((mine["kind"] == "escalation").sum()), language),
            open=format_count(int((mine["status"] == "open").sum()), language),
        ),
        f"# {w['recent']}",
    ]
    recent = mine.sort_values(["opened_on", "complaint_id"], ascending=[False, False])
    for r in recent.head(RECENT_COMPLAINTS).itertuples(index=False):
        day = pd.Timestamp(r.opened_on).date().isoformat()
        parts = [day, r.kind, r.severity or "-", r.status, r.account_id, _comment(r.subject) or "-"]
        lines.append("#   " + "  ".join(str(p) for p in parts))
    return lines


def _wallet_lines(
    wallet: pd.DataFrame, last12_cents: int, cur: str, w: dict, language: str
) -> list[str]:
    if not len(wallet):
        return [f"# {w['no_wallet']}", "#"]
    row = wallet.iloc[0]
    as_of = pd.Timestamp(row["as_of"]).date().isoformat()
    amount = row["annual_wallet"]
    known = not pd.isna(amount)
    wallet_words = format_money(int(amount), language, row["currency"]) if known else "?"
    rank = ""
    if not pd.isna(row["our_rank"]):
        rank = (
            w["rank"].format(rank=ordinal(row["our_rank"], language), n=int(row["n_suppliers"]))
            if not pd.isna(row["n_suppliers"])
            else w["rank_only"].format(rank=ordinal(row["our_rank"], language))
        )
    lines = [
        "# "
        + w["wallet"].format(
            as_of=as_of, source=row["source"] or "-", wallet=wallet_words, rank=rank
        )
    ]
    if known and row["currency"] == cur and int(amount) > 0:
        lines.append(
            "# " + w["sow"].format(share=format_percent(last12_cents / int(amount), language))
        )
    lines.append("#")
    return lines


def write_plan_template(text: str, path: str | Path, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically: readers see the old file or the new one,
    never half of one. Refuses (:class:`InputError`) to replace an existing file unless
    ``force``."""
    path = Path(path)
    if path.exists() and not force:
        raise InputError.single(
            path,
            "a file that does not exist yet (an account plan is "
            "there already; --force replaces it)",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a plan is an ordinary file
        if force:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if the file appeared meanwhile: never overwrite
            os.unlink(tmp)
    except FileExistsError:
        os.unlink(tmp)
        raise InputError.single(
            path,
            "a file that does not exist yet (an account plan is "
            "there already; --force replaces it)",
        ) from None
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path
