"""Account data beside FAB's ab_user: the person, lockout state, sessions, recovery codes."""
from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

ID_TYPES = {"resident_id": "居民身份证"}


class Person(Model):
    """An individual applicant (个人); name and ID number are fixed after registration (A1, A5)."""

    __tablename__ = "person"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"), unique=True)
    user: Mapped[User] = relationship()
    real_name: Mapped[str] = mapped_column(String(64), index=True)  # the lists' 姓名 sort
    id_type: Mapped[str] = mapped_column(String(16), default="resident_id")
    id_number: Mapped[str] = mapped_column(String(32), unique=True)
    ethnicity: Mapped[str] = mapped_column(String(16))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(4))
    mobile: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(32))
    wechat: Mapped[str | None] = mapped_column(String(64))


class AccountSecurity(Model):
    """Lockout state (A4). One row per user, counted with atomic UPDATEs."""

    __tablename__ = "account_security"
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)


class UserSession(Model):
    """A server-side record of a login session, so logout and idle timeout are final."""

    __tablename__ = "user_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # random token in the cookie
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(8), default="web", server_default="web")  # web / api (JWT)


class RecoveryCode(Model):
    """A one-time code for password recovery (A7); only its hash is kept."""

    __tablename__ = "recovery_code"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"), index=True)
    channel: Mapped[str] = mapped_column(String(8))  # email / sms
    code_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    failed_tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class BackendBinding(Model):
    """Binds a backend account: a Bureau to its region, a Committee office to its committee."""

    __tablename__ = "backend_binding"
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"), primary_key=True)
    user: Mapped[User] = relationship()
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    region = relationship("Region")
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committee.id"), index=True)
    committee = relationship("Committee")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
