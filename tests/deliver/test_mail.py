"""Mailing the reports: email-safe bodies, the right reader, nothing leaked, real SMTP.

One module-scoped run renders the demo period 2026-Q3 through the real CLI, with SMTP
credentials planted in the environment; each test mails a private copy of it. The SMTP servers
are real (aiosmtpd on loopback, started by the test), one of them with STARTTLS and a login,
one with implicit TLS, both with a self-signed certificate made by ``openssl`` for the test.
"""

from __future__ import annotations

import base64
import email
import email.policy
import io
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from bs4 import BeautifulSoup
from conftest import PLANTED, SMTP_PASSWORD, SMTP_USER
from PIL import Image

from account_analysis import config
from account_analysis.present.briefing import GROUP_MARKER, PERIOD_MARKER
from account_analysis.render.email import (
    MAX_HTML_BYTES,
    check_mail_safe,
    email_body,
    html_to_text,
)
from account_analysis.render.paths import briefing_slug

PERIOD = "2026-Q3"
USER, PASSWORD = SMTP_USER, SMTP_PASSWORD  # planted in the shared render's environment
MANAGEMENT = ["director@example.nl", "board@example.nl"]


def cli(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command line in a fresh interpreter; ``env`` is added to a clean environment."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("ACCOUNT_ANALYSIS_SMTP")}
    return subprocess.run(
        [sys.executable, "-m", "account_analysis.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**base, **(env or {})},
    )


# ---------------------------------------------------------------------------------------------
# Fixtures: the rendered period, a copy per test, SMTP servers


@pytest.fixture(scope="module")
def rendered(rendered_demo) -> tuple[Path, subprocess.CompletedProcess]:
    """reports/ with every demo period, 2026-Q3 among them, rendered by `account-analysis run`
    with the credentials of ``PLANTED`` in its environment (the session's shared run)."""
    reports, result = rendered_demo
    assert result.returncode == 0, result.stdout + result.stderr
    return reports, result


@pytest.fixture()
def reports(rendered, tmp_path) -> Path:
    """A private copy of the rendered reports that a test may change."""
    target = tmp_path / "reports"
    shutil.copytree(rendered[0], target)
    return target


def free_port() -> int:
    # aiosmtpd's Controller cannot bind port 0 and tell us the port, so ask the OS first.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what arrives and rejects the recipients in ``reject``."""

    def __init__(self):
        self.reject: set[str] = set()
        self.received: list[tuple[str, list[str], email.message.EmailMessage, bool]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.received.append(
            (envelope.mail_from, list(envelope.rcpt_tos), msg, bool(session.authenticated))
        )
        return "250 Message accepted"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for _, rcpt, m, _ in self.received if address in rcpt]


def _server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


def start_server(inbox: Inbox, **kwargs):
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=60, **kwargs)
    controller.start()
    return controller, port


@pytest.fixture()
def plain_smtp():
    inbox = Inbox()
    controller, port = start_server(inbox)
    yield inbox, port
    controller.stop()


@pytest.fixture()
def starttls_smtp(certificate):
    """STARTTLS required before anything, and a login required before MAIL."""
    inbox = Inbox()
    controller, port = start_server(
        inbox,
        tls_context=_server_context(certificate),
        require_starttls=True,
        authenticator=_authenticator,
        auth_required=True,
        auth_require_tls=True,
    )
    yield inbox, port
    controller.stop()


@pytest.fixture()
def implicit_tls_smtp(certificate):
    inbox = Inbox()
    controller, port = start_server(inbox, ssl_context=_server_context(certificate))
    yield inbox, port
    controller.stop()


def write_params(tmp_path: Path, **values) -> Path:
    doc = {
        "period": PERIOD,
        "language": "nl",
        "mail_management": MANAGEMENT,
        "smtp_host": "127.0.0.1",
        "smtp_port": 25,
        "smtp_security": "none",
        **values,
    }
    path = tmp_path / f"{PERIOD}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Checks on one message


def parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def check_structure(msg: email.message.EmailMessage) -> tuple[str, str, dict[str, bytes]]:
    """Assert the designed MIME tree; return the HTML, the text and the images by cid."""
    assert msg.get_content_type() == "multipart/mixed"
    (alternative,) = msg.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, related = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, *images = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    assert images, "every report has at least one chart"
    assert all(p.get_content_type() == "image/png" for p in images)
    parts = {p["Content-ID"].strip("<>"): p.get_content() for p in images}
    assert len(parts) == len(images)
    html = html_part.get_content()
    assert len(html.encode("utf-8")) < MAX_HTML_BYTES
    soup = BeautifulSoup(html, "html.parser")
    sources = [img["src"] for img in soup.find_all("img")]
    assert all(src.startswith("cid:") for src in sources), sources
    assert {src[4:] for src in sources} == set(parts), "every cid resolves, no part unused"
    assert all(img.get("alt") for img in soup.find_all("img"))
    assert all(Image.open(io.BytesIO(data)).format == "PNG" for data in parts.values())
    assert not soup.find_all(["script", "style", "link", "iframe", "object", "base"])
    assert "data:" not in html and "url(" not in html
    check_mail_safe(html)
    return html, plain.get_content(), parts


def everything_in(msg: email.message.EmailMessage) -> str:
    """Headers and every text part of a message, decoded, for searching."""
    texts = [f"{k}: {v}" for k, v in msg.items()]
    texts += [p.get_content() for p in msg.walk() if p.get_content_maintype() == "text"]
    texts += [str(p["Content-Description"] or "") for p in msg.walk()]
    return "\n".join(texts)


def outbox(reports: Path) -> list[Path]:
    return sorted((reports / PERIOD / "outbox").glob("*.eml"))


# ---------------------------------------------------------------------------------------------
# The demo period: dry run, look, send


@pytest.mark.slow
def test_dry_run_of_the_demo_period_writes_parsable_messages(rendered, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(rendered[0], reports)
    stale = reports / PERIOD / "outbox" / "999-from-an-earlier-run.eml"
    stale.parent.mkdir(parents=True)
    stale.write_text("stale")
    result = cli("send", config.PARAMS_DIR / f"{PERIOD}.yaml", "--dry-run", "--reports", reports)
    assert result.returncode == 0, result.stdout + result.stderr
    files = outbox(reports)
    assert not stale.exists()
    summary = json.loads((reports / PERIOD / "summary.json").read_text())
    defaults = yaml.safe_load((config.PARAMS_DIR / "defaults.yaml").read_text())
    expected = 2 * len(defaults["mail_management"]) + len(summary["briefings"])
    assert len(files) == expected
    subjects = {}
    for path in files:
        msg = parse(path)
        html, text, _ = check_structure(msg)
        assert PERIOD in msg["Subject"]
        subjects[msg["Subject"]] = msg["To"]
        assert msg["From"] == defaults["mail_from"]
        assert not list((reports / PERIOD / "outbox").glob(".*"))  # no temporary files left
    # Dutch period: Dutch subjects, Dutch text
    assert f"Omzetconcentratie {PERIOD}" in subjects
    assert f"Onderbouwing Large Accounts {PERIOD}" in subjects
    msg = parse(next(p for p in files if "revenue_concentration" in p.name))
    html, text, _ = check_structure(msg)
    assert "Kerncijfers\n-----------" in text  # headings underlined in the text part
    assert re.search(r"^ +1  Zorggroep Vlietstreek B\.V\. +\d+ +€\s[\d.]+ +\d", text, re.M)
    assert "[Grafiek: Staafdiagram" in text
    assert "Kerncijfers" in html and "import account_analysis" not in html + text
    assert "Parameters" not in html  # injected parameters hidden, as in the browser report


def screenshot(msg: email.message.EmailMessage, folder: Path) -> Image.Image:
    """The HTML body as headless Chromium shows it, each cid: resolved to its image part."""
    folder.mkdir()
    html, _, parts = check_structure(msg)
    for cid, data in parts.items():  # as a mail client does: cid -> the part
        image = folder / f"{cid.split('@')[0]}.png"
        image.write_bytes(data)
        html = html.replace(f"cid:{cid}", image.as_uri())
    page = folder / "mail.html"
    page.write_text(html, encoding="utf-8")
    shot = folder / "mail.png"
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tempfile.mkdtemp(dir=folder)}",
            f"--screenshot={shot}",
            "--window-size=800,2000",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return Image.open(shot).convert("RGB")


def page_width(image: Image.Image, y: int = 60) -> int:
    """Width of the white page on the grey frame, measured along row ``y``."""
    white = [x for x in range(image.width) if image.getpixel((x, y)) == (255, 255, 255)]
    return white[-1] - white[0] + 1


@pytest.mark.slow
def test_email_bodies_render_in_headless_chromium_with_charts_within_the_page(rendered, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(rendered[0], reports)
    assert (
        cli(
            "send", config.PARAMS_DIR / f"{PERIOD}.yaml", "--dry-run", "--reports", reports
        ).returncode
        == 0
    )
    files = outbox(reports)
    shown = [
        next(p for p in files if "revenue_concentration" in p.name),
        next(p for p in files if "large_account_rationale" in p.name),
        next(p for p in files if "briefings" in p.name),
    ]
    for n, path in enumerate(shown):
        image = screenshot(parse(path), tmp_path / f"shot{n}")
        assert image.size == (800, 2000)
        # 680 px including its border; no table pushes it wider (Outlook cannot scroll).
        assert page_width(image) <= 680, path.name
        assert image.getpixel((20, 1000)) == image.getpixel((780, 1000)) != (255, 255, 255)
        if n == 0:  # The Pareto chart's orange candidate bars: there only if the cid resolved.
            orange = sum(
                1 for r, g, b in image.get_flattened_data() if r > 200 and 90 < g < 160 and b < 90
            )
            assert orange > 2000


@pytest.mark.slow
def test_messages_arrive_over_smtp_and_the_sent_log_blocks_a_second_send(
    reports, tmp_path, plain_smtp
):
    inbox, port = plain_smtp
    params = write_params(tmp_path, smtp_port=port)
    first = cli("send", params, "--reports", reports)
    assert first.returncode == 0, first.stdout + first.stderr
    summary = json.loads((reports / PERIOD / "summary.json").read_text())
    assert len(inbox.received) == 2 * len(MANAGEMENT) + len(summary["briefings"])
    for address in MANAGEMENT:
        subjects = sorted(m["Subject"] for m in inbox.to(address))
        assert subjects == sorted(
            [f"Omzetconcentratie {PERIOD}", f"Onderbouwing Large Accounts {PERIOD}"]
        )
    for sender, rcpt, msg, _ in inbox.received:
        assert sender == "sales-operations@example.nl" and len(rcpt) == 1
        check_structure(msg)
    log = json.loads((reports / PERIOD / "sent.json").read_text())
    assert len(log["messages"]) == len(inbox.received)

    again = cli("send", params, "--reports", reports)
    assert again.returncode == 0
    assert len(inbox.received) == len(log["messages"])  # nothing sent twice
    assert "already sent" in again.stdout and "--resend" in again.stdout

    resent = cli("send", params, "--reports", reports, "--resend")
    assert resent.returncode == 0
    assert len(inbox.received) == 2 * len(log["messages"])


@pytest.mark.slow
def test_starttls_with_login_and_the_password_appears_nowhere(
    rendered, reports, tmp_path, starttls_smtp, certificate
):
    inbox, port = starttls_smtp
    params = write_params(
        tmp_path, smtp_port=port, smtp_security="starttls", smtp_ca_file=str(certificate[0])
    )
    dry = cli("send", params, "--reports", reports, "--dry-run", env=PLANTED)
    sent = cli("send", params, "--reports", reports, env=PLANTED)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert inbox.received and all(authenticated for *_, authenticated in inbox.received)
    for _, _, msg, _ in inbox.received:
        check_structure(msg)

    secrets = [PASSWORD, base64.b64encode(PASSWORD.encode()).decode(), USER]
    outputs = [
        rendered[1].stdout,
        rendered[1].stderr,
        dry.stdout,
        dry.stderr,
        sent.stdout,
        sent.stderr,
    ]
    files = [p for p in reports.rglob("*") if p.is_file()]
    assert any(p.suffix == ".eml" for p in files) and any(p.suffix == ".ipynb" for p in files)
    assert any(p.name == "sent.json" for p in files)
    contents = [p.read_bytes().decode("utf-8", errors="replace") for p in files]
    contents += [m.as_string() for _, _, m, _ in inbox.received]
    for secret in secrets:
        for text in outputs + contents:
            assert secret not in text


@pytest.mark.slow
def test_a_wrong_password_fails_every_message_without_repeating_it(
    reports, tmp_path, starttls_smtp, certificate
):
    inbox, port = starttls_smtp
    params = write_params(
        tmp_path, smtp_port=port, smtp_security="starttls", smtp_ca_file=str(certificate[0])
    )
    wrong = {**PLANTED, "ACCOUNT_ANALYSIS_SMTP_PASSWORD": "wrong-Pw-4410"}
    result = cli("send", params, "--reports", reports, env=wrong)
    assert result.returncode == 1
    assert not inbox.received
    assert "SMTP login refused" in result.stdout
    assert "wrong-Pw-4410" not in result.stdout + result.stderr
    assert not (reports / PERIOD / "sent.json").exists()


@pytest.mark.slow
def test_an_untrusted_certificate_is_refused_by_default(reports, tmp_path, starttls_smtp):
    inbox, port = starttls_smtp
    params = write_params(tmp_path, smtp_port=port, smtp_security="starttls")
    result = cli("send", params, "--reports", reports, env=PLANTED)
    assert result.returncode == 1
    assert "TLS certificate not trusted" in result.stdout
    assert not inbox.received


@pytest.mark.slow
def test_implicit_tls(reports, tmp_path, implicit_tls_smtp, certificate):
    inbox, port = implicit_tls_smtp
    params = write_params(
        tmp_path, smtp_port=port, smtp_security="tls", smtp_ca_file=str(certificate[0])
    )
    result = cli("send", params, "--reports", reports)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(inbox.to(MANAGEMENT[0])) == 2


@pytest.mark.slow
def test_a_rejected_recipient_leaves_the_others_delivered_and_is_retried(
    reports, tmp_path, plain_smtp
):
    inbox, port = plain_smtp
    params = write_params(tmp_path, smtp_port=port)
    inbox.reject = {"board@example.nl"}
    first = cli("send", params, "--reports", reports)
    assert first.returncode == 1
    assert len(inbox.to("director@example.nl")) == 2
    assert not inbox.to("board@example.nl")
    failures = [line for line in first.stdout.splitlines() if "FAILED" in line]
    assert len(failures) == 2
    assert all("board@example.nl" in line and "550" in line for line in failures)
    log = json.loads((reports / PERIOD / "sent.json").read_text())["messages"]
    assert not any("board@example.nl" in key for key in log)

    inbox.reject = set()
    before = len(inbox.received)
    second = cli("send", params, "--reports", reports)
    assert second.returncode == 0, second.stdout + second.stderr
    new = inbox.received[before:]
    assert sorted(rcpt[0] for _, rcpt, _, _ in new) == ["board@example.nl"] * 2


# ---------------------------------------------------------------------------------------------
# Missing and failed reports are refused, the others still go


@pytest.mark.slow
def test_a_failed_report_is_refused_and_the_others_still_go(reports, tmp_path, plain_smtp):
    inbox, port = plain_smtp
    failed = reports / PERIOD / "failed" / "large_account_rationale.ipynb"
    failed.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(reports / PERIOD / "executed" / "large_account_rationale.ipynb", failed)
    html = reports / PERIOD / "large_account_rationale.html"
    os.utime(html, (html.stat().st_atime, failed.stat().st_mtime - 60))
    result = cli("send", write_params(tmp_path, smtp_port=port), "--reports", reports)
    assert result.returncode == 1
    refused = [line for line in result.stdout.splitlines() if "REFUSED" in line]
    assert len(refused) == 1  # one line for the report, not one per recipient
    assert "large_account_rationale" in refused[0] and "failed in the last run" in refused[0]
    assert "stale" in refused[0]
    for address in MANAGEMENT:
        assert [m["Subject"] for m in inbox.to(address)] == [f"Omzetconcentratie {PERIOD}"]


@pytest.mark.slow
def test_a_missing_report_is_refused(reports, tmp_path):
    (reports / PERIOD / "revenue_concentration.html").unlink()
    result = cli("send", write_params(tmp_path), "--reports", reports, "--dry-run")
    assert result.returncode == 1
    assert re.search(
        r"REFUSED +revenue_concentration: no rendered report .*"
        r"revenue_concentration\.html; not mailed",
        result.stdout,
    )
    names = [p.name for p in outbox(reports)]
    assert not any("revenue_concentration" in n for n in names)
    assert sum("large_account_rationale" in n for n in names) == len(MANAGEMENT)


@pytest.mark.slow
def test_a_period_without_briefing_manifest_refuses_the_briefings(reports, tmp_path):
    (reports / PERIOD / "summary.json").unlink()
    result = cli("send", write_params(tmp_path), "--reports", reports, "--dry-run")
    assert result.returncode == 1
    assert "no briefing manifest" in result.stdout
    assert len(outbox(reports)) == 2 * len(MANAGEMENT)


# ---------------------------------------------------------------------------------------------
# Account managers see only their own groups


def _png(colour=(224, 123, 40)) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (540, 270), colour).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


GROUPS = {  # group id: (name, account manager id, name, email, language)
    "G1": ("Alpha Zorg B.V.", "AM1", "Anna de Vries", "anna@example.nl", "nl"),
    "G2": ("Beta Bouw N.V.", "AM2", "Bram Jansen", "bram@example.nl", "en"),
    "G3": ("Gamma Onderwijs", "AM1", "Anna de Vries", "anna@example.nl", "nl"),
}


def add_briefings(period_dir: Path, groups: dict = GROUPS) -> None:
    """Hand-written briefings and manifest, in the shape the batch writes them."""
    entries = []
    for gid, (name, am, am_name, address, lang) in groups.items():
        slug = briefing_slug(gid, name)
        others = [g[0] for k, g in groups.items() if k != gid]
        nb = nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_markdown_cell(
                    f"# Analyst notes\nCompare with {', '.join(others)}.",
                    metadata={"tags": ["analyst-only"]},
                ),
                nbformat.v4.new_code_cell(
                    f'group_id: str = "{gid}"  # group', metadata={"tags": ["parameters"]}
                ),
                nbformat.v4.new_code_cell(
                    "aa.briefing_header(ctx)",
                    outputs=[
                        nbformat.v4.new_output(
                            "execute_result",
                            execution_count=1,
                            data={
                                "text/html": f'<h1 {GROUP_MARKER}="{gid}" '
                                f'{PERIOD_MARKER}="{PERIOD}">'
                                f"Briefing {name}</h1><p>Revenue trend</p>"
                                "<table><thead><tr><th>Year</th><th>Revenue</th></tr></thead>"
                                "<tbody><tr><td>2026</td><td>€ 1.234</td></tr></tbody>"
                                "</table><ul><li>Benefit one</li><li>Benefit two</li></ul>",
                                "text/plain": "<Html>",
                            },
                        )
                    ],
                ),
                nbformat.v4.new_code_cell(
                    "aa.briefing_chart(ctx)",
                    outputs=[
                        nbformat.v4.new_output(
                            "display_data",
                            data={"image/png": _png(), "text/plain": "<Chart>"},
                            metadata={"image/png": {"alt": f"Revenue of {name} per quarter"}},
                        )
                    ],
                ),
            ]
        )
        executed = period_dir / "executed" / "briefings" / f"{slug}.ipynb"
        executed.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, executed)
        html = period_dir / "briefings" / f"{slug}.html"
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(f"<h1>{name}</h1>")
        entries.append(
            {
                "group_id": gid,
                "group_name": name,
                "slug": slug,
                "html": f"briefings/{slug}.html",
                "executed": f"executed/briefings/{slug}.ipynb",
                "account_manager": am,
                "account_manager_name": am_name,
                "account_manager_email": address,
                "language": lang,
            }
        )
    summary_file = period_dir / "summary.json"
    summary = json.loads(summary_file.read_text()) if summary_file.exists() else {}
    summary["briefings"] = entries
    summary_file.write_text(json.dumps(summary))


@pytest.mark.slow
def test_each_account_manager_gets_only_the_briefings_of_their_groups(
    reports, tmp_path, plain_smtp
):
    inbox, port = plain_smtp
    period_dir = reports / PERIOD
    shutil.rmtree(period_dir / "briefings", ignore_errors=True)
    shutil.rmtree(period_dir / "executed" / "briefings", ignore_errors=True)
    add_briefings(period_dir)
    result = cli("send", write_params(tmp_path, smtp_port=port), "--reports", reports)
    assert result.returncode == 0, result.stdout + result.stderr
    anna, bram = inbox.to("anna@example.nl"), inbox.to("bram@example.nl")
    assert sorted(m["Subject"] for m in anna) == [
        f"Accountbriefing Alpha Zorg B.V., {PERIOD}",
        f"Accountbriefing Gamma Onderwijs, {PERIOD}",
    ]
    assert [m["Subject"] for m in bram] == [f"Account briefing Beta Bouw N.V., {PERIOD}"]
    assert anna[0]["To"].addresses[0].display_name == "Anna de Vries"
    for msg in anna:
        html, text, _ = check_structure(msg)
        assert "Beta Bouw" not in everything_in(msg)
        assert "Benefit one" in html and "  - Benefit one" in text
    for msg in bram:
        check_structure(msg)
        content = everything_in(msg)
        assert "Alpha Zorg" not in content and "Gamma Onderwijs" not in content
        assert "Sent automatically" in content  # English briefing, English footer
    # management gets the period reports only, no briefing
    for address in MANAGEMENT:
        assert all("briefing" not in m["Subject"].lower() for m in inbox.to(address))


@pytest.mark.slow
def test_real_briefings_name_no_other_customer(rendered, reports):
    """On the demo period: an account manager's messages name none of the largest groups
    except those assigned to them."""
    summary = json.loads((reports / PERIOD / "summary.json").read_text())
    manifest = summary["briefings"]
    assert manifest, "the demo period designates Large Accounts, so it has briefings"
    nb = nbformat.read(reports / PERIOD / "executed" / "revenue_concentration.ipynb", 4)
    top = set()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            soup = BeautifulSoup(output.get("data", {}).get("text/html", ""), "html.parser")
            for row in soup.select("tbody tr"):
                cells = row.find_all("td")
                if len(cells) == 6:  # rank, name, units, revenue, share, cumulative
                    top.add(cells[1].get_text(strip=True))
    assert len(top) >= 10
    result = cli("send", config.PARAMS_DIR / f"{PERIOD}.yaml", "--dry-run", "--reports", reports)
    assert result.returncode == 0, result.stdout + result.stderr
    messages = [parse(p) for p in outbox(reports)]
    for address in {e["account_manager_email"] for e in manifest}:
        own = {e["group_name"] for e in manifest if e["account_manager_email"] == address}
        theirs = [m for m in messages if m["To"].addresses[0].addr_spec == address]
        assert len(theirs) == len(own)
        for msg in theirs:
            check_structure(msg)
            content = everything_in(msg)
            assert any(name in content for name in own)
            leaked = [name for name in top - own if name in content]
            assert not leaked, (address, leaked)


# ---------------------------------------------------------------------------------------------
# Bad mail settings and credentials, through the real CLI


@pytest.mark.parametrize(
    ("values", "key", "expected"),
    [
        ({"smtp_port": 0}, "smtp_port", "from 1 to 65535"),
        ({"smtp_port": "587"}, "smtp_port", "a whole number"),
        ({"smtp_security": "ssl"}, "smtp_security", "starttls, tls, none"),
        ({"smtp_host": "smtp.example.nl:587"}, "smtp_host", "a host name"),
        ({"mail_from": "sales operations"}, "mail_from", "one mail address"),
        ({"mail_management": "director@example.nl"}, "mail_management", "a list of"),
        (
            {"mail_management": ["director@example.nl", "Director@example.nl"]},
            "mail_management",
            "each address once",
        ),
        ({"mail_management": ["director(at)example.nl"]}, "mail_management", "mail addresses"),
        ({"smtp_ca_file": "no/such/ca.pem"}, "smtp_ca_file", "an existing CA certificate"),
    ],
)
def test_bad_mail_settings_are_refused(tmp_path, values, key, expected):
    result = cli(
        "send", write_params(tmp_path, **values), "--reports", tmp_path / "reports", "--dry-run"
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{PERIOD}.yaml, key {key}" in result.stderr and expected in result.stderr
    assert not (tmp_path / "reports").exists()


def test_a_password_in_the_params_is_refused_without_repeating_it(tmp_path):
    result = cli(
        "send", write_params(tmp_path, smtp_password=PASSWORD), "--reports", tmp_path / "reports"
    )
    assert result.returncode == 1
    assert "key smtp_password" in result.stderr
    assert "ACCOUNT_ANALYSIS_SMTP_PASSWORD" in result.stderr
    assert PASSWORD not in result.stdout + result.stderr


def test_a_user_name_without_password_is_refused(tmp_path):
    result = cli(
        "send",
        write_params(tmp_path),
        "--reports",
        tmp_path / "reports",
        env={"ACCOUNT_ANALYSIS_SMTP_USER": USER},
    )
    assert result.returncode == 1
    assert "ACCOUNT_ANALYSIS_SMTP_PASSWORD" in result.stderr and "Traceback" not in result.stderr
    assert USER not in result.stdout + result.stderr


def test_credentials_over_an_unencrypted_connection_are_refused(tmp_path, plain_smtp):
    inbox, port = plain_smtp
    result = cli(
        "send",
        write_params(tmp_path, smtp_port=port),
        "--reports",
        tmp_path / "reports",
        env=PLANTED,
    )
    assert result.returncode == 1
    assert "key smtp_security" in result.stderr and "unencrypted" in result.stderr
    assert not inbox.received


@pytest.mark.slow
def test_an_unreachable_server_fails_every_message_and_logs_nothing(reports, tmp_path):
    result = cli("send", write_params(tmp_path, smtp_port=free_port()), "--reports", reports)
    assert result.returncode == 1
    assert "cannot reach 127.0.0.1" in result.stdout
    assert not (reports / PERIOD / "sent.json").exists()


# ---------------------------------------------------------------------------------------------
# The body itself


def test_body_hides_analyst_cells_drops_svg_and_refuses_remote_images():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                "Secret analyst note", metadata={"tags": ["analyst-only"]}
            ),
            nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_markdown_cell("## Visible\n\nA paragraph."),
            nbformat.v4.new_code_cell(
                "svg",
                outputs=[
                    nbformat.v4.new_output(
                        "display_data",
                        data={
                            "image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg'/>",
                            "text/plain": "svg",
                        },
                    )
                ],
            ),
        ]
    )
    body = email_body(nb, title="T", language="en")
    assert "Secret analyst note" not in body.html + body.text
    assert "x = 1" not in body.html
    assert "Visible" in body.html and "Visible\n-------" in body.text
    assert "<svg" not in body.html and not body.images
    remote = nbformat.v4.new_code_cell(
        "img",
        outputs=[
            nbformat.v4.new_output(
                "display_data",
                data={"text/html": '<img src="https://example.nl/pixel.gif">', "text/plain": "img"},
            )
        ],
    )
    nb.cells.append(remote)
    with pytest.raises(ValueError, match="pixel.gif"):
        email_body(nb, title="T", language="en")


def test_a_body_over_the_size_limit_is_refused():
    rows = "".join(f"<tr><td>Group {i}</td><td>{i}</td></tr>" for i in range(3000))
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "t",
                outputs=[
                    nbformat.v4.new_output(
                        "execute_result",
                        execution_count=1,
                        data={
                            "text/html": f"<table><tbody>{rows}</tbody></table>",
                            "text/plain": "t",
                        },
                    )
                ],
            )
        ]
    )
    with pytest.raises(ValueError, match="KB; mail clients clip"):
        email_body(nb, title="Big", language="en")


def test_plain_text_lays_out_tables_and_lists():
    soup = BeautifulSoup(
        "<h1>Title</h1><table><thead><tr><th>Name</th><th class='num'>Revenue</th></tr>"
        "</thead><tbody><tr><td>Alpha</td><td class='num'>€ 1.234</td></tr>"
        "<tr><td>Beta Bouw N.V.</td><td class='num'>€ 5</td></tr></tbody></table>"
        "<ol><li>first</li><li>second <ul><li>nested</li></ul></li></ol>",
        "html.parser",
    )
    assert html_to_text(soup) == (
        "Title\n=====\n\n"
        "Name            Revenue\n"
        "--------------  -------\n"
        "Alpha           € 1.234\n"
        "Beta Bouw N.V.      € 5\n\n"
        "  1. first\n  2. second\n    - nested\n"
    )


@pytest.mark.slow
def test_a_briefing_the_manifest_marks_failed_is_refused(reports, tmp_path):
    period_dir = reports / PERIOD
    add_briefings(period_dir)
    summary = json.loads((period_dir / "summary.json").read_text())
    for entry in summary["briefings"]:
        entry["ok"] = entry["group_id"] != "G2"
    (period_dir / "summary.json").write_text(json.dumps(summary))
    result = cli("send", write_params(tmp_path), "--reports", reports, "--dry-run")
    assert result.returncode == 1
    assert re.search(r"REFUSED .*briefing g2-beta-bouw failed in the last run", result.stdout)
    names = [p.name for p in outbox(reports)]
    assert sum("anna@example.nl" in n for n in names) == 2
    assert not any("bram@example.nl" in n for n in names)


def test_a_damaged_sent_log_is_refused_not_overwritten(tmp_path):
    log = tmp_path / "reports" / PERIOD / "sent.json"
    log.parent.mkdir(parents=True)
    log.write_text("{not json")
    result = cli("send", write_params(tmp_path), "--reports", tmp_path / "reports", "--dry-run")
    assert result.returncode == 1
    assert (
        "sent.json" in result.stderr
        and "a sent-log written by account-analysis send" in result.stderr
    )
    assert log.read_text() == "{not json"
