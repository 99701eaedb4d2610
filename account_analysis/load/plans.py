"""Account plans: one YAML file per Large Account group, validated like every input.

The fields are those of :data:`~account_analysis.load.schema.ACCOUNT_PLAN_FIELDS` (documented in
``docs/data-contract.md``). :func:`load_account_plans` reads ``<dataset>/account_plans/*.yaml``
and returns one normalised plan per group, or raises
:class:`~account_analysis.errors.InputError` listing every problem of every plan file: the
file (``account_plans/C10001.yaml``), the line in it, the field as a path
(``objectives[2].due``, list items counted from 1), the value and what was expected.

A normalised plan is a plain dict with every field of the contract, in the YAML shape:
absent or empty lists are ``[]``, absent texts ``""``, an absent status ``{}``, an unknown
share ``None``, a stance left empty ``"unknown"``. Dates stay ISO strings (``"2027-06-30"``,
or ``None`` for an open due date): they sort as dates, and a notebook parameter or a JSON
dump keeps them as they are. Status periods are normalised labels (``2026-Q3``), statuses
lower case.

>>> plan = parse_account_plan('''
... group_id: C10001
... competitors:
... - name: Klimaatwerk
...   estimated_share: 0.3
... objectives:
... - text: Framework agreement
...   due: 2027-06-30
...   status: {2026q3: On Track}
... ''', "account_plans/C10001.yaml")
>>> plan["competitors"], plan["services"]
([{'name': 'Klimaatwerk', 'estimated_share': 0.3}], [])
>>> plan["objectives"][0]["due"], plan["objectives"][0]["status"]
('2027-06-30', {'2026-Q3': 'on track'})
>>> parse_account_plan("group_id: C10001\\nobjectives:\\n- text: X\\n  due: 30-06-2027\\n",
...                    "account_plans/C10001.yaml")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
account_analysis.errors.InputError: account_plans/C10001.yaml, row 4, field objectives[1].due: \
'30-06-2027' — expected an ISO date such as 2027-06-30
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from ..errors import InputError, Problem, ProblemCollector
from ..periods import parse_period
from .plan_fields import ACCOUNT_PLAN_FIELDS, ACCOUNT_PLANS_DIR, PlanField

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SHOWN_CHARS = 60  # longest value quoted in a message

# Top-level fields, and the fields of the items of each list of mappings.
TOP_FIELDS: dict[str, PlanField] = {k: f for k, f in ACCOUNT_PLAN_FIELDS.items() if "[]" not in k}
ITEM_FIELDS: dict[str, dict[str, PlanField]] = {
    name: {
        k.split("[].", 1)[1]: f
        for k, f in ACCOUNT_PLAN_FIELDS.items()
        if k.startswith(f"{name}[].")
    }
    for name, f in TOP_FIELDS.items()
    if f.kind == "list"
}


class _PlanLoader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates arrive as text and are checked here
    (PyYAML would turn ``2027-02-30`` into an exception instead of a message)."""


_PlanLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def dotted(path: tuple) -> str:
    """A field path as text: ``("objectives", 1, "due")`` → ``objectives[2].due``.

    List positions in ``path`` count from 0; in the text from 1, as a reader counts.

    >>> dotted(("objectives", 1, "due")), dotted(("group_id",))
    ('objectives[2].due', 'group_id')
    """
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _shown(value):
    if isinstance(value, dict | list):
        text = yaml.safe_dump(
            value, default_flow_style=True, allow_unicode=True, width=10_000
        ).strip()
        return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"
    return value


class _PlanCheck:
    """Validates one parsed plan document, reporting each problem at its YAML line."""

    def __init__(self, file: str, lines: dict[tuple, int], problems: ProblemCollector):
        self.file = file
        self.lines = lines
        self.problems = problems

    def line(self, path: tuple) -> int | None:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)

    def bad(self, path: tuple, value, expected: str) -> None:
        self.problems.add(self.line(path), dotted(path) or None, _shown(value), expected)

    # ----------------------------------------------------------------- kinds

    def text(self, path: tuple, value, required: bool) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.bad(path, None if value is None else value, "a value (the field is required)")
                return None
            return ""
        if isinstance(value, bool):
            self.bad(path, value, "text (put quotes around yes, no, on, off)")
            return None
        if isinstance(value, dict):
            self.bad(path, value, "text (put quotes around a text that holds ': ')")
            return None
        if not isinstance(value, str | int | float):
            self.bad(path, value, "text")
            return None
        return str(value).strip()

    def text_list(self, path: tuple, value) -> list[str] | None:
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(path, value, "a list of texts, one per line starting with '- '")
            return None
        return [self.text((*path, i), item, True) for i, item in enumerate(value)]

    def share(self, path: tuple, value) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            self.bad(
                path, value, "a share from 0 to 1 such as 0.3 (30% is 0.3), or empty when unknown"
            )
            return None
        return float(value)

    def date(self, path: tuple, value, required: bool) -> str | None:
        if value is None or value == "":
            if required:
                self.bad(path, value, "a date such as 2026-11-12 (the field is required)")
            return None
        text = value.strip() if isinstance(value, str) else None
        if text is None or not _ISO_DATE.match(text):
            self.bad(path, value, "an ISO date such as 2027-06-30")
            return None
        try:
            date.fromisoformat(text)
        except ValueError:
            self.bad(path, value, "an existing day, such as 2027-06-30")
            return None
        return text

    def choice(self, path: tuple, value, field: PlanField) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return field.default
        normal = " ".join(value.split()).lower() if isinstance(value, str) else None
        if normal not in field.choices:
            self.bad(path, value, "one of " + ", ".join(field.choices))
            return None
        return normal

    def status(self, path: tuple, value, field: PlanField) -> dict | None:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.bad(
                path,
                value,
                "a mapping of period to value reached, such as {2026-Q3: 14}"
                if field.kind == "progress"
                else "a mapping of period to status, such as {2026-Q3: on track}",
            )
            return None
        out = {}
        for key, status in value.items():
            where = (*path, str(key))
            try:
                label = parse_period(str(key).strip()).label
            except ValueError:
                self.bad(where, key, "a reporting period such as 2026-Q3, 2026-09 or 2026")
                continue
            if label in out:
                self.bad(where, key, f"each period once ({label} is given twice)")
                continue
            if field.kind == "progress":  # a value reached: any text, a number as text
                normal = _progress(status)
                if normal is None:
                    self.bad(where, status, "a value reached, such as 14 or 38%")
                    continue
            else:
                normal = " ".join(status.split()).lower() if isinstance(status, str) else None
                if normal not in field.choices:
                    self.bad(where, status, "one of " + ", ".join(field.choices))
                    continue
            out[label] = normal
        return out

    def value(self, path: tuple, value, field: PlanField):
        """The normalised value of one field; after a problem, whatever could be read."""
        if field.kind in ("id", "text"):
            return self.text(path, value, field.required)
        if field.kind == "text list":
            return self.text_list(path, value)
        if field.kind == "share":
            return self.share(path, value)
        if field.kind == "date":
            return self.date(path, value, field.required)
        if field.kind == "choice":
            return self.choice(path, value, field)
        if field.kind in ("status", "progress"):
            return self.status(path, value, field)
        return self.records(path, value)

    # ----------------------------------------------------------------- structure

    def mapping(self, path: tuple, doc: dict, fields: dict[str, PlanField]) -> dict:
        for key in doc:
            if key not in fields:
                self.bad((*path, str(key)), key, "one of the known fields: " + ", ".join(fields))
        out = {}
        for name, field in fields.items():
            if name in doc:
                out[name] = self.value((*path, name), doc[name], field)
            else:
                if field.required:
                    self.bad((*path, name), None, f"a field {name} (required)")
                out[name] = _empty(field)
        return out

    def records(self, path: tuple, value) -> list[dict] | None:
        if value is None:
            return []
        fields = ITEM_FIELDS[path[-1]]
        if not isinstance(value, list):
            self.bad(path, value, "a list of mappings with the fields " + ", ".join(fields))
            return None
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append(self.mapping((*path, i), item, fields))
            else:
                self.bad((*path, i), item, "a mapping with the fields " + ", ".join(fields))
        if path[-1] == "competitors":
            total = sum(c["estimated_share"] or 0.0 for c in out)
            if total > 1 + 1e-9:
                self.bad(path, round(total, 6), "estimated shares that add up to at most 1")
        return out


def _progress(value) -> str | None:
    """A value reached as text (``14``, ``38%``); None for an empty or non-scalar one."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = " ".join(str(value).split())
    return text or None


def _empty(field: PlanField):
    return {
        "text list": [],
        "list": [],
        "status": {},
        "progress": {},
        "share": None,
        "date": None,
        "choice": field.default,
    }.get(field.kind, "")


def _line_numbers(node, path: tuple, lines: dict, check: _PlanCheck) -> None:
    """Line (1-based) of every field path in the node tree; repeated keys are problems."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                check.problems.add(
                    line,
                    dotted((*path, key)),
                    key,
                    f"each field once (it is also on line {seen[key]})",
                )
                continue
            seen[key] = line
            lines[(*path, key)] = line
            _line_numbers(value_node, (*path, key), lines, check)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*path, i)] = item.start_mark.line + 1
            _line_numbers(item, (*path, i), lines, check)


def _parse(text: str, file: str, problems: ProblemCollector) -> dict | None:
    """One plan's text as a normalised plan, or None with its problems collected."""
    loader = _PlanLoader(text)
    try:
        node = loader.get_single_node()
        doc = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problems.add(
            mark.line + 1 if mark else None,
            None,
            None,
            f"valid YAML ({getattr(err, 'problem', None) or err})",
        )
        return None
    finally:
        loader.dispose()
    if not isinstance(doc, dict):
        problems.add(
            node.start_mark.line + 1 if node is not None else None,
            None,
            _shown(doc),
            "a mapping of fields, starting with group_id: <account id>",
        )
        return None
    lines: dict[tuple, int] = {}
    check = _PlanCheck(file, lines, problems)
    before = len(problems.listed) + problems.more
    _line_numbers(node, (), lines, check)
    plan = check.mapping((), doc, TOP_FIELDS)
    return plan if len(problems.listed) + problems.more == before else None


def parse_account_plan(text: str, file: str = "account plan") -> dict:
    """Validate the text of one plan (its fields only, not its group) and normalise it.

    Raises :class:`InputError` with every problem found; ``file`` names the plan in them.

    >>> plan = parse_account_plan("group_id: H\\nservices: [Onderhoud]\\n")
    >>> plan["services"], plan["market"], plan["objectives"]  # absent fields filled in
    (['Onderhoud'], '', [])
    >>> list(plan)
    ['group_id', 'market', 'market_challenges', 'services', 'competitors', 'stakeholders', \
'objectives', 'executive_meetings', 'benefits']
    """
    problems = ProblemCollector(file)
    plan = _parse(text, file, problems)
    _relabel(problems)
    problems.raise_if_any()
    return plan


def _relabel(problems: ProblemCollector) -> None:
    """Plan problems name a field, not a spreadsheet column."""
    problems.listed = [
        Problem(p.file, p.row, p.column, p.value, p.expected, "field") for p in problems.listed
    ]


def final_groups(
    accounts: pd.DataFrame, parent_links: pd.DataFrame | None = None
) -> pd.Series | None:
    """Group of every account after the last dated change of the group structure
    (account_id → group_id), or None when the structure has problems of its own (they
    are reported where the cube is built).

    >>> accounts = pd.DataFrame({"account_id": ["H", "D", "X"], "parent_id": ["", "H", ""],
    ...                          "parent_valid_from": pd.NaT, "parent_valid_to": pd.NaT})
    >>> final_groups(accounts).to_dict()
    {'H': 'H', 'D': 'H', 'X': 'X'}
    >>> final_groups(accounts.assign(parent_id=["D", "H", ""])) is None  # a cycle
    True
    """
    from .hierarchy import Hierarchy

    try:
        h = Hierarchy.build(accounts, parent_links)
    except InputError:
        return None
    return pd.Series(h.accounts[h.groups[-1]].to_numpy(), index=h.accounts, name="group_id")


def group_problem(group_id: str, groups: pd.Series, names: pd.Series) -> str | None:
    """Why ``group_id`` cannot have an account plan, or None when it can.

    ``groups`` maps account_id → group_id (see :func:`final_groups`), ``names`` account_id
    → name.

    >>> groups = pd.Series({"H": "H", "D": "H", "X": "X"})
    >>> names = pd.Series({"H": "Holding", "D": "Daughter", "X": "Other"})
    >>> group_problem("H", groups, names) is None
    True
    >>> group_problem("D", groups, names)
    'a top-level group; D belongs to group H (Holding): its plan is the plan of H'
    >>> group_problem("Q", groups, names)
    'an account_id that exists in accounts'
    """
    if group_id not in groups.index:
        return "an account_id that exists in accounts"
    top = groups[group_id]
    if top != group_id:
        return (
            f"a top-level group; {group_id} belongs to group {top} ({names.get(top, '')}):"
            f" its plan is the plan of {top}"
        )
    return None


def load_account_plans(
    folder: str | Path, accounts: pd.DataFrame, parent_links: pd.DataFrame | None = None
) -> dict[str, dict]:
    """Every plan in ``folder`` (``*.yaml``, ``*.yml``), validated: group_id → plan.

    ``accounts`` and ``parent_links`` are the validated tables of the dataset; a plan's
    group must be a top-level group in them. A missing folder means no plans. Raises
    :class:`InputError` with the problems of all files. Does not mutate its inputs.

    >>> import tempfile
    >>> accounts = pd.DataFrame({"account_id": ["H", "D"], "name": ["Holding", "Daughter"],
    ...                          "parent_id": ["", "H"], "parent_valid_from": pd.NaT,
    ...                          "parent_valid_to": pd.NaT})
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "H.yaml").write_text("group_id: H\\nservices: [Onderhoud]\\n")
    >>> {group: plan["services"] for group, plan in load_account_plans(folder, accounts).items()}
    {'H': ['Onderhoud']}
    >>> load_account_plans(folder / "absent", accounts)
    {}
    >>> _ = (folder / "D.yaml").write_text("group_id: D\\n")  # D belongs to H
    >>> load_account_plans(folder, accounts)
    Traceback (most recent call last):
    account_analysis.errors.InputError: account_plans/D.yaml, row 1, field group_id: 'D' \
\u2014 expected a top-level group; D belongs to group H (Holding): its plan is the plan of H
    """
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    paths = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not paths:
        return {}
    groups = final_groups(accounts, parent_links)
    if groups is None:  # the structure is broken: check existence only
        ids = accounts["account_id"].to_numpy(dtype=object)
        groups = pd.Series(ids, index=ids)
    names = accounts.set_index("account_id")["name"]
    plans: dict[str, dict] = {}
    files: dict[str, str] = {}
    listed, more = [], 0
    for path in paths:
        name = f"{ACCOUNT_PLANS_DIR}/{path.name}"
        problems = ProblemCollector(name)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            data = path.read_bytes()
            problems.add(
                data.count(b"\n", 0, err.start) + 1,
                None,
                f"byte 0x{data[err.start : err.start + 1].hex().upper()}",
                "UTF-8 text (save the file as UTF-8)",
            )
            text = None
        plan = _parse(text, name, problems) if text is not None else None
        if plan is not None:
            group = plan["group_id"]
            line = _group_line(text)
            why = group_problem(group, groups, names)
            if why:
                problems.add(line, "group_id", group, why)
            elif group in files:
                problems.add(
                    line,
                    "group_id",
                    group,
                    f"one plan per group; {files[group]} is the plan of {group}",
                )
            else:
                files[group] = name
                plans[group] = plan
        _relabel(problems)
        listed += problems.listed
        more += problems.more
    if listed or more:
        raise InputError(listed, more)
    return plans


def _group_line(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("group_id:"):
            return number
    return None


def plan_to_yaml(plan: dict) -> str:
    """A normalised plan as YAML text that :func:`parse_account_plan` reads back equal.

    >>> plan = parse_account_plan("group_id: C10001\\nservices: [Onderhoud]\\n")
    >>> print(plan_to_yaml(plan), end="")
    group_id: C10001
    market: ''
    market_challenges: []
    services:
    - Onderhoud
    competitors: []
    stakeholders: []
    objectives: []
    executive_meetings: []
    benefits: []
    >>> parse_account_plan(plan_to_yaml(plan)) == plan
    True
    """
    return yaml.safe_dump(plan, sort_keys=False, allow_unicode=True, width=100)


__all__ = [
    "dotted",
    "final_groups",
    "group_problem",
    "load_account_plans",
    "parse_account_plan",
    "plan_to_yaml",
]
