"""Deadlines (periods of the businesses without a committee), what the scheduled jobs have sent, the
bureau's 催办 and the scheduler's own tables (S1)."""
from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint, Unicode
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.catalog import Region
from app.models.units import Unit


class BusinessPeriod(Model):
    """The application period of a business without a committee (认定, 调入, 初定) in a region and year:
    申报开始/截止, then 单位审核截止 for the units and 退回修改截止 for resubmitting a returned one.
    A period of a region holds for the regions below it unless they have their own."""

    __tablename__ = "business_period"
    __table_args__ = (UniqueConstraint("business", "region_id", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business: Mapped[str] = mapped_column(String(16))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    region: Mapped[Region] = relationship()
    year: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date, index=True)
    unit_review_ends_on: Mapped[dt.date | None] = mapped_column(Date)
    resubmit_ends_on: Mapped[dt.date | None] = mapped_column(Date)


class ReminderLog(Model):
    """One message a job sent to one user: a kind at most once a day, whatever runs and how often."""

    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("user_id", "kind", "sent_on"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(48))
    sent_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class UnitUrge(Model):
    """催办: the bureau reminded a unit of the applications overdue in its queue."""

    __tablename__ = "unit_urge"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    unit: Mapped[Unit] = relationship()
    bureau_user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"), index=True)
    overdue_count: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class SchedulerLock(Model):
    """The SQLite election of the one scheduler: the holder renews its lease; PostgreSQL uses an
    advisory lock instead (app/scheduler_lock.py)."""

    __tablename__ = "scheduler_lock"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SchedulerJob(Model):
    """APScheduler 3's SQLAlchemyJobStore table, declared here so the migrations own it."""

    __tablename__ = "apscheduler_jobs"
    id: Mapped[str] = mapped_column(Unicode(191), primary_key=True)
    next_run_time: Mapped[float | None] = mapped_column(Float(25), index=True)
    job_state: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
