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

import re
from dataclasses import asdict, dataclass, field
from email.headerregistry import Address
from email.utils import getaddresses, parseaddr
from pathlib import Path

import yaml

from .. import config
from ..errors import InputError, Problem
from ..periods import Period, Window, parse_period
from ..words import languages
from .statuses import STATUS_CODES, TREATMENTS, status_treatment

DEFAULTS_FILE = config.PARAMS_DIR / "defaults.yaml"
LANGUAGES = languages()  # one per word catalog (account_analysis/locales)

# Mail settings are for `account-analysis send`, not for the notebooks: they are validated here
# with the rest but never injected as notebook parameters (see Settings.as_parameters).
MAIL_KEYS = (
    "mail_from",
    "mail_management",
    "smtp_host",
    "smtp_port",
    "smtp_security",
    "smtp_ca_file",
)
SMTP_SECURITY = ("starttls", "tls", "none")
# The only place SMTP credentials come from; never from a parameter file.
SMTP_USER_ENV = "ACCOUNT_ANALYSIS_SMTP_USER"
SMTP_PASSWORD_ENV = "ACCOUNT_ANALYSIS_SMTP_PASSWORD"
# A key that looks like a credential: refused with a pointer to the environment variables, and
# its value is never repeated in the message. Matched broadly, in the languages our users
# write: words anywhere in the key, short ones (pw, pin, ...) as a whole part of it.
_CREDENTIAL_WORDS = re.compile(
    r"pass|secret|token|key|credential|auth|login|user|cookie|session|bearer|private|"
    r"wacht|geheim|sleutel|kennw|parol|has[lł]o|contrase|senha|salasana|jelsz|heslo|"
    r"adgangskode|l[oö]senord|motdepasse|mot_de_passe|пароль|密码|密碼|パスワード|비밀번호",
    re.IGNORECASE,
)
_CREDENTIAL_PARTS = {"pw", "pwd", "pin", "mdp", "cle", "clé", "clave", "pwort", "kw"}
# A value holding a password: URL or host with user info (user:pw@host, smtp://user@host), or
# a secret word with a value (password=..., token: ...).
_CREDENTIAL_VALUE = re.compile(
    r"[^\s/@:]+:[^\s/@]*@|://[^\s/@]+@|(?:"
    + _CREDENTIAL_WORDS.pattern
    + r"|\bpwd?|\bpin)\w*\s*[=:]\s*\S",
    re.IGNORECASE,
)
_HIDDEN = " (the value is not shown: it looks like it holds a password)"


def looks_like_credential_key(key) -> bool:
    """Whether a parameter name looks like it holds a credential (any language we know).

    >>> [looks_like_credential_key(k) for k in ("wachtwoord", "smtp_pwd", "apiKey", "period")]
    [True, True, True, False]
    """
    key = str(key)
    parts = re.split(r"[\W_]+|(?<=[a-z])(?=[A-Z])", key)  # smtp_pwd, smtpPwd -> pwd
    return bool(_CREDENTIAL_WORDS.search(key)) or any(p.lower() in _CREDENTIAL_PARTS for p in parts)


def looks_like_credential_value(value) -> bool:
    """Whether a value (or any text inside a list or mapping) looks like it holds a password.

    >>> [looks_like_credential_value(v) for v in ("user:PW@smtp.example.nl",
    ...     "smtps://mailer@smtp.example.nl", ["a@b.nl", "token=abc"], "Sales <s@example.nl>")]
    [True, True, True, False]
    """
    if isinstance(value, dict):
        return any(
            looks_like_credential_value(v) or looks_like_credential_value(k)
            for k, v in value.items()
        )
    if isinstance(value, list | tuple | set):
        return any(looks_like_credential_value(v) for v in value)
    return isinstance(value, str) and bool(_CREDENTIAL_VALUE.search(value))


@dataclass(frozen=True)
class MailSettings:
    """Where and how the reports are mailed (the ``mail_*`` and ``smtp_*`` keys).

    ``management`` receive the period reports; account managers come from the briefing
    manifest. ``security`` is ``starttls``, ``tls`` (implicit TLS) or ``none``; ``ca_file`` is
    an extra CA bundle to trust ("" means the system's trust store only).
    """

    sender: str
    management: tuple[str, ...]
    host: str
    port: int
    security: str
    ca_file: str

    @property
    def ca_path(self) -> Path | None:
        return config.resolve(self.ca_file) if self.ca_file else None


@dataclass(frozen=True)
class Settings:
    """Validated settings of one period run. Build with :func:`load_settings`."""

    period: str
    dataset: str
    data_language: str
    window_months: int
    threshold: float
    language: str
    reporting_currency: str
    restate_hierarchy: bool
    growth_target: float
    major_customer_mark: float
    top3_loss_mark: float
    merger_pairs: tuple[tuple[str, str], ...]
    # Disputed and on-hold lines: (status, count | exclude | flag) pairs, every such status.
    status_treatment: tuple[tuple[str, str], ...] = ()
    mail: MailSettings = field(default=None, compare=False, repr=False)

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
        """Plain literals, as papermill injects them into the notebooks (no mail settings)."""
        out = asdict(self)
        out.pop("mail", None)
        out["merger_pairs"] = [list(p) for p in self.merger_pairs]
        out["status_treatment"] = dict(self.status_treatment)
        return out

    @property
    def statuses(self) -> dict[str, str]:
        """The treatment of each doubtful status, as :func:`~account_analysis.build_cube`
        takes it (``statuses=``)."""
        return dict(self.status_treatment)

    @classmethod
    def from_mapping(cls, values: dict, source: str = "parameters") -> Settings:
        """Validate ``values`` over the defaults; errors name ``source`` and the key."""
        merged = {**read_defaults(), **values}
        return _validate(merged, source)

    @classmethod
    def for_period(cls, values: dict) -> Settings:
        """The settings an analyst asks for with ``values``: ``params/defaults.yaml``, over it
        the period's own file ``params/<period>.yaml`` when there is one (as the batch runs
        that period), over both the ``values`` given (``None``: not given).

        >>> Settings.for_period({"period": "2026-Q3"}).language  # params/2026-Q3.yaml
        'nl'
        >>> Settings.for_period({"period": "2026-Q3", "language": "en"}).language
        'en'
        >>> Settings.for_period({"period": "2026-Q3", "language": None}).language
        'nl'
        """
        given = {k: v for k, v in values.items() if v is not None}
        period_file = config.PARAMS_DIR / f"{given.get('period', '')}.yaml"
        if "period" not in given or period_file == DEFAULTS_FILE or not period_file.is_file():
            return cls.from_mapping(given)
        own = load_settings(period_file).as_parameters()  # its errors name the file
        return _validate({**read_defaults(), **own, **given}, f"parameters over {period_file.name}")


_TYPES: dict[str, type] = {
    "period": str,
    "dataset": str,
    "data_language": str,
    "window_months": int,
    "threshold": float,
    "language": str,
    "reporting_currency": str,
    "restate_hierarchy": bool,
    "growth_target": float,
    "major_customer_mark": float,
    "top3_loss_mark": float,
    "merger_pairs": list,
    "status_treatment": dict,
    "mail_from": str,
    "mail_management": list,
    "smtp_host": str,
    "smtp_port": int,
    "smtp_security": str,
    "smtp_ca_file": str,
}


_TYPE_WORDS = {
    str: "text",
    int: "a whole number",
    float: "a number such as 0.05",
    bool: "true or false",
    list: "a list of pairs of group ids, such as [[C10086, C10090]]",
    dict: "a mapping such as {disputed: flag, on hold: exclude}",
}


class _ParamsLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: a parameter file needs neither, and aliases nested
    a few levels deep expand to gigabytes (a "billion laughs" file)."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None,
                None,
                "no anchors or aliases (&name, *name): write each value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError.single(path, "an existing parameter file") from None
    except IsADirectoryError:
        raise InputError.single(path, "a parameter file, not a folder") from None
    except UnicodeDecodeError:
        raise InputError.single(path, "UTF-8 text") from None
    except OSError as err:
        raise InputError.single(path, f"a readable parameter file ({err.strerror})") from None
    try:
        doc = yaml.load(text, Loader=_ParamsLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise InputError.single(
            path,
            f"valid YAML ({getattr(err, 'problem', err)})",
            row=mark.line + 1 if mark else None,
        ) from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise InputError.single(path, "a mapping of key: value lines")
    keys = [key for key in doc if not isinstance(key, str)]
    if keys:  # `1: x` or `true: x` would reach the key checks as a number or a bool
        raise InputError(
            [
                Problem(
                    str(path),
                    None,
                    str(key),
                    None,
                    "a key that is a name, such as threshold",
                    "key",
                )
                for key in keys
            ]
        )
    return doc


def read_defaults() -> dict:
    """The shared defaults from ``params/defaults.yaml``."""
    return _read_yaml(DEFAULTS_FILE)


def _check_marks(values: dict, bad) -> None:
    """The verdict's dependency marks: shares of revenue (analysis.verdict)."""
    for key, example in (("major_customer_mark", "0.10"), ("top3_loss_mark", "0.25")):
        if not 0 < values[key] <= 1:
            bad(key, values[key], f"a share of revenue above 0 and at most 1, such as {example}")


def _validate(values: dict, source: str) -> Settings:
    problems: list[Problem] = []

    def bad(key, value, expected):
        if looks_like_credential_value(value):
            value, expected = None, expected + _HIDDEN
        problems.append(Problem(source, None, key, value, expected, "key"))

    _check_keys_and_types(values, bad)
    if problems:
        raise InputError(problems)
    _check_values(values, bad)
    mail = _validate_mail(values, bad)
    if problems:
        raise InputError(problems)
    return Settings(**{k: values[k] for k in _TYPES if k not in MAIL_KEYS}, mail=mail)


def _check_keys_and_types(values: dict, bad) -> None:
    """Each key known (a credential's name refused as such) and each value there and of its
    type, each problem said through ``bad(key, value, expected)``. A whole number where a
    number is expected becomes a float in ``values``."""
    for key in values:
        if key not in _TYPES and looks_like_credential_key(key):
            bad(
                key,
                None,
                "no credentials in parameter files: set the environment variables "
                f"{SMTP_USER_ENV} and {SMTP_PASSWORD_ENV} instead (the value is not shown)",
            )
        elif key not in _TYPES:
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


def _check_values(values: dict, bad) -> None:
    """Each value, of its type already, in its range, each problem said through
    ``bad(key, value, expected)``; valid merger pairs become tuples in ``values``."""
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
    if not re.fullmatch(r"[a-z]{2,3}", values["data_language"]):
        bad(
            "data_language",
            values["data_language"],
            "the language code the dataset's free text is written in, such as nl or en",
        )
    if not 0 < values["growth_target"] <= 10:
        bad("growth_target", values["growth_target"], "a growth share above 0, such as 0.10")
    _check_marks(values, bad)
    pairs = values["merger_pairs"]
    if not all(
        isinstance(p, list | tuple) and len(p) == 2 and all(isinstance(g, str) and g for g in p)
        for p in pairs
    ):
        bad("merger_pairs", pairs, "a list of pairs of group ids, such as [[C10086, C10090]]")
    else:
        values["merger_pairs"] = tuple(tuple(p) for p in pairs)
    _check_status_treatment(values, bad)
    cur = values["reporting_currency"]
    if not (len(cur) == 3 and cur.isalpha() and cur.isupper()):
        bad("reporting_currency", cur, "a three-letter currency code such as EUR")


def _check_status_treatment(values: dict, bad) -> None:
    """``status_treatment``: each doubtful status with count, exclude or flag; valid, it
    becomes sorted (status, treatment) pairs of every such status in ``values``."""
    given = values["status_treatment"]
    doubtful = ", ".join(STATUS_CODES)
    ok = True
    for status, treatment in given.items():
        if str(status).lower() not in STATUS_CODES:
            bad("status_treatment", status, f"a status in doubt: {doubtful}")
            ok = False
        elif str(treatment).lower() not in TREATMENTS:
            bad(f"status_treatment.{status}", treatment, "one of " + ", ".join(TREATMENTS))
            ok = False
    if ok:
        lowered = {str(s).lower(): str(t).lower() for s, t in given.items()}
        values["status_treatment"] = tuple(sorted(status_treatment(lowered).items()))


def mail_address(text: str) -> Address | None:
    """``text`` as one mail address (``"Name <a@b.nl>"`` or ``"a@b.nl"``), or None if it is not.

    >>> str(mail_address("Sales Operations <sales@example.nl>").addr_spec)
    'sales@example.nl'
    >>> mail_address("sales.example.nl") is None
    True
    """
    if len(getaddresses([text])) != 1 or text.count("<") != text.count(">"):
        return None
    name, addr = parseaddr(text)
    if text.strip() != addr and not text.strip().endswith(f"<{addr}>"):
        return None  # e.g. "smtp://user:pw@host", read as a group "smtp://user:" of one
    local, at, domain = addr.rpartition("@")
    # A ":" is no part of a plain local part; user:password@host is not a mail address.
    if not (at and local and "." in domain.strip(".") and not re.search(r"[\s<>,;:]", addr)):
        return None
    try:
        return Address(display_name=name, addr_spec=addr)
    except (ValueError, IndexError):
        return None


def _validate_mail(values: dict, bad) -> MailSettings | None:
    before = []

    def check(ok, key, expected):
        if not ok:
            before.append(key)
            bad(key, values[key], expected)

    check(
        mail_address(values["mail_from"]) is not None,
        "mail_from",
        "one mail address, such as Sales Operations <sales-operations@example.nl>",
    )
    people = values["mail_management"]
    check(
        all(isinstance(a, str) and mail_address(a) is not None for a in people),
        "mail_management",
        "a list of mail addresses, such as [director@example.nl]",
    )
    if not before:
        plain = [mail_address(a).addr_spec.lower() for a in people]
        check(len(set(plain)) == len(plain), "mail_management", "each address once")
    host = values["smtp_host"]
    check(
        bool(host) and not re.search(r"[\s/:@]", host),
        "smtp_host",
        "a host name or IP address, such as smtp.example.nl",
    )
    check(
        1 <= values["smtp_port"] <= 65535,
        "smtp_port",
        "a port number from 1 to 65535 (587 for starttls, 465 for tls)",
    )
    check(
        values["smtp_security"] in SMTP_SECURITY,
        "smtp_security",
        "one of " + ", ".join(SMTP_SECURITY),
    )
    ca_file = values["smtp_ca_file"]
    check(
        not ca_file or config.resolve(ca_file).is_file(),
        "smtp_ca_file",
        'an existing CA certificate file (PEM), or "" for the system trust store',
    )
    if before:
        return None
    return MailSettings(
        values["mail_from"],
        tuple(people),
        host,
        values["smtp_port"],
        values["smtp_security"],
        ca_file,
    )


def load_settings(params_file: str | Path) -> Settings:
    """Settings of one period: defaults merged with ``params_file``, validated.

    A relative ``params_file`` is taken relative to the project root.
    """
    path = config.resolve(params_file)
    return _validate({**read_defaults(), **_read_yaml(path)}, str(path.name))
