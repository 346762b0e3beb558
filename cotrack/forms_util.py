"""Glue between services' domain errors and WTForms forms."""

from flask_wtf import FlaskForm
from wtforms import Field

from cotrack.errors import DomainError
from cotrack.extensions import db


def show_domain_error(form: FlaskForm, exc: DomainError) -> None:
    """Roll back the failed write; put each message beside its field, others on the form."""
    db.session.rollback()
    for name, message in exc.fields.items():
        field = getattr(form, name, None)
        if isinstance(field, Field):
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message if isinstance(message, str) else " ".join(message))
    if not exc.fields:
        form.form_errors.append(exc.message)
