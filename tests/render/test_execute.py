"""One report notebook executed and rendered for real (papermill, nbconvert): a failing
notebook kept aside with a good earlier HTML in place, a kernel that fails to start tried again.
The batch's own runs of these, per period in workers, are in tests/test_batch.py.
"""

from __future__ import annotations

import sys

import pytest
from conftest import kernelspec

import account_analysis as aa
from account_analysis.render.execute import run_briefing, run_report

pytestmark = pytest.mark.slow


def test_a_failing_briefing_is_kept_aside_and_the_others_are_written(tmp_path, demo_dir):
    settings = aa.Settings.from_mapping({"period": "2026-Q3", "dataset": str(demo_dir)})
    reports = tmp_path / "reports"
    earlier = reports / "2026-Q3" / "briefings" / "nobody.html"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("GOOD EARLIER BRIEFING", encoding="utf-8")
    bad = {"group_id": "C99999", "group_name": "Nobody", "slug": "nobody", "language": "en"}
    good = {
        "group_id": "C10055",
        "group_name": "Stichting Onderwijs Brabant",
        "slug": "stichting-onderwijs-brabant",
        "language": "en",
    }
    failed, ok = (run_briefing(settings, e, reports) for e in (bad, good))
    assert not failed.ok and ok.ok
    assert "2026-Q3 briefings/nobody: failed in cell" in failed.error
    assert "KeyError" in failed.error and "C99999" in failed.error
    assert (reports / "2026-Q3" / "failed" / "briefings" / "nobody.ipynb").exists()
    assert earlier.read_text(encoding="utf-8") == "GOOD EARLIER BRIEFING"
    assert not (reports / "2026-Q3" / "executed" / "briefings" / "nobody.ipynb").exists()
    page = ok.html.read_text(encoding="utf-8")
    assert ok.html == reports / "2026-Q3" / "briefings" / "stichting-onderwijs-brabant.html"
    assert '<html lang="en">' in page and "Talking points" in page


def test_a_kernel_that_fails_once_is_started_again(tmp_path, demo_dir, monkeypatch):
    marker = tmp_path / "first-start-failed"
    script = (
        "import pathlib, runpy, sys\n"
        f"marker = pathlib.Path({str(marker)!r})\n"
        "if not marker.exists():\n"
        "    marker.write_text('x')\n"
        "    sys.exit(1)\n"
        "sys.argv = ['ipykernel_launcher', '-f', sys.argv[1]]\n"
        "runpy.run_module('ipykernel_launcher', run_name='__main__')\n"
    )
    monkeypatch.setenv(
        "JUPYTER_PATH",
        str(kernelspec(tmp_path, [sys.executable, "-c", script, "{connection_file}"])),
    )
    settings = aa.Settings.from_mapping({"period": "2026-Q3", "dataset": str(demo_dir)})
    result = run_report(settings, "revenue_concentration", tmp_path / "reports")
    assert marker.exists()  # the first start did fail
    assert result.ok, result.error
    assert "Revenue concentration" in result.html.read_text(encoding="utf-8")
