"""Every form is written as the form macros wrote it (cotrack/web/form_markup.py took their
place): blank, and as posted with what a person typed in every field and an error beside
each, every value escaped."""

from pathlib import Path

from jinja2 import Environment

from cotrack.web.form_markup import form_markup
from tests.test_widgets import TYPED, _filled, _forms, _made

#: the macros of templates/macros/forms.html as they were, the markup to keep
MACROS = (Path(__file__).parent / "reference" / "form_macros.html").read_text()


def _squeezed(html) -> str:
    """The markup with the white space between tags taken out (a browser shows it alike)."""
    import re

    return re.sub(r">\s+<", "><", str(html).strip())


def _with_errors(form):
    form.form_errors.append(f"Refused: {TYPED}")
    for field in form:
        field.errors = [f"Wrong: {TYPED}", "Also wrong"]
        field.label.text = f"{field.label.text} {TYPED}"
        if field.type == "BooleanField" or field.description:
            continue
        field.description = f"Help: {TYPED}"
    return form


def test_every_form_is_written_as_the_macros_wrote_it(app):
    macros = Environment(autoescape=True).from_string(MACROS).module
    checked = 0
    with app.test_request_context():
        for form_class in set(_forms()):
            for form in (_made(form_class, None), _filled(form_class),
                         _with_errors(_filled(form_class))):
                for args in ((None, {}, True, None),
                             (f"/x?a=1&b={TYPED}", {"submit": "outline-danger"}, False,
                              "multipart/form-data")):
                    ours = form_markup(form, *args)
                    theirs = macros.form(form, *args)
                    assert _squeezed(ours) == _squeezed(theirs), (form_class, args)
                    checked += 1
    assert checked > 100
