"""`flask create-user` goes through the accounts service: the same checks as the admin page."""

from sqlalchemy import select

from cotrack.extensions import db
from cotrack.models import Organisation, User


def _create(app, *args, password="purple otter telescope 42"):
    runner = app.test_cli_runner()
    return runner.invoke(args=["create-user", *args, "--password", password])


def test_create_user_makes_the_account_and_its_organisation(app):
    result = _create(app, "Ada@Example.org", "--name", "Ada First", "--role", "admin",
                     "--organisation", "Site Operators")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "ada@example.org"))
    assert user.role == "admin" and user.organisation.name == "Site Operators"


def test_create_user_refuses_what_the_admin_page_refuses(app, make_user):
    taken = make_user()
    weak = _create(app, "new@example.org", "--name", "New", "--role", "lead",
                   "--organisation", "Acme", password="password1234")
    assert weak.exit_code != 0 and "password" in weak.output
    again = _create(app, taken.email, "--name", "Again", "--role", "lead",
                    "--organisation", "Acme")
    assert again.exit_code != 0 and "exists already" in again.output
    control = _create(app, "ctl@example.org", "--name", "Bad\x01Name", "--role", "lead",
                      "--organisation", "Acme")
    assert control.exit_code != 0 and "name:" in control.output
    assert db.session.scalar(select(Organisation).where(Organisation.name == "Acme")) is None
