"""``docs/data-contract.md``'s tables, generated from the contract.

The input tables come from :mod:`account_analysis.load.schema`, the account-plan fields from
:mod:`account_analysis.load.plan_fields`; ``python -m account_analysis.load.contract_doc``
prints them, and a test keeps the document in step.
"""

from __future__ import annotations

from .plan_fields import ACCOUNT_PLAN_FIELDS, ACCOUNT_PLANS_DIR
from .schema import TABLES

_PLAN_KIND_WORDS = {
    "id": "text (account id)",
    "text": "text",
    "text list": "list of text",
    "list": "list of mappings",
    "share": "number from 0 to 1",
    "date": "date (ISO)",
    "progress": "mapping of period (`2026-Q3`, `2026-09`, `2026`) to text",
}


def contract_markdown() -> str:
    """The column tables of ``docs/data-contract.md``, generated from :data:`TABLES`.

    One Markdown table per input table, then one of the account-plan fields.

    >>> lines = contract_markdown().splitlines()
    >>> print("\\n".join(lines[i] for i in (0, 4, 6, 7)))
    ### `invoices` (required)
    Unique key: `invoice_id`, `line_no`.
    | column | type | required | meaning | example |
    |---|---|---|---|---|
    """
    out: list[str] = []
    for t in TABLES.values():
        status = "required" if t.required else "optional"
        out.append(f"### `{t.name}` ({status})\n")
        out.append(t.purpose + "\n")
        if t.key:
            out.append(f"Unique key: {', '.join(f'`{k}`' for k in t.key)}.\n")
        out.append("| column | type | required | meaning | example |")
        out.append("|---|---|---|---|---|")
        for c in t.columns:
            kind = c.kind
            if c.choices:
                kind = "one of " + ", ".join(f"`{v}`" for v in c.choices)
            example = f"`{c.example}`" if c.example else "(empty)"
            req = "required" if c.required else "optional"
            out.append(f"| `{c.name}` | {kind} | {req} | {c.meaning} | {example} |")
        out.append("")
    out.append(f"### `{ACCOUNT_PLANS_DIR}/<group>.yaml` (optional)\n")
    out.append(
        "One YAML file per Large Account group, UTF-8. Unknown fields are an error. "
        "A field of a list item is written `list[].field`; an absent or empty list "
        "is an empty list.\n"
    )
    out.append("| field | type | required | meaning | example |")
    out.append("|---|---|---|---|---|")
    for name, f in ACCOUNT_PLAN_FIELDS.items():
        kind = _PLAN_KIND_WORDS.get(f.kind, "")
        if f.kind == "choice":
            kind = "one of " + ", ".join(f"`{v}`" for v in f.choices)
        elif f.kind == "status":
            kind = "mapping of period (`2026-Q3`, `2026-09`, `2026`) to one of " + ", ".join(
                f"`{v}`" for v in f.choices
            )
        example = f"`{f.example}`" if f.example else ""
        req = "required" if f.required else "optional"
        out.append(f"| `{name}` | {kind} | {req} | {f.meaning} | {example} |")
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(contract_markdown())
