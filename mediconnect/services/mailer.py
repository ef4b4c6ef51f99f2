"""Sending one plain-text email through the SMTP server named in Settings.

Kept to one small function so that every mail the services send goes the same way and tests
can point SMTP_HOST/SMTP_PORT at a stand-in on loopback.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from mediconnect.core.settings import Settings, get_settings

SMTP_TIMEOUT_S = 10


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server."""


def send_email(*, to: str, subject: str, body: str, settings: Settings | None = None) -> None:
    cfg = settings or get_settings()
    msg = EmailMessage()
    msg["From"] = cfg.SMTP_FROM
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    try:
        with smtplib.SMTP(cfg.SMTP_HOST, cfg.SMTP_PORT, timeout=SMTP_TIMEOUT_S) as smtp:
            if cfg.SMTP_USE_TLS:
                smtp.starttls()
            if cfg.SMTP_USERNAME:
                smtp.login(cfg.SMTP_USERNAME, cfg.SMTP_PASSWORD.get_secret_value())
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        # The exception type only: server replies can echo addresses back.
        raise MailError(f"could not send email ({type(exc).__name__})") from exc
