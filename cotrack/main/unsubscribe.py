"""One-click unsubscribe (RFC 8058): the link in a mail's List-Unsubscribe header.

GET shows what the link turns off and a button (a link scanner that follows links turns
nothing off); POST, from that button or from the mail client's one-click request
(``List-Unsubscribe=One-Click``, no cookies, no CSRF token), turns it off. The signed token
is the only credential: it names one user and the kinds of mail.
"""

from flask import render_template

from cotrack.domain.notifications import KINDS
from cotrack.domain.permissions import require
from cotrack.extensions import db
from cotrack.mail.unsubscribe import read_token
from cotrack.models import User
from cotrack.services import preferences


def _reader(token: str) -> tuple[User, list[str]]:
    found = read_token(token)
    user = db.session.get(User, found[0]) if found else None
    require(user is not None, 404)
    return user, [k for k in found[1] if k in KINDS]


def unsubscribe(token: str):
    user, kinds = _reader(token)
    return render_template("main/unsubscribe.html", token=token, kinds=kinds, labels=KINDS,
                           done=False, email=user.email)


def one_click(token: str):
    user, kinds = _reader(token)
    preferences.unsubscribe(user, kinds)
    return render_template("main/unsubscribe.html", token=token, kinds=kinds, labels=KINDS,
                           done=True, email=user.email)
