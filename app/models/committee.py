"""The review committee's work (SPEC §7 M1–M1c): its expert pool, its meetings with the applications they
cover, every draw of experts, the experts' assignments and their online scores. Statuses are the tables
of app/workflow/committee_states.py."""
from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import (JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.applications import Application
from app.models.catalog import Committee, Specialty, TitleLevel, TitleSeries
from app.models.units import Unit


class Expert(Model):
    """评审专家: one member of one committee's pool (评委管理), with an Expert login (ab_user). The term is
    at most EXPERT_TERM_MAX_YEARS long; only an expert 入库 within the term is drawn."""

    __tablename__ = "expert"
    __table_args__ = (UniqueConstraint("committee_id", "id_number"),
                      Index("ix_expert_pool", "committee_id", "status", "series_id"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id"), index=True)
    committee: Mapped[Committee] = relationship()
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"), index=True)
    user: Mapped[User] = relationship()
    name: Mapped[str] = mapped_column(String(64), index=True)
    id_number: Mapped[str] = mapped_column(String(32), index=True)
    mobile: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(320))
    work_unit_name: Mapped[str] = mapped_column(String(128))
    # the registered unit the expert works at, when there is one: the draw's 回避 compares units by id,
    # and by name for an expert whose unit is not registered
    work_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    work_unit: Mapped[Unit | None] = relationship()
    series_id: Mapped[int] = mapped_column(ForeignKey("title_series.id"))
    series: Mapped[TitleSeries] = relationship()
    specialty_id: Mapped[int | None] = mapped_column(ForeignKey("specialty.id"))
    specialty: Mapped[Specialty | None] = relationship()
    level_id: Mapped[int] = mapped_column(ForeignKey("title_level.id"))  # 现职称级别
    level: Mapped[TitleLevel] = relationship()
    term_start: Mapped[dt.date] = mapped_column(Date)
    term_end: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="in_pool")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # CAS on version

    def __str__(self) -> str:
        return self.name


class Meeting(Model):
    """评审会议: covers applications that passed 资格复审; its experts are drawn from the pool."""

    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_committee_date", "committee_id", "held_on", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id"), index=True)
    committee: Mapped[Committee] = relationship()
    name: Mapped[str] = mapped_column(String(128))
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(128))
    expert_count: Mapped[int] = mapped_column(Integer)  # how many experts to draw
    # the draw takes experts of the committee's series and, when set, of this specialty only
    specialty_id: Mapped[int | None] = mapped_column(ForeignKey("specialty.id"))
    specialty: Mapped[Specialty | None] = relationship()
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)  # 匿名评审: experts see no name or unit
    status: Mapped[str] = mapped_column(String(16), default="preparing", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # CAS on version

    applications = relationship("MeetingApplication", back_populates="meeting", order_by="MeetingApplication.id")

    def __str__(self) -> str:
        return self.name


class MeetingApplication(Model):
    """An application covered by a meeting. An application is in at most one meeting."""

    __tablename__ = "meeting_application"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    meeting: Mapped[Meeting] = relationship(back_populates="applications")
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    application: Mapped[Application] = relationship()
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ExpertDraw(Model):
    """One draw of experts for a meeting (the first, or a second one replacing a decline or a conflict):
    when, by whom, how many candidates, who was left out and why, who was drawn."""

    __tablename__ = "expert_draw"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    by: Mapped[User | None] = relationship()
    kind: Mapped[str] = mapped_column(String(16))  # first | replacement
    wanted: Mapped[int] = mapped_column(Integer)
    candidates: Mapped[int] = mapped_column(Integer)  # how many were eligible
    excluded: Mapped[list] = mapped_column(JSON, default=list)  # [[expert_id, name, reason code], …]
    drawn: Mapped[list] = mapped_column(JSON, default=list)  # [[expert_id, name], …]
    replaces_assignment_id: Mapped[int | None] = mapped_column(Integer)


class Assignment(Model):
    """An expert drawn for a meeting: accepts the discipline pledge, declines, or declares a conflict."""

    __tablename__ = "meeting_assignment"
    __table_args__ = (UniqueConstraint("meeting_id", "expert_id"),
                      Index("ix_meeting_assignment_expert", "expert_id", "status"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    meeting: Mapped[Meeting] = relationship()
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert.id"))
    expert: Mapped[Expert] = relationship()
    draw_id: Mapped[int] = mapped_column(ForeignKey("expert_draw.id"))
    status: Mapped[str] = mapped_column(String(16), default="drawn")
    pledge_accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # 评审专家纪律承诺书
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text, default="")  # of a decline or a conflict
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # CAS on version


class Score(Model):
    """信息评审: one expert's score (0–100) and opinion on one application of the meeting, or a declared
    conflict with that application."""

    __tablename__ = "meeting_score"
    __table_args__ = (UniqueConstraint("assignment_id", "application_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("meeting_assignment.id", ondelete="CASCADE"), index=True)
    assignment: Mapped[Assignment] = relationship()
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    score: Mapped[int | None] = mapped_column(Integer)
    opinion: Mapped[str] = mapped_column(Text, default="")
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # CAS on version


# 资格复审's list (app/daos/committee.py `arrived`): a committee's applications by status, newest first, a keyset
# page at a time (app/daos/paging.py). Declared here, beside the committee's own tables, on the application table.
Index("ix_application_committee_queue", Application.committee_id, Application.status, Application.submitted_at,
      Application.id)
