"""MAIL_URL and MAIL_FROM as Flask-Mailman's settings.

``smtp://host:port`` (plain), ``smtp+starttls://user:pass@host:587`` (STARTTLS),
``smtps://user:pass@host:465`` (TLS from the start). Without MAIL_URL, mails are written as
``.eml`` files into ``instance/mail`` (``MAIL_FILE_PATH``), so a newcomer sees them without
a mail server; the admin page "Mail" lists them.
"""

from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import Flask

SCHEMES = {"smtp": (False, False, 25), "smtp+starttls": (True, False, 587),
           "smtps": (False, True, 465)}
EML_BACKEND = "cotrack.mail.eml.EmailBackend"


def smtp_settings(url: str) -> dict:
    """Flask-Mailman settings for a MAIL_URL; ValueError naming what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ValueError(f"MAIL_URL must start with one of {', '.join(SCHEMES)}://")
    if not parts.hostname:
        raise ValueError("MAIL_URL names no host")
    use_tls, use_ssl, port = SCHEMES[parts.scheme]
    return {
        "MAIL_BACKEND": "smtp", "MAIL_SERVER": parts.hostname, "MAIL_PORT": parts.port or port,
        "MAIL_USE_TLS": use_tls, "MAIL_USE_SSL": use_ssl,
        "MAIL_USERNAME": unquote(parts.username) if parts.username else None,
        "MAIL_PASSWORD": unquote(parts.password) if parts.password else None,
    }


def configure(app: Flask) -> None:
    """Turn MAIL_URL / MAIL_FROM into Flask-Mailman's settings (before its init_app)."""
    cfg = app.config
    cfg.setdefault("MAIL_TIMEOUT", 30)
    cfg["MAIL_DEFAULT_SENDER"] = cfg.get("MAIL_FROM") or "CoTrack <cotrack@localhost>"
    if cfg.get("MAIL_URL"):
        cfg.update(smtp_settings(cfg["MAIL_URL"]))
    elif not cfg.get("MAIL_BACKEND"):
        cfg["MAIL_BACKEND"] = EML_BACKEND
    cfg.setdefault("MAIL_FILE_PATH", str(Path(app.instance_path) / "mail"))


def sender_domain(sender: str) -> str:
    """The domain of MAIL_FROM, for Message-IDs."""
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "localhost"
