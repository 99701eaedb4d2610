"""Every word a reader sees, from one gettext catalog per language.

The catalogs are ``locales/<language>/LC_MESSAGES/account_analysis.po`` beside this module:
plain text files a translator edits with any PO editor (Poedit, Weblate, Lokalize) or a
text editor, without reading Python. Each message is keyed by its ``msgctxt`` (``section.
headline``, ``label.revenue_cents``); its ``msgid`` is the English text, so that a
translator sees what to translate, and its ``msgstr`` the text in the catalog's language.
Placeholders in braces (``{name}``) are filled by the code and must be kept. A noun that is
counted has a singular and a plural (``msgid_plural``), chosen by the catalog's
``Plural-Forms`` rule. The catalog's ``Language`` header is the Babel locale its numbers,
money and dates are formatted for (``nl_NL``).

A new language is a new catalog: copy ``locales/en`` to ``locales/<code>``, set its
``Language`` and ``Plural-Forms`` headers and translate every ``msgstr``
(``docs/architecture.md``).

>>> words("nl")["label.revenue_cents"], words("en").plural("briefing.n:complaint", 3)
('Omzet', 'complaints')
>>> "en" in languages() and "nl" in languages()
True
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "account_analysis"


def catalog_path(language: str) -> Path:
    """Where the catalog of ``language`` lives."""
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def languages() -> tuple[str, ...]:
    """The report languages: one per catalog."""
    return tuple(sorted(p.parent.parent.name for p in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))


@dataclass(frozen=True)
class Words:
    """One language's catalog: its messages by key, its locale and its plural rule."""

    language: str
    locale: Locale
    messages: Mapping[str, str | tuple[str, ...]]
    plural_index: Callable[[int], int]

    def __getitem__(self, key: str) -> str:
        text = self.messages[key]
        if isinstance(text, tuple):
            raise TypeError(f"{key} is counted: use plural({key!r}, n)")
        return text

    def __contains__(self, key: str) -> bool:
        return key in self.messages

    def get(self, key: str, default: str | None = None) -> str | None:
        """The message ``key``, or ``default`` when the catalog has none."""
        return self[key] if key in self.messages else default

    def plural(self, key: str, n: int) -> str:
        """The form of the counted noun ``key`` for ``n`` under the catalog's plural rule."""
        forms = self.messages[key]
        return forms[min(self.plural_index(int(n)), len(forms) - 1)]

    def table(self, prefix: str) -> dict[str, str | tuple[str, ...]]:
        """Every message whose key starts with ``prefix.``, by the rest of its key."""
        start = prefix + "."
        return {
            key[len(start) :]: text for key, text in self.messages.items() if key.startswith(start)
        }


@cache
def words(language: str) -> Words:
    """The catalog of ``language`` (``en``, ``nl``); a ValueError names the languages there are."""
    path = catalog_path(language)
    if language not in languages():
        raise ValueError(
            f"no catalog for language {language!r}: expected one of "
            f"{', '.join(languages())} (a new language is a new file "
            f"{path.relative_to(LOCALES.parent)})"
        )
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=None, domain=DOMAIN)
    messages: dict[str, str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.context is None:
            continue  # the header
        text = message.string
        if isinstance(message.id, tuple | list):
            messages[message.context] = tuple(text)
        else:
            messages[message.context] = text
    locale = catalog.locale or Locale.parse(language)
    return Words(language, locale, messages, gettext.c2py(catalog.plural_expr))


class ByLanguage(Mapping):
    """A table ``{language: {key: text}}`` read from the catalogs' messages under ``prefix``;
    a key with a dot (``bands.unconcentrated``) is a table of its own.

    >>> ByLanguage("title")["nl"]["top_groups"], ByLanguage("chart")["nl"]["final"]["watch"]
    ('Grootste klantgroepen', 'Volgen')
    """

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __getitem__(self, language: str) -> dict:
        if language not in languages():
            raise KeyError(language)
        return _nested(self.prefix, language)

    def __iter__(self) -> Iterator[str]:
        return iter(languages())

    def __len__(self) -> int:
        return len(languages())


@cache
def _nested(prefix: str, language: str) -> dict:
    out: dict = {}
    for key, text in words(language).table(prefix).items():
        head, dot, rest = key.partition(".")
        if dot:
            out.setdefault(head, {})[rest] = text
        else:
            out[key] = text
    return out


class ByKey(Mapping):
    """A table ``{key: {language: text}}`` read from the catalogs' messages under ``prefix``.

    >>> ByKey("title")["top_groups"]["en"]
    'Largest customer groups'
    """

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __getitem__(self, key: str) -> dict[str, str]:
        full = f"{self.prefix}.{key}"
        if full not in words("en"):
            raise KeyError(key)
        return {
            language: words(language)[full] for language in languages() if full in words(language)
        }

    def __iter__(self) -> Iterator[str]:
        return iter(words("en").table(self.prefix))

    def __len__(self) -> int:
        return len(words("en").table(self.prefix))


_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def catalog_problems(language: str) -> list[str]:
    """What is wrong with the catalog of ``language`` against the English one: a message
    missing or extra, an msgid that is not the English text, an empty or fuzzy translation,
    a placeholder lost or invented, a counted noun without its plural forms.

    >>> catalog_problems("nl")
    []
    """
    with catalog_path("en").open("rb") as handle:
        source = {m.context: m for m in read_po(handle) if m.id}
    with catalog_path(language).open("rb") as handle:
        catalog = read_po(handle)
    found = {m.context: m for m in catalog if m.id}
    out = [f"{language}: {key}: missing (it is in en)" for key in source if key not in found]
    out += [f"{language}: {key}: not in en" for key in found if key not in source]
    for key, message in found.items():
        if key not in source:
            continue
        if message.id != source[key].id:
            out.append(f"{language}: {key}: msgid is not the English text {source[key].id!r}")
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if isinstance(message.id, tuple | list) and len(forms) != catalog.num_plurals:
            out.append(
                f"{language}: {key}: {len(forms)} plural forms, the catalog's "
                f"Plural-Forms has {catalog.num_plurals}"
            )
        if message.fuzzy or not all(forms):
            out.append(f"{language}: {key}: not translated (empty or fuzzy)")
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        expected = set().union(*(set(_PLACEHOLDER.findall(i)) for i in ids))
        for form in forms:
            if set(_PLACEHOLDER.findall(form)) != expected:
                out.append(
                    f"{language}: {key}: placeholders {sorted(_PLACEHOLDER.findall(form))}"
                    f", the English has {sorted(expected)}"
                )
    return out
