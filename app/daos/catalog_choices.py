"""The catalog rows the forms offer as choices: the region cascade, the title cascade (level → series →
title → specialty), application methods and exceptional cases, the committees open to a unit and the
accepting offices of a region. Reference data every signed-in role (and the registration forms) may read;
each list is one small query, never a table of applications or accounts."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.extensions import db
from app.models.catalog import (ApplicationMethod, Committee, ExceptionalCase, Region, Specialty, Title,
                                TitleLevel, TitleSeries)
from app.models.offices import AcceptingOffice
from app.services import catalog
from app.services.offices import accepting_offices


def region_children(parent_id: int | None) -> list[Region]:
    """The regions directly under `parent_id` (the provinces for None), by code."""
    query = select(Region).order_by(Region.code)
    query = query.where(Region.parent_id == parent_id) if parent_id else query.where(Region.parent_id.is_(None))
    return db.session.execute(query).scalars().all()


def all_regions() -> list[Region]:
    """Every region by code (Admin's choice of a bureau's region: a few thousand at most)."""
    return db.session.execute(select(Region).order_by(Region.code)).scalars().all()


def all_committees() -> list[Committee]:
    """Every review committee by name (Admin's choice of a committee account's committee)."""
    return db.session.execute(select(Committee).order_by(Committee.name)).scalars().all()


def levels() -> list[TitleLevel]:
    """申报级别 from 正高级 down to 员级 (a handful of rows)."""
    return db.session.execute(select(TitleLevel).order_by(TitleLevel.rank, TitleLevel.id)).scalars().all()


def all_series() -> list[TitleSeries]:
    """Every 职称系列, in catalog order."""
    return db.session.execute(select(TitleSeries).order_by(TitleSeries.id)).scalars().all()


def series_at_level(level_id: int) -> list[TitleSeries]:
    """The series that have a title at this level."""
    return db.session.execute(catalog.series_at_level(level_id)).scalars().all()


def titles_of(level_id: int, series_id: int) -> list[Title]:
    return db.session.execute(catalog.titles_of(level_id, series_id)).scalars().all()


def specialties_of(series_id: int) -> list[Specialty]:
    return db.session.execute(catalog.specialties_of(series_id)).scalars().all()


def methods() -> list[ApplicationMethod]:
    """申报方式 in their configured order."""
    return db.session.execute(select(ApplicationMethod).order_by(ApplicationMethod.position,
                                                                 ApplicationMethod.id)).scalars().all()


def exceptional_cases() -> list[ExceptionalCase]:
    return db.session.execute(select(ExceptionalCase).order_by(ExceptionalCase.id)).scalars().all()


def open_committees(level_id: int, series_id: int, region_id: int, year: int, today: dt.date) -> list[Committee]:
    """The committees of this level and series for a unit of `region_id` whose period of `year` is open today."""
    return db.session.execute(catalog.open_committees(level_id, series_id, region_id, year, today)).scalars().all()


def offices_for(region_id: int, series_id: int) -> list[AcceptingOffice]:
    """报送受理部门 of 职称初定 serving the region for the series."""
    return db.session.execute(accepting_offices(region_id, series_id)).scalars().all()
