from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

REGION_LEVELS = ("province", "city", "district")


class Named:
    """A catalog row shown by its name (FAB's lists and selects, the audit log)."""

    def __str__(self) -> str:
        return self.name


class Region(Model):
    """C3: province → city → district (行政区划)."""

    __tablename__ = "region"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)  # GB/T 2260 code
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    parent: Mapped["Region | None"] = relationship(remote_side=[id])

    @property
    def full_name(self) -> str:
        names, node = [], self
        while node is not None and len(names) < 5:  # bounded: an unsaved edit may form a loop
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))

    def __str__(self) -> str:
        return self.full_name


class TitleLevel(Named, Model):
    """申报级别 (C1): 正高级, 副高级, 中级, 初级, 员级; rank orders them from high to low."""

    __tablename__ = "title_level"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(16), unique=True)
    rank: Mapped[int] = mapped_column(Integer, default=0)


class TitleSeries(Named, Model):
    """职称系列 (C1): 群众文化, 图书资料, 工程, ..."""

    __tablename__ = "title_series"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)


class Title(Named, Model):
    """申报职称 (C1): a title of one series at one level, e.g. 群众文化 · 初级 · 助理馆员."""

    __tablename__ = "title"
    # the unit queues' 申报职称 filter: the titles of one name (in every series) of a level (issue item 16)
    __table_args__ = (UniqueConstraint("series_id", "level_id", "name"),
                      Index("ix_title_level_name", "level_id", "name"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("title_series.id"), index=True)
    series: Mapped[TitleSeries] = relationship()
    level_id: Mapped[int] = mapped_column(ForeignKey("title_level.id"), index=True)
    level: Mapped[TitleLevel] = relationship()
    name: Mapped[str] = mapped_column(String(32))


class Specialty(Named, Model):
    """现从事专业 (C1): specialties of a series, e.g. 群众文化 → 舞蹈."""

    __tablename__ = "specialty"
    __table_args__ = (UniqueConstraint("series_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("title_series.id"), index=True)
    series: Mapped[TitleSeries] = relationship()
    name: Mapped[str] = mapped_column(String(32))


class ApplicationMethod(Named, Model):
    """申报方式 (C2); the exceptional one (破格) asks for an exceptional case."""

    __tablename__ = "application_method"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    is_exceptional: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ExceptionalCase(Named, Model):
    """破格情况 (C2)."""

    __tablename__ = "exceptional_case"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)


class Committee(Named, Model):
    """评委会 (C4): reviews one series at one level in a region."""

    __tablename__ = "committee"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("title_series.id"), index=True)
    series: Mapped[TitleSeries] = relationship()
    level_id: Mapped[int] = mapped_column(ForeignKey("title_level.id"), index=True)
    level: Mapped[TitleLevel] = relationship()
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    region: Mapped[Region] = relationship()


class CommitteePeriod(Model):
    """The application period of a committee in one year (申报开始/截止)."""

    __tablename__ = "committee_period"
    __table_args__ = (UniqueConstraint("committee_id", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id"), index=True)
    committee: Mapped[Committee] = relationship(backref="periods")
    year: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date, index=True)
    unit_review_ends_on: Mapped[dt.date | None] = mapped_column(Date)  # 单位审核截止 (and 数据上报)
    resubmit_ends_on: Mapped[dt.date | None] = mapped_column(Date)  # 退回修改截止
