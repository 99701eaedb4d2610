"""Email delivery of the period reports: the right reader, nothing leaked, nothing twice.

Each message is one report, its body built for mail from the report's executed notebook by
:mod:`account_analysis.render.email`::

    multipart/mixed
      multipart/alternative
        text/plain                  headings, paragraphs and tables as aligned text
        multipart/related
          text/html                 our stylesheet inlined into style attributes, < 100 KB
          image/png ...             the charts, referenced from the HTML as cid:

Who gets what (:func:`plan_messages`): the ``mail_management`` addresses of the params receive
the period reports; each account manager receives the briefings of the groups assigned to
them, from the briefing manifest in ``reports/<period>/summary.json``, and nothing else. One
message per report and recipient, so a rejected recipient never holds back the others.

:func:`send_period` writes the messages to ``reports/<period>/outbox/`` (dry run) or sends
them over SMTP, recording each delivered message in ``reports/<period>/sent.json`` so that a
period is not mailed twice and a later run sends only what was not delivered. The SMTP
session (credentials from the environment only, TLS, login) is :mod:`.smtp`.
"""

from __future__ import annotations

import json
import re
import shutil
import smtplib
import ssl
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import TextIO

import nbformat
from bs4 import BeautifulSoup

from .. import config
from ..errors import InputError, Problem
from ..render.email import EmailBody, email_body
from ..render.paths import ReportPaths, briefing_name
from ..render.reports import BRIEFING_REPORT, PERIOD_REPORTS
from ..settings.parameters import Settings, mail_address
from ..words import ByKey
from .smtp import connect, credentials_from_environment, failure_reason

SUBJECTS = ByKey("mail.subject")  # {report: {language: subject}}
FOOTERS = ByKey("mail")["footer"]  # {language: footer}
# ---------------------------------------------------------------------------------------------
# Messages


def build_message(body: EmailBody, *, subject: str, sender: str, recipient: str | Address,
                  language: str) -> EmailMessage:
    """The MIME message of one report for one recipient (see the module docstring)."""
    msg = EmailMessage()
    msg["Subject"] = header_text(subject)
    msg["From"] = sender
    msg["To"] = recipient
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain=mail_address(sender).domain)
    msg["Content-Language"] = language
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to this
    msg.set_content(body.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(body.html, subtype="html", charset="utf-8", cte="quoted-printable")
    html_part = msg.get_payload()[1]
    for n, image in enumerate(body.images, 1):
        html_part.add_related(image.data, maintype="image", subtype=image.subtype,
                              cid=f"<{image.cid}>", disposition="inline",
                              filename=f"chart-{n}.{'jpg' if image.subtype == 'jpeg' else 'png'}")
        if image.alt:
            html_part.get_payload()[-1]["Content-Description"] = header_text(image.alt)
    msg.make_mixed()
    return msg


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_text(text: str) -> str:
    """``text`` fit for one header line: control characters (CR, LF, tab, …) become spaces,
    runs of spaces one; a customer name with a line break cannot start a new header.

    >>> header_text("Accountbriefing Acme\\r\\nBcc: x@example.nl,  2026-Q3")
    'Accountbriefing Acme Bcc: x@example.nl, 2026-Q3'
    """
    return " ".join(_CONTROL.sub(" ", str(text)).split())


@dataclass(frozen=True)
class Outgoing:
    """One message to send, or the reason it must not be sent (``refusal``).

    ``key`` identifies it in the sent-log: ``<report>/<recipient address>``, with
    ``briefings/<slug>`` as the report of a briefing.
    """

    key: str
    label: str
    recipient: str
    message: EmailMessage | None = None
    refusal: str = ""


@dataclass(frozen=True)
class _Source:
    key: str  # revenue_concentration, briefings/<slug>
    label: str
    html: Path
    executed: Path
    failed: Path  # where the batch keeps the notebook when the report failed
    title: str
    subject: str
    language: str
    recipients: tuple[str, ...]


def period_dir(settings: Settings, reports_dir: Path | None = None) -> Path:
    return Path(reports_dir or config.REPORTS_DIR) / settings.period


def plan_messages(settings: Settings, reports_dir: Path | None = None) -> list[Outgoing]:
    """Every message of a period: the period reports to management, each briefing to its
    account manager. A report that is missing, failed in the last run, or not rendered for
    mail comes back as a refusal for each of its recipients instead of a message, and so
    does a briefing whose body is not of the group and period its manifest entry names.

    Raises :class:`InputError` (and plans nothing) when a manifest entry is not as the batch
    writes it: files other than the slug's, a slug not of its group id, a group twice.
    """
    paths = ReportPaths(period_dir(settings, reports_dir))
    mail = settings.mail
    lang = settings.language
    sources: list[_Source] = []
    refusals: list[Outgoing] = []
    from ..present.format import TITLES

    for report in PERIOD_REPORTS:
        sources.append(_Source(
            report, report, paths.html(report), paths.executed(report), paths.failed(report),
            f"{TITLES[report][lang]} — {settings.period}",
            SUBJECTS[report][lang].format(period=settings.period), lang, mail.management))

    summary = paths.summary
    manifest: list = []
    if not summary.is_file():
        refusals.append(Outgoing("briefings", "briefings", "account managers", refusal=(
            f"no briefing manifest {summary}: run `account-analysis run` for "
            f"{settings.period} first; no briefing is mailed")))
    else:
        try:
            manifest = json.loads(summary.read_text(encoding="utf-8"))["briefings"]
            if not isinstance(manifest, list):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            manifest = []
            refusals.append(Outgoing("briefings", "briefings", "account managers", refusal=(
                f"{summary} holds no list of briefings: run `account-analysis run` for "
                f"{settings.period} again; no briefing is mailed")))
    problems: list[Problem] = []
    group_of: dict[str, str] = {}  # source key -> group id, for the marker check
    seen: dict[tuple[str, str], int] = {}
    for n, entry in enumerate(manifest, 1):
        source, refusal, problem = _briefing_source(entry, paths, settings.period)
        if problem is not None:
            key, value, expected = problem
            where = f"briefings[{n}].{key}" if key else f"briefings[{n}]"
            problems.append(Problem(str(summary), None, where, value,
                                    f"{expected}, as `account-analysis run` writes it (run "
                                    f"it for {settings.period} again)", "key"))
            continue
        for what in ("group_id", "slug"):
            first = seen.setdefault((what, entry[what]), n)
            if first != n:
                problems.append(Problem(str(summary), None, f"briefings[{n}].{what}",
                                        entry[what], f"a {what} of its own (briefing {first} "
                                        "has it too)", "key"))
        if refusal:
            refusals.append(Outgoing(briefing_name(entry["slug"]), f"briefing {entry['slug']}",
                                     str(entry.get("account_manager_email") or "?"),
                                     refusal=f"{summary}, briefing {n}: {refusal}"))
        else:
            sources.append(source)
            group_of[source.key] = entry["group_id"]
    if problems:  # a manifest not as the batch writes it says nothing reliable about who gets what
        raise InputError(problems)

    messages: list[Outgoing] = []
    for source in sources:
        problem = _stale(source)
        body = None
        if not problem:
            try:
                nb = nbformat.read(source.executed, as_version=4)
                body = email_body(nb, title=source.title, language=source.language,
                                  footer=FOOTERS[source.language].format(period=settings.period))
            except (ValueError, OSError, nbformat.ValidationError) as err:
                problem = f"cannot be rendered for mail: {err}"
        if body is not None and source.key in group_of:
            problem = _wrong_briefing(body.html, group_of[source.key], settings.period)
        for recipient in source.recipients:
            address = mail_address(recipient)
            key = f"{source.key}/{address.addr_spec.lower()}"
            if problem:
                messages.append(Outgoing(key, source.label, address.addr_spec,
                                         refusal=f"{source.label}: {problem}; not mailed"))
                continue
            try:
                msg = build_message(body, subject=source.subject, sender=mail.sender,
                                    recipient=address, language=source.language)
            except ValueError as err:  # contained: one unbuildable message holds back no other
                messages.append(Outgoing(key, source.label, address.addr_spec, refusal=(
                    f"{source.label}: cannot be built as a message ({err}); not mailed")))
                continue
            messages.append(Outgoing(key, source.label, address.addr_spec, msg))
    return messages + refusals


def _briefing_source(entry, paths: ReportPaths, period: str
                     ) -> tuple[_Source | None, str, tuple[str, object, str] | None]:
    """The source of one manifest entry: ``(source, "", None)``; ``(None, refusal, None)``
    when the briefing may not be mailed this time (failed, no account manager address); or
    ``(None, "", (key, value, expected))`` when the entry is not as the batch writes it
    (its files must be ``briefings/<slug>.html`` and ``executed/briefings/<slug>.ipynb``
    and the slug must start with the group's
    :func:`~account_analysis.render.paths.group_file_id`,
    so no entry can point at another group's file or outside the period's folders).
    """
    from ..render.paths import group_file_id

    if not isinstance(entry, dict):
        return None, "", ("", _shown(entry), "an entry with group_id, slug, html, executed, …")
    for key in ("group_id", "group_name", "slug", "html", "executed", "language"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            return None, "", (key, _shown(entry.get(key)), "text")
    slug = entry["slug"]
    prefix = f"{group_file_id(entry['group_id'])}-"
    if not (slug.startswith(prefix) and re.fullmatch(r"[a-z0-9_]+-[a-z0-9-]+", slug)):
        return None, "", ("slug", _shown(slug), f"the group's file name, {prefix}<name>")
    name = briefing_name(slug)
    for key, path in (("html", paths.relative(paths.html(name))),
                      ("executed", paths.relative(paths.executed(name)))):
        if entry[key] != path:
            return None, "", (key, _shown(entry[key]), path)
    if entry["language"] not in FOOTERS:
        return None, "", ("language", _shown(entry["language"]), "one of en, nl")
    if entry.get("ok") is False:
        failed = (f"briefing {slug} failed in the last run "
                  f"(see {paths.relative(paths.failed(name))})")
        return None, failed, None
    email = entry.get("account_manager_email")
    address = mail_address(email) if isinstance(email, str) else None
    if address is None:
        return None, (f"briefing {slug} has no account manager mail address "
                      f"({_shown(email)!r}); nobody to mail it to"), None
    manager = entry.get("account_manager_name")
    manager = header_text(manager) if isinstance(manager, str) else ""
    recipient = str(Address(display_name=manager, addr_spec=address.addr_spec)) if manager \
        else address.addr_spec
    lang = entry["language"]
    subject = SUBJECTS[BRIEFING_REPORT][lang].format(name=entry["group_name"], period=period)
    return _Source(name, f"briefing {slug}", paths.html(name), paths.executed(name),
                   paths.failed(name), subject, subject, lang, (recipient,)), "", None


def _shown(value, limit: int = 80):
    """A hand-edited value as an error shows it: text cut to ``limit`` characters."""
    value = value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
    return value[:limit] + "…" if isinstance(value, str) and len(value) > limit else value


def briefing_markers(html: str) -> set[tuple[str, str]]:
    """The ``(group id, period)`` pairs a rendered briefing says it is about, from the
    attributes :func:`~account_analysis.present.briefing.briefing_title` puts on its title.

    >>> briefing_markers('<h1 data-account-analysis-group="C1" '
    ...                  'data-account-analysis-period="2026-Q3">Acme</h1>')
    {('C1', '2026-Q3')}
    """
    from ..present.briefing import GROUP_MARKER, PERIOD_MARKER

    soup = BeautifulSoup(html, "html.parser")
    return {(str(t.get(GROUP_MARKER)), str(t.get(PERIOD_MARKER)))
            for t in soup.find_all(attrs={GROUP_MARKER: True})}


def _wrong_briefing(html: str, group_id: str, period: str) -> str:
    """Why a briefing body must not go to the account manager of ``group_id`` ("" if it
    may): it must say it is that group's briefing of ``period``, and nothing else."""
    markers = briefing_markers(html)
    if markers == {(group_id, period)}:
        return ""
    if not markers:
        return (f"the rendered briefing does not say which group it is about (rendered by an "
                f"older version?): run `account-analysis run` for {period} again")
    shown = ", ".join(f"group {g} of {p}" for g, p in sorted(markers))
    return (f"the rendered briefing is of {shown}, but the manifest says group {group_id} of "
            f"{period}: run `account-analysis run` for {period} again")


def _stale(source: _Source) -> str:
    """Why the rendered report must not be mailed ("" if it may)."""
    failed = source.failed
    if not source.html.is_file():
        if failed.is_file():
            return f"failed in the last run (see {failed}) and has no rendered report"
        return f"no rendered report {source.html}"
    if failed.is_file() and failed.stat().st_mtime >= source.html.stat().st_mtime:
        return (f"failed in the last run (see {failed}); {source.html.name} is from an "
                "earlier run and would be stale")
    if not source.executed.is_file():
        return f"no executed notebook {source.executed}"
    return ""


# ---------------------------------------------------------------------------------------------
# Outbox, sent-log, sending (the SMTP session: .smtp)


def outbox_name(n: int, item: Outgoing) -> str:
    """A file name for a message in the outbox: number, report and recipient."""
    safe = re.sub(r"[^A-Za-z0-9@._-]+", "_", item.key.replace("/", "--"))
    return f"{n:03d}-{safe}.eml"


def write_outbox(items: Sequence[Outgoing], outbox: Path) -> list[Path]:
    """Write each message as ``.eml`` into ``outbox``, replacing what a previous run left there.

    The new files are written into a fresh folder beside ``outbox`` first; only then is the
    old outbox swapped out, so the outbox never mixes two runs.
    """
    outbox = Path(outbox)
    outbox.parent.mkdir(parents=True, exist_ok=True)
    fresh = outbox.with_name(f".{outbox.name}.{uuid.uuid4().hex}.tmp")
    fresh.mkdir()
    written = []
    try:
        for n, item in enumerate((i for i in items if i.message is not None), 1):
            path = fresh / outbox_name(n, item)
            path.write_bytes(item.message.as_bytes())
            written.append(outbox / path.name)
        old = outbox.with_name(f".{outbox.name}.{uuid.uuid4().hex}.old")
        if outbox.exists():
            outbox.replace(old)
        fresh.replace(outbox)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return written


@dataclass
class SentLog:
    """``reports/<period>/sent.json``: what was delivered, to whom and when.

    Rewritten atomically after every delivered message, so an interrupted run loses nothing.
    """

    path: Path
    entries: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> SentLog:
        path = Path(path)
        if not path.exists():
            return cls(path)
        expected = ("a sent-log written by account-analysis send (move it away to send the "
                    "period again)")
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            entries = doc["messages"]
            assert isinstance(entries, dict)
        except (ValueError, KeyError, TypeError, AssertionError, OSError):
            raise InputError.single(path, expected) from None
        for key, entry in entries.items():
            if not (isinstance(entry, dict) and isinstance(entry.get("sent"), str)):
                raise InputError([Problem(str(path), None, f"messages.{key}", _shown(entry),
                                          f"a record with to, subject, message_id and sent; "
                                          f"{expected}", "key")])
        return cls(path, entries)

    def record(self, item: Outgoing) -> None:
        from ..files import write_atomically

        msg = item.message
        self.entries[item.key] = {
            "to": item.recipient, "subject": str(msg["Subject"]),
            "message_id": str(msg["Message-ID"]),
            "sent": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        write_atomically(self.path, json.dumps({"messages": self.entries}, indent=1,
                                               ensure_ascii=False) + "\n")


@dataclass(frozen=True)
class SendResult:
    sent: list[Outgoing]
    skipped: list[Outgoing]
    failed: list[tuple[Outgoing, str]]
    refused: list[Outgoing]
    written: list[Path]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.refused


def send_period(settings: Settings, reports_dir: Path | None = None, *, dry_run: bool = False,
                resend: bool = False, out: TextIO = sys.stdout, source: str = "parameters"
                ) -> SendResult:
    """Mail one period's reports (or, with ``dry_run``, write them to the outbox).

    Messages already in the sent-log are skipped unless ``resend``. Each message goes to its
    one recipient; a failure is recorded and the next message still goes. Prints one line per
    message to ``out``.
    """
    paths = ReportPaths(period_dir(settings, reports_dir))
    credentials = None if dry_run else credentials_from_environment(settings.mail,
                                                                    source=source)
    log = SentLog.read(paths.sent_log)
    items = plan_messages(settings, reports_dir)
    refused = [i for i in items if i.message is None]
    todo = [i for i in items if i.message is not None and (resend or i.key not in log.entries)]
    skipped = [i for i in items if i.message is not None and i not in todo]
    sent: list[Outgoing] = []
    failed: list[tuple[Outgoing, str]] = []
    written: list[Path] = []
    period = settings.period

    for item in skipped:
        when = log.entries[item.key]["sent"]
        print(f"{period}  already sent  {item.label} → {item.recipient} on {when} "
              "(--resend to send again)", file=out)
    if dry_run:
        written = write_outbox(todo, paths.outbox)
        for item, path in zip(todo, written, strict=True):
            print(f"{period}  outbox        {item.label} → {item.recipient}: {path.name}",
                  file=out)
    else:
        smtp = None
        connect_error = ""
        try:
            for item in todo:
                if connect_error:
                    failed.append((item, connect_error))
                    continue
                try:
                    if smtp is None:
                        smtp = connect(settings.mail, credentials)
                except (OSError, smtplib.SMTPException, ssl.SSLError, UnicodeError) as err:
                    connect_error = (f"cannot reach {settings.mail.host}:{settings.mail.port}: "
                                     + failure_reason(err, credentials))
                    failed.append((item, connect_error))
                    continue
                try:
                    smtp.send_message(item.message,
                                      from_addr=mail_address(settings.mail.sender).addr_spec,
                                      to_addrs=[item.recipient])
                except (OSError, smtplib.SMTPException) as err:
                    failed.append((item, failure_reason(err, credentials)))
                    if isinstance(err, smtplib.SMTPServerDisconnected | OSError):
                        smtp = None  # reconnect for the next message
                    continue
                log.record(item)
                sent.append(item)
                print(f"{period}  sent          {item.label} → {item.recipient}", file=out)
        finally:
            if smtp is not None:
                try:
                    smtp.quit()
                except (OSError, smtplib.SMTPException):
                    smtp.close()
    for item, reason in failed:
        print(f"{period}  FAILED        {item.label} → {item.recipient}: {reason}", file=out)
    for refusal in dict.fromkeys(item.refusal for item in refused):
        print(f"{period}  REFUSED       {refusal}", file=out)
    return SendResult(sent, skipped, failed, refused, written)
