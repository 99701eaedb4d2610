"""The words of the briefing (``TEXT[language][key]``, a counted noun as its forms), read
from the catalogs' ``briefing.*`` messages (:mod:`account_analysis.words`)."""

from __future__ import annotations

from ..words import ByLanguage

TEXT = ByLanguage("briefing")
