"""Tiny datasets for the docstring examples of ``analysis/``: each a few accounts and
invoice lines, written to a fresh temporary folder, so that an example shows what a
function gives without a page of set-up repeated in every docstring.

>>> folder = example_dataset("designated")
>>> sorted(p.name for p in folder.iterdir())
['account_managers.csv', 'accounts.csv', 'decisions.csv', 'invoices.csv']
"""

from __future__ import annotations

import tempfile
from pathlib import Path

_ACCOUNTS = "account_id,name,postcode,country,parent_id\nG,Group,1011 AB,NL,\n"
_INVOICES = "invoice_id,invoice_date,billing_account,net_amount,status\n"
_TERRITORIES = "territory_id,name,postcode_from,postcode_to\nN,Noord,1000,3999\n"

EXAMPLES: dict[str, dict[str, str]] = {
    # G (with its unit U) and X; G designated in 2026-Q1, with manager Bob (M2) fixed.
    "designated": {
        "accounts.csv": _ACCOUNTS + "U,Unit,3511 CD,NL,G\nX,Other,5611 EF,NL,\n",
        "invoices.csv": _INVOICES + "F1,2026-01-15,U,100.00,posted\n"
        "F2,2026-02-01,G,50.50,posted\nF3,2026-03-09,X,10.00,posted\n",
        "account_managers.csv": "manager_id,name,email,language,capacity\n"
        "M2,Bob,bob@example.com,nl,2\n",
        "decisions.csv": "period,group_id,decision,reason,decided_by,account_manager\n"
        "2026-Q1,G,designate,Framework agreement,Directie,M2\n",
    },
    # One territory (Noord, 1000-3999): G is in it, its unit U is in Belgium, X (9931) is in
    # none; one of X's lines is cancelled.
    "no_territory": {
        "accounts.csv": _ACCOUNTS + "U,Unit,B-2440,BE,G\nX,Other,9931 AA,NL,\n",
        "invoices.csv": _INVOICES + "F1,2026-01-15,U,100.00,posted\n"
        "F2,2026-02-01,G,50.50,posted\nF3,2026-03-01,X,25.00,cancelled\n"
        "F4,2026-03-09,X,10.00,posted\n",
        "territories.csv": _TERRITORIES,
    },
    # Two territories (Noord 1000-3999, Zuid 4000-6999): G and its unit U in Noord, X in
    # Zuid, Y in Belgium; G's own line is a year before the others.
    "two_territories": {
        "accounts.csv": _ACCOUNTS + "U,Unit,3511 CD,NL,G\nX,Other,5611 EF,NL,\n"
        "Y,Abroad,B-2440,BE,\n",
        "invoices.csv": _INVOICES + "F1,2026-01-15,U,100.00,posted\n"
        "F2,2025-02-01,G,50.50,posted\nF3,2026-03-09,X,80.00,posted\n"
        "F4,2026-03-09,Y,5.00,posted\n",
        "territories.csv": _TERRITORIES + "Z,Zuid,4000,6999\n",
    },
}


def example_dataset(name: str) -> Path:
    """A fresh folder holding the example dataset ``name`` (a key of :data:`EXAMPLES`)."""
    folder = Path(tempfile.mkdtemp(prefix=f"aa-example-{name}-"))
    for file, text in EXAMPLES[name].items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder
