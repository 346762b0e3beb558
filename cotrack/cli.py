"""Command-line tools: flask seed-demo, create-user, create-token."""

import click
from flask import Flask
from sqlalchemy import func, select

from cotrack.extensions import db
from cotrack.models import ROLES, Organisation, User
from cotrack.passwords import hash_password, password_problem
from cotrack.services.api_tokens import create_token
from cotrack.services.signin import normalise_email


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(create_token_command)
    app.cli.add_command(ledger_verify)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has users.")
def seed_demo(if_empty: bool) -> None:
    """Load the demo organisations, users and ventures (password cotrack-demo)."""
    from cotrack.demo import DEMO_PASSWORD, seed

    if db.session.scalar(select(func.count(User.id))):
        if if_empty:
            click.echo("Database has data already; demo data not loaded.")
            return
        raise click.ClickException("The database is not empty; seed-demo needs an empty one.")
    users = seed()
    db.session.commit()
    click.echo("Demo data loaded. Every account's password is: " + DEMO_PASSWORD)
    for user in users:
        click.echo(f"  {user.email:<28} {user.role:<8} {user.organisation.name}")


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--organisation", "org_name", required=True, help="Created if it does not exist.")
@click.password_option()
def create_user(email: str, name: str, role: str, org_name: str, password: str) -> None:
    """Create an account (the first admin, typically)."""
    problem = password_problem(password, (email, name))
    if problem:
        raise click.BadParameter(problem, param_hint="password")
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise click.BadParameter("an account with this email exists", param_hint="email")
    org = db.session.scalar(select(Organisation).where(Organisation.name == org_name))
    org = org or Organisation(name=org_name)
    user = User(email=email, name=name, role=role, organisation=org,
                password_hash=hash_password(password))
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {email} ({role}) in {org.name}.")


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="CLI token", show_default=True)
def create_token_command(email: str, name: str) -> None:
    """Create an API token for EMAIL and print it (shown only this once)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise click.BadParameter("no account with this email", param_hint="email")
    _, raw = create_token(user, name)
    db.session.commit()
    click.echo(raw)


@click.command("ledger-verify")
@click.option("--venture", "venture_id", type=int, help="Only this venture.")
def ledger_verify(venture_id: int | None) -> None:
    """Recompute every ledger entry's hash chain; exit 1 if any row was changed."""
    from cotrack.integrity import verify_ledger, verify_months

    problems = verify_ledger(venture_id=venture_id, limit=1000) + verify_months(venture_id)
    for p in problems:
        click.echo(f"venture {p['venture_id']} entry {p['entry_id']}: {p['problem']}")
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) in the ledger.")
    click.echo("Ledger verified: every entry matches its hash chain.")
