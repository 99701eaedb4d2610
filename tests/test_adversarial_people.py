"""Issue 12, people and secrets: the attacks of the review, through the real command line.

Briefings mailed to the wrong account manager (item 7), secrets echoed in errors and a
non-ASCII SMTP password (9), a line break in a customer name (10), formulas in the link review
(11), and hand-edited or bad paths around `send` and `suggest-links` (15). Each bad input must
end with exit status 1, no traceback, the file and key or value named, and nothing written.

The rendered fixture runs `account-analysis run` once, for two periods on two altered copies
of the demo dataset; each sending test mails a private copy over a real SMTP server (aiosmtpd
on loopback).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import read_rows, run_cli, run_wide, set_cell
from test_mail import (
    Inbox,
    _server_context,
    check_structure,
    cli,
    everything_in,
    parse,
    start_server,
)

ACME = {"C10041": "Acme B.V.", "C10001": "Acme N.V.", "C10055": "Acme C10041"}
PIETER, RUUD = "p.bakker@example.nl", "r.smit@example.nl"  # AM03: C10001, C10041; AM04: C10055
NEWLINE_NAME = "Stichting Onderwijs Brabant\nBcc: leak@example.nl"
MANAGEMENT = ["director@example.nl", "board@example.nl"]
SECRET = "Hunter2-kW9x"


def rename(dataset: Path, names: dict[str, str]) -> None:
    path = dataset / "accounts.csv"
    rows, _ = read_rows(path)
    ids = [r[0] for r in rows]
    for account, name in names.items():
        set_cell(path, ids.index(account) + 1, "name", name)


def params(folder: Path, period: str, dataset: Path, **values) -> Path:
    doc = {
        "period": period,
        "dataset": str(dataset),
        "mail_management": MANAGEMENT,
        "smtp_host": "127.0.0.1",
        "smtp_port": 25,
        "smtp_security": "none",
        **values,
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{period}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, demo_dir) -> dict:
    """2026-Q3 on a dataset whose three Large Accounts are named Acme B.V., Acme N.V. and
    Acme C10041; 2026-Q2 on one where C10055's name holds a line break. Rendered by `run`
    once per test run and shared by the xdist workers (worksteal may give each some of this
    module's tests). Read only: a test copies the reports (``reports``)."""
    with run_wide(tmp_path_factory, "people") as folder:
        done = folder / "run.json"
        acme, newline = folder / "acme", folder / "newline"
        reports = folder / "reports"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            shutil.copytree(demo_dir, acme)
            shutil.copytree(demo_dir, newline)
            rename(acme, ACME)
            rename(newline, {"C10055": NEWLINE_NAME})
            files = [
                params(folder / "params", "2026-Q3", acme),
                params(folder / "params", "2026-Q2", newline),
            ]
            result = run_cli("run", *files, "--reports", reports)
            done.write_text(
                json.dumps(
                    {"returncode": result.returncode, "output": result.stdout + result.stderr}
                ),
                encoding="utf-8",
            )
        run = json.loads(done.read_text(encoding="utf-8"))
    assert run["returncode"] == 0, run["output"]
    return {"reports": reports, "2026-Q3": acme, "2026-Q2": newline}


@pytest.fixture()
def reports(rendered, tmp_path) -> Path:
    target = tmp_path / "reports"
    shutil.copytree(rendered["reports"], target)
    return target


@pytest.fixture()
def smtp():
    inbox = Inbox()
    controller, port = start_server(inbox)
    yield inbox, port
    controller.stop()


def no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr


def manifest(reports: Path, period: str) -> list[dict]:
    return json.loads((reports / period / "summary.json").read_text())["briefings"]


# --------------------------------------------------------------------------- item 7


@pytest.mark.slow
def test_groups_whose_names_make_one_slug_each_reach_only_their_own_account_manager(
    rendered, reports, tmp_path, smtp
):
    inbox, port = smtp
    entries = manifest(reports, "2026-Q3")
    assert {e["group_id"]: e["group_name"] for e in entries} == ACME
    slugs = [e["slug"] for e in entries]
    assert len(set(slugs)) == 3
    assert len(list((reports / "2026-Q3" / "briefings").glob("*.html"))) == 3

    result = cli(
        "send",
        params(tmp_path, "2026-Q3", rendered["2026-Q3"], smtp_port=port),
        "--reports",
        reports,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    no_traceback(result)
    own = {PIETER: {"C10001", "C10041"}, RUUD: {"C10055"}}
    for address, groups in own.items():
        messages = inbox.to(address)
        assert len(messages) == len(groups), address
        about = []
        for msg in messages:
            check_structure(msg)
            content = everything_in(msg)
            # The briefing's first sentence names the group by id: "Acme N.V. (C10001) is ..."
            named = {g for g in ACME if f"({g})" in content}
            assert len(named) == 1, (address, msg["Subject"], named)
            about += named
        assert sorted(about) == sorted(groups), address  # each own group once, no other


@pytest.mark.slow
def test_a_rendered_briefing_of_another_group_is_refused(rendered, reports, tmp_path):
    period = reports / "2026-Q3"
    by_group = {e["group_id"]: e for e in manifest(reports, "2026-Q3")}
    # What the old naming did: Acme C10041's briefing written over Acme B.V.'s (C10041) file.
    for key in ("executed", "html"):
        shutil.copy(period / by_group["C10055"][key], period / by_group["C10041"][key])
    result = cli(
        "send", params(tmp_path, "2026-Q3", rendered["2026-Q3"]), "--dry-run", "--reports", reports
    )
    assert result.returncode == 1
    no_traceback(result)
    refused = [line for line in result.stdout.splitlines() if "REFUSED" in line]
    assert len(refused) == 1, result.stdout
    assert by_group["C10041"]["slug"] in refused[0]
    assert "is of group C10055 of 2026-Q3" in refused[0] and "group C10041" in refused[0]
    to_pieter = [parse(p) for p in (period / "outbox").glob("*.eml") if PIETER in p.name]
    assert len(to_pieter) == 1 and "(C10001)" in everything_in(to_pieter[0])
    assert "(C10055)" not in everything_in(to_pieter[0])


# --------------------------------------------------------------------------- item 10


@pytest.mark.slow
def test_a_line_break_in_a_customer_name_is_a_space_in_the_subject_and_every_message_goes(
    rendered, reports, tmp_path, smtp
):
    inbox, port = smtp
    result = cli(
        "send",
        params(tmp_path, "2026-Q2", rendered["2026-Q2"], smtp_port=port),
        "--reports",
        reports,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    no_traceback(result)
    assert len(inbox.received) == 2 * len(MANAGEMENT) + 3 == 7
    assert all(len(rcpt) == 1 and "leak@example.nl" not in rcpt for _, rcpt, _, _ in inbox.received)
    (ruud,) = inbox.to(RUUD)
    # (strip: Python's folding starts this subject on a continuation line, unfolded as " ")
    assert ruud["Subject"].strip() == (
        "Account briefing Stichting Onderwijs Brabant Bcc: leak@example.nl, 2026-Q2"
    )
    for _, _, msg, _ in inbox.received:
        assert msg["Bcc"] is None and "\n" not in str(msg["Subject"])
    log = json.loads((reports / "2026-Q2" / "sent.json").read_text())["messages"]
    assert len(log) == 7


# --------------------------------------------------------------------------- item 9

UTF8_PASSWORD = "wachtwoord-é€ü-Zq8"


def _utf8_authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"mailer-7Kq2"
        and auth_data.password == UTF8_PASSWORD.encode("utf-8")
    )
    return AuthResult(success=ok, handled=False)


class CramOnlyInbox(Inbox):
    """A server that offers only CRAM-MD5, which cannot carry a password beyond ASCII."""

    async def auth_CRAM__MD5(self, server, args):
        return AuthResult(success=False, handled=False)


def _send_logged_in(certificate, inbox, exclude, rendered, reports, tmp_path):
    """`send` of 2026-Q3 to a STARTTLS server that requires a login, offering the
    mechanisms of aiosmtpd less ``exclude``, with a password beyond ASCII."""
    controller, port = start_server(
        inbox,
        tls_context=_server_context(certificate),
        require_starttls=True,
        authenticator=_utf8_authenticator,
        auth_required=True,
        auth_require_tls=True,
        auth_exclude_mechanism=exclude,
    )
    try:
        return cli(
            "send",
            params(
                tmp_path,
                "2026-Q3",
                rendered["2026-Q3"],
                smtp_port=port,
                smtp_security="starttls",
                smtp_ca_file=str(certificate[0]),
            ),
            "--reports",
            reports,
            env={
                "ACCOUNT_ANALYSIS_SMTP_USER": "mailer-7Kq2",
                "ACCOUNT_ANALYSIS_SMTP_PASSWORD": UTF8_PASSWORD,
            },
        )
    finally:
        controller.stop()


@pytest.mark.slow
@pytest.mark.parametrize("exclude", [["LOGIN"], ["PLAIN"]], ids=["plain", "login"])
def test_a_non_ascii_password_logs_in_as_utf8(rendered, reports, tmp_path, certificate, exclude):
    inbox = Inbox()
    result = _send_logged_in(certificate, inbox, exclude, rendered, reports, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(inbox.received) == 7 and all(auth for *_, auth in inbox.received)
    assert UTF8_PASSWORD not in result.stdout + result.stderr


@pytest.mark.slow
def test_a_non_ascii_password_the_server_cannot_take_is_a_clear_error(
    rendered, reports, tmp_path, certificate
):
    inbox = CramOnlyInbox()
    result = _send_logged_in(certificate, inbox, ["LOGIN", "PLAIN"], rendered, reports, tmp_path)
    assert result.returncode == 1
    no_traceback(result)
    assert not inbox.received
    assert "beyond ASCII" in result.stdout and "CRAM-MD5" in result.stdout
    for char in "é€ü":  # not even one character of the password
        assert char not in result.stdout + result.stderr
    assert not (reports / "2026-Q3" / "sent.json").exists()


@pytest.mark.parametrize(
    ("line", "key"),
    [
        (f"wachtwoord: {SECRET}", "wachtwoord"),
        (f"smtp_pwd: {SECRET}", "smtp_pwd"),
        (f"smtp_host: 'mailer:{SECRET}@smtp.example.nl'", "smtp_host"),
        (f"smtp_host: 'smtp://mailer:{SECRET}@smtp.example.nl:587'", "smtp_host"),
        (f"mail_from: 'smtp://mailer:{SECRET}@smtp.example.nl'", "mail_from"),
    ],
)
@pytest.mark.parametrize("command", ["send", "run"])
def test_a_secret_in_the_params_is_named_by_key_and_never_shown(tmp_path, line, key, command):
    path = tmp_path / "2026-Q3.yaml"
    path.write_text(f'period: "2026-Q3"\n{line}\n', encoding="utf-8")
    result = run_cli(command, path, "--reports", tmp_path / "reports")
    assert result.returncode == 1
    no_traceback(result)
    assert f"2026-Q3.yaml, key {key}" in result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert SECRET[:6] not in result.stdout + result.stderr
    assert not (tmp_path / "reports").exists()


# --------------------------------------------------------------------------- item 11


def test_suggest_links_writes_no_formula_into_the_review_csv(broken_copy, tmp_path):
    evil = (
        '=HYPERLINK("http://evil.example/x",'
        '"Woningstichting Zonnehoek Rotterdam vestiging Rotterdam")'
    )
    rename(broken_copy, {"C10158": evil})  # a name that suggest-links pairs with others
    out = tmp_path / "review.csv"
    result = run_cli("suggest-links", broken_copy, "--out", out, "--min-score", "60")
    assert result.returncode == 0, result.stdout + result.stderr
    cells = [c for r in read_rows(out)[0] for c in r]
    assert f"'{evil}" in cells  # the name, as text
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


# --------------------------------------------------------------------------- item 15


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--min-score", "nan"], "--min-score: nan"),
        (["--min-score", "1000"], "--min-score: 1000.0"),
        (["--min-score", "-1"], "--min-score: -1.0"),
        (["--out", "{tmp}/no/such/folder/review.csv"], "no/such/folder/review.csv"),
        (["--out", "{tmp}"], "--out:"),
    ],
)
def test_suggest_links_refuses_bad_options_and_writes_nothing(broken_copy, tmp_path, args, named):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    before = sorted(p.name for p in broken_copy.iterdir())
    result = run_cli("suggest-links", broken_copy, *args)
    assert result.returncode == 1
    no_traceback(result)
    assert named in result.stderr and "expected" in result.stderr
    assert sorted(p.name for p in broken_copy.iterdir()) == before
    assert not (tmp_path / "no").exists()


def _hand_made_period(tmp_path: Path, entry: dict) -> tuple[Path, Path]:
    """reports/2026-Q3 with nothing but a summary.json holding ``entry``."""
    reports = tmp_path / "reports"
    (reports / "2026-Q3").mkdir(parents=True)
    (reports / "2026-Q3" / "summary.json").write_text(json.dumps({"briefings": [entry]}))
    return reports, params(tmp_path / "params", "2026-Q3", tmp_path / "dataset")


GOOD_ENTRY = {
    "group_id": "C10001",
    "group_name": "Zorggroep Vlietstreek B.V.",
    "slug": "c10001-zorggroep-vlietstreek",
    "html": "briefings/c10001-zorggroep-vlietstreek.html",
    "executed": "executed/briefings/c10001-zorggroep-vlietstreek.ipynb",
    "account_manager": "AM03",
    "account_manager_name": "Pieter Bakker",
    "account_manager_email": PIETER,
    "language": "nl",
    "ok": True,
}


@pytest.mark.parametrize(
    ("change", "key", "value"),
    [
        ({"executed": "summary.json"}, "executed", "summary.json"),
        ({"executed": "executed/../sent.json"}, "executed", "executed/../sent.json"),
        ({"executed": "../../../etc/passwd"}, "executed", "../../../etc/passwd"),
        ({"html": "/etc/passwd"}, "html", "/etc/passwd"),
        ({"slug": "../c10001-x"}, "slug", "../c10001-x"),
        ({"slug": "c10055-zorggroep-vlietstreek"}, "slug", "c10055-zorggroep-vlietstreek"),
    ],
)
def test_a_manifest_entry_pointing_elsewhere_is_refused_and_nothing_written(
    tmp_path, change, key, value
):
    reports, path = _hand_made_period(tmp_path, {**GOOD_ENTRY, **change})
    before = sorted(p.relative_to(reports) for p in reports.rglob("*"))
    result = run_cli("send", path, "--reports", reports, "--dry-run")
    assert result.returncode == 1
    no_traceback(result)
    assert f"summary.json, key briefings[1].{key}: {value!r}" in result.stderr, result.stderr
    assert sorted(p.relative_to(reports) for p in reports.rglob("*")) == before


@pytest.mark.parametrize("entry", ["c10001-zorggroep-vlietstreek", 42, None, ["x"]])
def test_a_manifest_entry_that_is_not_a_record_is_refused_and_nothing_written(tmp_path, entry):
    reports, path = _hand_made_period(tmp_path, entry)
    result = run_cli("send", path, "--reports", reports, "--dry-run")
    assert result.returncode == 1
    no_traceback(result)
    assert "summary.json, key briefings[1]:" in result.stderr, result.stderr
    assert not (reports / "2026-Q3" / "outbox").exists()


def test_the_same_group_twice_in_the_manifest_is_refused(tmp_path):
    reports, path = _hand_made_period(tmp_path, GOOD_ENTRY)
    summary = reports / "2026-Q3" / "summary.json"
    summary.write_text(json.dumps({"briefings": [GOOD_ENTRY, GOOD_ENTRY]}))
    result = run_cli("send", path, "--reports", reports, "--dry-run")
    assert result.returncode == 1
    no_traceback(result)
    assert "key briefings[2].group_id: 'C10001' — expected a group_id of its own" in result.stderr
    assert not (reports / "2026-Q3" / "outbox").exists()


@pytest.mark.slow
@pytest.mark.parametrize("entry", ["yes", 42, None, ["sent"], {"to": "x"}])
def test_a_sent_log_with_entries_that_are_not_records_is_refused(
    rendered, reports, tmp_path, entry
):
    log = reports / "2026-Q3" / "sent.json"
    key = f"revenue_concentration/{MANAGEMENT[0]}"
    log.write_text(json.dumps({"messages": {key: entry}}))
    result = cli(
        "send", params(tmp_path, "2026-Q3", rendered["2026-Q3"]), "--dry-run", "--reports", reports
    )
    assert result.returncode == 1
    no_traceback(result)
    assert f"sent.json, key messages.{key}" in result.stderr
    assert "a sent-log written by account-analysis send" in result.stderr
    assert not (reports / "2026-Q3" / "outbox").exists()
    assert json.loads(log.read_text()) == {"messages": {key: entry}}
