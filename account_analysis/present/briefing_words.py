"""The words of the briefing (``TEXT[language][key]``, a counted noun as its forms), read
from the catalogs' ``briefing.*`` messages (:mod:`account_analysis.words`), and the
objective statuses a plan may write, read as the catalogs' status codes (``status.*``)."""

from __future__ import annotations

from ..words import ByLanguage, languages, words

TEXT = ByLanguage("briefing")

# Other spellings of a status code (the codes and their words are the catalogs' status.*).
STATUS_SYNONYMS = {"done": "achieved", "risico": "at risk"}


def status_code(status: str) -> str | None:
    """The status code (``status.*`` in the catalogs) of a status as a plan writes it, in
    any report language; None for one the catalogs do not know.

    >>> status_code("Op koers"), status_code("done"), status_code("paused")
    ('on track', 'achieved', None)
    """
    low = str(status).strip().lower()
    if low in STATUS_SYNONYMS:
        return STATUS_SYNONYMS[low]
    for language in languages():
        for code, word in words(language).table("status").items():
            if word == low:
                return code
    return None
