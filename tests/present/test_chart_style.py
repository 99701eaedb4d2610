"""The one chart look: the theme written out is seaborn's."""

from __future__ import annotations

from account_analysis.present.chart_style import seaborn_theme


def test_the_theme_is_seaborns_ticks_style_in_its_notebook_context():
    """The values written out in the module are the installed seaborn's."""
    import seaborn as sns

    assert seaborn_theme() == {**sns.axes_style("ticks"),
                               **sns.plotting_context("notebook", font_scale=0.8)}
