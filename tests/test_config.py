"""Configuration: secrets required, SQLite settings for several workers, rate-limit storage."""

import pytest
from argon2 import extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import text

import config
from cotrack import create_app
from cotrack.domain import passwords
from cotrack.extensions import db


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    class NoSecret(config.ProductionConfig):
        SECRET_KEY = None

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(NoSecret)


def test_production_refuses_to_start_without_the_address_mails_link_to():
    class NoAddress(config.ProductionConfig):
        SECRET_KEY = "production-test-key"
        BASE_URL = None

    with pytest.raises(RuntimeError, match="COTRACK_BASE_URL"):
        create_app(NoAddress)


def test_production_cookies_are_secure():
    assert config.ProductionConfig.SESSION_COOKIE_SECURE
    assert config.ProductionConfig.REMEMBER_COOKIE_SECURE


def test_default_database_is_sqlite_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.database_url().startswith("sqlite:///")
    assert config.database_url().endswith("instance/cotrack.db")


def test_postgres_urls_get_psycopg_and_pre_ping(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1/cotrack")
    url = config.database_url()
    assert url == "postgresql+psycopg://postgres@127.0.0.1/cotrack"
    assert config.engine_options(url)["pool_pre_ping"] is True


def test_postgres_connections_plan_for_data_held_in_memory(app, monkeypatch):
    """On PostgreSQL the app's connections cost random reads as SSD or memory (1.1, not
    4); DATABASE_OPTIONS set empty leaves the server's setting (for a pooler)."""
    monkeypatch.delenv("DATABASE_OPTIONS", raising=False)
    monkeypatch.delenv("PGOPTIONS", raising=False)
    url = "postgresql+psycopg://postgres@127.0.0.1/cotrack"
    assert config.engine_options(url)["connect_args"] == {"options": "-c random_page_cost=1.1"}
    # the operator's own settings are kept, after ours (the last of a name wins)
    timeout = url + "?options=-c%20statement_timeout%3D1234"
    assert config.engine_options(timeout)["connect_args"] == {
        "options": "-c random_page_cost=1.1 -c statement_timeout=1234"}
    monkeypatch.setenv("PGOPTIONS", "-c search_path=cotrack")
    assert config.engine_options(url)["connect_args"] == {
        "options": "-c random_page_cost=1.1 -c search_path=cotrack"}
    monkeypatch.setenv("DATABASE_OPTIONS", "")
    assert config.engine_options(url)["connect_args"] == {}
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            assert db.session.execute(text("SHOW random_page_cost")).scalar() == "1.1"


def test_rate_limits_use_redis_when_configured_else_the_database(monkeypatch):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert config.ratelimit_storage("sqlite:///x.db") == "sqlalchemy+sqlite:///x.db"
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert config.ratelimit_storage("sqlite:///x.db") == "redis://127.0.0.1:6379/0"


@pytest.mark.own_db
def test_sqlite_connections_use_wal_and_a_busy_timeout(tmp_path):
    url = f"sqlite:///{tmp_path / 'wal.db'}"

    class Cfg(config.TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = config.engine_options(url)

    app = create_app(Cfg)
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with app.app_context():
        db.engine.dispose()


def test_production_hashes_at_rfc_9106_cost_and_upgrades_cheap_hashes(app):
    """The suite hashes at the lowest cost (TestConfig); this is the production setting."""

    class Production(config.ProductionConfig):
        SECRET_KEY = "production-test-key"
        BASE_URL = "https://cotrack.example.com"
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        SQLALCHEMY_ENGINE_OPTIONS = {}
        RATELIMIT_STORAGE_URI = "memory://"

    assert (config.Config.ARGON2_TIME_COST, config.Config.ARGON2_MEMORY_COST,
            config.Config.ARGON2_PARALLELISM) == (3, 65536, 4)
    with app.app_context():
        cheap = passwords.hash_password("correct horse battery staple")
    production = create_app(Production)
    try:
        with production.app_context():
            stored = passwords.hash_password("correct horse battery staple")
            assert extract_parameters(stored) == RFC_9106_LOW_MEMORY
            assert not passwords.needs_rehash(stored)
            # a hash made at the test cost can never stay in use in production
            assert passwords.needs_rehash(cheap)
            assert passwords.verify_password(cheap, "correct horse battery staple")
            db.engine.dispose()
    finally:
        passwords.init_app(app)  # hashing outside an app context follows the suite's app
    assert extract_parameters(cheap).memory_cost == app.config["ARGON2_MEMORY_COST"] == 8


def test_the_unknown_email_hash_is_made_with_the_configured_cost(app):
    with app.app_context():
        hasher = app.extensions["password_hasher"]
        assert not passwords.verify_password(None, "anything at all")
        assert extract_parameters(hasher.dummy_hash).memory_cost == 8

