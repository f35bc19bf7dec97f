"""N consecutive wrong passwords lock an account for M minutes.

Counting is one atomic UPDATE per failure, so parallel wrong attempts cannot slip past the limit.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from flask import current_app
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.clock import utcnow
from app.commands.base import transactional
from app.extensions import db
from app.models.accounts import AccountSecurity
from app.models.guards import LoginNameGuard


def _count_failure(model, key_column, key, *, stamp: bool = False) -> dt.datetime | None:
    """One failure on the counter row of `key` (made if missing; a concurrent creator is not an error):
    an atomic increment, then the lock set by a conditional UPDATE that only the failure starting it
    wins, so parallel failures neither slip past the limit nor extend a lock. Returns the lock end when
    this failure locks. `stamp` also records the time of the failure (for purging old name counters)."""
    now = utcnow()
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(model).values({key_column.key: key, "failed_logins": 0}).on_conflict_do_nothing())
    values = {"failed_logins": model.failed_logins + 1, **({"last_failed_at": now} if stamp else {})}
    count = db.session.execute(
        update(model).where(key_column == key).values(values).returning(model.failed_logins)
    ).scalar_one()
    if count < current_app.config["LOCKOUT_ATTEMPTS"]:
        return None
    until = now + dt.timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
    started = db.session.execute(
        update(model)
        .where(key_column == key, or_(model.locked_until.is_(None), model.locked_until <= now))
        .values(locked_until=until, failed_logins=0)
    ).rowcount
    return until if started else None


def locked_until(user_id: int) -> dt.datetime | None:
    """The end of a lock still in force, else None."""
    until = db.session.execute(
        select(AccountSecurity.locked_until).where(AccountSecurity.user_id == user_id)
    ).scalar_one_or_none()
    return until if until and until > utcnow() else None


def register_failure(user_id: int) -> dt.datetime | None:
    """Count one wrong password; return the lock end when this failure locks the account."""
    return _count_failure(AccountSecurity, AccountSecurity.user_id, user_id)


def register_success(user_id: int) -> None:
    db.session.execute(
        update(AccountSecurity).where(AccountSecurity.user_id == user_id).values(failed_logins=0)
    )


@transactional
def clear_expired_locks() -> int:
    """Scheduled job body: safe to run twice and from several workers."""
    now = utcnow()
    result = db.session.execute(
        update(AccountSecurity)
        .where(and_(AccountSecurity.locked_until.is_not(None), AccountSecurity.locked_until <= now))
        .values(locked_until=None, failed_logins=0)
    )
    return result.rowcount


# --- login names without an account lock the same way (same answer, same work) ---

def _name_digest(identifier: str) -> str:
    key = current_app.secret_key.encode()
    return hmac.new(key, f"login-name:{identifier.strip().lower()}".encode(), hashlib.sha256).hexdigest()


def name_locked_until(identifier: str) -> dt.datetime | None:
    until = db.session.execute(
        select(LoginNameGuard.locked_until).where(LoginNameGuard.name_digest == _name_digest(identifier))
    ).scalar_one_or_none()
    return until if until and until > utcnow() else None


def register_name_failure(identifier: str) -> dt.datetime | None:
    """Count one wrong password for a name with no active account, exactly like register_failure."""
    return _count_failure(LoginNameGuard, LoginNameGuard.name_digest, _name_digest(identifier), stamp=True)


@transactional
def purge_name_guards() -> int:
    """Forget names whose lock has ended and whose last failure is a day old (scheduled)."""
    now = utcnow()
    result = db.session.execute(delete(LoginNameGuard).where(
        or_(LoginNameGuard.locked_until.is_(None), LoginNameGuard.locked_until <= now),
        LoginNameGuard.last_failed_at <= now - dt.timedelta(days=1)))
    return result.rowcount
