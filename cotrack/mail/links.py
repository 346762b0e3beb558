"""Links in mails and notifications: paths built without a request, made absolute with
BASE_URL (the address people reach this site at)."""

from flask import current_app


def path_for(endpoint: str, _anchor: str | None = None, **values) -> str:
    """The path of a page (``/ventures/3/issues/7``), inside a request or not."""
    adapter = current_app.url_map.bind("localhost")
    path = adapter.build(endpoint, values)
    return f"{path}#{_anchor}" if _anchor else path


def external(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path
