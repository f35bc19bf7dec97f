"""Server-side session records: a new session at login, a final logout, a 30-minute idle timeout.

Flask keeps its session in a signed cookie; the random `sid` in it must name a live row here,
so a cookie copied before logout or idle expiry is refused afterwards. API tokens (JWT) carry
the `sid` of a row of kind "api" the same way, so ending the row ends the access and refresh
tokens with it (app/api/security.py).
"""
from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app, session
from sqlalchemy import update

from app.clock import utcnow
from app.commands.base import transaction, transactional
from app.extensions import db
from app.models.accounts import UserSession

_TOUCH_EVERY = dt.timedelta(seconds=60)  # write last_seen at most once a minute per session


@transactional
def start(user) -> str:
    """A new session row for this browser (sign-in); the cookie names it."""
    locale = session.get("locale")
    session.clear()  # a new session at login: nothing from before survives
    if locale:
        session["locale"] = locale
    now = utcnow()
    sid = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=sid, user_id=user.id, created_at=now, last_seen_at=now))
    session["sid"] = sid
    return sid


@transactional
def renew(user) -> None:
    """After a password change: a fresh sid and login for this browser; the old cookie is dead."""
    from flask_login import login_user

    start(user)
    login_user(user, remember=False)


@transactional
def start_api(user) -> str:
    """A session row for an API password login; its tokens carry the sid."""
    now = utcnow()
    sid = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=sid, user_id=user.id, created_at=now, last_seen_at=now, kind="api"))
    return sid


def api_session_is_live(sid, user_id) -> bool:
    """True when a token's sid names a live API session of that user (tokens have no idle rule:
    the access token itself expires quickly)."""
    if not isinstance(sid, str) or not sid:
        return False
    row = db.session.get(UserSession, sid)
    return row is not None and row.kind == "api" and str(row.user_id) == str(user_id) and row.ended_at is None


def end_all(user_id: int) -> int:
    """End every session and API token of the account (password change, reset, deactivation)."""
    return db.session.execute(
        update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    ).rowcount


def is_live(user_id: int) -> bool:
    """True when the cookie's sid is a live session of this user; touches it, ends it when idle."""
    sid = session.get("sid")
    if not sid:
        return False
    row = db.session.get(UserSession, sid)
    if row is None or row.user_id != user_id or row.ended_at is not None:
        return False
    now = utcnow()
    idle_limit = dt.timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    if now - row.last_seen_at > idle_limit:
        with transaction():
            row.ended_at = now
        session["timed_out"] = True
        return False
    if now - row.last_seen_at > _TOUCH_EVERY:  # a read-only request commits nothing
        with transaction():
            row.last_seen_at = now
    return True


def end_sid(sid: str) -> None:
    db.session.execute(update(UserSession).where(UserSession.id == sid).values(ended_at=utcnow()))
