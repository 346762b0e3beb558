"""LIKE patterns that match text as it was typed: ``%``, ``_`` and the escape character
``/`` stand for themselves (``ESCAPE '/'``)."""

#: the escape character the patterns use: LIKE ... ESCAPE '/'
ESCAPE = "/"


def containing(text: str) -> str:
    """A pattern of the values that contain ``text``."""
    return "%" + text.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
