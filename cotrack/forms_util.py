"""Glue between services' domain errors and WTForms forms."""

from flask_wtf import FlaskForm

from cotrack.errors import DomainError
from cotrack.extensions import db


def show_domain_error(form: FlaskForm, exc: DomainError) -> None:
    """Roll back the failed write and put each message beside its field (or on the form)."""
    db.session.rollback()
    placed = False
    for name, message in exc.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]
            placed = True
    if not placed:
        form.form_errors.append(exc.message)
