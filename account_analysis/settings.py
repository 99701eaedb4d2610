"""Run settings: ``params/defaults.yaml`` merged with one period file, validated once.

``params/defaults.yaml`` is the one place parameter defaults live; a period file names its
period and may override any default. Unknown keys, wrong types and impossible values are
errors naming the file and the key (papermill would only warn about unknown parameters).

>>> s = Settings.from_mapping({"period": "2026-Q3"})
>>> s.window.describe()
'24 months to September 2026'
>>> Settings.from_mapping({"period": "2026-Q3", "treshold": 0.05})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
account_analysis.errors.InputError: parameters, key treshold: ... expected one of the known keys...
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from . import config
from .errors import InputError, Problem
from .periods import Period, Window, parse_period

DEFAULTS_FILE = config.PARAMS_DIR / "defaults.yaml"
LANGUAGES = ("en", "nl")


@dataclass(frozen=True)
class Settings:
    """Validated settings of one period run. Build with :func:`load_settings`."""

    period: str
    dataset: str
    window_months: int
    threshold: float
    language: str
    reporting_currency: str
    restate_hierarchy: bool
    growth_target: float
    merger_pairs: tuple[tuple[str, str], ...]

    @property
    def parsed_period(self) -> Period:
        return parse_period(self.period)

    @property
    def window(self) -> Window:
        return self.parsed_period.window(self.window_months)

    @property
    def dataset_path(self) -> Path:
        return config.resolve(self.dataset)

    def as_parameters(self) -> dict:
        """Plain literals, as papermill injects them into the notebooks."""
        out = asdict(self)
        out["merger_pairs"] = [list(p) for p in self.merger_pairs]
        return out

    @classmethod
    def from_mapping(cls, values: dict, source: str = "parameters") -> Settings:
        """Validate ``values`` over the defaults; errors name ``source`` and the key."""
        merged = {**read_defaults(), **values}
        return _validate(merged, source)


_TYPES: dict[str, type] = {
    "period": str,
    "dataset": str,
    "window_months": int,
    "threshold": float,
    "language": str,
    "reporting_currency": str,
    "restate_hierarchy": bool,
    "growth_target": float,
    "merger_pairs": list,
}


_TYPE_WORDS = {str: "text", int: "a whole number", float: "a number such as 0.05",
               bool: "true or false",
               list: "a list of pairs of group ids, such as [[C10086, C10090]]"}


def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError.single(path, "an existing parameter file") from None
    except UnicodeDecodeError:
        raise InputError.single(path, "UTF-8 text") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise InputError.single(
            path, f"valid YAML ({getattr(err, 'problem', err)})",
            row=mark.line + 1 if mark else None,
        ) from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise InputError.single(path, "a mapping of key: value lines")
    return doc


def read_defaults() -> dict:
    """The shared defaults from ``params/defaults.yaml``."""
    return _read_yaml(DEFAULTS_FILE)


def _validate(values: dict, source: str) -> Settings:
    problems: list[Problem] = []

    def bad(key, value, expected):
        problems.append(Problem(source, None, key, value, expected, "key"))

    for key in values:
        if key not in _TYPES:
            bad(key, values[key], "one of the known keys: " + ", ".join(_TYPES))
    for key, typ in _TYPES.items():
        if key not in values or values[key] is None:
            bad(key, None, f"a value for {key}")
            continue
        value = values[key]
        if typ is float and isinstance(value, int) and not isinstance(value, bool):
            value = values[key] = float(value)
        if not isinstance(value, typ) or (isinstance(value, bool) and typ is not bool):
            bad(key, value, _TYPE_WORDS[typ])
    if problems:
        raise InputError(problems)

    try:
        parse_period(values["period"])
    except ValueError:
        bad("period", values["period"], "a quarter (2026-Q3), a month (2026-09) or a year (2026)")
    if not 1 <= values["window_months"] <= 120:
        bad("window_months", values["window_months"], "a whole number of months from 1 to 120")
    if not 0 < values["threshold"] <= 1:
        bad("threshold", values["threshold"], "a share above 0 and at most 1, such as 0.05")
    if values["language"] not in LANGUAGES:
        bad("language", values["language"], "one of " + ", ".join(LANGUAGES))
    if not 0 < values["growth_target"] <= 10:
        bad("growth_target", values["growth_target"], "a growth share above 0, such as 0.10")
    pairs = values["merger_pairs"]
    if not all(isinstance(p, list | tuple) and len(p) == 2
               and all(isinstance(g, str) and g for g in p) for p in pairs):
        bad("merger_pairs", pairs, "a list of pairs of group ids, such as [[C10086, C10090]]")
    else:
        values["merger_pairs"] = tuple(tuple(p) for p in pairs)
    cur = values["reporting_currency"]
    if not (len(cur) == 3 and cur.isalpha() and cur.isupper()):
        bad("reporting_currency", cur, "a three-letter currency code such as EUR")
    if problems:
        raise InputError(problems)
    return Settings(**{k: values[k] for k in _TYPES})


def load_settings(params_file: str | Path) -> Settings:
    """Settings of one period: defaults merged with ``params_file``, validated.

    A relative ``params_file`` is taken relative to the project root.
    """
    path = config.resolve(params_file)
    return _validate({**read_defaults(), **_read_yaml(path)}, str(path.name))
