"""An application (申报) and what hangs on it: section states, entries, attachments, timeline."""
from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import (JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
                        text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.accounts import Person
from app.models.catalog import (ApplicationMethod, Committee, ExceptionalCase, Region, Specialty, Title,
                                TitleLevel, TitleSeries)
from app.models.offices import AcceptingOffice
from app.models.units import Unit


class BusinessSection(Model):
    """P1: which sections a business shows, in which order, which are required, with which limits.
    A row with committee_id/year set overrides the general row of its business for that committee
    and year (Jiangsu: modules differ by committee and year)."""

    __tablename__ = "business_section"
    __table_args__ = (UniqueConstraint("business", "section", "committee_id", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    business: Mapped[str] = mapped_column(String(16), index=True)
    section: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    shown: Mapped[bool] = mapped_column(Boolean, default=True)
    max_entries: Mapped[int | None] = mapped_column(Integer)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committee.id"), index=True)
    committee: Mapped[Committee | None] = relationship()
    year: Mapped[int | None] = mapped_column(Integer)


class CommitmentAgreement(Model):
    """P2: the applicant chose 我同意 on the commitment letter (承诺书) of a business."""

    __tablename__ = "commitment_agreement"
    __table_args__ = (UniqueConstraint("person_id", "business"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    business: Mapped[str] = mapped_column(String(16))
    agreed_at: Mapped[dt.datetime] = mapped_column(DateTime)


# the statuses that end an application without holding the person's place for that business and year
# (app.workflow.states.CLOSED_STATUSES; literal here because the index and its migration need SQL)
_HOLDS_PLACE = "status NOT IN ('cancelled', 'review_failed', 'blacklisted')"


class Application(Model):
    __tablename__ = "application"
    __table_args__ = (
        # at most one application per person, business and year that is not cancelled or failed (issue:
        # duplicate 职称评审申报 and 终审通过): a partial unique index, on SQLite as on PostgreSQL
        Index("uq_application_one_open_per_year", "person_id", "business", "year", unique=True,
              sqlite_where=text(_HOLDS_PLACE), postgresql_where=text(_HOLDS_PLACE)),
        Index("ix_application_unit_queue", "current_unit_id", "status", "year"),
        # the review queue and the report list, newest first, a page at a time (R1, R3)
        Index("ix_application_unit_queue_time", "current_unit_id", "status", "submitted_at"),
        # 职称认定审核 / 外地调入审核: the same queue filtered by business (issue item 11)
        Index("ix_application_unit_queue_business", "current_unit_id", "status", "business", "submitted_at"),
        Index("ix_application_person_year", "person_id", "year"),
        # the keyset pages (app/daos/paging.py): 数据上报 tabs, the queue by level, 我的申报信息
        Index("ix_application_report_tab", "current_unit_id", "status", "entrusted", "submitted_at", "id"),
        Index("ix_application_unit_queue_level", "current_unit_id", "status", "level_id", "submitted_at"),
        Index("ix_application_person_created", "person_id", "created_at", "id"),
        # the bureau's 统计: one pass over the index, not the table (app/daos/overview.py)
        Index("ix_application_overview", "year", "unit_id", "status", "business", "series_id", "level_id"),
        # 初定审核 and 证书入库 (初定): an office's applications by status (app/daos/offices.py)
        Index("ix_application_office_queue", "accepting_office_id", "status", "submitted_at", "id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    person: Mapped[Person] = relationship()
    business: Mapped[str] = mapped_column(String(16), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(24), index=True, default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic lock of the base form
    # every UPDATE is a compare-and-set on version (R6, app/commands/cas.py)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    # 基本信息 (P3)
    level_id: Mapped[int] = mapped_column(ForeignKey("title_level.id"), index=True)
    level: Mapped[TitleLevel] = relationship()
    series_id: Mapped[int] = mapped_column(ForeignKey("title_series.id"), index=True)
    series: Mapped[TitleSeries] = relationship()
    title_id: Mapped[int] = mapped_column(ForeignKey("title.id"), index=True)
    title: Mapped[Title] = relationship()
    specialty_id: Mapped[int] = mapped_column(ForeignKey("specialty.id"))
    specialty: Mapped[Specialty] = relationship()
    method_id: Mapped[int] = mapped_column(ForeignKey("application_method.id"))
    method: Mapped[ApplicationMethod] = relationship()
    exceptional_case_id: Mapped[int | None] = mapped_column(ForeignKey("exceptional_case.id"))
    exceptional_case: Mapped[ExceptionalCase | None] = relationship()
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)  # 申报单位
    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    is_work_unit: Mapped[bool] = mapped_column(Boolean, default=True)
    work_unit_name: Mapped[str | None] = mapped_column(String(128))
    agency_unit_name: Mapped[str | None] = mapped_column(String(128))  # 人事代理单位
    entrusted: Mapped[bool] = mapped_column(Boolean, default=False)  # 是否委托评审
    recommendation_rank: Mapped[str] = mapped_column(String(16))  # 单位推荐排序 n/m
    work_started_on: Mapped[dt.date] = mapped_column(Date)
    professional_years: Mapped[int] = mapped_column(Integer)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committee.id"), index=True)
    committee: Mapped[Committee | None] = relationship()
    title_obtained_year: Mapped[int | None] = mapped_column(Integer)  # 外地调入: year of the certificate
    # 职称初定 (seed 004 ch. 2): 所属行政区划, 工作单位性质, 行政主管部门, 报送受理部门; empty for other businesses
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    region: Mapped[Region | None] = relationship()
    work_unit_nature: Mapped[str | None] = mapped_column(String(16))
    competent_department: Mapped[str | None] = mapped_column(String(128))
    accepting_office_id: Mapped[int | None] = mapped_column(ForeignKey("accepting_office.id"))
    accepting_office: Mapped[AcceptingOffice | None] = relationship()

    # where it is now: the unit whose queue holds it (R1), set on submit and report
    current_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    current_unit: Mapped[Unit | None] = relationship(foreign_keys=[current_unit_id])
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)


class ApplicationStep(Model):
    """R5: one stop of an application on its way up the units. Submitting puts the first unit's step;
    数据上报 to a superior unit marks the step `reported` and adds the superior's; a return marks the
    top step `returned` and, for a return to the lower unit, reopens the lower unit's step. The steps not
    `returned` form a stack whose top is the unit holding the application now; the step below it is the
    lower unit a return goes back to. Every step stays, so a unit keeps seeing what passed through it
    and 已上报 lists its `reported` steps."""

    __tablename__ = "application_step"
    __table_args__ = (Index("ix_application_step_unit", "unit_id", "outcome", "application_id"),
                      # 本年度退回人数: a unit's returned steps by the time they left (issue item 13)
                      Index("ix_application_step_unit_left", "unit_id", "outcome", "left_at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    arrived_at: Mapped[dt.datetime] = mapped_column(DateTime)
    left_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(16), default="")  # "" (here) / reported / returned
    overdue_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # marked by the overdue job (S1)


class ApplicationSection(Model):
    """P6: the state of one section of one application: empty, filled or rejected with a reason."""

    __tablename__ = "application_section"
    __table_args__ = (UniqueConstraint("application_id", "section"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="empty")  # empty / filled / rejected
    reason: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")  # sections that are one text (工作成绩及表现)
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic lock for two tabs (item 12)
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # CAS on version
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SectionEntry(Model):
    """One entry of a list section (a degree, a job, an achievement); fields by section kind."""

    __tablename__ = "section_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict] = mapped_column(JSON, default=dict)


class Attachment(Model):
    """P5: an uploaded scan, stored outside the web root under a random name."""

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(32))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("section_entry.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ApplicationEvent(Model):
    """P8: one step of the timeline (状态跟踪), written with every state change."""

    __tablename__ = "application_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor_name: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str] = mapped_column(String(24), default="")
    to_status: Mapped[str] = mapped_column(String(24), default="")
    opinion: Mapped[str] = mapped_column(Text, default="")
    # a 退回: the sections marked 不通过 with their reasons, as they were then ([[code, reason], …]; item 10)
    rejected_sections: Mapped[list | None] = mapped_column(JSON)


class Blacklist(Model):
    """P12: a person who may not submit a new application until `until`."""

    __tablename__ = "blacklist"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    until: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
