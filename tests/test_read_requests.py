"""GET requests only read: on PostgreSQL in autocommit (cotrack.db.engine), writes refused,
streamed reads (server-side cursors) still given the transaction they need.

These use a connection of their own from a fresh engine, as a live request would; the
tests' shared connection is always inside a transaction and would hide both behaviours."""

import pytest
from sqlalchemy import create_engine, insert, select, text

from cotrack.db.engine import configure
from cotrack.models import Organisation, Venture


@pytest.fixture
def engine(app):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    configure(engine, requests=True)  # what create_app does for the app's own engine
    yield engine
    engine.dispose()


def test_a_get_request_may_not_write(app, engine):
    with app.test_request_context("/", method="GET"), engine.connect() as conn:
        with pytest.raises(RuntimeError, match="must not write"):
            conn.execute(text("SELECT 1")).scalar()
            conn.execute(insert(Organisation).values(name="Written during a GET"))


def test_a_get_request_can_stream_rows(app, engine):
    """The XLSX export and the hash-chain check read with yield_per (a server-side cursor
    on PostgreSQL, which only lives in a transaction)."""
    with app.test_request_context("/", method="GET"), engine.connect() as conn:
        rows = conn.execute(select(Venture.id, Organisation.name)
                            .join(Organisation, Organisation.id == Venture.created_by_id)
                            .execution_options(yield_per=1)).all()
    assert rows == []  # nothing committed: this connection sees no test's data
