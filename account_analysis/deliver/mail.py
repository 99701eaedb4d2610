"""Email delivery of the period reports: the right reader, nothing leaked, nothing twice.

The messages, and who gets which, are :mod:`account_analysis.deliver.messages`
(:func:`plan_messages`). :func:`send_period` writes them to ``reports/<period>/outbox/`` (dry
run) or sends them over SMTP, recording each delivered message in
``reports/<period>/sent.json`` so that a period is not mailed twice and a later run sends only
what was not delivered. The SMTP session (credentials from the environment only, TLS, login)
is :mod:`.smtp`.
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
from pathlib import Path
from typing import TextIO

from ..errors import InputError, Problem
from ..render.paths import ReportPaths
from ..settings.parameters import Settings, mail_address
from .messages import (
    FOOTERS,
    SUBJECTS,
    Outgoing,
    briefing_markers,
    build_message,
    header_text,
    period_dir,
    plan_messages,
    shown_value,
)
from .smtp import connect, credentials_from_environment, failure_reason

# The messages' names are read from here too (the command line, tests).
__all__ = [
    "FOOTERS",
    "SUBJECTS",
    "Outgoing",
    "SendResult",
    "SentLog",
    "briefing_markers",
    "build_message",
    "header_text",
    "outbox_name",
    "period_dir",
    "plan_messages",
    "send_period",
    "write_outbox",
]


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
        expected = (
            "a sent-log written by account-analysis send (move it away to send the period again)"
        )
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            entries = doc["messages"]
            assert isinstance(entries, dict)
        except (ValueError, KeyError, TypeError, AssertionError, OSError):
            raise InputError.single(path, expected) from None
        for key, entry in entries.items():
            if not (isinstance(entry, dict) and isinstance(entry.get("sent"), str)):
                raise InputError(
                    [
                        Problem(
                            str(path),
                            None,
                            f"messages.{key}",
                            shown_value(entry),
                            f"a record with to, subject, message_id and sent; {expected}",
                            "key",
                        )
                    ]
                )
        return cls(path, entries)

    def record(self, item: Outgoing) -> None:
        from ..files import write_atomically

        msg = item.message
        self.entries[item.key] = {
            "to": item.recipient,
            "subject": str(msg["Subject"]),
            "message_id": str(msg["Message-ID"]),
            "sent": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        write_atomically(
            self.path, json.dumps({"messages": self.entries}, indent=1, ensure_ascii=False) + "\n"
        )


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


def send_period(
    settings: Settings,
    reports_dir: Path | None = None,
    *,
    dry_run: bool = False,
    resend: bool = False,
    out: TextIO = sys.stdout,
    source: str = "parameters",
) -> SendResult:
    """Mail one period's reports (or, with ``dry_run``, write them to the outbox).

    Messages already in the sent-log are skipped unless ``resend``. Each message goes to its
    one recipient; a failure is recorded and the next message still goes. Prints one line per
    message to ``out``.
    """
    paths = ReportPaths(period_dir(settings, reports_dir))
    credentials = None if dry_run else credentials_from_environment(settings.mail, source=source)
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
        print(
            f"{period}  already sent  {item.label} → {item.recipient} on {when} "
            "(--resend to send again)",
            file=out,
        )
    if dry_run:
        written = write_outbox(todo, paths.outbox)
        for item, path in zip(todo, written, strict=True):
            print(f"{period}  outbox        {item.label} → {item.recipient}: {path.name}", file=out)
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
                    connect_error = (
                        f"cannot reach {settings.mail.host}:{settings.mail.port}: "
                        + failure_reason(err, credentials)
                    )
                    failed.append((item, connect_error))
                    continue
                try:
                    smtp.send_message(
                        item.message,
                        from_addr=mail_address(settings.mail.sender).addr_spec,
                        to_addrs=[item.recipient],
                    )
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
