"""How the app talks to its database: SQLite in WAL mode with full syncs and a busy timeout, and on
PostgreSQL a lock timeout, so that a request waiting on a lock ends in a clean "please retry" page
(app/errors.py) instead of hanging or a 500."""
from __future__ import annotations

import sqlite3

from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

# PostgreSQL SQLSTATEs of a lock that was not granted in time, a deadlock and a serialization failure
_PG_BUSY = {"55P03", "40P01", "40001"}


def engine_options(app: Flask) -> None:
    """Engine options from the settings; call before db.init_app(app), which creates the engine."""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("options", f"-c lock_timeout={int(app.config['DB_LOCK_TIMEOUT_MS'])}")
        options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def sqlite_pragmas(app: Flask) -> None:
    """WAL, synchronous and busy_timeout on every new SQLite connection; call after db.init_app(app)."""
    from app.extensions import db

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        return
    timeout_ms = int(app.config["DB_LOCK_TIMEOUT_MS"])
    journal, sync = app.config["SQLITE_JOURNAL_MODE"], app.config["SQLITE_SYNCHRONOUS"]
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA busy_timeout={timeout_ms}")
        if ":memory:" not in url:
            dbapi_connection.execute(f"PRAGMA journal_mode={journal}")
        dbapi_connection.execute(f"PRAGMA synchronous={sync}")


def is_busy(err: Exception) -> bool:
    """Whether a database error means "locked by someone else, try again" rather than a bug."""
    if not isinstance(err, OperationalError):
        return False
    orig = err.orig
    if isinstance(orig, sqlite3.OperationalError):
        return "locked" in str(orig) or "busy" in str(orig)
    return getattr(orig, "pgcode", None) in _PG_BUSY
