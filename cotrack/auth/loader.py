"""Flask-Login loads the user from the server-side session named in the cookie."""

from cotrack.extensions import login_manager
from cotrack.services.signin import load_session_user


@login_manager.user_loader
def load_user(token: str):
    return load_session_user(token)
