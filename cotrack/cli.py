"""Command-line tools: flask seed-demo, create-user, create-token."""

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from cotrack.domain.errors import DomainError
from cotrack.extensions import db
from cotrack.models import ACCOUNT_ROLES, Organisation, User
from cotrack.services import accounts
from cotrack.services.api_tokens import create_token
from cotrack.services.signin import normalise_email


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(create_token_command)
    app.cli.add_command(ledger_verify)
    app.cli.add_command(ledger_rekey)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(worker)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has users.")
def seed_demo(if_empty: bool) -> None:
    """Load the demo organisations, users and ventures (password cotrack-demo)."""
    from cotrack.demo.seed import DEMO_PASSWORD, seed

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
@click.option("--role", type=click.Choice(ACCOUNT_ROLES), required=True)
@click.option("--organisation", "org_name", required=True, help="Created if it does not exist.")
@click.password_option()
def create_user(email: str, name: str, role: str, org_name: str, password: str) -> None:
    """Create an account (the first admin, typically), through the accounts service."""
    try:
        org = db.session.scalar(select(Organisation).where(Organisation.name == org_name)) \
            or accounts.save_organisation(None, None, org_name)
        user = accounts.create_user(None, email=email, name=name, role=role, organisation=org,
                                    password=password)
    except DomainError as exc:
        db.session.rollback()
        problems = exc.fields or {"account": exc.message}
        raise click.ClickException("; ".join(f"{f}: {m}" for f, m in problems.items())) from None
    db.session.commit()
    click.echo(f"Created {user.email} ({role}) in {org.name}.")


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
@click.option("--statement", "statement_file", type=click.File("rb"),
              help="A statement file: prove the ledger still holds exactly what it covered.")
@click.option("--checkpoint", is_flag=True,
              help="Then record a signed checkpoint of each verified venture (the report "
                   "page's chain check starts there).")
def ledger_verify(venture_id: int | None, statement_file, checkpoint: bool) -> None:
    """Recompute every ledger entry's keyed hash chain; exit 1 if any row was changed."""
    if statement_file is not None:
        _verify_statement_file(statement_file)
        return
    from cotrack.reports.integrity import verify_ledger, verify_months, verify_org_months

    problems = verify_ledger(venture_id=venture_id, limit=1000) + verify_months(venture_id)
    if venture_id is None:
        problems += verify_org_months()
    for p in problems:
        click.echo(f"venture {p['venture_id']} entry {p['entry_id']}: {p['problem']}")
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) in the ledger.")
    click.echo("Ledger verified: every entry matches its hash chain.")
    if checkpoint:
        from cotrack.services.statements import take_all

        click.echo(f"{take_all('checkpoint')} checkpoint(s) recorded.")


def _verify_statement_file(statement_file) -> None:
    import json

    from cotrack.reports.statements import verify_statement

    try:
        document = json.loads(statement_file.read())
    except ValueError as exc:
        raise click.ClickException(f"not a statement file: {exc}") from exc
    problems = verify_statement(document)
    for problem in problems:
        click.echo(problem)
    if problems:
        raise click.ClickException("The ledger does not hold what the statement covered.")
    click.echo(f"Statement verified: venture {document['venture_id']} still holds the "
               f"{document['entries']} entries it covered, with the same chain head and "
               "totals.")


@click.command("ledger-rekey")
@click.option("--old-key-file", type=click.File("r"), required=True,
              help="The key the chains are keyed with now; the configured one replaces it.")
def ledger_rekey(old_key_file) -> None:
    """Rotate the ledger key: verify every chain with the old key, rewrite it with the
    configured one (COTRACK_LEDGER_KEY or instance/ledger_key) and re-sign the statements."""
    from functools import partial

    from cotrack.db.guards import suspended
    from cotrack.db.ledger_key import ledger_key
    from cotrack.domain.chain import entry_hash
    from cotrack.reports.rehash import ChainBroken, rehash_chains
    from cotrack.services.statements import resign_statements

    old = old_key_file.read().strip().encode()
    connection = db.session.connection()
    try:
        with suspended(connection, "revenue_entry"):
            renamed = rehash_chains(connection, partial(entry_hash, key=old), ledger_key())
    except ChainBroken as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    count = resign_statements(renamed)
    db.session.commit()
    click.echo(f"{len(renamed)} entries re-keyed, {count} statements re-signed.")


def _verified(what: str) -> str:
    """Verify the ledger as this session sees it; "N entries in V ventures" or exit 1."""
    from cotrack.models import RevenueEntry
    from cotrack.reports.integrity import verify_ledger, verify_months

    problems = verify_ledger(limit=1000) + verify_months()
    entries, ventures = db.session.execute(select(
        func.count(RevenueEntry.id), func.count(func.distinct(RevenueEntry.venture_id)))).one()
    for p in problems:
        click.echo(f"venture {p['venture_id']} entry {p['entry_id']}: {p['problem']}")
    if problems:
        raise click.ClickException(f"{what}: {len(problems)} problem(s) in the ledger.")
    return f"{entries:,} ledger entries in {ventures:,} ventures"


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(path: str) -> None:
    """Write a consistent backup of the live database to PATH (SQLite's online backup, or
    pg_dump's custom format) and verify the ledger it holds."""
    import os

    from cotrack.db import backup
    from cotrack.db.engine import READ_ONLY

    if os.path.exists(path):
        raise click.ClickException(f"{path} exists; choose a new file.")
    try:
        if db.engine.dialect.name == "sqlite":
            conn = db.session.connection(execution_options={READ_ONLY: True})
            summary = _verified("The backup was not written")  # also starts the snapshot
            backup.sqlite_backup(conn, path)
        else:
            conn = db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            summary = _verified("The backup was not written")
            backup.pg_dump(db.engine.url, path, snapshot)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.session.rollback()
    click.echo(f"Backup written to {path}: {summary}, ledger verified.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def restore_command(path: str) -> None:
    """Restore the backup PATH into this (empty) database and verify its ledger."""
    from cotrack.db import backup

    if not backup.is_empty(db.engine):
        raise click.ClickException("The database is not empty; restore into a new, empty "
                                   "database (DATABASE_URL).")
    db.session.remove()
    db.engine.dispose()
    try:
        if db.engine.dialect.name == "sqlite":
            backup.sqlite_restore(path, db.engine.url.database)
        else:
            backup.pg_restore(db.engine.url, path)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    db.engine.dispose()
    summary = _verified("Restored, but the ledger does not verify")
    db.session.rollback()
    click.echo(f"Restored {path}: {summary}, ledger verified.")


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Threads running tasks.")
def worker(workers: int) -> None:
    """Run the task queue's worker: mail delivery, digests, periodic tasks (make worker)."""
    from cotrack import jobs
    from cotrack.mail.outbox import SWEEP

    huey = jobs.huey_of(current_app)
    click.echo(f"CoTrack worker: {huey.__class__.__name__} queue, {workers} thread(s)")
    jobs.enqueue(SWEEP)  # what was left undelivered before this start goes out now
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                         initial_delay=0.1, backoff=1.15, max_delay=2.0).run()
