"""Fields written as WTForms writes them, without ``Markup.format``.

WTForms writes each attribute of a field through ``Markup.format``, a pure-Python string
formatter: about 60 µs a field on this VM, most of the cost of showing a form (the venture
page shows two or three). ``widget_for`` gives a widget that writes the same text with
plain string formatting: an input widget is the same widget with a faster
``html_params`` (its hook for that), a text area is WTForms' own ``TextArea`` written out
again; any other widget is WTForms' own. tests/test_widgets.py holds every field of every
form to the same markup as WTForms' widgets.
"""

import copy
from functools import lru_cache

from markupsafe import Markup, escape
from wtforms.widgets import Input, TextArea
from wtforms.widgets.core import clean_key


def html_params(**kwargs) -> Markup:
    """``wtforms.widgets.html_params``: the attributes sorted by name; True writes the name
    alone, False nothing; each value escaped, a quote in a value already Markup too."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = clean_key(key)
        if value is True:
            params.append(str(escape(key)))
        elif value is not False:
            params.append(f'{escape(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))  # noqa: S704  (each part escaped above)


class _TextArea(TextArea):
    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        params = html_params(name=field.name, **kwargs)
        return Markup(f"<textarea {params}>\r\n{escape(field._value())}</textarea>")  # noqa: S704


@lru_cache(maxsize=128)  # (widgets are made with their field classes: a few dozen)
def widget_for(widget):
    """The faster widget that writes what ``widget`` writes (``widget`` itself if none)."""
    if isinstance(widget, Input):
        faster = copy.copy(widget)
        faster.html_params = html_params
        return faster
    if type(widget) is TextArea:
        return _TextArea()
    return widget
