"""CoTrack application factory: create_app only wires things together."""

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config as config_module
from cotrack import jobs, mail
from cotrack.db import engine as database
from cotrack.db import ledger_key
from cotrack.db import ratelimit as ratelimit_storage
from cotrack.domain import passwords
from cotrack.extensions import bootstrap, csrf, db, limiter, login_manager, migrate
from cotrack.services import background, digests, statements
from cotrack.web import input as web_input
from cotrack.web import page_store, request_path


def create_app(config: str | type = "default") -> Flask:
    app = request_path.CoTrack(
        __name__,
        template_folder=str(config_module.BASE_DIR / "templates"),
        instance_path=str(config_module.INSTANCE_DIR),
    )
    cfg = config_module.CONFIGS[config] if isinstance(config, str) else config
    app.config.from_object(cfg)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(make run writes instance/secret_key for local use)."
        )
    if not app.config.get("BASE_URL"):
        raise RuntimeError("COTRACK_BASE_URL is not set: mails link to it (e.g. "
                           "https://cotrack.example.com).")
    register_proxy_fix(app)
    register_extensions(app)
    web_input.init_app(app)  # the <id:...> converter must be known before any route
    register_blueprints(app)
    register_hooks(app)
    return app


def register_proxy_fix(app: Flask) -> None:
    """Behind a reverse proxy, take the client's address (and scheme) from the proxy's
    X-Forwarded-For (X-Forwarded-Proto) headers: per-address sign-in limits need it. Off
    unless configured, since a client can send those headers itself."""
    x_for, x_proto = app.config["PROXY_FIX_X_FOR"], app.config["PROXY_FIX_X_PROTO"]
    if x_for or x_proto:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=x_for, x_proto=x_proto, x_host=0,
                                x_port=0, x_prefix=0)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    bootstrap.init_app(app)
    ratelimit_storage.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    database.init_app(app)
    ledger_key.init_app(app)
    request_path.init_app(app)
    page_store.init_app(app)
    passwords.init_app(app)
    jobs.init_app(app)
    mail.init_app(app)
    digests.init_app(app)
    background.init_app(app)
    statements.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


def register_blueprints(app: Flask) -> None:
    from cotrack.admin import bp as admin_bp
    from cotrack.api import bp as api_bp
    from cotrack.auth import bp as auth_bp
    from cotrack.finance import bp as finance_bp
    from cotrack.main import bp as main_bp
    from cotrack.ventures import bp as ventures_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(ventures_bp, url_prefix="/ventures")
    app.register_blueprint(finance_bp)
    app.register_blueprint(api_bp, url_prefix="/api")
    csrf.exempt(api_bp)
    from cotrack.main import unsubscribe

    csrf.exempt(unsubscribe.one_click)  # RFC 8058: the mail client POSTs, without a token


def register_hooks(app: Flask) -> None:
    from cotrack import cli
    from cotrack.auth.loader import init_login
    from cotrack.domain.money import format_amount, format_compact, format_share
    from cotrack.domain.permissions import TEMPLATE_CHECKS
    from cotrack.web import badges, mentions, numbers, timefmt, words
    from cotrack.web import errors as error_pages
    from cotrack.web import security as security_headers
    from cotrack.web.form_markup import form_markup
    from cotrack.web.html import options
    from cotrack.web.pagination import link_args, page_links

    init_login(login_manager)
    error_pages.register(app)
    security_headers.register(app)
    cli.register(app)
    timefmt.init_app(app)
    numbers.init_app(app)
    badges.init_app(app)
    words.init_app(app)
    mentions.init_app(app)
    app.jinja_env.globals.update(TEMPLATE_CHECKS, format_amount=format_amount,
                                 format_compact=format_compact,
                                 format_share=format_share, options=options,
                                 link_args=link_args, page_links=page_links,
                                 form_markup=form_markup)

    @app.after_request
    def end_transaction(response):
        # Registered after Flask-Limiter, so it runs before the limiter's own after-request
        # hook: on SQLite the request's transaction holds the write lock, and the limiter's
        # counter update (its own connection) must not wait for it.
        db.session.remove()
        return response
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
