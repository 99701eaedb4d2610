"""Input mapping: an ERP export read as the data contract, by a ``mapping.yaml`` in the dataset.

The file says, per contract table, which export file holds it, which of the export's columns
is which contract column, how the export's codes translate into the contract's values
(statuses), which lines are credit notes (a document type, or a separate sign column) and how
its dates are written. It is applied when a file is read, before validation, so a problem is
still reported in the user's own file, row and column. A ``preset`` (a shipped mapping for a
known export, :data:`PRESETS`) can be the starting point; entries in the file override it.

>>> m = parse_mapping({"invoices": {"columns": {"net_amount": "AmountDC"}}})
>>> m.tables["invoices"].columns
{'net_amount': 'AmountDC'}
>>> sorted(PRESETS)
['afas_profit', 'exact_online', 'odoo', 'sap_sd']
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import yaml

from ..errors import InputError, Problem
from .read import cell_text, find_file, normal_name
from .schema import TABLES

MAPPING_FILE = "mapping.yaml"
PRESETS_DIR = Path(__file__).resolve().parent / "presets"
PRESETS = {p.stem: p for p in sorted(PRESETS_DIR.glob("*.yaml"))}
TABLE_KEYS = ("file", "columns", "values", "negative_when", "date_formats", "extract")


@dataclass(frozen=True)
class TableMapping:
    """How one export file becomes one contract table.

    ``columns``: contract column -> export column (as its header spells it);
    ``values``: contract column -> {export value: contract value};
    ``negative_when``: ``{"column": export column, "values": [...], "amounts": [...]}``, the
    lines whose column holds one of the values get negative amounts (credit notes);
    ``date_formats``: contract column -> a ``strftime`` pattern such as ``%Y%m%d``;
    ``extract``: contract column -> a regular expression whose one group is the value (the
    postcode out of ``1011 AB Amsterdam``).

    >>> m = TableMapping("invoices", columns={"net_amount": "AmountDC"})
    >>> m.source_name("net_amount"), m.source_name("status")
    ('AmountDC', None)
    """

    table: str
    file: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    negative_when: dict | None = None
    date_formats: dict[str, str] = field(default_factory=dict)
    extract: dict[str, str] = field(default_factory=dict)
    if_present: frozenset[str] = frozenset()  # a preset's optional columns: used when there

    def source_name(self, contract_column: str) -> str | None:
        """The export's column read as ``contract_column``, or None."""
        return self.columns.get(contract_column)


@dataclass(frozen=True)
class Mapping:
    """A dataset's mapping: one :class:`TableMapping` per mapped table.

    >>> m = parse_mapping({"accounts": {"columns": {"account_id": "Code", "name": "Code"}}})
    >>> frame = pd.DataFrame({"code": ["C1"], "land": ["NL"]})
    >>> m.apply("accounts", frame, "klanten.csv")
      land account_id name
    0   NL         C1   C1
    """

    tables: dict[str, TableMapping]
    file: str = MAPPING_FILE

    def find_file(self, folder: Path, table: str) -> Path | None:
        """The file of ``table``: the mapping's ``file`` (which must exist), else the
        contract's own name (:func:`~account_analysis.load.read.find_file`)."""
        mapped = self.tables.get(table)
        if mapped is None or mapped.file is None:
            return find_file(folder, table)
        path = folder / mapped.file
        if not path.is_file():
            found = ", ".join(sorted(p.name for p in folder.iterdir())) or "nothing"
            raise InputError(
                [
                    _key_problem(
                        self.file,
                        f"{table}.file",
                        mapped.file,
                        f"a file in {folder.name}; the folder holds {found}",
                    )
                ]
            )
        return path

    def apply(self, table: str, frame: pd.DataFrame, file_name: str) -> pd.DataFrame:
        """``frame`` (as :func:`~account_analysis.load.read.read_file` returns it, header
        names normalised) with the export's columns renamed and values mapped; a new frame,
        the input is not changed. InputError when a mapped column is not in the file."""
        mapped = self.tables.get(table)
        if mapped is None:
            return frame
        absent = {
            c for c in mapped.if_present if normal_name(mapped.columns[c]) not in frame.columns
        }
        if absent:
            kept = {c: s for c, s in mapped.columns.items() if c not in absent}
            mapped = replace(mapped, columns=kept)
        _check_columns_present(self.file, mapped, frame, file_name)
        frame = frame.copy()
        if mapped.negative_when:
            _make_negative(frame, mapped.negative_when, mapped)
        # One export column may feed two contract columns (a name that is also the key).
        taken = {c: frame[normal_name(s)] for c, s in mapped.columns.items()}
        used = {normal_name(s) for s in mapped.columns.values()}
        rest = frame.drop(columns=[c for c in frame.columns if c in taken or c in used])
        frame = pd.concat([rest, pd.DataFrame(taken, index=frame.index)], axis=1)
        for contract, pattern in mapped.extract.items():
            if contract in frame.columns:
                found = _text(frame[contract]).str.extract(pattern, expand=False)
                frame[contract] = frame[contract].astype(object).where(found.isna(), found)
        for contract, codes in mapped.values.items():
            if contract in frame.columns:
                frame[contract] = _map_values(frame[contract], codes)
        for contract, pattern in mapped.date_formats.items():
            if contract in frame.columns:
                frame[contract] = _iso_dates(frame[contract], pattern)
        return frame

    def in_users_words(self, err: InputError, files: dict[str, str]) -> InputError:
        """``err`` with each contract column of a mapped file named as the export names it
        (``AmountDC (net_amount)``). ``files``: file name -> table."""
        problems = []
        for p in err.problems:
            table = files.get(p.file)
            mapped = self.tables.get(table) if table else None
            source = mapped.source_name(p.column) if mapped and p.column else None
            if source is not None and normal_name(source) != p.column:
                p = Problem(
                    p.file, p.row, f"{source} ({p.column})", p.value, p.expected, p.column_label
                )
            problems.append(p)
        return InputError(problems, err.more)

    def fingerprint(self) -> bytes:
        """The mapping's content, for cache keys: a changed mapping is a changed dataset."""
        return hashlib.sha256(
            repr(
                sorted(
                    (
                        t,
                        m.file,
                        sorted(m.columns.items()),
                        sorted((k, sorted(v.items())) for k, v in m.values.items()),
                        repr(m.negative_when),
                        sorted(m.date_formats.items()),
                        sorted(m.extract.items()),
                    )
                    for t, m in self.tables.items()
                )
            ).encode()
        ).digest()


def _key_problem(file: str, key: str, value, expected: str) -> Problem:
    return Problem(file, None, key, value, expected, column_label="key")


# --------------------------------------------------------------------------- reading


def read_mapping(folder: Path) -> Mapping | None:
    """The mapping of a dataset folder (its ``mapping.yaml``), or None when it has none.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> read_mapping(folder) is None
    True
    >>> _ = (folder / "mapping.yaml").write_text("preset: sap_sd\\n")
    >>> read_mapping(folder).tables["invoices"].columns["billing_account"]
    'KUNRG'
    """
    path = Path(folder) / MAPPING_FILE
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise InputError.single(
            MAPPING_FILE, f"valid UTF-8 YAML ({' '.join(str(err).split())})"
        ) from None
    return parse_mapping({} if data is None else data, MAPPING_FILE)


def load_preset(name: str, file: str = MAPPING_FILE) -> dict:
    """The raw content of the shipped preset ``name``; InputError naming the presets.

    >>> load_preset("odoo")["invoices"]["negative_when"]
    {'column': 'move_type', 'values': ['out_refund']}
    >>> load_preset("sap")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    account_analysis.errors.InputError: mapping.yaml, key preset: 'sap' — expected one of ...
    """
    if name not in PRESETS:
        raise InputError([_key_problem(file, "preset", name, f"one of {', '.join(PRESETS)}")])
    return yaml.safe_load(PRESETS[name].read_text(encoding="utf-8")) or {}


def parse_mapping(data, file: str = MAPPING_FILE) -> Mapping:
    """A :class:`Mapping` from the YAML content of a mapping file, its ``preset`` merged
    under it; InputError listing every problem (unknown tables, keys, contract columns).

    >>> parse_mapping({"invoices": {"columns": {"amount": "AmountDC"}}})
    Traceback (most recent call last):
    account_analysis.errors.InputError: mapping.yaml, key invoices.columns.amount: 'amount' \
— expected a column of the contract's invoices table: invoice_id, invoice_date, \
billing_account, net_amount, line_no, currency, ordering_unit, service_line, \
account_manager, status, po_reference
    """
    if not isinstance(data, dict):
        raise InputError.single(
            file,
            "a mapping of table names (invoices, accounts, …) "
            "to their columns, optionally with preset: NAME",
        )
    data = dict(data)
    preset = data.pop("preset", None)
    optional: dict[str, set[str]] = {}
    if preset is not None:
        base = load_preset(str(preset), file)
        for table, spec in base.items():
            mine = data.get(table)
            own = (mine.get("columns") or {}) if isinstance(mine, dict) else {}
            optional[table] = {
                c
                for c in (spec.get("columns") or {})
                if c not in own
                and c in TABLES[table].column_names
                and c not in TABLES[table].required_columns
            }
        data = _merged(base, data)
    problems: list[Problem] = []
    tables = {}
    for table, spec in data.items():
        if table not in TABLES:
            problems.append(
                _key_problem(
                    file, table, None, "preset or a table of the contract: " + ", ".join(TABLES)
                )
            )
            continue
        mapped = _table_mapping(file, table, spec, problems)
        if mapped is not None:
            tables[table] = replace(mapped, if_present=frozenset(optional.get(table, ())))
    if problems:
        raise InputError(problems)
    return Mapping(tables, file)


def _merged(base: dict, over: dict) -> dict:
    """``over`` on top of ``base``, table by table and key by key (one level deeper for
    ``columns``, ``values``, ``date_formats`` and ``extract``)."""
    out = {t: dict(v) if isinstance(v, dict) else v for t, v in base.items()}
    for table, spec in over.items():
        if not isinstance(spec, dict) or not isinstance(out.get(table), dict):
            out[table] = spec
            continue
        for key, value in spec.items():
            if key in ("columns", "values", "date_formats", "extract") and isinstance(value, dict):
                out[table][key] = {**(out[table].get(key) or {}), **value}
            else:
                out[table][key] = value
    return out


def _table_mapping(file: str, table: str, spec, problems: list[Problem]) -> TableMapping | None:
    if not isinstance(spec, dict):
        problems.append(_key_problem(file, table, spec, "a mapping with " + ", ".join(TABLE_KEYS)))
        return None
    for key in spec:
        if key not in TABLE_KEYS:
            problems.append(
                _key_problem(file, f"{table}.{key}", None, "one of " + ", ".join(TABLE_KEYS))
            )
    add = problems.append
    columns = _named(file, table, "columns", spec, add)
    values = {}
    raw_values = spec.get("values") or {}
    if not isinstance(raw_values, dict):
        add(
            _key_problem(
                file,
                f"{table}.values",
                raw_values,
                "contract columns, each with {export value: contract value}",
            )
        )
        raw_values = {}
    for name, codes in raw_values.items():
        if _known_column(file, table, f"values.{name}", name, add):
            values[name] = _codes(file, table, name, codes, problems)
    dates = _named(file, table, "date_formats", spec, add)
    for name in dates:
        if TABLES[table].column(name).kind != "date":
            dated = ", ".join(c.name for c in TABLES[table].columns if c.kind == "date")
            add(
                _key_problem(
                    file, f"{table}.date_formats.{name}", name, f"a date column of {table}: {dated}"
                )
            )
    extract = _named(file, table, "extract", spec, add)
    for name, pattern in extract.items():
        if _groups(pattern) != 1:
            add(
                _key_problem(
                    file,
                    f"{table}.extract.{name}",
                    pattern,
                    "a regular expression with one (group)",
                )
            )
    negative = _negative_when(file, table, spec.get("negative_when"), problems)
    path = spec.get("file")
    if path is not None and (not isinstance(path, str) or Path(path).name != path):
        add(
            _key_problem(
                file, f"{table}.file", path, "a file name in the dataset folder, such as VBRP.csv"
            )
        )
    return TableMapping(table, path, columns, values, negative, dates, extract)


def _named(file: str, table: str, key: str, spec: dict, add) -> dict[str, str]:
    """``spec[key]`` as a dict of texts, keeping only the contract's columns (the others
    reported)."""
    problems: list[Problem] = []
    raw = _text_dict(file, f"{table}.{key}", spec.get(key), problems)
    for p in problems:
        add(p)
    return {n: v for n, v in raw.items() if _known_column(file, table, f"{key}.{n}", n, add)}


def _known_column(file: str, table: str, key: str, name: str, add) -> bool:
    names = TABLES[table].column_names
    if name in names:
        return True
    add(
        _key_problem(
            file,
            f"{table}.{key}",
            name,
            f"a column of the contract's {table} table: {', '.join(names)}",
        )
    )
    return False


def _codes(file: str, table: str, name: str, codes, problems: list[Problem]) -> dict[str, str]:
    key = f"{table}.values.{name}"
    codes = _text_dict(file, key, codes, problems)
    choices = TABLES[table].column(name).choices
    for code, target in codes.items():
        if choices and target not in choices:
            problems.append(
                _key_problem(file, f"{key}.{code}", target, f"one of {', '.join(choices)}")
            )
    return codes


def _groups(pattern: str) -> int:
    try:
        return re.compile(pattern).groups
    except re.error:
        return 0


def _text_dict(file: str, key: str, raw, problems: list[Problem]) -> dict[str, str]:
    """``raw`` as a dict of texts (YAML may read a code such as 8021 as a number)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(_key_problem(file, key, raw, "a mapping of names to names"))
        return {}
    out = {}
    for k, v in raw.items():
        if v is None or isinstance(v, (dict, list)):
            problems.append(_key_problem(file, f"{key}.{k}", v, "a single name or code"))
            continue
        out[str(k)] = cell_text(v)
    return out


def _negative_when(file: str, table: str, raw, problems: list[Problem]) -> dict | None:
    if raw is None:
        return None
    key = f"{table}.negative_when"
    money = [c.name for c in TABLES[table].columns if c.kind == "money"]
    if (
        not isinstance(raw, dict)
        or set(raw) - {"column", "values", "amounts"}
        or not isinstance(raw.get("column"), str)
        or not isinstance(raw.get("values"), list)
    ):
        problems.append(
            _key_problem(
                file,
                key,
                raw,
                "column: an export column, values: a list "
                "of its values that mark a credit note (amounts: optional)",
            )
        )
        return None
    amounts = raw.get("amounts") or money
    for name in amounts:
        if name not in money:
            problems.append(
                _key_problem(
                    file, f"{key}.amounts", name, f"a money column of {table}: {', '.join(money)}"
                )
            )
    return {
        "column": raw["column"],
        "values": [cell_text(v) for v in raw["values"]],
        "amounts": list(amounts),
    }


# --------------------------------------------------------------------------- applying


def _check_columns_present(
    file: str, mapped: TableMapping, frame: pd.DataFrame, file_name: str
) -> None:
    wanted = [(f"{mapped.table}.columns.{c}", s) for c, s in mapped.columns.items()]
    if mapped.negative_when:
        wanted.append((f"{mapped.table}.negative_when.column", mapped.negative_when["column"]))
    header = ", ".join(frame.columns)
    problems = [
        _key_problem(file, key, src, f"a column of {file_name}; its header has {header}")
        for key, src in wanted
        if normal_name(src) not in frame.columns
    ]
    if problems:
        raise InputError(problems)


def _text(series: pd.Series) -> pd.Series:
    return series.map(cell_text).str.strip()


def _map_values(series: pd.Series, codes: dict[str, str]) -> pd.Series:
    """Each export code replaced by its contract value; other values kept, so validation
    names them."""
    mapped = _text(series).map(codes)
    return series.astype(object).where(mapped.isna(), mapped)


def _make_negative(frame: pd.DataFrame, rule: dict, mapped: TableMapping) -> None:
    """The amounts of the marked lines made negative (whatever sign the export wrote),
    in place on ``frame`` (a copy made by the caller)."""
    marked = _text(frame[normal_name(rule["column"])]).isin(rule["values"])
    for contract in rule["amounts"]:
        source = normal_name(mapped.columns.get(contract, contract))
        if source not in frame.columns:
            continue
        frame[source] = frame[source].astype(object).where(~marked, frame[source].map(_negated))


def _negated(value):
    """A written amount as a negative one: ``125,00`` -> ``-125,00``; ``125,00-`` (SAP's
    trailing minus) and ``-125`` stay negative; a number cell -> minus its absolute value.

    >>> _negated("125,00"), _negated("125,00-"), _negated(" -7 "), _negated(12.5), _negated("")
    ('-125,00', '-125,00', '-7', -12.5, '')
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return -abs(value)
    text = cell_text(value).strip()
    if not text:
        return text
    return "-" + text.strip("-").strip()


def _iso_dates(series: pd.Series, pattern: str) -> pd.Series:
    """Dates written as ``pattern`` in ISO form; a value that does not fit stays as it is,
    so validation names it."""
    text = _text(series)
    parsed = pd.to_datetime(text, format=pattern, errors="coerce")
    return series.astype(object).where(parsed.isna(), parsed.dt.strftime("%Y-%m-%d"))
