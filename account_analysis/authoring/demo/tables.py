"""The demo's tables as written: one frame per table of the data contract, every column a
string in the file's format (money and rates from integers, dates ISO).

Each function takes the customer master, the account ids (``{account key: "C10001"}``) and
what the table needs; the complaints and the drawn wallet estimates take the random
generator too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .accounts import CustomerMaster
from .invoices import InvoiceLines
from .timeline import FIRST_MONTH, LAST_DAY, N_MONTHS, month_first_days, month_index

N_COMPLAINTS = 310  # drawn; the open escalations of data/complaints.yaml come on top


def _money(cents: np.ndarray, sep: str) -> np.ndarray:
    cents = np.asarray(cents, dtype=np.int64)
    a = np.abs(cents)
    text = np.strings.add(np.where(cents < 0, "-", ""), (a // 100).astype(str))
    return np.strings.add(np.strings.add(text, sep), np.strings.zfill((a % 100).astype(str), 2))


def _iso(dates: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(dates.astype("datetime64[D]"), unit="D")


def invoices_frame(
    lines: InvoiceLines, master: CustomerMaster, ids: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray]:
    """(the invoice lines, the invoice id of each invoice): invoices numbered per year in
    date order (F2025-000001, …), lines in invoice and line order."""
    year = lines.inv_date.astype("datetime64[Y]").astype(np.int64) + 1970
    order = np.lexsort((np.arange(len(year)), year, lines.inv_date))
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    year_sorted = year[order]
    seq = np.arange(len(order)) - np.searchsorted(year_sorted, year_sorted, "left") + 1
    inv_id = np.strings.add(
        np.strings.add("F", year_sorted.astype(str)),
        np.strings.add("-", np.strings.zfill(seq.astype(str), 6)),
    )
    inv_id = inv_id[rank]  # back to invoice order
    po = lines.inv_po.astype(object)
    has_ref = lines.inv_ref >= 0
    po[has_ref] = inv_id[lines.inv_ref[has_ref]]

    currency = np.array([a.currency for a in master.accounts])
    line_order = np.lexsort((lines.line_no, rank[lines.inv]))
    inv = lines.inv[line_order]
    ou = lines.ou[line_order]
    frame = {
        "invoice_id": inv_id[inv],
        "invoice_date": _iso(lines.inv_date)[inv],
        "billing_account": ids[lines.inv_bill][inv],
        "net_amount": _money(lines.cents[line_order], ","),
        "line_no": lines.line_no[line_order].astype(str),
        "currency": currency[lines.inv_bill][inv],
        "ordering_unit": np.where(ou >= 0, ids[ou], ""),
        "service_line": np.array(master.story.service_lines)[lines.sl[line_order]],
        "account_manager": master.story.manager_ids[lines.mgr[line_order]],
        "status": lines.inv_status[inv],
        "po_reference": po[inv],
    }
    return pd.DataFrame(frame), inv_id


def accounts_frame(master: CustomerMaster, ids: dict[str, str]) -> pd.DataFrame:
    rows = [
        {
            "account_id": ids[a.key],
            "name": a.name,
            "postcode": a.postcode,
            "country": a.country,
            "parent_id": ids[a.parent] if a.parent else "",
            "parent_valid_from": "",
            "parent_valid_to": a.parent_valid_to,
            "lei": a.lei,
            "kvk": "",  # the demo's names are invented: no real register numbers
            "vat": "",
            "duns": "",
            "sector": a.sector,
            "intercompany": "true" if a.intercompany else "false",
        }
        for a in master.accounts
    ]
    return pd.DataFrame(rows)


def parent_links_frame(master: CustomerMaster, ids: dict[str, str]) -> pd.DataFrame:
    """The acquisition's link to its new group."""
    acquisition = master.story.other_customers["acquisition"]
    link = acquisition["link"]
    return pd.DataFrame([{"account_id": ids[acquisition["account"]["key"]],
                          "parent_id": ids[link["parent"]], "valid_from": link["valid_from"],
                          "valid_to": link["valid_to"], "reason": link["reason"]}])  # fmt: skip


def attribution_rules_frame(
    master: CustomerMaster, ids: dict[str, str], misaddressed_ids: list[str]
) -> pd.DataFrame:
    """The rules of ``data/attribution_rules.yaml`` (the misaddressed invoices by
    ``misaddressed_ids``, in order), then one per member of the cooperative."""
    story = master.story
    named = iter(misaddressed_ids)
    rows = []
    for rule in story.attribution_rules:
        invoice = next(named) if "misaddressed_invoice" in rule else ""
        billing = rule.get("billing_account", "")
        rows.append({"rule_id": rule["id"], "to_unit": ids[rule["to_unit"]],
                     "reason": rule["reason"], "invoice_id": invoice,
                     "billing_account": ids[billing] if billing else "",
                     "service_line": rule.get("service_line", ""),
                     "po_pattern": rule.get("po_pattern", ""),
                     "valid_from": rule.get("valid_from", ""),
                     "valid_to": rule.get("valid_to", "")})  # fmt: skip
    coop = story.other_customers["cooperative"]
    coop_key = coop["account"]["key"]
    by_prefix = {coop["po_prefix"].format(number=m["number"]): m for m in coop["members"]}
    members = [a for a in master.accounts if a.bill_to == coop_key]
    for i, account in enumerate(members):
        spec = by_prefix[account.billed_po_prefix]
        rows.append({"rule_id": f"R{len(story.attribution_rules) + 1 + i:03d}",
                     "to_unit": ids[account.key],
                     "reason": coop["rule_reason"].format(number=spec["number"],
                                                          name=account.name,
                                                          po_prefix=account.billed_po_prefix),
                     "invoice_id": "", "billing_account": ids[coop_key], "service_line": "",
                     "po_pattern": f"^{account.billed_po_prefix}",
                     "valid_from": f"{spec['since']}-01" if "since" in spec else "",
                     "valid_to": ""})  # fmt: skip
    return pd.DataFrame(rows)


def complaints_frame(
    rng: np.random.Generator, master: CustomerMaster, ids: dict[str, str], revenue: np.ndarray
) -> pd.DataFrame:
    """Complaints drawn by revenue (``revenue``: EUR per account), and the open
    escalations."""
    accts, story = master.accounts, master.story
    spec = story.complaints
    weight = np.array([max(r, 0.0) for r in revenue]) ** 0.75
    groups = np.array([a.group for a in accts])
    for group, factor in spec["group_factors"].items():
        weight[groups == group] *= factor
    coop = story.other_customers["cooperative"]["account"]["key"]
    weight[np.array([a.intercompany for a in accts]) | (groups == coop)] = 0.0
    n = N_COMPLAINTS
    acc = rng.choice(len(accts), n, p=weight / weight.sum())
    rising = groups[acc] == spec["rising"]
    ramp = np.arange(1, N_MONTHS + 1, dtype=float)  # complaints there rise
    month = np.where(rising, rng.choice(N_MONTHS, n, p=ramp / ramp.sum()),
                     rng.integers(0, N_MONTHS, n))  # fmt: skip
    escalation = rng.random(n) < np.where(rising, 0.35, 0.1)
    days = np.where(escalation, 5 + rng.gamma(2.0, 12.0, n), 1 + rng.gamma(2.0, 6.0, n))
    sev_u = rng.random(n)
    severity = np.where(
        escalation,
        np.select([sev_u < 0.05, sev_u < 0.4], ["low", "medium"], "high"),
        np.select([sev_u < 0.45, sev_u < 0.85], ["low", "medium"], "high"),
    )
    complaint_subjects = np.array(spec["complaint_subjects"])
    escalation_subjects = np.array(spec["escalation_subjects"])
    subj_c = rng.integers(0, len(complaint_subjects), n)
    subj_e = rng.integers(0, len(escalation_subjects), n)
    subject = np.where(escalation, escalation_subjects[subj_e], complaint_subjects[subj_c])
    month_days = month_first_days()
    n_busdays = np.busday_count(month_days[:-1], month_days[1:])
    opened = np.busday_offset(month_days[month], (rng.random(n) * n_busdays[month]).astype(int),
                              roll="forward")  # fmt: skip
    closed = opened + np.rint(days).astype(np.int64).astype("timedelta64[D]")

    # The open escalations, recent and serious.
    still_open = spec["open_escalations"]
    index = master.index()
    # At a group with open escalations in the story, those are the only ones open at the
    # end: the board's decision counts them, and the reports count the data (issue 14).
    storied = np.isin(groups[acc], [accts[index[e["account"]]].group for e in still_open])
    closed = np.where(storied, np.minimum(closed, LAST_DAY), closed)
    acc = np.r_[acc, [index[e["account"]] for e in still_open]]
    escalation = np.r_[escalation, np.ones(len(still_open), bool)]
    severity = np.append(severity, [e["severity"] for e in still_open])
    subject = np.append(subject, [e["subject"] for e in still_open])
    opened = np.r_[opened, np.array([e["opened_on"] for e in still_open], "datetime64[D]")]
    closed = np.r_[closed, np.full(len(still_open), LAST_DAY + 1)]
    is_open = closed > LAST_DAY
    month = month_index(opened)
    manager, next_manager, handover = (
        np.array([getattr(a, f) for a in accts]) for f in ("manager", "next_manager", "handover")
    )
    mgr = np.where(month >= handover[acc], next_manager[acc], manager[acc])

    order = np.lexsort((np.arange(len(acc)), opened))
    year = opened[order].astype("datetime64[Y]").astype(np.int64) + 1970
    seq = np.arange(len(order)) - np.searchsorted(year, year, "left") + 1
    account_ids = np.array([ids[a.key] for a in accts])
    return pd.DataFrame(
        {
            "complaint_id": [f"K{y}-{s:04d}" for y, s in zip(year, seq, strict=True)],
            "account_id": account_ids[acc[order]],
            "opened_on": _iso(opened[order]),
            "kind": np.where(escalation[order], "escalation", "complaint"),
            "severity": severity[order],
            "closed_on": np.where(is_open[order], "", _iso(closed[order])),
            "status": np.where(is_open[order], "open", "closed"),
            "subject": subject[order],
            "account_manager": story.manager_ids[mgr[order]],
        }
    )


def wallets_frame(
    rng: np.random.Generator,
    master: CustomerMaster,
    ids: dict[str, str],
    rev24: dict[str, float],
    rev12: dict[str, float],
) -> pd.DataFrame:
    """The named groups' estimates of ``data/wallets.yaml`` and drawn ones for the largest
    other groups (``rev24``, ``rev12``: EUR per top-level account key)."""
    story = master.story
    competitor_names = story.competitors

    def wallet(annual: float, share: float) -> str:
        return str(int(round(annual / share / 10_000.0)) * 10_000)

    def competitors(n: int, first: int) -> str:
        return "|".join(competitor_names[(first + 5 * i) % len(competitor_names)]
                        for i in range(n))  # fmt: skip

    rows = []
    for row in story.wallets["named"]:
        k, est = row["group"], row["wallet"]
        annual = "" if est == "unknown" else wallet(rev12[k] * est.get("revenue_factor", 1.0),
                                                    est["our_share"])  # fmt: skip
        rows.append(
            (
                k,
                row["as_of"],
                annual,
                row["rank"],
                row["suppliers"],
                row["source"],
                competitors(row["competitors"]["count"], row["competitors"]["first"]),
            )
        )
    spec = story.wallets["others"]
    skip = set(story.target_shares()) | {story.other_customers["cooperative"]["account"]["key"]}
    ic = {a.key for a in master.accounts if a.intercompany}
    others = [k for k in sorted(rev24, key=lambda k: (-rev24[k], ids[k]))
              if k not in skip and k not in ic][:spec["groups"]]  # fmt: skip
    for k in others:
        n_sup = int(rng.integers(2, 7))
        rank = int(rng.integers(1, n_sup + 1))
        lo, hi = spec["our_share_by_rank"].get(rank, spec["our_share_otherwise"])
        known = rng.random() < spec["p_known"]
        source = str(rng.choice(spec["sources"])) if known else spec["unknown_source"]
        as_of = str(rng.choice(spec["as_of"]))
        rows.append((k, as_of, wallet(rev24[k] / 2.0, float(rng.uniform(lo, hi))) if known
                     else "", rank, n_sup, source,
                     competitors(n_sup - 1, int(rng.integers(len(competitor_names))))))  # fmt: skip
    frame = pd.DataFrame(
        [
            {"group_id": ids[k], "as_of": as_of, "annual_wallet": wal, "currency": "EUR",
             "our_rank": str(rank), "n_suppliers": str(n), "source": src, "competitors": comp}
            for k, as_of, wal, rank, n, src, comp in rows
        ]
    )  # fmt: skip
    return frame.sort_values(["group_id", "as_of"], kind="stable").reset_index(drop=True)


def decisions_frame(master: CustomerMaster, ids: dict[str, str]) -> pd.DataFrame:
    spec = master.story.decisions
    return pd.DataFrame(
        [
            {"period": d["period"], "group_id": ids[d["group"]], "decision": d["decision"],
             "reason": d["reason"], "decided_by": spec["decided_by"],
             "decided_on": spec["decided_on"][d["period"]],
             "account_manager": d.get("account_manager", ""),
             "ambition_top3": "true" if d.get("ambition_top3", False) else "false"}
            for d in spec["decisions"]
        ]
    )  # fmt: skip


def account_managers_frame(master: CustomerMaster) -> pd.DataFrame:
    return pd.DataFrame([
        {"manager_id": m["id"], "name": m["name"], "email": m["email"],
         "capacity": str(m["capacity"]),
         "wants_new_challenge": "true" if m["wants_new_challenge"] else "false",
         "territory_id": m["territory"], "language": m["language"]}
        for m in master.story.managers
    ])  # fmt: skip


def territories_frame(master: CustomerMaster) -> pd.DataFrame:
    return pd.DataFrame([
        {"territory_id": t["id"], "name": t["name"], "postcode_from": str(t["from"]),
         "postcode_to": str(t["to"]), "account_manager": t["manager"]}
        for t in master.story.territories
    ])  # fmt: skip


def fx_rates_frame(rates: dict[str, np.ndarray]) -> pd.DataFrame:
    months = [str(m) for m in FIRST_MONTH + np.arange(N_MONTHS)]
    return pd.DataFrame([
        {"month": m, "currency": cur, "rate": f"{r // 10_000}.{r % 10_000:04d}"}
        for cur, rate in rates.items() for m, r in zip(months, rate.tolist(), strict=True)
    ])  # fmt: skip
