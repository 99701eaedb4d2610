"""Tests for account_analysis.render.html: real papermill runs of a tiny fixture notebook,
no mocks."""

from __future__ import annotations

import base64
import errno
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from papermill import PapermillExecutionError

from account_analysis.files import write_atomically
from account_analysis.render import html as render
from account_analysis.render.html import execute_notebook, notebook_to_html

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "render" / "sample.ipynb"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INJECTED_TITLE = "Injected title 2026-Q3"
PAGE_TITLE = "Sample report (test)"
IMG_PNG = re.compile(r'<img[^>]*\bsrc="data:image/png;base64,([A-Za-z0-9+/=]+)"')


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> tuple[nbformat.NotebookNode, Path]:
    executed_path = tmp_path_factory.mktemp("render") / "sample.executed.ipynb"
    nb = execute_notebook(SAMPLE, {"title": INJECTED_TITLE}, executed_path)
    return nb, executed_path


@pytest.fixture(scope="module")
def html(executed) -> str:
    nb, _ = executed
    return notebook_to_html(nb, title=PAGE_TITLE, language="en")


def outputs_text(nb: nbformat.NotebookNode) -> str:
    return "\n".join(
        str(output.get("text", "")) for cell in nb.cells for output in cell.get("outputs", [])
    )


# -- fixture notebook ------------------------------------------------------------------------


def test_fixture_notebook_is_committed_without_outputs():
    nb = nbformat.read(SAMPLE, as_version=4)
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code_cells[0].metadata.tags == ["parameters"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code_cells)


# -- execute_notebook ------------------------------------------------------------------------


@pytest.mark.slow
def test_execute_injects_parameters_and_writes_the_executed_notebook(executed):
    nb, executed_path = executed
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert f'title = "{INJECTED_TITLE}"' in injected[0].source
    on_disk = nbformat.read(executed_path, as_version=4)
    assert on_disk.cells[-1].execution_count is not None
    # The sample really writes to stderr, so the test below that it is hidden means something.
    assert "STDERR-MARKER" in outputs_text(on_disk)
    assert "WARN-MARKER" in outputs_text(on_disk)


@pytest.mark.slow
def test_execute_failing_cell_raises_and_keeps_the_executed_notebook(tmp_path):
    executed_path = tmp_path / "failed.ipynb"
    with pytest.raises(PapermillExecutionError) as failure:
        execute_notebook(SAMPLE, {"fail": True}, executed_path)
    assert failure.value.ename == "RuntimeError"
    assert "FAIL-MARKER" in failure.value.evalue
    failed = nbformat.read(executed_path, as_version=4)
    assert failed.metadata.papermill.exception is True
    errors = [o for c in failed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert [e.ename for e in errors] == ["RuntimeError"]


@pytest.mark.slow
def test_a_running_notebook_is_on_disk_and_written_with_its_outputs_at_the_end(tmp_path):
    notebook = tmp_path / "running.ipynb"
    executed_path = tmp_path / "executed.ipynb"
    nbformat.write(
        new_notebook(
            cells=[
                new_code_cell("path = ''", metadata={"tags": ["parameters"]}),
                new_code_cell(
                    "import pathlib\nprint('RUNNING-ON-DISK', pathlib.Path(path).is_file())"
                ),
            ],
            metadata={
                "kernelspec": {
                    "name": "account-analysis",
                    "language": "python",
                    "display_name": "Python",
                }
            },
        ),
        notebook,
    )
    execute_notebook(notebook, {"path": str(executed_path)}, executed_path)
    assert "RUNNING-ON-DISK True" in outputs_text(nbformat.read(executed_path, as_version=4))


@pytest.mark.slow
def test_a_report_kernel_keeps_no_input_history(tmp_path):
    notebook = tmp_path / "history.ipynb"
    nbformat.write(
        new_notebook(
            cells=[
                new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                new_code_cell("print('HISTORY', get_ipython().history_manager.enabled)"),
            ],
            metadata={
                "kernelspec": {
                    "name": "account-analysis",
                    "language": "python",
                    "display_name": "Python",
                }
            },
        ),
        notebook,
    )
    nb = execute_notebook(notebook, {"x": 2}, tmp_path / "executed.ipynb")
    assert "HISTORY False" in outputs_text(nb)


@pytest.mark.slow
def test_kernels_never_see_the_smtp_credentials(tmp_path, monkeypatch):
    """A real kernel reads its own environment: the variables `send` logs in with are not in
    os.environ nor in /proc/self/environ (what another process of the user could read)."""
    monkeypatch.setenv("ACCOUNT_ANALYSIS_SMTP_USER", "mailer-KERNEL-USER")
    monkeypatch.setenv("ACCOUNT_ANALYSIS_SMTP_PASSWORD", "s3cr3t-KERNEL-PW")
    monkeypatch.setenv("ACCOUNT_ANALYSIS_HARMLESS", "kept")
    seen = tmp_path / "seen.txt"
    notebook = tmp_path / "environ.ipynb"
    nbformat.write(
        new_notebook(
            cells=[
                new_code_cell("out = ''", metadata={"tags": ["parameters"]}),
                new_code_cell(
                    "import os, pathlib\n"
                    "proc = pathlib.Path('/proc/self/environ')\n"
                    "raw = proc.read_bytes().decode() if proc.exists() else ''\n"
                    "names = sorted(os.environ) + raw.split('\\0')\n"
                    "pathlib.Path(out).write_text('\\n'.join(names))"
                ),
            ],
            metadata={
                "kernelspec": {
                    "name": "account-analysis",
                    "language": "python",
                    "display_name": "Python",
                }
            },
        ),
        notebook,
    )
    execute_notebook(notebook, {"out": str(seen)}, tmp_path / "executed.ipynb")
    text = seen.read_text()
    assert "ACCOUNT_ANALYSIS_HARMLESS" in text  # the kernel's environment was read
    assert "ACCOUNT_ANALYSIS_SMTP" not in text
    assert "s3cr3t-KERNEL-PW" not in text and "mailer-KERNEL-USER" not in text
    assert "s3cr3t-KERNEL-PW" not in (tmp_path / "executed.ipynb").read_text()


def test_execute_refuses_to_overwrite_the_notebook_itself():
    with pytest.raises(ValueError, match="must differ"):
        execute_notebook(SAMPLE, {}, SAMPLE)


# -- notebook_to_html on the executed sample ------------------------------------------------


@pytest.mark.slow
def test_html_shows_injected_title_markdown_table_chart_and_stdout(html):
    assert f"<h1>{INJECTED_TITLE}</h1>" in html
    assert f"<title>{PAGE_TITLE}</title>" in html
    assert '<html lang="en">' in html
    assert '<meta charset="utf-8"/>' in html
    assert "<h2>Revenue by customer group</h2>" in html
    assert "<strong>almost 40%</strong>" in html
    assert '<table border="1" class="dataframe">' in html
    assert "<td>Acme Holding</td>" in html
    assert '<td class="num">1250000.50</td>' in html
    assert '<th class="num">revenue</th>' in html
    assert re.search(r'<pre class="output">Rows loaded: 3\s*</pre>', html)
    images = IMG_PNG.findall(html)
    assert len(images) == 1
    assert base64.b64decode(images[0]).startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.slow
def test_html_has_no_code_prompts_parameters_stderr_scripts_or_urls(html):
    for code in ("import ", "pd.DataFrame(", "plt.subplots", "display(Markdown", "if fail:"):
        assert code not in html
    assert "# Parameters" not in html and "# report title" not in html
    assert "In [" not in html and "In&nbsp;[" not in html and "Out[" not in html
    assert "STDERR-MARKER" not in html and "WARN-MARKER" not in html
    assert "<script" not in html.lower()
    assert "http://" not in html and "https://" not in html


@pytest.mark.slow
def test_html_is_small_with_a_modest_stylesheet(html):
    stylesheet = re.search(r"<style[^>]*>(.*?)</style>", html, re.DOTALL).group(1)
    assert len(stylesheet.encode()) < 8_000
    without_images = IMG_PNG.sub("", html)
    assert len(without_images.encode()) < 12_000


# -- notebook_to_html on hand-built notebooks (fast) -----------------------------------------


def make_notebook(*cells) -> nbformat.NotebookNode:
    nb = new_notebook(cells=list(cells))
    nbformat.validate(nb)
    return nb


def test_parameter_cells_are_hidden_even_with_outputs():
    parameters = new_code_cell(
        "x = 1",
        metadata={"tags": ["parameters"]},
        outputs=[new_output("stream", name="stdout", text="PARAMS-OUT")],
    )
    injected = new_code_cell(
        "x = 2",
        metadata={"tags": ["injected-parameters"]},
        outputs=[new_output("stream", name="stdout", text="INJECTED-OUT")],
    )
    shown = new_code_cell(
        "print('KEPT')", outputs=[new_output("stream", name="stdout", text="KEPT-OUT")]
    )
    html = notebook_to_html(make_notebook(parameters, injected, shown), title="t")
    assert "PARAMS-OUT" not in html and "INJECTED-OUT" not in html
    assert "KEPT-OUT" in html and "print(" not in html


def test_analyst_only_cells_stay_out_of_reports():
    note = new_markdown_cell("ANALYST-NOTE: run me", metadata={"tags": ["analyst-only"]})
    text = new_markdown_cell("READER-TEXT")
    html = notebook_to_html(make_notebook(note, text), title="t")
    assert "ANALYST-NOTE" not in html and "READER-TEXT" in html


def test_scripted_outputs_are_dropped_and_errors_shown_without_traceback():
    cell = new_code_cell(
        "",
        outputs=[
            new_output("display_data", data={"application/javascript": "alert('JS-OUT')"}),
            new_output(
                "error",
                ename="ValueError",
                evalue="bad period",
                traceback=["TRACEBACK-LINE in some_function()"],
            ),
        ],
    )
    html = notebook_to_html(make_notebook(cell), title="t")
    assert "JS-OUT" not in html and "<script" not in html
    assert '<pre class="output error">ValueError: bad period</pre>' in html
    assert "TRACEBACK-LINE" not in html


def test_title_is_escaped_and_language_is_set():
    html = notebook_to_html(make_notebook(), title="<b>Q3</b> & more", language="nl")
    assert "<title>&lt;b&gt;Q3&lt;/b&gt; &amp; more</title>" in html
    assert '<html lang="nl">' in html


def test_malformed_language_is_rejected():
    with pytest.raises(ValueError, match="language"):
        notebook_to_html(make_notebook(), title="t", language='en"><script>')


def test_numbers_are_aligned_per_cell_and_per_column():
    table = (
        "<table><thead><tr><th></th><th>group</th><th>revenue</th><th>share</th></tr></thead>"
        "<tbody>"
        "<tr><th>a</th><td>Acme</td><td>€ 1.234,56</td><td>12,3 %</td></tr>"
        "<tr><th>b</th><td>2026-Q3</td><td>-7</td><td>NaN</td></tr>"
        "</tbody></table>"
    )
    cell = new_code_cell("", outputs=[new_output("display_data", data={"text/html": table})])
    html = notebook_to_html(make_notebook(cell), title="t")
    assert "<th>group</th>" in html and '<th class="num">revenue</th>' in html
    assert '<th class="num">share</th>' in html
    assert "<td>Acme</td>" in html and "<td>2026-Q3</td>" in html
    assert '<td class="num">€ 1.234,56</td>' in html and '<td class="num">-7</td>' in html
    assert '<td class="num">NaN</td>' in html  # a blank in a numeric column lines up too


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<img src="https://example.invalid/logo.png">',
        '<img src="chart.png">',
        '<link rel="stylesheet" href="https://example.invalid/x.css">',
        '<div style="background: url(//example.invalid/bg.png)">x</div>',
        "<style>@import 'fonts.css';</style>",
    ],
)
def test_outputs_that_would_load_anything_are_refused(snippet):
    cell = new_code_cell("", outputs=[new_output("display_data", data={"text/html": snippet})])
    with pytest.raises(ValueError, match="self-contained"):
        notebook_to_html(make_notebook(cell), title="t")


def test_markdown_with_a_data_uri_image_is_accepted():
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    nb = make_notebook(new_markdown_cell(f"![logo](data:image/png;base64,{png})"))
    assert f"data:image/png;base64,{png}" in notebook_to_html(nb, title="t")


# -- write_atomically ------------------------------------------------------------------------


def test_write_creates_the_file_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "report.html"
    write_atomically(target, "€ 1.234,56 — Zoë")
    assert target.read_bytes() == "€ 1.234,56 — Zoë".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_write_replaces_the_file_instead_of_rewriting_it(tmp_path):
    target = tmp_path / "report.html"
    target.write_bytes(b"old report")
    with target.open("rb") as reader_of_old:
        write_atomically(target, b"new report")
        # A reader that opened the old report still reads all of it: it was replaced, not
        # truncated and rewritten in place.
        assert reader_of_old.read() == b"old report"
    assert target.read_bytes() == b"new report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_unencodable_content_leaves_the_old_file_intact(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("good earlier report")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(target, "half a surrogate pair: \ud800")
    assert target.read_text() == "good earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_failure_mid_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("good earlier report")
    seen_during_write = []

    def disk_full(fd):
        seen_during_write.extend(p.name for p in tmp_path.iterdir() if p != target)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(render.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, "new report " * 10_000)
    assert len(seen_during_write) == 1  # the new content was half-way, in a temporary file
    assert target.read_text() == "good earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_write_rejects_content_that_is_not_text_or_bytes(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("good earlier report")
    with pytest.raises(TypeError, match="str or bytes"):
        write_atomically(target, {"not": "a report"})
    assert target.read_text() == "good earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


# -- the page in a real browser --------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason=f"{CHROMIUM} (Debian chromium) is not installed; CI installs it and never skips",
)
def test_report_in_headless_chromium_requests_nothing_but_itself(html, tmp_path):
    from playwright.sync_api import sync_playwright

    page_path = tmp_path / "report.html"
    write_atomically(page_path, html)
    url = page_path.as_uri()
    requests: list[str] = []
    console_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.on(
                "console",
                lambda message: message.type == "error" and console_errors.append(message.text),
            )
            page.on("pageerror", lambda error: console_errors.append(str(error)))
            # Recorded above, then stopped here: the test itself never touches the network.
            page.route(re.compile(r"^(?!file:|data:)"), lambda route: route.abort())
            page.goto(url, wait_until="load")
            images = page.eval_on_selector_all(
                "img", "imgs => imgs.map(img => [img.complete, img.naturalWidth])"
            )
        finally:
            browser.close()
    assert url in requests
    assert [r for r in requests if r != url and not r.startswith("data:")] == []
    assert console_errors == []
    assert images and all(complete and width > 0 for complete, width in images)
