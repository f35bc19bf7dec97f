"""What the unit queues (数据审核, 数据上报) show beside each row, read from the steps of the way up
(`ApplicationStep`), a bounded number of queries per page whatever the queue's length."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from app.clock import to_local, utcnow
from app.extensions import db
from app.models.applications import Application, ApplicationStep
from app.models.catalog import Title
from app.models.units import Unit
from app.services.steps import REPORTED, RETURNED


def local_year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """1 January to 1 January of `year` in the configured zone, as naive UTC (how times are stored)."""
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "Asia/Shanghai"))

    def utc(y: int) -> dt.datetime:
        return dt.datetime(y, 1, 1, tzinfo=zone).astimezone(dt.timezone.utc).replace(tzinfo=None)

    return utc(year), utc(year + 1)


def this_year() -> int:
    return to_local(utcnow()).year


def returned_this_year(unit_id: int, business: str | None = None) -> int:
    """本年度退回人数: the applicants whose application this unit returned (to them, or to the lower unit)
    this calendar year, whatever happened since: a returned step keeps its unit and its time for good,
    while the application's status moves on when it is submitted again."""
    start, end = local_year_bounds(this_year())
    query = (select(func.count(func.distinct(Application.person_id)))
             .select_from(ApplicationStep).join(Application, Application.id == ApplicationStep.application_id)
             .where(ApplicationStep.unit_id == unit_id, ApplicationStep.outcome == RETURNED,
                    ApplicationStep.left_at >= start, ApplicationStep.left_at < end))
    if business:
        query = query.where(Application.business == business)
    return db.session.execute(query).scalar_one()


def senders(application_ids: list[int]) -> dict[int, str]:
    """{application id: name of the lower unit that reported it} for the rows of a page; an application
    the applicant submitted to this unit (the first unit) has none. The reported steps of an application
    all lie below its holder, so the newest of them is the unit right below."""
    if not application_ids:
        return {}
    newest = (select(func.max(ApplicationStep.id).label("id"))
              .where(ApplicationStep.application_id.in_(application_ids), ApplicationStep.outcome == REPORTED)
              .group_by(ApplicationStep.application_id).subquery())
    rows = db.session.execute(select(ApplicationStep.application_id, Unit.name)
                              .join(newest, newest.c.id == ApplicationStep.id)
                              .join(Unit, Unit.id == ApplicationStep.unit_id)).all()
    return {application_id: name for application_id, name in rows}


YEARS_SHOWN = 5


def year_choices() -> list[int]:
    """The 年度 filter: this year and the four before it, newest first; never a year still to come."""
    year = this_year()
    return list(range(year, year - YEARS_SHOWN, -1))


def title_names(level_id: int | None) -> list[str]:
    """The 申报职称 filter of one level: each name once (助理馆员 is a title of several series)."""
    if not level_id:
        return []
    return list(db.session.execute(select(Title.name).where(Title.level_id == level_id).distinct()
                                   .order_by(Title.name).limit(500)).scalars())


def where_title(query, name: str | None, level_id: int | None):
    """Narrow `query` to the applications for a title called `name` (in any series, of the chosen level)."""
    if not name:
        return query
    titles = select(Title.id).where(Title.name == name).correlate(None)  # the list may join Title to sort
    if level_id:
        titles = titles.where(Title.level_id == level_id)
    return query.where(Application.title_id.in_(titles))


def title_arg(source) -> str | None:
    value = str(source.get("title", "") or "").strip()[:32]
    return value or None
