"""Mail: an outbox in the database, delivered by the worker through Flask-Mailman.

To send a mail from any code that writes (a service), inside its transaction::

    from cotrack import mail
    parts = mail.render("password_reset", user=user, link=mail.external(path))
    mail.queue_mail(to=user.email, user=user, subject="Reset your password",
                    kind="password_reset", **parts)

``render`` uses ``templates/mail/<name>.txt`` and ``.html`` (extend ``mail/base.*``);
every mail is multipart (text and HTML). The mail is delivered after the commit, at least
once, with retries while the server is down (README, "Mail and the worker").
"""

from flask import Flask

from cotrack.extensions import mailman
from cotrack.mail import outbox, settings
from cotrack.mail.links import external, path_for
from cotrack.mail.outbox import outbox_status, queue_mail, render


def init_app(app: Flask) -> None:
    settings.configure(app)
    mailman.init_app(app)
    outbox.init_app(app)


__all__ = ["external", "init_app", "outbox_status", "path_for", "queue_mail", "render"]
