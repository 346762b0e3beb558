"""Admin: the mail outbox and, without MAIL_URL, the mails written as .eml files."""

from email import policy
from email.parser import BytesParser
from pathlib import Path

from flask import current_app, render_template, send_file
from sqlalchemy import select

from cotrack import jobs, mail
from cotrack.domain.permissions import require
from cotrack.extensions import db
from cotrack.mail.eml import listing
from cotrack.models import OutboundMail


def _headers(path: Path) -> dict:
    with path.open("rb") as handle:
        message = BytesParser(policy=policy.default).parse(handle, headersonly=True)
    return {"to": message["To"], "subject": message["Subject"], "date": message["Date"]}


def mails():
    folder = current_app.config["MAIL_FILE_PATH"]
    files = [(p.name, _headers(p)) for p in listing(folder)]
    waiting = db.session.scalars(select(OutboundMail).where(OutboundMail.sent_at.is_(None))
                                 .order_by(OutboundMail.id).limit(50)).all()
    return render_template("admin/mail.html", files=files, folder=folder,
                           writes_files=not current_app.config.get("MAIL_URL"),
                           waiting=waiting, status=mail.outbox_status(),
                           queue=jobs.queue_length())


def eml_file(name: str):
    folder = Path(current_app.config["MAIL_FILE_PATH"]).resolve()
    path = (folder / name).resolve()
    require(path.parent == folder and path.suffix == ".eml" and path.is_file(), 404)
    return send_file(path, mimetype="message/rfc822", as_attachment=False)
