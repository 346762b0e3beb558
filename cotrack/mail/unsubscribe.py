"""One-click unsubscribe (RFC 8058): a signed token naming the user and the kinds."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "cotrack.unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user_id: int, kinds: list[str]) -> str:
    return _serializer().dumps({"u": user_id, "k": sorted(kinds)})


def read_token(token: str) -> tuple[int, list[str]] | None:
    """(user id, kinds) of a token this site signed, or None."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(
            data.get("k"), list) or not all(isinstance(k, str) for k in data["k"]):
        return None
    return data["u"], data["k"]
