"""Flask-Login loads the user from the server-side session named in the cookie."""

from flask import flash, redirect, request, url_for
from flask_login import LoginManager
from flask_login.utils import login_url

from cotrack.services.signin import load_session_user


def init_login(manager: LoginManager) -> None:
    """The cookie names a server-side session (``User.session_cookie_value``), not a user."""
    manager.id_attribute = "session_cookie_value"
    manager.user_loader(load_session_user)

    @manager.unauthorized_handler
    def ask_to_sign_in():
        # The front door (a first visit to /) is the sign-in page, with no warning; any
        # other page says why it sent the person to sign in, and comes back after.
        if request.path == "/":
            return redirect(url_for(manager.login_view))
        flash(manager.login_message, manager.login_message_category)
        return redirect(login_url(manager.login_view, next_url=request.url))
