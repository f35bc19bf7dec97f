"""Server-side state of the anonymous-facing guards: captcha challenges, rate-limit counters and
failure counts of login names that have no account (so they lock like real ones)."""
from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import DateTime, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


class CaptchaChallenge(Model):
    """One captcha image: its answer digest, the session it was drawn for, used once, soon expired."""

    __tablename__ = "captcha_challenge"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # random; the session keeps it
    answer_digest: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class RateLimitCounter(Model):
    """A fixed-window counter of the `appdb://` storage of Flask-Limiter (app/security/ratelimit.py)."""

    __tablename__ = "rate_limit_counter"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # epoch seconds


class LoginNameGuard(Model):
    """Wrong passwords against a login name without an account, counted like AccountSecurity so an
    unknown name locks, and answers, the way a real account does (A4)."""

    __tablename__ = "login_name_guard"
    name_digest: Mapped[str] = mapped_column(String(64), primary_key=True)  # keyed HMAC of the name
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    last_failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
