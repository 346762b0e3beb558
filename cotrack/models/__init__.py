"""All models, imported here so Alembic and the app see one metadata."""

from cotrack.models.ratelimit import RateLimitCounter
from cotrack.models.user import ROLES, ApiToken, Organisation, User, UserSession

__all__ = ["ROLES", "ApiToken", "Organisation", "RateLimitCounter", "User", "UserSession"]
