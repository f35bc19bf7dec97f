"""Catalog queries shared by the pickers and the commands that validate a choice (C1, C4, U2)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select

from app.extensions import db
from app.models.catalog import Committee, CommitteePeriod, Region, Specialty, Title, TitleSeries


def region_and_ancestors(region_id: int) -> list[int]:
    ids, region = [], db.session.get(Region, region_id)
    while region is not None and len(ids) < 5:
        ids.append(region.id)
        region = region.parent
    return ids


def region_and_below(region_id: int) -> list[int]:
    """A region and every region under it (three levels at most)."""
    ids, frontier = [region_id], [region_id]
    while frontier and len(ids) < 10000:
        frontier = list(db.session.execute(select(Region.id).where(Region.parent_id.in_(frontier))).scalars())
        ids.extend(frontier)
    return ids


def series_at_level(level_id: int) -> Select:
    return (select(TitleSeries).where(TitleSeries.id.in_(select(Title.series_id).where(Title.level_id == level_id)))
            .order_by(TitleSeries.id))


def titles_of(level_id: int, series_id: int) -> Select:
    return select(Title).where(Title.level_id == level_id, Title.series_id == series_id).order_by(Title.id)


def specialties_of(series_id: int) -> Select:
    return select(Specialty).where(Specialty.series_id == series_id).order_by(Specialty.id)


def open_committees(level_id: int, series_id: int, region_id: int, year: int, today: dt.date) -> Select:
    """Committees of this level and series in the unit's region or a region above it, whose
    application period for `year` is open today (P3)."""
    return (
        select(Committee)
        .join(CommitteePeriod, CommitteePeriod.committee_id == Committee.id)
        .where(Committee.level_id == level_id, Committee.series_id == series_id,
               Committee.region_id.in_(region_and_ancestors(region_id)),
               CommitteePeriod.year == year, CommitteePeriod.starts_on <= today, CommitteePeriod.ends_on >= today)
        .order_by(Committee.name)
    )
