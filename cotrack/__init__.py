"""CoTrack application factory: create_app only wires things together."""

import logging

from flask import Flask

import config as config_module
from cotrack import (
    database,  # noqa: F401  (registers the SQLite connection pragmas)
    page_cache,
    ratelimit_storage,  # noqa: F401  (registers the sqlalchemy+ storage)
    revisions,  # noqa: F401  (registers the session events that bump revisions)
)
from cotrack.extensions import bootstrap, csrf, db, limiter, login_manager, migrate


def create_app(config: str | type = "default") -> Flask:
    app = Flask(
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
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    page_cache.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


def register_blueprints(app: Flask) -> None:
    from cotrack.admin.views import bp as admin_bp
    from cotrack.api import bp as api_bp
    from cotrack.auth.views import bp as auth_bp
    from cotrack.finance.views import bp as finance_bp
    from cotrack.main.views import bp as main_bp
    from cotrack.ventures.views import bp as ventures_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(ventures_bp, url_prefix="/ventures")
    app.register_blueprint(finance_bp)
    app.register_blueprint(api_bp, url_prefix="/api")
    csrf.exempt(api_bp)


def register_hooks(app: Flask) -> None:
    from cotrack import cli, error_pages, security_headers
    from cotrack.auth import loader  # noqa: F401  (the Flask-Login user loader)
    from cotrack.html_options import options
    from cotrack.money import format_amount, format_share
    from cotrack.permissions import TEMPLATE_CHECKS

    error_pages.register(app)
    security_headers.register(app)
    cli.register(app)
    app.jinja_env.globals.update(TEMPLATE_CHECKS, format_amount=format_amount,
                                 format_share=format_share, options=options)

    @app.after_request
    def end_transaction(response):
        # Registered after Flask-Limiter, so it runs before the limiter's own after-request
        # hook: on SQLite the request's transaction holds the write lock, and the limiter's
        # counter update (its own connection) must not wait for it.
        db.session.remove()
        return response
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
