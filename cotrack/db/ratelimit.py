"""A `limits` storage backed by the application's SQL database.

Flask-Limiter keeps counts in memory per process by default, so with several gunicorn
workers each would count on its own. This storage keeps fixed-window counters in the
``rate_limit_counter`` table, so every worker sees the same count. Use it with a URI of
the form ``sqlalchemy+<database url>``; Redis (``redis://``) replaces it in production.
"""

import time

from limits.storage import Storage
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from cotrack.db import engine as engine_settings

_INCR = text(
    """
    INSERT INTO rate_limit_counter (key, count, expires_at) VALUES (:key, :amount, :expires)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limit_counter.expires_at <= :now THEN :amount
                   ELSE rate_limit_counter.count + :amount END,
      expires_at = CASE WHEN rate_limit_counter.expires_at <= :now THEN :expires
                        ELSE rate_limit_counter.expires_at END
    RETURNING count
    """
)


class SQLStorage(Storage):
    STORAGE_SCHEME = [
        "sqlalchemy+sqlite",
        "sqlalchemy+postgresql",
        "sqlalchemy+postgresql+psycopg",
    ]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        url = uri.removeprefix("sqlalchemy+")
        args = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {}
        # No pool: only sign-in attempts touch the counters, and a storage that Flask-Limiter
        # replaces (re-initialised) must not leave connections open behind it.
        self.engine = create_engine(url, poolclass=NullPool, **args)
        # its counters are written whatever the request's method
        engine_settings.configure(self.engine)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self.engine.begin() as conn:
            params = {"key": key, "amount": amount, "expires": now + expiry, "now": now}
            return conn.execute(_INCR, params).scalar_one()

    def _row(self, key: str):
        with self.engine.connect() as conn:
            return conn.execute(
                text("SELECT count, expires_at FROM rate_limit_counter WHERE key = :key"),
                {"key": key},
            ).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row and row.expires_at > time.time() else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with self.engine.begin() as conn:
            return conn.execute(text("DELETE FROM rate_limit_counter")).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("DELETE FROM rate_limit_counter WHERE key = :key"), {"key": key})


def init_app(app) -> None:
    """Refuse at start a counters' URI naming a database this storage cannot hold them in
    (``limits`` finds ``SQLStorage`` by the schemes it declares)."""
    uri = app.config.get("RATELIMIT_STORAGE_URI", "")
    scheme = uri.split("://", 1)[0]
    if scheme.startswith("sqlalchemy+") and scheme not in SQLStorage.STORAGE_SCHEME:
        raise RuntimeError(f"RATELIMIT_STORAGE_URI: no counters' storage for {scheme!r}; "
                           f"use one of {', '.join(SQLStorage.STORAGE_SCHEME)} or redis://")
