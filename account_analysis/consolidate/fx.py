"""Amounts into the reporting currency, exactly: a rate as written (at most 15 significant
digits) is an exact fraction, and a line's cents times that fraction are rounded half to
even, in integers (never a binary float product).

>>> exact_rate(1.14)
(57, 50)
>>> convert_cents(np.array([1820775]), np.array([1.14])).tolist()  # 20,756.835 -> .84
[2075684]
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from ..errors import InputError

RATE_DIGITS = 15  # significant digits of a rate: what a float holds exactly, as Excel shows


def exact_rate(rate: float) -> tuple[int, int]:
    """A rate as an exact fraction ``(numerator, denominator)``, denominator > 0.

    The rate is taken as the decimal of at most :data:`RATE_DIGITS` significant digits
    nearest to it: the rate file's own text for any rate written with up to 15 digits
    (a binary float cannot tell longer ones apart), and what a spreadsheet shows for a
    typed cell.

    >>> exact_rate(1.14), exact_rate(1.1712), exact_rate(0.1 + 0.2)
    ((57, 50), (732, 625), (3, 10))
    """
    return Decimal(format(float(rate), f".{RATE_DIGITS}g")).as_integer_ratio()


def convert_cents(cents: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """``cents × rate`` rounded half to even, exactly: each rate as :func:`exact_rate`.

    ``cents`` integers, ``rates`` floats, aligned. Products that fit in 64 bits are
    computed in numpy integers; the others (a large amount at a rate of many digits) in
    Python integers. Returns int64, or an object array of Python ints when a result does
    not fit in 64 bits (the caller refuses it).

    >>> convert_cents(np.array([1820775, -1820775, 10000]), np.array([1.14] * 3)).tolist()
    [2075684, -2075684, 11400]
    """
    cents = np.asarray(cents, dtype="int64")
    where, uniq = pd.factorize(np.asarray(rates, dtype="float64"))
    fractions = [exact_rate(r) for r in uniq]
    limit = 2**62
    small = np.array([abs(n) < limit and d < limit for n, d in fractions], dtype=bool)
    num = np.array(
        [n if ok else 0 for (n, _), ok in zip(fractions, small, strict=True)], dtype="int64"
    )[where]
    den = np.array(
        [d if ok else 1 for (_, d), ok in zip(fractions, small, strict=True)], dtype="int64"
    )[where]
    # |cents × num| < 2^63, tested without overflowing: against a quotient.
    fits = small[where] & (np.abs(cents) <= (2**63 - 1) // np.maximum(np.abs(num), 1))
    p, d = cents[fits] * num[fits], den[fits]
    q = p // d  # floor division: the remainder is in [0, d)
    r = p - q * d
    q += (2 * r > d) | ((2 * r == d) & (q % 2 == 1))  # half to even
    out = np.zeros(len(cents), dtype="int64")
    out[fits] = q
    if fits.all():
        return out
    rest = np.flatnonzero(~fits)
    big = []
    for i in rest:
        n, d = fractions[where[i]]
        q, r = divmod(int(cents[i]) * n, d)
        big.append(q + (2 * r > d or (2 * r == d and q % 2 == 1)))
    if all(-(2**63) <= v < 2**63 for v in big):
        out[rest] = big
        return out
    wide = out.astype(object)
    wide[rest] = big
    return wide


def to_reporting_cents(
    invoices: pd.DataFrame, fx_rates: pd.DataFrame, reporting_currency: str, rows=None
) -> pd.Series:
    """Net amounts in the reporting currency, as integer cents (rounded half to even).

    The product of amount and rate is exact (:func:`convert_cents`), so a line whose
    product is exactly half a cent rounds to the even cent. ``rows``: the spreadsheet
    rows of the lines, for the error on an amount that no longer fits 64-bit cents.

    >>> inv = pd.DataFrame({"net_amount": [10000, 1820775], "currency": ["EUR", "GBP"],
    ...                     "invoice_date": pd.to_datetime(["2026-01-05", "2026-01-20"])})
    >>> fx = pd.DataFrame({"month": ["2026-01"], "currency": ["GBP"], "rate": [1.14]})
    >>> to_reporting_cents(inv, fx, "EUR").tolist()
    [10000, 2075684]
    """
    cents = invoices["net_amount"].astype("int64")
    foreign = (invoices["currency"] != reporting_currency).to_numpy()
    if not foreign.any():
        return cents
    sub = invoices.loc[foreign]
    month = sub["invoice_date"].dt.strftime("%Y-%m")
    key = pd.MultiIndex.from_arrays([month, sub["currency"]])
    rate = fx_rates.set_index(["month", "currency"])["rate"].reindex(key).to_numpy()
    if np.isnan(rate).any():
        i = int(np.flatnonzero(np.isnan(rate))[0])
        raise InputError.single(
            "invoices",
            f"a rate in fx_rates for {sub['currency'].iloc[i]} in {month.iloc[i]}",
            column="currency",
            value=sub["currency"].iloc[i],
        )
    out = cents.to_numpy().copy()
    converted = convert_cents(out[foreign], rate)
    if converted.dtype == object:
        i = next(j for j, v in enumerate(converted) if not -(2**63) <= v < 2**63)
        line = int(np.flatnonzero(foreign)[i])
        raise InputError.single(
            "invoices",
            f"an amount that stays within ±92,233,720,368,547,758.07 once "
            f"converted to {reporting_currency} at the rate {rate[i]:.{RATE_DIGITS}g}",
            row=None if rows is None else int(rows[line]),
            column="net_amount",
            value=int(sub["net_amount"].iloc[i]),
        )
    out[foreign] = converted
    return pd.Series(out, index=invoices.index, name="revenue_cents")
