"""Rate limits on what an anonymous visitor can repeat (login, captcha, recovery, registration).

Flask-Limiter's strategy counts; the counters live where every gunicorn worker sees them. By
default that is the app's own database (`appdb://`, the storage below); ZC_RATELIMIT_STORAGE_URI
can name any storage of the `limits` package instead (redis://..., memcached://...).

Views call `allowed(name, key)` themselves, after the form is read, so a refusal is a Chinese
message beside the form with status 429, and a per-account key (the login name typed) can be
counted as well as the address.
"""
from __future__ import annotations

import time

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse_many
from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from app.commands.base import transactional
from app.extensions import db
from app.models.guards import RateLimitCounter


def address() -> str:
    """The client address (behind a proxy, PROXY_FIX makes this the forwarded one)."""
    return get_remote_address() or "unknown"


def allowed(name: str, key: str) -> bool:
    """Count one attempt of `name` (a RATELIMIT_<NAME> setting) for `key`; False once over a limit.

    Every limit of the setting is counted, so a burst refused by the minute limit still counts
    towards the hour."""
    config = current_app.config
    if not config["RATE_LIMITS_ENABLED"]:
        return True
    strategy = _strategy()
    results = [strategy.hit(item, name, key.lower()) for item in parse_many(config[f"RATELIMIT_{name.upper()}"])]
    return all(results)


def _strategy():
    """Flask-Limiter's counting strategy; with Flask-Limiter switched off (RATELIMIT_ENABLED=0) it builds none,
    so our limits, which only RATE_LIMITS_ENABLED turns off, count with their own over the same storage."""
    limiter = current_app.appbuilder.sm.limiter
    if limiter.enabled:
        return limiter.limiter
    strategy = current_app.extensions.get("zc_rate_limit_strategy")
    if strategy is None:
        from limits.storage import storage_from_string
        from limits.strategies import STRATEGIES

        strategy = STRATEGIES[current_app.config.get("RATELIMIT_STRATEGY", "fixed-window")](
            storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"]))
        current_app.extensions["zc_rate_limit_strategy"] = strategy
    return strategy


def allowed_all(*checks: tuple[str, str]) -> bool:
    """Count every (name, key) pair, even after one is over its limit."""
    return all([allowed(name, key) for name, key in checks])


class AppDatabaseStorage(Storage):
    """Fixed-window counters in the app's database: shared by every worker and host that shares
    the database, atomic by one INSERT .. ON CONFLICT DO UPDATE per hit (SQLite ≥ 3.35, PostgreSQL).

    Each hit uses its own connection and commits at once, so a request that later rolls back
    keeps its count."""

    STORAGE_SCHEME = ["appdb"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        from sqlalchemy.exc import SQLAlchemyError

        return SQLAlchemyError

    @staticmethod
    def _insert():
        dialect = db.engine.dialect.name
        return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(RateLimitCounter)

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        table = RateLimitCounter.__table__
        stmt = self._insert().values(key=key, count=amount, expires_at=now + expiry)
        expired = table.c.expires_at <= now
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"count": case((expired, amount), else_=table.c.count + amount),
                  "expires_at": case((expired, now + expiry), else_=table.c.expires_at)},
        ).returning(table.c.count)
        with db.engine.begin() as conn:
            return int(conn.execute(stmt).scalar_one())

    def get(self, key: str) -> int:
        with db.engine.connect() as conn:
            row = conn.execute(select(RateLimitCounter.count, RateLimitCounter.expires_at)
                               .where(RateLimitCounter.key == key)).first()
        return int(row.count) if row and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        with db.engine.connect() as conn:
            expires = conn.execute(select(RateLimitCounter.expires_at)
                                   .where(RateLimitCounter.key == key)).scalar_one_or_none()
        return float(expires) if expires and expires > time.time() else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as conn:
                conn.execute(select(RateLimitCounter.key).limit(1))
            return True
        except Exception:  # noqa: BLE001  (a health check answers, it does not raise)
            return False

    def reset(self) -> int | None:
        with db.engine.begin() as conn:
            return conn.execute(delete(RateLimitCounter)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(delete(RateLimitCounter).where(RateLimitCounter.key == key))


@transactional
def purge_expired() -> int:
    """Scheduled clean-up of windows that have ended (safe from several workers)."""
    result = db.session.execute(delete(RateLimitCounter).where(RateLimitCounter.expires_at <= time.time()))
    return result.rowcount
