"""The verdict at the top of each period report: first in both reports, its words from the
catalog of the report's language, "nothing moved" only when nothing did."""

from __future__ import annotations

import pytest

from account_analysis import Settings
from account_analysis.analysis.scoring import open_inputs, score_period
from account_analysis.analysis.verdict import period_moves
from account_analysis.authoring.examples import example_dataset
from account_analysis.present.section_parts import TEXT
from account_analysis.present.verdict_sections import move_lines

LANGUAGES = ("en", "nl")


def example_score(period: str, language: str):
    """The "designated" example (groups G 93.8% and X 6.2% in 2026-Q1) scored: cheap."""
    settings = Settings.from_mapping({"period": period, "window_months": 3, "language": language,
                                      "dataset": str(example_dataset("designated"))})
    return score_period(*reversed(open_inputs(settings)), settings)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_group_entering_as_another_leaves_is_said(lang):
    """Regression: one group assessed only before and another only now (nothing else moved)
    made the move lines fail ('float' object has no attribute 'replace')."""
    score, w = example_score("2026-Q1", lang), TEXT[lang]
    d = score.designations
    g, x = d[d["group_id"] == "G"], d[d["group_id"] == "X"]
    lines = move_lines(score.with_parts(moves=period_moves(x, g)))
    candidate, below = w["status:candidate"], w["not_assessed"]
    assert lines == [
        w["move_line"].format(name="Group", facts=w["move_fact"].format(
            fact=w["move:status"], before=candidate, now=below)),
        w["move_line"].format(name="Other", facts=w["move_fact"].format(
            fact=w["move:status"], before=below, now=candidate))]
