"""The words of the report sections (``TEXT[language][key]``), read from the catalogs'
``section.*`` messages (:mod:`account_analysis.words`)."""

from __future__ import annotations

from ..words import ByLanguage

TEXT = ByLanguage("section")
