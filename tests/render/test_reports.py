"""The report registry: every report named once, each with its notebook, and nothing else
listing reports on its own."""

from __future__ import annotations

import json

import pytest

from account_analysis import config
from account_analysis.deliver.mail import SUBJECTS
from account_analysis.present.format import TITLES
from account_analysis.render.reports import (
    BRIEFING,
    BRIEFING_REPORT,
    PERIOD,
    PERIOD_REPORTS,
    REPORTS,
    report,
)
from account_analysis.settings.parameters import LANGUAGES


def test_each_report_once_with_its_own_notebook_and_one_briefing():
    names = [r.name for r in REPORTS]
    assert len(set(names)) == len(names)
    assert len({r.notebook for r in REPORTS}) == len(REPORTS)
    assert {r.kind for r in REPORTS} == {PERIOD, BRIEFING}
    assert [r.name for r in REPORTS if r.kind == BRIEFING] == [BRIEFING_REPORT]
    assert PERIOD_REPORTS == tuple(n for n in names if report(n).kind == PERIOD)
    with pytest.raises(KeyError):
        report("no_such_report")


def test_the_notebooks_folder_holds_exactly_the_registry_notebooks():
    on_disk = {p.stem for p in config.NOTEBOOKS_DIR.glob("*.ipynb")}
    assert on_disk == {r.notebook for r in REPORTS}


@pytest.mark.parametrize("name", PERIOD_REPORTS)
def test_a_period_report_notebook_titles_itself_by_its_registry_name(name):
    nb = json.loads(
        (config.NOTEBOOKS_DIR / f"{report(name).notebook}.ipynb").read_text(encoding="utf-8")
    )
    source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert f'aa.report_title("{name}", ' in source


@pytest.mark.parametrize("name", [r.name for r in REPORTS])
def test_every_report_has_a_title_and_a_mail_subject_in_every_language(name):
    for language in LANGUAGES:
        assert TITLES[name][language].strip(), (name, language)
        assert "{period}" in SUBJECTS[name][language], (name, language)
