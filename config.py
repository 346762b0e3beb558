"""CoTrack configuration: Config (default), TestConfig, ProductionConfig.

Secrets come from the environment. ``make run`` writes a random key to
``instance/secret_key`` once, so every gunicorn worker and every restart share it.
"""

import os
from pathlib import Path

from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy.engine import make_url

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("COTRACK_INSTANCE", BASE_DIR / "instance"))


def _secret_key() -> str | None:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = INSTANCE_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip() or None
    return None


def _ledger_key() -> str | None:
    """The secret the ledger's hash chain and statements are keyed with: held outside the
    database (README, "Tamper evidence"), from COTRACK_LEDGER_KEY or instance/ledger_key."""
    if os.environ.get("COTRACK_LEDGER_KEY"):
        return os.environ["COTRACK_LEDGER_KEY"]
    key_file = INSTANCE_DIR / "ledger_key"
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
        # WAL + busy timeout are set per connection in cotrack.db.engine.
        return {"connect_args": {"timeout": 30}}
    options = os.environ.get("DATABASE_OPTIONS")
    if options is None:  # ours first, then the URL's or PGOPTIONS (the last -c of a name wins)
        theirs = make_url(url).query.get("options") or os.environ.get("PGOPTIONS")
        options = " ".join(filter(None, [PG_OPTIONS, theirs]))
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5,
            "connect_args": {"options": options} if options else {}}


#: settings each PostgreSQL connection starts with (libpq's ``options``), before any the
#: URL's ``options`` or PGOPTIONS give (which the connection's ``options`` would otherwise
#: replace), unless DATABASE_OPTIONS replaces them all. ``random_page_cost`` 1.1 instead
#: of 4 (PostgreSQL's advice for data on SSD or held in memory): at 4 the planner reads a
#: whole index rather than look up a person's few rows (Home's oldest milestones waiting:
#: 1.6 instead of 0.3 ms, bench/README.md). A pooler that refuses start-up options
#: (PgBouncer without ``ignore_startup_parameters = options``) needs DATABASE_OPTIONS set
#: empty and the setting on the database: ``ALTER DATABASE cotrack SET random_page_cost =
#: 1.1``.
PG_OPTIONS = "-c random_page_cost=1.1"


def ratelimit_storage(url: str) -> str:
    """Redis when configured, otherwise the application's own database (shared by workers)."""
    explicit = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL")
    return explicit or f"sqlalchemy+{url}"


class Config:
    SECRET_KEY = _secret_key()
    #: keys the ledger's hash chain (HMAC-SHA256) and signs its statements; never stored in
    #: the database. make run writes instance/ledger_key once.
    LEDGER_KEY = _ledger_key()
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

    #: argon2id cost (cotrack.domain.passwords); RFC 9106's low-memory profile: 3 passes over
    #: 64 MiB with 4 lanes. A stored hash with other parameters is re-hashed at sign-in.
    ARGON2_TIME_COST = RFC_9106_LOW_MEMORY.time_cost
    ARGON2_MEMORY_COST = RFC_9106_LOW_MEMORY.memory_cost  # KiB
    ARGON2_PARALLELISM = RFC_9106_LOW_MEMORY.parallelism

    #: proxies in front of the app whose X-Forwarded-For / X-Forwarded-Proto to trust
    #: (werkzeug's ProxyFix); 0 ignores the headers, so a client cannot choose its address
    PROXY_FIX_X_FOR = int(os.environ.get("COTRACK_PROXY_FIX_X_FOR", 0))
    PROXY_FIX_X_PROTO = int(os.environ.get("COTRACK_PROXY_FIX_X_PROTO", 0))

    RATELIMIT_STORAGE_URI = ratelimit_storage(SQLALCHEMY_DATABASE_URI)
    RATELIMIT_HEADERS_ENABLED = True
    # Brute-force protection (cotrack.auth.throttle; README, "Sign-in limits").
    #: failed sign-ins for one account from one address, then that pair waits
    SIGNIN_LIMIT_PER_ACCOUNT_ADDRESS = "10 per 15 minutes"
    #: failed sign-ins from one address, whatever the accounts, then that address waits
    SIGNIN_LIMIT_PER_ADDRESS = "30 per 15 minutes"
    #: failed sign-ins for one account from all addresses before each attempt must wait
    SIGNIN_ACCOUNT_SLOWDOWN_AFTER = "20 per hour"
    #: the wait after each further failure: 1 s, doubling, at most this many seconds
    SIGNIN_ACCOUNT_MAX_DELAY = 60
    #: an address that signed in to an account is spared that account's slow-down this long
    SIGNIN_KNOWN_ADDRESS_SECONDS = 60 * 60 * 24 * 30
    #: wrong current passwords on the profile page, per sign-in session
    PROFILE_CHECK_LIMIT = "5 per 15 minutes"
    #: "Forgot password?": how long a mailed link works, and how often one may ask (from
    #: one address; for one account beyond this, no more mail goes out, same answer)
    RESET_LINK_SECONDS = 3600
    RESET_LINK_LIMIT_PER_ADDRESS = "10 per hour"
    RESET_LINK_LIMIT_PER_ACCOUNT = "3 per hour"

    # Mail and the worker (README, "Mail and the worker"; cotrack.mail, cotrack.jobs).
    #: smtp://host:port, smtp+starttls://user:pass@host:587 or smtps://user:pass@host:465;
    #: unset: mails are written as .eml files into instance/mail (listed on the admin page)
    MAIL_URL = os.environ.get("MAIL_URL") or None
    MAIL_FROM = os.environ.get("MAIL_FROM") or "CoTrack <cotrack@localhost>"
    #: the address people reach this site at, for links in mails
    BASE_URL = (os.environ.get("COTRACK_BASE_URL")
                or f"http://127.0.0.1:{os.environ.get('PORT', '5000')}")
    #: a mail the server refuses is tried again after 30 s, 60 s, 120 s, ... (8 times), then
    #: by the sweep every minute until it is delivered
    MAIL_RETRIES = int(os.environ.get("MAIL_RETRIES", 8))
    MAIL_RETRY_DELAY = int(os.environ.get("MAIL_RETRY_DELAY", 30))
    #: each retry waits this many times longer than the one before
    MAIL_RETRY_BACKOFF = float(os.environ.get("MAIL_RETRY_BACKOFF", 2))
    #: the queue: Redis when REDIS_URL is set (workers on several machines share it),
    #: else a SQLite file in the instance folder
    REDIS_URL = os.environ.get("REDIS_URL") or None
    HUEY_SQLITE_PATH = os.environ.get("HUEY_SQLITE_PATH") or None
    HUEY_IMMEDIATE = False
    #: the queue's name (workers of one site share it; two sites on one Redis must differ)
    HUEY_NAME = os.environ.get("HUEY_NAME") or "cotrack"

    MAX_CONTENT_LENGTH = 64 * 1024 * 1024
    #: a request still running after this many seconds is stopped with a 503 (cotrack.web.deadline);
    #: gunicorn's own timeout (make run: 60 s) must be longer
    REQUEST_TIME_LIMIT_SECONDS = 25
    PER_PAGE = 25
    #: a search ranks every match but counts and shows only the best this many; past it,
    #: "more than 10,000" (cotrack/queries/search.py)
    SEARCH_COUNT_CAP = 10_000
    #: pages kept for the database state they were rendered in (cotrack/web/page_store.py):
    #: this many seconds at most (0: none kept), this many in each worker's memory
    PAGE_STORE_SECONDS = int(os.environ.get("PAGE_STORE_SECONDS", 60))
    PAGE_STORE_PAGES = int(os.environ.get("PAGE_STORE_PAGES", 300))
    #: the report filters list a viewer's ventures when they have at most this many, and
    #: offer a search among them when they have more (cotrack/finance/picker.py)
    VENTURE_PICKER_LIMIT = int(os.environ.get("VENTURE_PICKER_LIMIT", 100))


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    LEDGER_KEY = "test-ledger-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = None
    # the lowest argon2 cost: hashing at production cost was a third of the suite's time
    # (tests/test_config.py checks the production setting)
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    # tasks run at once, in the process that enqueues them; mails stay in memory
    HUEY_IMMEDIATE = True
    REDIS_URL = None
    # every test's requests share one rolled-back transaction, whose writes the database's
    # state does not show: only tests with real commits keep pages (tests/test_page_store.py)
    PAGE_STORE_SECONDS = 0
    MAIL_URL = None
    MAIL_BACKEND = "locmem"
    BASE_URL = "http://cotrack.test"


class ProductionConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY")
    #: required: links in mails must reach the site, not this machine's loopback
    BASE_URL = os.environ.get("COTRACK_BASE_URL")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {"default": Config, "production": ProductionConfig, "test": TestConfig}
