"""The email body of a report: email-safe HTML, its charts as cid images, a text part.

Built for mail from the report's executed notebook (not from the browser HTML, which
carries a stylesheet and data: images that Gmail and Outlook drop or clip): our stylesheet
inlined into style attributes, under 100 KB, the charts as attachments referenced as
``cid:``, and a plain-text alternative (headings, paragraphs and tables as aligned text).
:mod:`account_analysis.deliver.mail` puts it into messages and sends them.
"""

from __future__ import annotations

import base64
import copy
import re
import struct
import textwrap
import uuid
from dataclasses import dataclass

import css_inline
import nbformat
from bs4 import BeautifulSoup, NavigableString, Tag
from nbconvert import HTMLExporter

from .. import config
from ..words import words as catalog

TEMPLATE = "email"
STYLESHEET = config.TEMPLATES_DIR / TEMPLATE / "email.css"
MAX_HTML_BYTES = 100_000  # Gmail clips a body past about 102 KB
PAGE_WIDTH = 680  # px, the width mail clients show comfortably
IMAGE_WIDTH = PAGE_WIDTH - 2 * 24  # the page minus its padding (email.css .content)
TEXT_WIDTH = 76  # columns of the plain-text alternative
WIDE_TABLE = 7  # columns from which a table gets smaller type to fit the page

_DATE_CELL = re.compile(r"\d{4}-\d{2}-\d{2}\b")  # table cells kept on one line


# ---------------------------------------------------------------------------------------------
# The email body


@dataclass(frozen=True)
class InlineImage:
    """One chart of a message: its Content-ID (without <>), PNG/JPEG bytes and alt text."""

    cid: str
    data: bytes
    subtype: str
    alt: str


@dataclass(frozen=True)
class EmailBody:
    """A report as a mail body: the HTML, its plain-text alternative and its inline images."""

    html: str
    text: str
    images: tuple[InlineImage, ...]


def email_body(
    nb: nbformat.NotebookNode, *, title: str, language: str, footer: str = ""
) -> EmailBody:
    """Render an executed notebook as an email body.

    The same cells are shown as in the browser report (no code, no parameters, nothing tagged
    ``analyst-only``); ``email.css`` is inlined into ``style`` attributes (remote stylesheets
    are never loaded); images become ``cid:`` references to :attr:`EmailBody.images`, with the
    alt text from the output metadata. ``nb`` is not modified.

    Raises ``ValueError`` when the body would load anything (a script, a remote or ``data:``
    source, a stylesheet link, a CSS ``url()``) or is larger than :data:`MAX_HTML_BYTES`.
    """
    nb = copy.deepcopy(nb)
    domain = f"{uuid.uuid4().hex[:12]}.account-analysis.invalid"
    images: dict[str, InlineImage] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for mimetype, subtype in (("image/png", "png"), ("image/jpeg", "jpeg")):
                payload = output.get("data", {}).get(mimetype)
                if payload is None:
                    continue
                data = base64.b64decode(payload if isinstance(payload, str) else "".join(payload))
                cid = f"chart{len(images) + 1}@{domain}"
                meta = output.setdefault("metadata", {}).setdefault(mimetype, {})
                width, height = _image_size(data, subtype)
                shown = min(IMAGE_WIDTH, width) if width else IMAGE_WIDTH
                meta.update(
                    cid=cid,
                    email_width=shown,
                    email_height=round(shown * height / width) if width else "",
                )
                images[cid] = InlineImage(cid, data, subtype, str(meta.get("alt") or ""))

    exporter = HTMLExporter(
        extra_template_basedirs=[str(config.TEMPLATES_DIR)],
        template_name=TEMPLATE,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=False,
    )
    # Charts are PNG; SVG is not shown by most mail clients.
    exporter.display_data_priority = [
        "text/html",
        "image/png",
        "image/jpeg",
        "text/markdown",
        "text/plain",
    ]
    raw, _ = exporter.from_notebook_node(
        nb,
        resources={
            "report": {
                "title": title,
                "language": language,
                "footer": footer,
                "page_width": PAGE_WIDTH,
            }
        },
    )

    soup = BeautifulSoup(raw, "html.parser")
    for tag in soup.find_all(["style", "script", "link"]):
        tag.decompose()  # e.g. pandas' <style scoped>: our stylesheet is the only one
    for table in soup.find_all("table"):
        if "role" not in table.attrs:
            table.attrs.pop("border", None)  # pandas' border="1" draws a grid in mail clients
    from ..render.html import align_numbers

    for table in soup.select(".output table"):
        align_numbers(table)
        first = table.find("tr")
        if first is not None and len(first.find_all(["th", "td"], recursive=False)) >= WIDE_TABLE:
            table["class"] = [*(table.get("class") or []), "wide"]
    for cell in soup.select(".output td"):
        if _DATE_CELL.match(cell.get_text(strip=True)):
            cell["class"] = [*(cell.get("class") or []), "nowrap"]  # no break inside a date
    text = html_to_text(soup)

    inliner = css_inline.CSSInliner(
        inline_style_tags=False,
        keep_style_tags=False,
        keep_link_tags=False,
        load_remote_stylesheets=False,
        extra_css=STYLESHEET.read_text(encoding="utf-8"),
    )
    inlined = BeautifulSoup(inliner.inline(str(soup)), "html.parser")
    for tag in inlined.find_all(class_=True):
        del tag["class"]  # styled now; mail clients rewrite or drop class names anyway
    for tag in inlined.find_all(style=True):  # "a: b;c: d" -> "a:b;c:d": every byte counts
        tag["style"] = re.sub(r"\s*([:;])\s*", r"\1", tag["style"]).strip(";")
    used = {
        src[4:]
        for img in inlined.find_all("img", src=True)
        if (src := img["src"]).startswith("cid:")
    }
    html = str(inlined)
    check_mail_safe(html)
    size = len(html.encode("utf-8"))
    if size > MAX_HTML_BYTES:
        raise ValueError(
            f"the email body of {title!r} is {size / 1000:.0f} KB; mail clients "
            f"clip bodies past {MAX_HTML_BYTES / 1000:.0f} KB"
        )
    return EmailBody(html, text, tuple(i for c, i in images.items() if c in used))


def _image_size(data: bytes, subtype: str) -> tuple[int, int]:
    """Pixel width and height of a PNG (0, 0 when unknown)."""
    if subtype == "png" and data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    return 0, 0


def check_mail_safe(html: str) -> None:
    """Raise ValueError if ``html`` would run a script or load anything but ``cid:`` parts.

    >>> check_mail_safe('<p><img src="cid:chart1@x"></p>')
    >>> check_mail_safe('<img src="data:image/png;base64,AAAA">')
    Traceback (most recent call last):
    ...
    ValueError: email HTML must load nothing, but it contains: data: URI, src="data:image/pn...
    """
    soup = BeautifulSoup(html, "html.parser")
    problems = [
        f"<{t.name}>"
        for t in soup.find_all(
            ["script", "link", "iframe", "object", "embed", "base", "style", "form", "meta"]
        )
        if not (t.name == "meta" and set(t.attrs) <= {"charset", "name", "content"})
    ]
    for attr in ("src", "background", "srcset", "poster", "data"):
        problems += [
            f'{attr}="{t[attr][:60]}"'
            for t in soup.find_all(attrs={attr: True})
            if not (attr == "src" and t[attr].startswith("cid:"))
        ]
    problems += [
        f"on{a}" for t in soup.find_all(True) for a in t.attrs if a.lower().startswith("on")
    ]
    css = " ".join(t["style"] for t in soup.find_all(style=True))
    problems += [
        m.group(0)[:60]
        for m in re.finditer(r"url\([^)]*\)|@import|expression\(", css, re.IGNORECASE)
    ]
    if "data:" in " ".join(str(v) for t in soup.find_all(True) for v in t.attrs.values()):
        problems.append("data: URI")
    if problems:
        raise ValueError(
            "email HTML must load nothing, but it contains: " + ", ".join(sorted(set(problems)))
        )


# ---------------------------------------------------------------------------------------------
# The plain-text alternative

_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "table", "pre", "img")


def html_to_text(soup: BeautifulSoup | Tag, width: int = TEXT_WIDTH) -> str:
    """A readable plain-text version of a report body.

    Headings are underlined, paragraphs and list items wrapped at ``width`` columns, tables
    laid out as aligned columns (numbers right-aligned), images replaced by their alt text.

    >>> html = ('<h2>Key figures</h2><p>Four groups.</p><table><thead><tr><th>Group</th>'
    ...         '<th class="num">Share</th></tr></thead><tbody><tr><td>Acme</td>'
    ...         '<td class="num">9.5%</td></tr></tbody></table>')
    >>> print(html_to_text(BeautifulSoup(html, "html.parser")), end="")
    Key figures
    -----------
    <BLANKLINE>
    Four groups.
    <BLANKLINE>
    Group  Share
    -----  -----
    Acme    9.5%
    """
    lang = "en"
    if isinstance(soup, Tag) and (root := soup.find("html")) is not None:
        lang = root.get("lang", "en")
    blocks: list[tuple[str, str]] = []  # (kind, text)
    for tag in soup.find_all(_BLOCKS):
        if _is_layout(tag) or any(
            p.name in ("table", "pre") and not _is_layout(p) for p in tag.parents
        ):
            continue
        if tag.name != "li" and tag.find_parent(["li", "p", "h1", "h2", "h3", "h4"]):
            continue  # part of the enclosing block's text
        if tag.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            words = _words(tag)
            rule = {"h1": "=", "h2": "-"}.get(tag.name, "~")
            blocks.append(("h", f"{words}\n{rule * min(len(words), width)}"))
        elif tag.name == "p" and _words(tag):
            blocks.append(("p", textwrap.fill(_words(tag), width)))
        elif tag.name == "li":
            marker = "- "
            if tag.parent is not None and tag.parent.name == "ol":
                marker = f"{tag.parent.find_all('li', recursive=False).index(tag) + 1}. "
            indent = "  " * len(tag.find_parents("li")) + "  "
            blocks.append(
                (
                    "li",
                    textwrap.fill(
                        _words(tag, skip=("ul", "ol")),
                        width,
                        initial_indent=indent + marker,
                        subsequent_indent=indent + " " * len(marker),
                    ),
                )
            )
        elif tag.name == "table":
            blocks.append(("table", _table_text(tag)))
        elif tag.name == "pre":
            blocks.append(("pre", tag.get_text().rstrip("\n")))
        elif tag.name == "img" and tag.get("alt"):
            label = catalog(lang)["email.chart"]
            blocks.append(("img", textwrap.fill(f"[{label}: {tag['alt']}]", width)))
    text = ""
    for n, (kind, block) in enumerate(blocks):
        if n:  # list items follow each other directly; other blocks after a blank line
            text += "\n" if kind == "li" and blocks[n - 1][0] == "li" else "\n\n"
        text += block
    return text + "\n"


def _is_layout(tag: Tag) -> bool:
    """A table that only lays out the mail (role="presentation"), not data."""
    return tag.name == "table" and tag.get("role") == "presentation"


def _words(tag: Tag, skip: tuple[str, ...] = ()) -> str:
    """The text of ``tag`` with whitespace collapsed, leaving out elements named in ``skip``."""
    parts = []
    for node in tag.descendants:
        if isinstance(node, NavigableString):
            if skip and any(
                p.name in skip for p in node.parents if p is not tag and tag in p.parents
            ):
                continue
            parts.append(str(node))
        elif node.name == "br":
            parts.append(" ")
    # Collapse ASCII whitespace only: em and en spaces indent on purpose (e.g. a unit tree).
    text = re.sub(r"[ \t\r\n\f\v]+", " ", "".join(parts)).strip(" \t\r\n\f\v")
    return text.replace("\u2003", "  ").replace("\u2002", " ")


def _table_text(table: Tag) -> str:
    rows, numeric = [], []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        cells = tr.find_all(["th", "td"], recursive=False)
        rows.append([_words(c) for c in cells])
        numeric.append(["num" in (c.get("class") or []) for c in cells])
    if not rows:
        return ""
    columns = max(len(r) for r in rows)
    widths = [max((len(r[i]) for r in rows if i < len(r)), default=0) for i in range(columns)]
    head = len(table.find("thead").find_all("tr")) if table.find("thead") else 0
    lines = []
    for n, (row, nums) in enumerate(zip(rows, numeric, strict=True)):
        cells = [(c.rjust(widths[i]) if nums[i] else c.ljust(widths[i])) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n + 1 == head:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
