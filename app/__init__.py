"""Application factory."""
from __future__ import annotations

from flask import Flask
from flask_appbuilder import AppBuilder

from config import BASE_DIR, load_settings


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(BASE_DIR / "instance"))
    app.config.update(load_settings(config))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(BASE_DIR / "translations")
    from app.security import params

    params.install(app)  # bounded ids before any route exists (hole 9)
    if isinstance(app.config.get("FAB_PASSWORD_COMPLEXITY_VALIDATOR"), str):
        # FAB calls this setting; given as a dotted name (settings are strings) FAB's 重置密码 page answered 500
        from werkzeug.utils import import_string

        app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = import_string(app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"])
    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    from app import models  # noqa: F401  (register every table on the metadata)
    from app import database
    from app.extensions import csrf, db, migrate

    database.engine_options(app)
    db.init_app(app)
    database.sqlite_pragmas(app)
    csrf.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    with app.app_context():
        appbuilder = AppBuilder(update_perms=False)
        appbuilder.init_app(app, db.session)
        from app.views import register_views

        register_views(appbuilder)

    from app import cli, cli_certificates, errors, templating

    from app.security import headers, input_guard

    input_guard.register(app)
    params.register(app)
    headers.register(app)
    cli.register(app)
    cli_certificates.register(app)
    errors.register(app)
    templating.register(app)
    from app.views import site

    site.register(app)
    if app.config["SCHEDULER_ENABLED"]:
        from app import scheduler

        scheduler.start(app)
    return app
