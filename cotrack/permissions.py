"""Who may do what: pure ``can_*(user, obj) -> bool`` checks and ``require`` that aborts.

The same functions hide buttons in templates (registered as Jinja globals).
"""

from flask import abort

from cotrack.models import User


def can_administer(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_admin)


def require(allowed: bool, status: int = 403) -> None:
    """Abort with ``status`` unless ``allowed``: 404 for outsiders, 403 for a role not allowed."""
    if not allowed:
        abort(status)


TEMPLATE_CHECKS = {"can_administer": can_administer}
