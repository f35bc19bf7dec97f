"""The unit's lists: the 数据审核 queue and the 数据上报 tabs (their rows, a page at a time), and what they show
beside each row, read from the steps of the way up (`ApplicationStep`): a bounded number of queries per
page whatever the list's length."""
from __future__ import annotations

import datetime as dt
import functools
import time
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import Join, Select, bindparam, event, func, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.clock import to_local, utcnow
from app.daos import paging
from app.daos.applications import reported_by
from app.daos.unit_picker import like_pattern
from app.extensions import db
from app.models.accounts import Person
from app.models.applications import Application, ApplicationStep
from app.models.catalog import Title, TitleLevel
from app.models.units import Unit
from app.services.steps import REPORTED, RETURNED
from app.workflow.states import Status


def local_year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """1 January to 1 January of `year` in the configured zone, as naive UTC (how times are stored)."""
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "Asia/Shanghai"))

    def utc(y: int) -> dt.datetime:
        return dt.datetime(y, 1, 1, tzinfo=zone).astimezone(dt.timezone.utc).replace(tzinfo=None)

    return utc(year), utc(year + 1)


def this_year() -> int:
    return to_local(utcnow()).year


# The statements of the figures beside a page, built once and bound per request (building one costs more than
# running it on the page's few ids; SQLAlchemy caches the compiled form, not the construction)
@functools.cache
def _returned_statement(by_business: bool):
    query = (select(func.count(func.distinct(Application.person_id)))
             .select_from(ApplicationStep).join(Application, Application.id == ApplicationStep.application_id)
             .where(ApplicationStep.unit_id == bindparam("unit_id"), ApplicationStep.outcome == RETURNED,
                    ApplicationStep.left_at >= bindparam("start"), ApplicationStep.left_at < bindparam("end")))
    return query.where(Application.business == bindparam("business")) if by_business else query


@functools.cache
def _senders_statement():
    newest = (select(func.max(ApplicationStep.id).label("id"))
              .where(ApplicationStep.application_id.in_(bindparam("ids", expanding=True)),
                     ApplicationStep.outcome == REPORTED)
              .group_by(ApplicationStep.application_id).subquery())
    return (select(ApplicationStep.application_id, Unit.name).join(newest, newest.c.id == ApplicationStep.id)
            .join(Unit, Unit.id == ApplicationStep.unit_id))


def senders(application_ids: list[int]) -> dict[int, str]:
    """{application id: name of the lower unit that reported it} for the rows of a page; an application
    the applicant submitted to this unit (the first unit) has none. The reported steps of an application
    all lie below its holder, so the newest of them is the unit right below."""
    if not application_ids:
        return {}
    rows = db.session.execute(_senders_statement(), {"ids": list(application_ids)}).all()
    return {application_id: name for application_id, name in rows}


@functools.cache
def _figures_statement(by_business: bool):
    returned = _returned_statement(by_business).subquery("returned")
    sent = _senders_statement().subquery("sent")
    return (select(returned.c[0], sent.c.application_id, sent.c.name)
            .select_from(returned.outerjoin(sent, true())))


def queue_figures(unit_id: int, business: str | None, application_ids: list[int]) -> tuple[int, dict[int, str]]:
    """本年度退回人数 of the unit and the 上报单位 of the page's rows (senders), read in one statement: the count's
    one row joined to the senders' rows. 本年度退回人数 is the applicants whose application this unit returned
    (to them, or to the lower unit) this calendar year, whatever happened since: a returned step keeps its
    unit and its time for good, while the application's status moves on when it is submitted again."""
    start, end = local_year_bounds(this_year())
    params = {"unit_id": unit_id, "start": start, "end": end, "ids": list(application_ids)}
    if business:
        params["business"] = business
    rows = db.session.execute(_figures_statement(bool(business)), params).all()
    return rows[0][0], {application_id: name for _, application_id, name in rows if application_id is not None}


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


class LevelChoice(NamedTuple):
    id: int
    name: str


_LEVELS = "zc_title_levels"  # app.extensions key: (read at, the levels)


def levels() -> list[LevelChoice]:
    """The 申报级别 filter of the unit lists and the level names of their rows (a handful of catalog rows,
    the same for every request): kept per app for CHOICE_CACHE_SECONDS, and dropped at once when this
    process writes a level (another worker's copy lives out its seconds)."""
    app = current_app._get_current_object()
    seconds = float(app.config.get("CHOICE_CACHE_SECONDS", 60))
    cached = app.extensions.get(_LEVELS)
    now = time.monotonic()
    if cached is None or now - cached[0] >= seconds:
        rows = db.session.execute(select(TitleLevel.id, TitleLevel.name).order_by(TitleLevel.id)).all()
        cached = (now, [LevelChoice(*row) for row in rows])
        if seconds > 0:
            app.extensions[_LEVELS] = cached
    return cached[1]


@event.listens_for(TitleLevel, "after_insert")
@event.listens_for(TitleLevel, "after_update")
@event.listens_for(TitleLevel, "after_delete")
def _level_written(mapper, connection, target):
    if has_app_context():
        current_app.extensions.pop(_LEVELS, None)


def _narrowed(query, *, year: int | None, level_id: int | None, title_name: str | None):
    if year:
        query = query.where(Application.year == year)
    if level_id:
        query = query.where(Application.level_id == level_id)
    return where_title(query, title_name, level_id)


# 数据审核: sort key → (the column it orders by, ascending?); the id breaks ties (app/daos/paging.py)
REVIEW_SORTS = {"submitted": lambda: (Application.submitted_at, False), "name": lambda: (Person.real_name, True)}
# the level's name comes from levels() (the filter's own list), so the page joins no title_level
REVIEW_OPTIONS = (joinedload(Application.person), joinedload(Application.title))
NAME_SORT_OPTIONS = (contains_eager(Application.person), joinedload(Application.title))  # person is joined to sort


class _PersonFirst(Join):
    """`person CROSS JOIN application INDEXED BY ix_application_person_year ON …` (SQLite only): SQLite keeps
    a CROSS JOIN's order, so it walks `ix_person_real_name` in name order and looks up each applicant's
    applications by person_id, instead of sorting the whole queue (or, left to itself, scanning the unit's
    queue once per applicant)."""

    inherit_cache = True


@compiles(_PersonFirst)
def _person_first(element, compiler, **kw):
    kw.pop("asfrom", None)
    return (element.left._compiler_dispatch(compiler, asfrom=True, **kw) + " CROSS JOIN "
            + element.right._compiler_dispatch(compiler, asfrom=True, **kw)
            + " INDEXED BY ix_application_person_year ON " + element.onclause._compiler_dispatch(compiler, **kw))


def review_queue(unit_id: int, status: str, *, business: str = "", year: int | None = None,
                 level_id: int | None = None, title_name: str | None = None) -> Select:
    """数据审核: the applications in `unit_id`'s queue now, in one status tab, with the filters (no join: the
    count and the default order stay on the `current_unit_id, status` indexes)."""
    query = select(Application).where(Application.current_unit_id == unit_id, Application.status == status)
    if business:
        query = query.where(Application.business == business)
    return _narrowed(query, year=year, level_id=level_id, title_name=title_name)


def by_name(query: Select, count: int) -> Select:
    """`query` joined to the applicant for the 姓名 order. PostgreSQL chooses the join order itself; SQLite
    would sort the whole queue for every page, so a long queue is read from the applicants in name order
    (a page costs the applicants walked, not the queue's length), a short one is sorted (cheaper than
    walking every applicant's name when few are queued)."""
    on = Person.id == Application.person_id
    long_queue = count > int(current_app.config.get("NAME_SORT_FROM_PERSON_ABOVE", 2_000))
    if long_queue and db.session.get_bind().dialect.name == "sqlite":
        return query.select_from(_PersonFirst(Person.__table__, Application.__table__, on))
    return query.join(Person, on)


def review_page(unit_id: int, status: str, *, sort: str, source, **filters) -> paging.Page:
    """One page of the 数据审核 queue, placed by the request's paging args."""
    key, ascending = REVIEW_SORTS[sort]()
    query = review_queue(unit_id, status, **filters)
    if sort != "name":
        return paging.paginate(query, key=key, id_col=Application.id, ascending=ascending, source=source,
                               options=REVIEW_OPTIONS)
    return paging.paginate(query, key=key, id_col=Application.id, ascending=ascending, source=source,
                           options=NAME_SORT_OPTIONS, rows=lambda count: by_name(query, count))


# 数据上报: sort key → the column it orders by (report_tab joins what it needs)
REPORT_SORTS = {"submitted": lambda: Application.submitted_at, "level": lambda: Application.level_id,
                "title": lambda: Title.name, "name": lambda: Person.real_name, "unit": lambda: Unit.name}
# what a row of the tab shows, loaded by id for the page's rows (selectinload): the page's own query stays on
# `application` alone, so PostgreSQL plans it in a fraction of a millisecond and walks the tab's index in
# order, whatever it guesses about the correlated current_unit_id/status/entrusted (eight joined tables
# took 33 ms to plan, and a misestimate made it join and sort the whole tab)
REPORT_OPTIONS = (selectinload(Application.person), selectinload(Application.title),
                  selectinload(Application.level), selectinload(Application.unit))
REPORTED_OPTIONS = REPORT_OPTIONS + (selectinload(Application.current_unit),  # 已上报: where it is now
                                     selectinload(Application.committee))


def report_tab(unit_id: int, tab: str, *, sort: str, year: int | None = None, level_id: int | None = None,
               title_name: str | None = None, unit_name: str = "") -> Select:
    """数据上报: 委托评审人员未上报 / 非委托评审人员未上报 (the unit's passed_unit applications by 是否委托评审)
    or 已上报 (reported onward and not come back), with the filters; bounded by the unit's own rows (the
    `current_unit_id, status` index or the steps), the name filter only narrows them."""
    if tab == "reported":
        query = reported_by(unit_id)
    else:
        query = select(Application).where(Application.current_unit_id == unit_id,
                                          Application.status == Status.PASSED_UNIT.value,
                                          Application.entrusted.is_(tab == "entrusted"))
    if sort == "name":  # joins only for the sort or filter that needs them: the count stays on the index
        query = query.join(Person, Person.id == Application.person_id)
    if sort == "title":
        query = query.join(Title, Title.id == Application.title_id)
    if sort == "unit" or unit_name:
        query = query.join(Unit, Unit.id == Application.unit_id)
    query = _narrowed(query, year=year, level_id=level_id, title_name=title_name)
    if unit_name:
        query = query.where(Unit.name.like(like_pattern(unit_name), escape="\\"))
    return query


def report_page(unit_id: int, tab: str, *, sort: str, ascending: bool, source, **filters) -> paging.Page:
    """One page of a 数据上报 tab, placed by the request's paging args."""
    return paging.paginate(report_tab(unit_id, tab, sort=sort, **filters), key=REPORT_SORTS[sort](),
                           id_col=Application.id, ascending=ascending, source=source,
                           options=REPORTED_OPTIONS if tab == "reported" else REPORT_OPTIONS)
