"""The SMTP session of a delivery: credentials from the environment only, TLS verified,
a login that also works beyond ASCII, and failures said in one line without the secrets.

SMTP user name and password come only from the environment (``ACCOUNT_ANALYSIS_SMTP_USER``,
``ACCOUNT_ANALYSIS_SMTP_PASSWORD``) and are never written or printed; they never cross the
network unencrypted.
"""

from __future__ import annotations

import base64
import os
import smtplib
import ssl
from dataclasses import dataclass

from ..errors import InputError, Problem
from ..settings.parameters import SMTP_PASSWORD_ENV, SMTP_USER_ENV, MailSettings


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str

    def __repr__(self) -> str:  # never show them, not even in a traceback's locals
        return "Credentials(***)"


def credentials_from_environment(
    mail: MailSettings, environ=os.environ, source: str = "parameters"
) -> Credentials | None:
    """SMTP credentials from ``ACCOUNT_ANALYSIS_SMTP_USER`` / ``_PASSWORD``, or None for none.

    Refused (:class:`InputError`, naming ``source``) when only one is set, or when
    ``smtp_security`` is ``none``: a password never crosses the network unencrypted.
    """
    user, password = environ.get(SMTP_USER_ENV, ""), environ.get(SMTP_PASSWORD_ENV, "")
    if bool(user) != bool(password):
        missing = SMTP_PASSWORD_ENV if user else SMTP_USER_ENV
        raise InputError.single("environment", f"{missing} as well (SMTP login needs both)")
    if not user:
        return None
    if mail.security == "none":
        raise InputError(
            [
                Problem(
                    source,
                    None,
                    "smtp_security",
                    mail.security,
                    "starttls or tls: the SMTP "
                    f"password ({SMTP_PASSWORD_ENV}) would cross the network unencrypted",
                    "key",
                )
            ]
        )
    return Credentials(user, password)


def tls_context(mail: MailSettings) -> ssl.SSLContext:
    """Certificate and host name verified; ``smtp_ca_file`` trusted beside the system store."""
    context = ssl.create_default_context()
    if mail.ca_path:
        context.load_verify_locations(cafile=str(mail.ca_path))
    return context


def connect(
    mail: MailSettings, credentials: Credentials | None, timeout: float = 60
) -> smtplib.SMTP:
    """An SMTP session as the settings say: STARTTLS, implicit TLS or plain; logged in."""
    if mail.security == "tls":
        smtp = smtplib.SMTP_SSL(mail.host, mail.port, timeout=timeout, context=tls_context(mail))
    else:
        smtp = smtplib.SMTP(mail.host, mail.port, timeout=timeout)
    try:
        if mail.security == "starttls":
            smtp.starttls(context=tls_context(mail))
        if credentials:
            login(smtp, credentials)
    except BaseException:
        smtp.close()
        raise
    return smtp


class NonAsciiLoginError(smtplib.SMTPException):
    """Non-ASCII credentials and a server without AUTH PLAIN or LOGIN to send them in UTF-8."""


def login(smtp: smtplib.SMTP, credentials: Credentials) -> None:
    """Log in. smtplib sends ASCII only (other characters raise UnicodeEncodeError quoting
    one of them); a user name or password beyond ASCII goes as UTF-8 (RFC 4616 PLAIN, else
    LOGIN), and a server offering neither gets :class:`NonAsciiLoginError`, naming no
    character."""
    if (credentials.user + credentials.password).isascii():
        smtp.login(credentials.user, credentials.password)
        return
    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    offered = smtp.esmtp_features["auth"].upper().split()

    def b64(text: str) -> str:
        return base64.b64encode(text.encode("utf-8")).decode("ascii")

    if "PLAIN" in offered:
        code, reply = smtp.docmd(
            "AUTH", "PLAIN " + b64(f"\0{credentials.user}\0{credentials.password}")
        )
    elif "LOGIN" in offered:
        code, reply = smtp.docmd("AUTH", "LOGIN " + b64(credentials.user))
        if code == 334:
            code, reply = smtp.docmd(b64(credentials.password))
    else:
        raise NonAsciiLoginError(
            f"{SMTP_USER_ENV} or {SMTP_PASSWORD_ENV} holds characters beyond ASCII, which "
            f"need AUTH PLAIN or LOGIN; the server offers only {', '.join(offered) or 'none'}"
        )
    if code not in (235, 503):  # 503: already logged in
        raise smtplib.SMTPAuthenticationError(code, reply)


def failure_reason(err: BaseException, credentials: Credentials | None) -> str:
    """Why sending failed, in one line for the person running ``send``, without the
    credentials."""
    return _scrub(_smtp_reason(err), credentials)


def _scrub(text: str, credentials: Credentials | None) -> str:
    """``text`` without the credentials, plain or base64 (as in AUTH PLAIN/LOGIN)."""
    text = " ".join(str(text).split())
    if credentials:
        secrets = [credentials.password, credentials.user]
        secrets += [base64.b64encode(s.encode()).decode() for s in secrets]
        secrets.append(
            base64.b64encode(f"\0{credentials.user}\0{credentials.password}".encode()).decode()
        )
        for secret in secrets:
            if secret:
                text = text.replace(secret, "***")
    return text


def _smtp_reason(err: BaseException) -> str:
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(err.recipients.values()))
        return f"recipient refused: {code} {reply.decode(errors='replace')}"
    if isinstance(err, smtplib.SMTPAuthenticationError):
        return (
            f"SMTP login refused ({err.smtp_code}); check {SMTP_USER_ENV} and {SMTP_PASSWORD_ENV}"
        )
    if isinstance(err, NonAsciiLoginError):
        return f"SMTP login not possible: {err}"
    if isinstance(err, smtplib.SMTPResponseException):
        return f"{err.smtp_code} {err.smtp_error.decode(errors='replace')}"
    if isinstance(err, UnicodeError):  # its message quotes the character: say less
        return "a value holds characters beyond ASCII that the server cannot be sent"
    if isinstance(err, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted: {err.verify_message} (see smtp_ca_file)"
    return f"{type(err).__name__}: {err}"
