"""CoTrack configuration: Config (default), TestConfig, ProductionConfig.

Secrets come from the environment. ``make run`` writes a random key to
``instance/secret_key`` once, so every gunicorn worker and every restart share it.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("COTRACK_INSTANCE", BASE_DIR / "instance"))


def _secret_key() -> str | None:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = INSTANCE_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip() or None
    return None


def database_url() -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'cotrack.db'}"
    # Heroku-style and bare postgres URLs get the psycopg 3 driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix):]
    return url


def engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # WAL + busy timeout are set per connection in cotrack.database.
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}


def ratelimit_storage(url: str) -> str:
    """Redis when configured, otherwise the application's own database (shared by workers)."""
    explicit = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL")
    return explicit or f"sqlalchemy+{url}"


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = database_url()
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    #: lifetime of a sign-in without "remember me", in seconds
    SESSION_LIFETIME_SECONDS = 60 * 60 * 12

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # tied to the session, which ends at sign-out

    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BTN_STYLE = "primary"

    RATELIMIT_STORAGE_URI = ratelimit_storage(SQLALCHEMY_DATABASE_URI)
    RATELIMIT_HEADERS_ENABLED = True
    #: failed sign-ins allowed per account and per address before 429
    SIGNIN_LIMIT_PER_ACCOUNT = "10 per 15 minutes"
    SIGNIN_LIMIT_PER_ADDRESS = "30 per 15 minutes"

    MAX_CONTENT_LENGTH = 64 * 1024 * 1024
    #: rendered pages each worker keeps (cotrack.page_cache; pages are 5–50 KB, so at most
    #: about 50 MB a worker); 0 turns the cache off
    PAGE_CACHE_SIZE = int(os.environ.get("COTRACK_PAGE_CACHE_SIZE", 1000))
    #: a kept page is dropped after this many seconds even if nothing changed
    PAGE_CACHE_SECONDS = 600
    PER_PAGE = 25


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = None


class ProductionConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {"default": Config, "production": ProductionConfig, "test": TestConfig}
