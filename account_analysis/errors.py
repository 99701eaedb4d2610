"""One exception type for problems with the user's input, carrying where and what."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in an input file.

    ``row`` counts as a spreadsheet user does: the header is row 1, the first data row is 2.
    Any field may be ``None`` when it does not apply (an empty file has no row or column).

    >>> str(Problem("invoices.csv", 7, "net_amount", "12,3x", "a number such as 1234.50"))
    "invoices.csv, row 7, column net_amount: '12,3x' — expected a number such as 1234.50"
    """

    file: str
    row: int | None
    column: str | None
    value: object
    expected: str
    column_label: str = "column"  # "key" for parameter files

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"{self.column_label} {self.column}")
        value = "" if self.value is None else f"{self.value!r} — "
        return f"{', '.join(where)}: {value}expected {self.expected}"


class InputError(Exception):
    """Bad input: one or more :class:`Problem`.

    ``more`` counts problems found but not listed (the list is capped per file).
    """

    def __init__(self, problems: list[Problem], more: int = 0):
        self.problems = list(problems)
        self.more = more
        super().__init__(self.message())

    @classmethod
    def single(
        cls, file: str | Path, expected: str, *, row=None, column=None, value=None
    ) -> InputError:
        return cls([Problem(str(file), row, column, value, expected)])

    @property
    def count(self) -> int:
        return len(self.problems) + self.more

    def message(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.more:
            lines.append(f"… and {self.more:,} more problems of the same kind")
        return "\n".join(lines)
