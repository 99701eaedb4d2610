"""A proposed ``mapping.yaml`` for an export, from its header and first rows
(``account-analysis inspect FILE``).

Each contract column is placed on the export column a preset names for it, else the column
of the same name, else a known synonym (the names the presets use, and common English and
Dutch headers). What could not be placed is written as a comment, so the user sees every
contract column once. The proposal is YAML that :func:`~.mapping.parse_mapping` reads.

>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "export.csv"
>>> _ = path.write_text("Invoice Number,Date,Customer,Amount\\nF1,2026-01-05,C1,10.00\\n")
>>> print("\\n".join(propose_mapping(path).splitlines()[2:9]))
invoices:
  file: export.csv
  columns:
    invoice_id: Invoice Number  # e.g. F1
    invoice_date: Date  # e.g. 2026-01-05
    billing_account: Customer  # e.g. C1
    net_amount: Amount  # e.g. 10.00
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from ..errors import InputError
from .mapping import PRESETS, load_preset
from .read import cell_text, normal_name, read_as_written
from .schema import TABLES

PROPOSED_TABLES = ("invoices", "accounts")
# Common headers beside the presets' own names (normalised: lower case, "_" for spaces).
SYNONYMS = {
    "invoice_id": [
        "invoice_number",
        "invoice_no",
        "invoice",
        "invoicenumber",
        "document_number",
        "factuurnummer",
        "factuur",
        "factuurnr",
        "number",
    ],
    "invoice_date": ["date", "document_date", "billing_date", "factuurdatum", "datum"],
    "billing_account": [
        "customer",
        "customer_id",
        "customer_number",
        "debtor",
        "bill_to",
        "klant",
        "debiteur",
        "debiteurnummer",
        "customernumber",
    ],
    "net_amount": [
        "amount",
        "net",
        "net_value",
        "amount_excl_vat",
        "line_total",
        "bedrag",
        "netto",
        "sales",
        "revenue",
    ],
    "line_no": ["line", "line_number", "item", "regel", "regelnummer", "orderlinenumber"],
    "currency": ["currency_code", "valuta", "cur"],
    "ordering_unit": ["ordered_by", "sold_to", "besteller"],
    "service_line": ["product", "product_line", "productline", "item_group", "category"],
    "account_manager": ["salesperson", "sales_rep", "account_manager_id", "verkoper"],
    "status": ["state", "booking_status", "invoice_status"],
    "po_reference": ["po", "po_number", "purchase_order", "customer_reference", "your_ref"],
    "account_id": [
        "customer",
        "customer_id",
        "customer_number",
        "id",
        "code",
        "klantnummer",
        "debiteurnummer",
        "customernumber",
    ],
    "name": ["customer_name", "company", "company_name", "naam", "customername"],
    "postcode": ["zip", "zip_code", "postal_code", "postalcode", "postcode_city"],
    "country": ["country_code", "land", "landcode"],
    "parent_id": ["parent", "parent_account", "holding", "moeder"],
}
DATE_FORMATS = {
    r"\d{8}": "%Y%m%d",
    r"\d{1,2}\.\d{1,2}\.\d{4}": "%d.%m.%Y",
    r"\d{4}/\d{1,2}/\d{1,2}": "%Y/%m/%d",
}


def propose_mapping(
    path: Path, *, table: str | None = None, preset: str | None = None, rows: int = 20
) -> str:
    """The text of a proposed mapping for the export ``path`` (CSV, xlsx, Parquet): one
    table, chosen by ``table`` or by which table's columns the export fits best; ``preset``
    (a name in :data:`~.mapping.PRESETS`) places columns first as that preset does.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "KNA1.csv"
    >>> _ = path.write_text("KUNNR,NAME1,PSTLZ,LAND1\\n100,Acme,80331,DE\\n")
    >>> print(propose_mapping(path, preset="sap_sd").splitlines()[2])
    accounts:
    """
    path = Path(path)
    if preset is not None and preset not in PRESETS:
        raise InputError.single("--preset", f"one of {', '.join(PRESETS)}", value=preset)
    if rows < 1:
        raise InputError.single("--rows", "a whole number of rows, at least 1", value=rows)
    frame = read_as_written(path).head(rows)
    header = {normal_name(c): str(c) for c in frame.columns}
    base = load_preset(preset, "--preset") if preset else {}
    if table is not None and table not in TABLES:
        raise InputError.single("--table", f"one of {', '.join(TABLES)}", value=table)
    candidates = [table] if table else list(PROPOSED_TABLES)
    placed = {t: _place(t, header, base.get(t) or {}) for t in candidates}
    chosen = table or max(candidates, key=lambda t: _fit(t, placed[t], base, path))
    return _write(path, frame, chosen, placed[chosen], header, base.get(chosen) or {}, preset)


def _fit(table: str, placed: dict[str, str], base: dict, path: Path) -> tuple:
    named = (base.get(table) or {}).get("file") == path.name
    required = sum(c in placed for c in TABLES[table].required_columns)
    return (named, required / len(TABLES[table].required_columns), len(placed))


def _place(table: str, header: dict[str, str], spec: dict) -> dict[str, str]:
    """contract column -> export column (as written) for the columns that can be placed."""
    placed: dict[str, str] = {}
    used: set[str] = set()
    aliases = _preset_aliases()
    for column in TABLES[table].column_names:
        tries = [normal_name(spec["columns"][column])] if column in spec.get("columns", {}) else []
        tries += [column, *SYNONYMS.get(column, []), *aliases.get((table, column), [])]
        for name in tries:
            if name in header and name not in used:
                placed[column] = header[name]
                used.add(name)
                break
    for column in TABLES[table].required_columns:  # one column may be key and name
        for name in aliases.get((table, column), []):
            if column not in placed and name in header:
                placed[column] = header[name]
    return placed


def _preset_aliases() -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for name in PRESETS:
        for table, spec in load_preset(name).items():
            for column, source in (spec.get("columns") or {}).items():
                out.setdefault((table, column), []).append(normal_name(source))
    return out


def _q(text: str) -> str:
    """``text`` as a YAML scalar: bare when plain, else double-quoted."""
    if re.fullmatch(r"[A-Za-z_][\w./ -]*[\w.]|[A-Za-z_]", text) and text.lower() not in (
        "yes",
        "no",
        "on",
        "off",
        "true",
        "false",
        "null",
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def _example(frame: pd.DataFrame, source: str) -> str:
    values = [cell_text(v).strip() for v in frame[source]]
    seen = next((v for v in values if v), "")
    return f"  # e.g. {seen[:40]}" if seen else "  # empty in the rows read"


def _write(path, frame, table, placed, header, spec, preset) -> str:
    contract = TABLES[table]
    source_of = {normal_name(s): s for s in placed.values()}
    lines = [
        f"# Proposed by account-analysis inspect from {path.name} ({len(frame)} rows read)"
        + (f", starting from preset {preset}" if preset else "")
        + ".",
        "# Check each line, then save it as mapping.yaml in the dataset folder.",
        f"{table}:",
        f"  file: {_q(path.name)}",
        "  columns:",
    ]
    for column in contract.columns:
        if column.name in placed:
            src = placed[column.name]
            lines.append(f"    {column.name}: {_q(src)}{_example(frame, src)}")
        else:
            need = "required" if column.required else "optional"
            lines.append(f"    # {column.name}: not placed ({need}) — {column.meaning}")
    lines += _values(frame, table, placed, spec)
    lines += _negative(frame, header, spec)
    lines += _dates(frame, table, placed)
    for key in ("extract",):
        if spec.get(key):
            lines.append(f"  {key}:")
            lines += [f"    {c}: {json.dumps(p)}" for c, p in spec[key].items() if c in placed]
    marker = normal_name((spec.get("negative_when") or {}).get("column", ""))
    unused = [
        s for n, s in header.items() if n not in source_of and not _in_lines(s, lines, marker, n)
    ]
    if unused:
        lines.append(f"# Columns of {path.name} not used: {', '.join(unused)}")
    return "\n".join(lines) + "\n"


def _in_lines(source: str, lines: list[str], marker: str, name: str) -> bool:
    return name == marker or f"column: {_q(source)}" in "\n".join(lines)


def _values(frame, table, placed, spec) -> list[str]:
    """For each placed choice column: a ``values`` entry per code seen that is not a
    contract value (the preset's translation where it has one)."""
    out: list[str] = []
    known = {**_known_codes(table), **(spec.get("values") or {})}
    for column in TABLES[table].columns:
        if not column.choices or column.name not in placed:
            continue
        codes = {str(k): str(v) for k, v in (known.get(column.name) or {}).items()}
        seen = sorted({cell_text(v).strip() for v in frame[placed[column.name]]})
        rows = []
        for code in seen:
            if not code or code in column.choices:  # empty: the contract's default
                continue
            if code in codes:
                rows.append(f"      {_q(code)}: {codes[code]}")
            else:
                choices = ", ".join(column.choices)
                rows.append(f"      # {_q(code)}: ?  — not placed: one of {choices}")
        if rows:
            out += [f"    {column.name}:", *rows]
    for column, codes in (spec.get("values") or {}).items():  # the preset's other codes
        if column in placed and not TABLES[table].column(column).choices:
            out += [
                f"    {column}:",
                *(f"      {_q(str(k))}: {_q(str(v))}" for k, v in codes.items()),
            ]
    return ["  values:", *out] if out else []


def _known_codes(table: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name in PRESETS:
        for column, codes in ((load_preset(name).get(table) or {}).get("values") or {}).items():
            out.setdefault(column, {}).update({str(k): str(v) for k, v in codes.items()})
    return out


def _negative(frame, header, spec) -> list[str]:
    """A ``negative_when`` where the export has a credit-note marker a preset knows."""
    rules = [spec["negative_when"]] if spec.get("negative_when") else []
    rules += [(load_preset(n).get("invoices") or {}).get("negative_when") for n in PRESETS]
    for rule in filter(None, rules):
        name = normal_name(rule["column"])
        if name in header:
            seen = {cell_text(v).strip() for v in frame[header[name]]}
            values = [str(v) for v in rule["values"]]
            return [
                "  negative_when:  # credit notes: their amounts are made negative"
                + ("" if seen & set(values) else " (none in the rows read)"),
                f"    column: {_q(header[name])}",
                f"    values: [{', '.join(_q(v) for v in values)}]",
            ]
    return []


def _dates(frame, table, placed) -> list[str]:
    out = []
    for column in TABLES[table].columns:
        if column.kind != "date" or column.name not in placed:
            continue
        seen = [cell_text(v).strip() for v in frame[placed[column.name]]]
        seen = [v for v in seen if v]
        for pattern, fmt in DATE_FORMATS.items():
            if seen and all(re.fullmatch(pattern, v) for v in seen):
                out.append(f"    {column.name}: {json.dumps(fmt)}")
                break
    return ["  date_formats:", *out] if out else []
