"""The words a reader sees: one gettext catalog per language, complete, consistent with the
English source, and the only place words live (account_analysis/words.py)."""

from __future__ import annotations

import ast
import shutil
from datetime import date
from pathlib import Path

import pytest

import account_analysis
from account_analysis import words as catalogs
from account_analysis.periods import window_for
from account_analysis.present.format import format_day, format_money, money_short

PACKAGE = Path(account_analysis.__file__).parent


def _clear():
    for f in (catalogs.languages, catalogs.words, catalogs._nested):
        f.cache_clear()
    from account_analysis.present.format import locale_of

    locale_of.cache_clear()


@pytest.fixture
def locales(tmp_path, monkeypatch):
    """A copy of the catalogs that a test may change, used in place of the package's."""
    copy = tmp_path / "locales"
    shutil.copytree(catalogs.LOCALES, copy)
    monkeypatch.setattr(catalogs, "LOCALES", copy)
    _clear()
    yield copy
    monkeypatch.undo()
    _clear()


def test_every_catalog_is_complete_and_keeps_the_english_placeholders():
    assert set(catalogs.languages()) >= {"en", "nl"}
    for language in catalogs.languages():
        assert catalogs.catalog_problems(language) == []
        assert len(catalogs.words(language).messages) > 400


def test_a_broken_translation_is_found(locales):
    path = locales / "nl" / "LC_MESSAGES" / "account_analysis.po"
    text = path.read_text(encoding="utf-8")
    text = text.replace('msgstr "Kerncijfers"', 'msgstr ""')  # untranslated
    text = text.replace("{name} ({group}) is één klantgroep", "{naam} is één klantgroep")
    text = text.replace('msgctxt "section.value"', 'msgctxt "section.waarde"')  # renamed key
    path.write_text(text, encoding="utf-8")
    problems = "\n".join(catalogs.catalog_problems("nl"))
    assert "section.key_figures: not translated" in problems
    assert "briefing.who_sentence: placeholders" in problems and "'naam'" in problems
    assert "section.value: missing" in problems and "section.waarde: not in en" in problems


def test_a_new_language_is_a_new_catalog(locales):
    # A French catalog, still in English words: its numbers, money and month names follow
    # its Language header (fr_FR) through Babel, the word for millions follows the digits
    # wherever the locale puts the symbol.
    fr = locales / "fr" / "LC_MESSAGES"
    fr.mkdir(parents=True)
    text = (locales / "en" / "LC_MESSAGES" / "account_analysis.po").read_text(encoding="utf-8")
    (fr / "account_analysis.po").write_text(
        text.replace('"Language: en\\n"', '"Language: fr_FR\\n"'), encoding="utf-8"
    )
    assert "fr" in catalogs.languages()
    assert catalogs.catalog_problems("fr") == []
    assert format_money(123456750, "fr") == "1\u202f234\u202f567,50\xa0€"
    assert money_short(7_053_403_863, "fr") == "70,5m\xa0€"
    assert format_day(date(2026, 11, 12), "fr") == "12 novembre 2026"
    assert window_for("2026-Q1").describe("fr") == "24 months to mars 2026"
    with pytest.raises(ValueError, match="no catalog for language 'it'.*en, fr, nl"):
        catalogs.words("it")


def _word_tables(path: Path, root: Path = PACKAGE) -> list[str]:
    """Dicts keyed by a language code and comparisons with one: words kept in code."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict) and any(
            isinstance(k, ast.Constant) and k.value in catalogs.languages() for k in node.keys
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} a table by language")
        if isinstance(node, ast.Compare) and any(
            isinstance(c, ast.Constant) and c.value in catalogs.languages()
            for c in [node.left, *node.comparators]
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} a branch on a language")
    return found


def test_no_module_keeps_words_by_language_outside_the_catalogs(tmp_path):
    found = [f for p in sorted(PACKAGE.rglob("*.py")) for f in _word_tables(p)]
    assert found == []
    planted = tmp_path / "planted.py"
    planted.write_text(
        'HELLO = {"en": "Hello", "nl": "Hallo"}\n'
        'def f(language):\n    return "x" if language == "nl" else "y"\n'
    )
    assert len(_word_tables(planted, tmp_path)) == 2
