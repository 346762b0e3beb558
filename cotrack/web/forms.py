"""Forms glue: the base every form uses, and how a refused write shows on its form.

When a service refuses a form's write (a DomainError), the request path
(cotrack.web.request_path) rolls the write back and runs the view once more; this time the
form that was submitted reports itself not valid, with each message beside its field (and,
for a stale version, the other person's values beside the user's), so the view renders its
page again exactly as it does for input that failed the form's own checks.
"""

import json
from dataclasses import dataclass, field
from datetime import date

from flask import g
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, SubmitField, TextAreaField
from wtforms.widgets.core import clean_key

from cotrack.domain.errors import DomainError, StaleVersion
from cotrack.web.widgets import widget_for

#: fields that carry nothing a person typed or chose (a message cannot stand beside them)
NOT_SHOWN = frozenset({"csrf_token", "submit", "version", "read"})


def _one_line_break(value):
    """A browser sends each line break of a text area as CR LF (and its maxlength counts it
    as one character): the form reads it as one."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class Form(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, TextAreaField):
                options = {**options, "filters": [
                    *unbound_field.kwargs.get("filters", ()), _one_line_break]}
            return unbound_field.bind(form=form, **options)

        def render_field(self, field, render_kw):
            """As WTForms' own, through the faster widget (cotrack.web.widgets)."""
            own = getattr(field, "render_kw", None) or {}
            render_kw = {clean_key(k): v for k, v in (*own.items(), *render_kw.items())}
            return widget_for(field.widget)(field, **render_kw)

    #: a service's refusal is shown on this form on its page again (False: a per-row action
    #: such as reversing an entry, whose refusal is flashed above the page instead)
    refused_in_place = True

    def validate_on_submit(self, extra_validators=None) -> bool:
        refusal = g.get("refusal")
        if refusal is not None and type(self) is refusal.form_class:
            self.validate(extra_validators)
            refusal.show_on(self)
            return False
        valid = super().validate_on_submit(extra_validators)
        if valid:
            g.submitted_form = self
        return valid

    def shows_refusals(self) -> bool:
        """Is more than a button: it has fields, or a version a stale save is refused for."""
        return self.refused_in_place and any(f.name not in ("csrf_token", "submit")
                                             for f in self)


class EmptyForm(Form):
    """A form with nothing but the CSRF token, for buttons that change state."""

    submit = SubmitField("Confirm")


def refused() -> DomainError | None:
    """The service's refusal this page is shown again for, if any."""
    refusal = g.get("refusal")
    return refusal.error if refusal is not None else None


@dataclass
class Refusal:
    """A service's refusal of what ``form_class`` submitted, to show on the page again."""

    error: DomainError
    form_class: type
    #: a stale version: the stored record beside the form's values, and its version
    conflict: list[dict] = field(default_factory=list)
    version: int | None = None
    #: and the stored values, as the form's ``read`` (what the person now has seen)
    read: str | None = None
    #: the stored values of the fields the person left as they read them: the form shows
    #: these, so only the fields both changed stand as "theirs" beside "yours"
    untouched: dict = field(default_factory=dict)

    @classmethod
    def of(cls, error: DomainError, form: Form) -> "Refusal":
        """Read before the write is rolled back (the record is still as loaded under lock)."""
        if isinstance(error, StaleVersion):
            untouched = untouched_fields(form, error.record)
            for name, value in untouched.items():
                _show(form[name], value)
            return cls(error, type(form), conflict_rows(form, error.record),
                       error.record.version, read_values(form, error.record), untouched)
        return cls(error, type(form))

    def show_on(self, form: Form) -> None:
        """Each message beside its field; the whole message above the form when part of it
        has no field to stand beside (or there is a conflict table to explain)."""
        placed, unplaced = 0, []
        for name, message in self.error.fields.items():
            target = getattr(form, name, None)
            if isinstance(target, Field) and name not in NOT_SHOWN:
                target.errors = [*target.errors, message]
                placed += 1
            elif message not in self.error.message:
                unplaced.append(message)
        if placed < len(self.error.fields) or not self.error.fields or self.conflict:
            form.form_errors[:0] = [self.error.message, *unplaced]
        if self.version is not None:
            form.version.data = self.version
        if self.read is not None and "read" in form:
            form.read.data = self.read
        for name, value in self.untouched.items():
            _show(form[name], value)


def add_rule_problems(form: FlaskForm, problems) -> None:
    """The form's own checks failed: show what the rules say of the same values too, so one
    round shows every problem (a date out of range and an amount that is not one, say).
    ``problems()`` gives {field: problem} and writes nothing. A field the form already found
    at fault keeps its message; a problem no field stands for goes above the form unless a
    field shows it already. Not when the page is shown again for a service's refusal: that
    answer is the one to show."""
    if refused():
        return
    found = problems()
    for name, message in found.items():
        target = form._fields.get(name)
        if target is not None and not target.errors:
            target.errors = [message]
    shown = {m for f in form._fields.values() for m in f.errors} | set(form.form_errors)
    form.form_errors.extend(m for n, m in found.items() if n not in form._fields
                            and m not in shown)


def raised_problems(check, *args, **kwargs) -> dict:
    """{field: problem} of the DomainError ``check(*args, **kwargs)`` raises, or {}."""
    try:
        check(*args, **kwargs)
    except DomainError as exc:
        return dict(exc.fields or {})
    return {}


def _choice_key(field: SelectField, value):
    """``value`` as the field's choices key it: "0", 0 and None are all "nobody"."""
    try:
        return field.coerce("" if value is None else str(value))
    except (TypeError, ValueError):
        return value


def _shown(field: Field, value) -> str:
    """A value as the form would show it: the choice's label (a person's name, not an id)."""
    if isinstance(field, SelectField) and isinstance(field.choices, dict):
        choices = {_choice_key(field, k): label for k, label in field.choices.items()}
        key = _choice_key(field, value)
        if key in choices:
            return choices[key]
        if isinstance(value, str) and value:  # a choice this form no longer offers
            return value.replace("_", " ")     # ("in_progress" as the select words it)
    return "—" if value in (None, "") else str(value)


def _record_fields(form: FlaskForm, record):
    """The form's fields a person fills in that ``record`` has as attributes."""
    return [f for f in form if f.name not in NOT_SHOWN and hasattr(record, f.name)]


def conflict_rows(form: FlaskForm, record) -> list[dict]:
    """What another person saved beside what this form holds, field by field, for every field
    of the form that the stored ``record`` has."""
    rows = []
    for field_ in _record_fields(form, record):
        theirs, mine = _shown(field_, getattr(record, field_.name)), _shown(field_, field_.data)
        rows.append({"label": field_.label.text, "theirs": theirs, "mine": mine,
                     "differs": theirs != mine})
    return rows


# Two people editing one record: what each changed, merged when they changed different fields.

def _plain(value) -> str:
    """A value as the form's ``read`` keeps it (None and "" alike; dates in ISO)."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def read_values(form: Form, record) -> str:
    """{field: value} of ``record`` for the form's fields, as JSON for its ``read`` field:
    the values the person is shown, to tell later which ones they changed."""
    return json.dumps({f.name: _plain(getattr(record, f.name))
                       for f in _record_fields(form, record)})


def _show(field_: Field, value) -> None:
    """The field holds ``value`` instead of what was submitted (text inputs show their
    submitted text, ``raw_data``, before their data)."""
    field_.data, field_.raw_data = value, None


def _read(form: Form) -> dict | None:
    """The form's ``read`` values, or None when it has none (or they are not JSON)."""
    try:
        read = json.loads(form.read.data or "") if "read" in form else None
    except ValueError:
        return None
    return read if isinstance(read, dict) else None


def untouched_fields(form: Form, record) -> dict:
    """{field: stored value} of the form's fields whose value is still what was read."""
    read = _read(form) or {}
    return {f.name: getattr(record, f.name) for f in _record_fields(form, record)
            if f.name in read and _plain(f.data) == read[f.name]}


def remember_read(form: Form, record) -> None:
    if "read" in form:
        form.read.data = read_values(form, record)


def unclashing_changes(form: Form, data: dict, record) -> dict | None:
    """After a stale version (``record`` as stored now): the fields of ``data`` the person
    changed from what they read, when nobody changed those same fields meanwhile, to save on
    top of the other person's save (a three-way merge: a reassignment and a new due date do
    not clash). None when they clash, or when the form does not say what was read."""
    read = _read(form)
    if read is None or any(name not in read for name in data):
        return None
    mine = {name: value for name, value in data.items() if _plain(value) != read[name]}
    if any(_plain(getattr(record, name)) != read[name] for name in mine):
        return None
    return mine


def save_merging(form: Form, data: dict, record, save) -> None:
    """``save(data, version)`` with the version the form was read at; if someone saved the
    record meanwhile, ``save`` again with only what this person changed, on top of theirs,
    when the two changed different fields (else the stale version's 409 stands)."""
    try:
        save(data, form.version.data)
    except StaleVersion:
        mine = unclashing_changes(form, data, record)
        if mine is None:
            raise
        if mine:  # (nothing of theirs changed: the other person's save stands as it is)
            save(mine, record.version)
