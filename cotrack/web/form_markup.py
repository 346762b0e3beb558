"""A form's markup, Bootstrap 5: each field with its label, the errors beside it, the
submit buttons last (templates/macros/forms.html's ``form`` macro writes it through
``form_markup``).

Written in Python rather than as Jinja macros: a form is on most pages (the venture page
shows two), and a macro call per field, with its attribute look-ups through Jinja's
runtime, was a tenth of the venture page's Python calls. tests/test_form_markup.py holds
it to the markup the macros wrote.
"""

from markupsafe import Markup, escape

_HIDDEN = frozenset({"HiddenField", "CSRFTokenField"})


def _errors(field) -> str:
    return "".join(f'<div class="invalid-feedback d-block">{escape(e)}</div>'
                   for e in field.errors)


def _invalid(field) -> str:
    return " is-invalid" if field.errors else ""


def field_markup(field) -> str:
    """One field: hidden ones alone, a check box and radio buttons as Bootstrap's checks,
    anything else below its label (with its description); a submit button is written by
    ``form_markup``, after the fields."""
    kind = field.type
    if kind in _HIDDEN:
        return str(field())
    if kind == "SubmitField":
        return ""
    label = escape(field.label.text)
    if kind == "BooleanField":
        return (f'<div class="mb-3 form-check">'
                f'{field(class_="form-check-input" + _invalid(field))}'
                f'<label class="form-check-label" for="{escape(field.id)}">{label}</label>'
                f'{_errors(field)}</div>')
    if kind == "RadioField":
        options = "".join(
            f'<div class="form-check form-check-inline">{option(class_="form-check-input")}'
            f'<label class="form-check-label" for="{escape(option.id)}">'
            f'{escape(option.label.text)}</label></div>' for option in field)
        return (f'<fieldset class="mb-3"><legend class="form-label fs-6 mb-1">{label}</legend>'
                f'{options}{_errors(field)}</fieldset>')
    control = "form-select" if kind == "SelectField" else "form-control"
    required = " required" if field.flags.required else ""
    description = f'<div class="form-text">{escape(field.description)}</div>' \
        if field.description else ""
    return (f'<div class="mb-3{required}">'
            f'<label class="form-label" for="{escape(field.id)}">{label}</label>'
            f'{field(class_=control + _invalid(field))}{_errors(field)}{description}</div>')


def form_markup(form, action=None, button_map=None, novalidate=True, enctype=None) -> Markup:
    """``form`` posting to ``action`` (its own address when None): its errors that belong to
    no field above it, then each field, then its submit buttons, each styled
    ``btn-{button_map[name]}`` (``primary`` by default)."""
    button_map = button_map or {}
    parts = []
    if form.form_errors:
        parts.append('<div class="alert alert-danger" role="alert">'
                     + "".join(f"<div>{escape(e)}</div>" for e in form.form_errors)
                     + "</div>")
    attributes = " novalidate" if novalidate else ""
    if enctype:
        attributes += f' enctype="{escape(enctype)}"'
    parts.append(f'<form method="post" action="{escape(action or "")}"{attributes}>')
    submits = []
    for field in form:
        if field.type == "SubmitField":
            submits.append(
                f'<input class="btn btn-{escape(button_map.get(field.name, "primary"))}" '
                f'id="{escape(field.id)}" name="{escape(field.name)}" type="submit" '
                f'value="{escape(field.label.text)}">')
        else:
            parts.append(field_markup(field))
    parts.extend(submits)
    parts.append("</form>")
    return Markup("\n".join(parts))  # noqa: S704  (every part escaped or a field's Markup)
