"""Every field of every form is written as WTForms' own widgets write it (the forms' faster
widgets, cotrack/web/widgets.py): the same attributes in the same order, every value
escaped, whatever a person typed into it."""

import inspect

from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import SelectFieldBase
from wtforms.meta import DefaultMeta

from cotrack.web.forms import Form
from cotrack.web.widgets import html_params

TYPED = 'a "quoted" <b>bold</b> & \'single\'\r\nsecond line'


def _forms(cls=Form):
    for sub in cls.__subclasses__():
        yield sub
        yield from _forms(sub)


def _fields(form):
    for field in form:
        yield field
        if isinstance(field, SelectFieldBase):
            yield from field  # each radio button or option, as the form macro writes them


def _made(form_class, formdata):
    needs_role = "role" in inspect.signature(form_class.__init__).parameters  # mail choices
    return form_class(formdata=formdata, **({"role": "lead"} if needs_role else {}))


def _filled(form_class):
    """The form as posted with ``TYPED`` in every field, the choices offering it too."""
    form = _made(form_class, MultiDict())
    for field in form:
        if isinstance(field, SelectFieldBase) and not field.choices:
            field.choices = [("1", "One"), ("2", TYPED)]
    form.process(MultiDict({f.name: TYPED for f in form if f.name != "csrf_token"}))
    return form


def test_every_field_of_every_form_is_written_as_wtforms_writes_it(app):
    checked = 0
    with app.test_request_context():
        for form_class in set(_forms()):
            for form in (_made(form_class, None), _filled(form_class)):
                for field in _fields(form):
                    for extra in ({}, {"class_": "form-control is-invalid"}):
                        theirs = DefaultMeta.render_field(field.meta, field, dict(extra))
                        assert field(**extra) == theirs, (form_class, field.name)
                        checked += 1
    assert checked > 200


def test_attributes_are_escaped_sorted_and_true_or_false_as_wtforms_does():
    assert html_params(name="n", class_="a&b", data_x_y='"q"', required=True, disabled=False,
                       value=Markup('say "hi"'), maxlength=5) == Markup(
        'class="a&amp;b" data-x-y="&#34;q&#34;" maxlength="5" name="n" required '
        'value="say &quot;hi&quot;"')
