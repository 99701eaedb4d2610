"""The verdict on the first screen: in every rendered demo period report (``rendered_demo``)
the verdict's heading is the first ``<h2>``, the box follows it, and the whole box lies
within the first 800 px of a 1200×800 window (issue 14: the verdict above the fold); on a
390 px phone the box keeps to the screen's width, nothing of it cut or scrolled sideways
(its tables stacked, one block per row)."""

from __future__ import annotations

import os

import pytest
from conftest import DEMO_PERIODS
from test_html import CHROMIUM, CHROMIUM_ARGS

from account_analysis.present.section_parts import TEXT
from account_analysis.render.reports import PERIOD_REPORTS

WIDTH, HEIGHT = 1200, 800
PHONE = {"width": 390, "height": 844}
WHERE = """() => {
  const heading = document.querySelector('h2');
  const box = document.querySelector('table.verdict');
  const r = box.getBoundingClientRect();
  return {heading: heading.textContent, box_follows: heading.nextElementSibling === box,
          boxes: document.querySelectorAll('table.verdict').length,
          language: document.documentElement.lang, scrolled: window.scrollY,
          top: r.top, bottom: r.bottom, left: r.left, right: r.right};
}"""
# The widest thing inside the box against the box: nothing of it may stick out or scroll.
ACROSS = """() => {
  const box = document.querySelector('td.verdict-box');
  const r = box.getBoundingClientRect();
  let widest = r.right;
  for (const e of box.querySelectorAll('*')) {
    widest = Math.max(widest, e.getBoundingClientRect().right);
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
      return {right: r.right, widest: widest, scrolls: e.tagName};
  }
  return {right: r.right, widest: widest, scrolls: null};
}"""


@pytest.mark.slow
@pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason=f"{CHROMIUM} (Debian chromium) is not installed; CI installs it and never skips",
)
def test_the_verdict_box_is_on_the_first_screen_of_every_period_report(rendered_demo):
    from playwright.sync_api import sync_playwright

    reports, run = rendered_demo
    assert run.returncode == 0, run.stderr
    pages = [
        reports / period / f"{name}.html" for period in DEMO_PERIODS for name in PERIOD_REPORTS
    ]
    assert len(pages) == 2 * len(DEMO_PERIODS) == 8
    seen, phone = {}, {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            for path in pages:
                page.goto(path.as_uri(), wait_until="load")
                seen[f"{path.parent.name}/{path.stem}"] = page.evaluate(WHERE)
            page.set_viewport_size(PHONE)
            for path in pages:
                page.goto(path.as_uri(), wait_until="load")
                phone[f"{path.parent.name}/{path.stem}"] = page.evaluate(ACROSS)
        finally:
            browser.close()
    for name, where in seen.items():
        assert where["heading"] == TEXT[where["language"]]["verdict"], (name, where)
        assert where["box_follows"] and where["boxes"] == 1, (name, where)
        assert where["scrolled"] == 0, (name, where)
        inside = (
            0 <= where["top"]
            and where["bottom"] <= HEIGHT
            and 0 <= where["left"]
            and where["right"] <= WIDTH
        )
        assert inside, (
            f"{name}: the box spans {where['top']:.0f}–{where['bottom']:.0f} px "
            f"down, {where['left']:.0f}–{where['right']:.0f} px across"
        )
    assert {w["language"] for w in seen.values()} == {"en", "nl"}  # both languages seen
    for name, across in phone.items():
        assert across["right"] <= PHONE["width"], (name, across)
        assert across["widest"] <= across["right"] + 1 and across["scrolls"] is None, (
            f"{name} at {PHONE['width']} px: {across}"
        )
