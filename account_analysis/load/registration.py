"""Registration ids of an account: KvK, VAT, LEI and DUNS numbers, checked and normalised.

Four optional columns of ``accounts`` (see :mod:`account_analysis.load.schema`) name the
legal entity behind an account in a public register. Two accounts with the same id are one
legal entity, whatever their names: :func:`~account_analysis.authoring.links.suggest_links`
takes that as exact evidence. A mistyped id would then link two strangers, so every id is
checked on loading, and a bad one is an input problem that says what was expected.

======== ===================================================================================
column   what is accepted (spaces, dots and dashes are ignored; letters in any case)
======== ===================================================================================
kvk      Dutch Chamber of Commerce (KvK) number: 8 digits
vat      EU VAT number with its country prefix, in that country's format (VIES): NL + 9
         digits + B + 2 digits, DE + 9 digits, BE + 10 digits starting 0 or 1, EL for Greece…
lei      Legal Entity Identifier (ISO 17442): 20 characters, check digits mod 97 = 1
duns     Dun & Bradstreet D-U-N-S number: 9 digits
======== ===================================================================================

>>> normalise_ids(pd.Series(["nl 8012.34.567.B01", "", "12-345-6789"])).tolist()
['NL801234567B01', '', '123456789']
>>> id_problems(pd.Series(["NL801234567B01", "NL80123456"]), "vat").tolist()
... # doctest: +ELLIPSIS
['', 'an EU VAT number in the format of its country: NL + 9 digits + B + 2 digits...']
"""

from __future__ import annotations

import pandas as pd

from ..errors import ProblemCollector
from .gleif import lei_problems

__all__ = ["ID_COLUMNS", "ID_LABELS", "VAT_FORMATS", "check_registration_ids", "id_problems",
           "normalise_ids"]  # fmt: skip

# The registration-id columns of ``accounts``, in the order evidence is weighed.
ID_COLUMNS = ("lei", "vat", "kvk", "duns")
# How a reason names each kind of id.
ID_LABELS = {"lei": "LEI", "vat": "VAT number", "kvk": "KvK number", "duns": "DUNS number"}

# National part of an EU VAT number after its prefix (European Commission, VIES), and the
# same in words for the message. Greece uses EL, Northern Ireland XI.
VAT_FORMATS: dict[str, tuple[str, str]] = {
    "AT": (r"U\d{8}", "U + 8 digits"),
    "BE": (r"[01]\d{9}", "10 digits starting 0 or 1"),
    "BG": (r"\d{9,10}", "9 or 10 digits"),
    "CY": (r"\d{8}[A-Z]", "8 digits + a letter"),
    "CZ": (r"\d{8,10}", "8 to 10 digits"),
    "DE": (r"\d{9}", "9 digits"),
    "DK": (r"\d{8}", "8 digits"),
    "EE": (r"\d{9}", "9 digits"),
    "EL": (r"\d{9}", "9 digits"),
    "ES": (r"[A-Z0-9]\d{7}[A-Z0-9]", "a letter or digit, 7 digits, a letter or digit"),
    "FI": (r"\d{8}", "8 digits"),
    "FR": (r"[A-HJ-NP-Z0-9]{2}\d{9}", "2 letters or digits + 9 digits"),
    "HR": (r"\d{11}", "11 digits"),
    "HU": (r"\d{8}", "8 digits"),
    "IE": (r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]", "7 digits + 1 or 2 letters"),
    "IT": (r"\d{11}", "11 digits"),
    "LT": (r"\d{9}|\d{12}", "9 or 12 digits"),
    "LU": (r"\d{8}", "8 digits"),
    "LV": (r"\d{11}", "11 digits"),
    "MT": (r"\d{8}", "8 digits"),
    "NL": (r"\d{9}B\d{2}", "9 digits + B + 2 digits"),
    "PL": (r"\d{10}", "10 digits"),
    "PT": (r"\d{9}", "9 digits"),
    "RO": (r"[1-9]\d{1,9}", "2 to 10 digits"),
    "SE": (r"\d{10}01", "12 digits ending 01"),
    "SI": (r"\d{8}", "8 digits"),
    "SK": (r"\d{10}", "10 digits"),
    "XI": (r"\d{9}|\d{12}|GD\d{3}|HA\d{3}", "9 or 12 digits"),
}  # fmt: skip

_EXPECT = {
    "kvk": "a KvK number: 8 digits, such as 12345678",
    "duns": "a DUNS number: 9 digits, such as 150483782",
    "vat_prefix": "an EU VAT number starting with its country code (NL, DE, BE, FR, EL …), "
    "such as NL801234567B01",
}


def normalise_ids(values: pd.Series) -> pd.Series:
    """Ids in one form: upper case, without spaces, dots and dashes; missing as ``""``.
    Does not mutate ``values``.

    >>> normalise_ids(pd.Series(["nl 8512.34-567b01", None])).tolist()
    ['NL851234567B01', '']
    """
    text = values.astype("str").where(values.notna(), "")
    return text.str.upper().str.replace(r"[\s.\-]", "", regex=True)


def _vat_problems(vat: pd.Series) -> pd.Series:
    prefix = vat.str[:2]
    verdict = pd.Series(_EXPECT["vat_prefix"], index=vat.index, dtype="str")
    for country, (pattern, words) in VAT_FORMATS.items():
        mine = prefix == country
        if mine.any():
            good = vat[mine].str[2:].str.fullmatch(pattern)
            expected = f"an EU VAT number in the format of its country: {country} + {words}"
            if country == "NL":
                expected = f"{expected}, such as NL801234567B01"
            verdict[mine] = good.map({True: "", False: expected})
    return verdict


def id_problems(ids: pd.Series, column: str) -> pd.Series:
    """Per normalised id of kind ``column`` (one of :data:`ID_COLUMNS`): ``""`` when valid
    or empty, else what was expected. Does not mutate ``ids``.

    >>> id_problems(pd.Series(["12345678", "1234567", ""]), "kvk").tolist()
    ['', 'a KvK number: 8 digits, such as 12345678', '']
    """
    if column not in ID_COLUMNS:
        raise ValueError(f"not a registration id column: {column!r}")
    verdict = pd.Series("", index=ids.index, dtype="str")
    given = ids != ""
    if not given.any():
        return verdict
    present = ids[given]
    if column == "kvk":
        bad = present.where(~present.str.fullmatch(r"\d{8}"), "")
        verdict[given] = bad.where(bad == "", _EXPECT["kvk"])
    elif column == "duns":
        bad = present.where(~present.str.fullmatch(r"\d{9}"), "")
        verdict[given] = bad.where(bad == "", _EXPECT["duns"])
    elif column == "vat":
        verdict[given] = _vat_problems(present)
    else:
        verdict[given] = lei_problems(present)
    return verdict


def check_registration_ids(accounts: pd.DataFrame, file: str) -> pd.DataFrame:
    """``accounts`` (as validated, with ``_row``) with its id columns normalised, or
    :class:`~account_analysis.errors.InputError` naming each bad id: file, row, column, value
    as written and what was expected. Columns absent from ``accounts`` are skipped. Does not
    mutate ``accounts``.

    >>> acc = pd.DataFrame({"_row": [2, 3], "kvk": ["1234 5678", "1234"]})
    >>> check_registration_ids(acc, "accounts.csv")
    Traceback (most recent call last):
    account_analysis.errors.InputError: accounts.csv, row 3, column kvk: '1234' \
\u2014 expected a KvK number: 8 digits, such as 12345678
    """
    problems = ProblemCollector(file)
    out = accounts.copy()
    for column in ID_COLUMNS:
        if column not in accounts.columns:
            continue
        ids = normalise_ids(accounts[column])
        verdict = id_problems(ids, column)
        bad = (verdict != "").to_numpy()
        for row, value, expected in zip(
            accounts["_row"].to_numpy()[bad],
            accounts[column].to_numpy()[bad],
            verdict.to_numpy()[bad],
            strict=True,
        ):
            problems.add(int(row), column, value, expected)
        out[column] = ids
    problems.raise_if_any()
    return out
