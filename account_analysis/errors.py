"""One exception type for problems with the user's input, carrying where and what."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXAMPLES_PER_KIND = 5  # problems of one kind (column + expectation) listed per file
CAP_PER_FILE = 50  # problems listed per file at most; the rest are counted


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


class ProblemCollector:
    """Collects the problems of one file, listing a few per kind and counting the rest.

    >>> c = ProblemCollector("x.csv")
    >>> for row in range(2, 12):
    ...     c.add(row, "net_amount", "abc", "a number")
    >>> len(c.listed), c.more
    (5, 5)
    """

    def __init__(self, file: str):
        self.file = file
        self.listed: list[Problem] = []
        self.more = 0
        self._per_kind: dict[tuple, int] = {}

    def add(self, row, column, value, expected) -> None:
        kind = (column, expected)
        seen = self._per_kind.get(kind, 0)
        self._per_kind[kind] = seen + 1
        if seen < EXAMPLES_PER_KIND and len(self.listed) < CAP_PER_FILE:
            self.listed.append(Problem(self.file, row, column, value, expected))
        else:
            self.more += 1

    def add_rows(self, rows, values, column: str, expected: str) -> None:
        """One problem per row; ``rows`` and ``values`` are aligned sequences."""
        rows, values = list(rows), list(values)
        for row, value in zip(rows[:CAP_PER_FILE], values[:CAP_PER_FILE], strict=True):
            self.add(int(row), column, value, expected)
        self.more += max(0, len(rows) - CAP_PER_FILE)

    def add_where(self, bad, rows, values, column: str, expected: str) -> None:
        """One problem per row where the boolean mask ``bad`` is set."""
        if bad.any():
            self.add_rows(rows[bad], values[bad], column, expected)

    def raise_if_any(self) -> None:
        if self:
            raise InputError(self.listed, self.more)

    def __bool__(self) -> bool:
        return bool(self.listed) or self.more > 0


def in_one_line(err: BaseException) -> str:
    """An exception as one line for a person: its type and message, at most 300 characters
    of it, whitespace (line breaks too) as single spaces.

    >>> in_one_line(OSError("No space left\\n  on device"))
    'OSError: No space left on device'
    """
    return f"{type(err).__name__}: {' '.join(str(err).split())[:300]}"
