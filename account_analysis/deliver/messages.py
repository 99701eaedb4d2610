"""The messages of a period: who gets what, and each message built for mail.

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
Sending them, the outbox and the sent-log are :mod:`account_analysis.deliver.mail`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup

from .. import config
from ..errors import InputError, Problem
from ..render.email import EmailBody, email_body
from ..render.paths import ReportPaths, briefing_name
from ..render.reports import BRIEFING_REPORT, PERIOD_REPORTS
from ..settings.parameters import Settings, mail_address
from ..words import ByKey

SUBJECTS = ByKey("mail.subject")  # {report: {language: subject}}
FOOTERS = ByKey("mail")["footer"]  # {language: footer}


def build_message(
    body: EmailBody, *, subject: str, sender: str, recipient: str | Address, language: str
) -> EmailMessage:
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
        html_part.add_related(
            image.data,
            maintype="image",
            subtype=image.subtype,
            cid=f"<{image.cid}>",
            disposition="inline",
            filename=f"chart-{n}.{'jpg' if image.subtype == 'jpeg' else 'png'}",
        )
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
    from ..present.format import TITLES

    paths = ReportPaths(period_dir(settings, reports_dir))
    lang = settings.language
    sources = [
        _Source(
            report,
            report,
            paths.html(report),
            paths.executed(report),
            paths.failed(report),
            f"{TITLES[report][lang]} — {settings.period}",
            SUBJECTS[report][lang].format(period=settings.period),
            lang,
            settings.mail.management,
        )
        for report in PERIOD_REPORTS
    ]
    manifest, refusals = _read_manifest(paths.summary, settings.period)
    briefings, group_of, not_mailed = _briefing_sources(manifest, paths, settings.period)
    sources += briefings
    refusals += not_mailed
    messages: list[Outgoing] = []
    for source in sources:
        messages += _source_messages(source, group_of.get(source.key), settings)
    return messages + refusals


def _read_manifest(summary: Path, period: str) -> tuple[list, list[Outgoing]]:
    """The briefings manifest of ``summary.json``, or none and the refusal that says why."""
    if not summary.is_file():
        return [], [
            Outgoing(
                "briefings",
                "briefings",
                "account managers",
                refusal=(
                    f"no briefing manifest {summary}: run `account-analysis run` for "
                    f"{period} first; no briefing is mailed"
                ),
            )
        ]
    try:
        manifest = json.loads(summary.read_text(encoding="utf-8"))["briefings"]
        if not isinstance(manifest, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return [], [
            Outgoing(
                "briefings",
                "briefings",
                "account managers",
                refusal=(
                    f"{summary} holds no list of briefings: run `account-analysis run` for "
                    f"{period} again; no briefing is mailed"
                ),
            )
        ]
    return manifest, []


def _briefing_sources(
    manifest: list, paths: ReportPaths, period: str
) -> tuple[list[_Source], dict[str, str], list[Outgoing]]:
    """The briefings of ``manifest`` to mail, the group id of each by source key (for the
    marker check), and a refusal for each that may not be mailed this time.

    Raises :class:`InputError` when an entry is not as the batch writes it.
    """
    summary = paths.summary
    sources: list[_Source] = []
    refusals: list[Outgoing] = []
    problems: list[Problem] = []
    group_of: dict[str, str] = {}  # source key -> group id, for the marker check
    seen: dict[tuple[str, str], int] = {}
    for n, entry in enumerate(manifest, 1):
        source, refusal, problem = _briefing_source(entry, paths, period)
        if problem is not None:
            key, value, expected = problem
            where = f"briefings[{n}].{key}" if key else f"briefings[{n}]"
            problems.append(
                Problem(
                    str(summary),
                    None,
                    where,
                    value,
                    f"{expected}, as `account-analysis run` writes it (run it for {period} again)",
                    "key",
                )
            )
            continue
        for what in ("group_id", "slug"):
            first = seen.setdefault((what, entry[what]), n)
            if first != n:
                problems.append(
                    Problem(
                        str(summary),
                        None,
                        f"briefings[{n}].{what}",
                        entry[what],
                        f"a {what} of its own (briefing {first} has it too)",
                        "key",
                    )
                )
        if refusal:
            refusals.append(
                Outgoing(
                    briefing_name(entry["slug"]),
                    f"briefing {entry['slug']}",
                    str(entry.get("account_manager_email") or "?"),
                    refusal=f"{summary}, briefing {n}: {refusal}",
                )
            )
        else:
            sources.append(source)
            group_of[source.key] = entry["group_id"]
    if problems:  # a manifest not as the batch writes it says nothing reliable about who gets what
        raise InputError(problems)
    return sources, group_of, refusals


def _source_messages(source: _Source, group_id: str | None, settings: Settings) -> list[Outgoing]:
    """The message of ``source`` to each of its recipients, or a refusal for each; a
    briefing (``group_id`` given) only when its body is that group's of the period."""
    problem = _stale(source)
    body = None
    if not problem:
        try:
            nb = nbformat.read(source.executed, as_version=4)
            body = email_body(
                nb,
                title=source.title,
                language=source.language,
                footer=FOOTERS[source.language].format(period=settings.period),
            )
        except (ValueError, OSError, nbformat.ValidationError) as err:
            problem = f"cannot be rendered for mail: {err}"
    if body is not None and group_id is not None:
        problem = _wrong_briefing(body.html, group_id, settings.period)
    messages: list[Outgoing] = []
    for recipient in source.recipients:
        address = mail_address(recipient)
        key = f"{source.key}/{address.addr_spec.lower()}"
        if problem:
            messages.append(
                Outgoing(
                    key,
                    source.label,
                    address.addr_spec,
                    refusal=f"{source.label}: {problem}; not mailed",
                )
            )
            continue
        try:
            msg = build_message(
                body,
                subject=source.subject,
                sender=settings.mail.sender,
                recipient=address,
                language=source.language,
            )
        except ValueError as err:  # contained: one unbuildable message holds back no other
            messages.append(
                Outgoing(
                    key,
                    source.label,
                    address.addr_spec,
                    refusal=(f"{source.label}: cannot be built as a message ({err}); not mailed"),
                )
            )
            continue
        messages.append(Outgoing(key, source.label, address.addr_spec, msg))
    return messages


def _briefing_source(
    entry, paths: ReportPaths, period: str
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
        return None, "", ("", shown_value(entry), "an entry with group_id, slug, html, executed, …")
    for key in ("group_id", "group_name", "slug", "html", "executed", "language"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            return None, "", (key, shown_value(entry.get(key)), "text")
    slug = entry["slug"]
    prefix = f"{group_file_id(entry['group_id'])}-"
    if not (slug.startswith(prefix) and re.fullmatch(r"[a-z0-9_]+-[a-z0-9-]+", slug)):
        return None, "", ("slug", shown_value(slug), f"the group's file name, {prefix}<name>")
    name = briefing_name(slug)
    for key, path in (
        ("html", paths.relative(paths.html(name))),
        ("executed", paths.relative(paths.executed(name))),
    ):
        if entry[key] != path:
            return None, "", (key, shown_value(entry[key]), path)
    if entry["language"] not in FOOTERS:
        return None, "", ("language", shown_value(entry["language"]), "one of en, nl")
    if entry.get("ok") is False:
        failed = (
            f"briefing {slug} failed in the last run (see {paths.relative(paths.failed(name))})"
        )
        return None, failed, None
    email = entry.get("account_manager_email")
    address = mail_address(email) if isinstance(email, str) else None
    if address is None:
        return (
            None,
            (
                f"briefing {slug} has no account manager mail address "
                f"({shown_value(email)!r}); nobody to mail it to"
            ),
            None,
        )
    manager = entry.get("account_manager_name")
    manager = header_text(manager) if isinstance(manager, str) else ""
    recipient = (
        str(Address(display_name=manager, addr_spec=address.addr_spec))
        if manager
        else address.addr_spec
    )
    lang = entry["language"]
    subject = SUBJECTS[BRIEFING_REPORT][lang].format(name=entry["group_name"], period=period)
    return (
        _Source(
            name,
            f"briefing {slug}",
            paths.html(name),
            paths.executed(name),
            paths.failed(name),
            subject,
            subject,
            lang,
            (recipient,),
        ),
        "",
        None,
    )


def shown_value(value, limit: int = 80):
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
    return {
        (str(t.get(GROUP_MARKER)), str(t.get(PERIOD_MARKER)))
        for t in soup.find_all(attrs={GROUP_MARKER: True})
    }


def _wrong_briefing(html: str, group_id: str, period: str) -> str:
    """Why a briefing body must not go to the account manager of ``group_id`` ("" if it
    may): it must say it is that group's briefing of ``period``, and nothing else."""
    markers = briefing_markers(html)
    if markers == {(group_id, period)}:
        return ""
    if not markers:
        return (
            f"the rendered briefing does not say which group it is about (rendered by an "
            f"older version?): run `account-analysis run` for {period} again"
        )
    shown = ", ".join(f"group {g} of {p}" for g, p in sorted(markers))
    return (
        f"the rendered briefing is of {shown}, but the manifest says group {group_id} of "
        f"{period}: run `account-analysis run` for {period} again"
    )


def _stale(source: _Source) -> str:
    """Why the rendered report must not be mailed ("" if it may)."""
    failed = source.failed
    if not source.html.is_file():
        if failed.is_file():
            return f"failed in the last run (see {failed}) and has no rendered report"
        return f"no rendered report {source.html}"
    if failed.is_file() and failed.stat().st_mtime >= source.html.stat().st_mtime:
        return (
            f"failed in the last run (see {failed}); {source.html.name} is from an "
            "earlier run and would be stale"
        )
    if not source.executed.is_file():
        return f"no executed notebook {source.executed}"
    return ""
