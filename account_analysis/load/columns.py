"""What a column of the data contract is: its kinds, :class:`Column` and :class:`Table`.

The tables themselves are in :mod:`account_analysis.load.schema`; this module holds the
vocabulary they are written in, and the one RE2 matcher of the ``regex`` kind.

>>> Column("month", "month", True, "Month the rate applies to.", "2026-09").kind in KINDS
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache


@lru_cache(maxsize=4096)
def rule_pattern(pattern: str):
    """``pattern`` (an attribution rule's ``po_pattern``) compiled with RE2; its ``search(text)``
    is None when ``text`` does not match.

    RE2 matches in time linear in the text, whatever the pattern (Python's ``re`` backtracks:
    ``^(a+)+$`` against 34 a's and a ``!`` takes hours). It has no backreferences and no
    lookaround; such a pattern, or one too large to compile, raises ``ValueError`` with RE2's
    reason. The loader and both consolidation engines match with this one function.

    >>> rule_pattern("^PO-RTD-").search("PO-RTD-17") is not None
    True
    >>> rule_pattern(r"(a)\\1")
    Traceback (most recent call last):
    ...
    ValueError: invalid escape sequence: \\1
    """
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print its reason on stderr too
    try:
        return re2.compile(pattern, options)
    except re2.error as err:
        reason = err.args[0] if err.args else err
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(str(reason)) from None


# Column kinds understood by the loader.
#   text      free text, surrounding spaces stripped
#   id        identifier (text), surrounding spaces stripped, case kept
#   date      a calendar day: 2026-09-30 (ISO) or 30-09-2026 (Dutch day-month-year)
#   month     a calendar month: 2026-09
#   money     an amount with at most two decimals, kept as integer cents
#   number    a decimal number
#   integer   a whole number
#   bool      true/false, yes/no, ja/nee, 1/0 (empty = false)
#   currency  ISO 4217 code, three letters
#   choice    one of a fixed list of values (see ``choices``)
#   regex     a regular expression in RE2 syntax (see rule_pattern)
# Money is bounded so that every amount in cents fits exactly in int64 and in a double
# (|cents| < 10^15 < 2^53), also after conversion into the reporting currency.
MAX_AMOUNT = 10**13  # currency units, exclusive: |amount| < 10,000,000,000,000

KINDS = (
    "text",
    "id",
    "date",
    "month",
    "money",
    "number",
    "integer",
    "bool",
    "currency",
    "choice",
    "regex",
)


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    ``kind`` is one of :data:`KINDS`; ``choices`` go with kind ``choice`` only.

    >>> from account_analysis.load.schema import TABLES
    >>> TABLES["invoices"].column("status")  # doctest: +ELLIPSIS
    Column(name='status', kind='choice', required=False, meaning=..., choices=(...), bounds=())
    >>> Column("net_amount", "money", True, "Net amount of the line.", "1234.50").required
    True
    >>> Column("colour", "paint", False, "", "")
    Traceback (most recent call last):
    ...
    ValueError: unknown column kind 'paint' for colour
    """

    name: str
    kind: str
    required: bool
    meaning: str
    example: str
    choices: tuple[str, ...] = ()
    bounds: tuple[float, float] = ()  # a number's exclusive (lowest, highest), if bounded

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r} for {self.name}")
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError(f"column {self.name}: choices go with kind 'choice' only")


@dataclass(frozen=True)
class Table:
    """One input table: a file in the dataset folder.

    >>> from account_analysis.load.schema import TABLES
    >>> rates = TABLES["fx_rates"]
    >>> rates.name, rates.required, rates.key
    ('fx_rates', False, ('month', 'currency'))
    >>> rates.column_names, rates.column("rate").kind
    (['month', 'currency', 'rate'], 'number')
    """

    name: str
    required: bool
    purpose: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)
