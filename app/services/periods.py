"""The periods an application lives in (C4 and the businesses without a committee): 申报开始/截止,
单位审核截止 (units review and report until then) and 退回修改截止 (a returned application is submitted
again until then). An application with a committee follows its committee's period of the year;
认定, 调入 and 初定 without one follow the period of their business in the region of the unit (or
of the 初定 region) or the nearest region above with one. No period set: no deadline."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, DateTime, and_, bindparam, case, cast, func, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased

from app.clock import to_local, utcnow
from app.extensions import db
from app.models.applications import Application, ApplicationStep
from app.models.catalog import Committee, CommitteePeriod, Region
from app.models.deadlines import BusinessPeriod
from app.models.units import Unit
from app.services.catalog import region_and_ancestors
from app.workflow.states import BUSINESS_LABELS

SUBMIT, RESUBMIT, REPORT = "submit", "resubmit", "report"


def today() -> dt.date:
    """Deadlines are calendar days in the configured zone."""
    return to_local(utcnow()).date()


@dataclass(frozen=True)
class Window:
    name: str  # 威海市…评审委员会 2026年度 / 全日制职称认定 2026年度 (环翠区)
    starts_on: dt.date
    ends_on: dt.date
    unit_review_ends_on: dt.date | None
    resubmit_ends_on: dt.date | None

    def close_of(self, kind: str) -> dt.date | None:
        """The last day of `kind`: submit, resubmit (退回修改截止, else 单位审核截止) or report."""
        if kind == SUBMIT:
            return self.ends_on
        if kind == RESUBMIT:
            return self.resubmit_ends_on or self.unit_review_ends_on
        return self.unit_review_ends_on

    def label(self) -> str:
        return str(_l("%(name)s (application period %(start)s to %(end)s)", name=self.name,
                      start=self.starts_on.isoformat(), end=self.ends_on.isoformat()))


def committee_window(period: CommitteePeriod, committee_name: str) -> Window:
    return Window(str(_l("%(committee)s, %(year)d", committee=committee_name, year=period.year)),
                  period.starts_on, period.ends_on, period.unit_review_ends_on, period.resubmit_ends_on)


def business_window(period: BusinessPeriod, region_name: str) -> Window:
    return Window(str(_l("%(business)s %(year)d, %(region)s", business=str(BUSINESS_LABELS.get(period.business,
                                                                                            period.business)),
                         year=period.year, region=region_name)),
                  period.starts_on, period.ends_on, period.unit_review_ends_on, period.resubmit_ends_on)


def business_period(business: str, region_id: int | None, year: int) -> BusinessPeriod | None:
    """The period of a business in a region or the nearest region above it that has one."""
    if region_id is None:
        return None
    chain = region_and_ancestors(region_id)
    rows = {p.region_id: p for p in db.session.execute(select(BusinessPeriod).where(
        BusinessPeriod.business == business, BusinessPeriod.year == year,
        BusinessPeriod.region_id.in_(chain))).scalars()}
    return next((rows[r] for r in chain if r in rows), None)


def window_of(application) -> Window | None:
    if application.committee_id is not None:
        row = db.session.execute(select(CommitteePeriod, Committee.name).join(Committee)
                                 .where(CommitteePeriod.committee_id == application.committee_id,
                                        CommitteePeriod.year == application.year)).first()
        return committee_window(*row) if row else None
    if application.business == "review":
        return None
    region_id = application.region_id or db.session.execute(
        select(Unit.region_id).where(Unit.id == application.unit_id)).scalar()
    period = business_period(application.business, region_id, application.year)
    return business_window(period, period.region.full_name) if period else None


def days_left(close: dt.date | None) -> int | None:
    return None if close is None else (close - today()).days


KIND_OF_STATUS = {"draft": SUBMIT, "returned": RESUBMIT, "pending_unit": REPORT, "passed_unit": REPORT}
WAITING_AT_UNIT = ("pending_unit", "passed_unit")  # the states in which a step's overdue mark shows


@dataclass(frozen=True)
class Mark:
    """What a list shows beside an application: the next close and the days left, and whether it is
    overdue at its unit (days waited)."""
    kind: str | None
    close: dt.date | None
    days_left: int | None
    waited_days: int | None = None


@functools.cache
def _marks_statement(parts: tuple[str, ...]):
    """The one statement of marks_for made of `parts` (committee, business, overdue), built once per process:
    each part reads the page's ids bound as `<part>_ids`, and a part no row needs is left out (PostgreSQL
    plans the three-part union in more time than it runs it)."""
    no_date, no_time = cast(null(), Date), cast(null(), DateTime)
    by_committee = (select(Application.id, literal(0).label("depth"), CommitteePeriod.starts_on,
                           CommitteePeriod.ends_on, CommitteePeriod.unit_review_ends_on,
                           CommitteePeriod.resubmit_ends_on, no_time.label("arrived_at"))
                    .join(CommitteePeriod, and_(CommitteePeriod.committee_id == Application.committee_id,
                                                CommitteePeriod.year == Application.year))
                    .where(Application.id.in_(bindparam("committee_ids", expanding=True))))
    r1, r2, r3 = aliased(Region), aliased(Region), aliased(Region)
    by_business = (select(Application.id, case((BusinessPeriod.region_id == r1.id, 1),
                                               (BusinessPeriod.region_id == r2.id, 2), else_=3).label("depth"),
                          BusinessPeriod.starts_on, BusinessPeriod.ends_on, BusinessPeriod.unit_review_ends_on,
                          BusinessPeriod.resubmit_ends_on, no_time.label("arrived_at"))
                   .join(Unit, Unit.id == Application.unit_id)
                   .join(r1, r1.id == func.coalesce(Application.region_id, Unit.region_id))
                   .outerjoin(r2, r2.id == r1.parent_id).outerjoin(r3, r3.id == r2.parent_id)
                   .join(BusinessPeriod, and_(BusinessPeriod.business == Application.business,
                                              BusinessPeriod.year == Application.year,
                                              or_(BusinessPeriod.region_id == r1.id, BusinessPeriod.region_id == r2.id,
                                                  BusinessPeriod.region_id == r3.id)))
                   .where(Application.id.in_(bindparam("business_ids", expanding=True)),
                          Application.committee_id.is_(None),
                          Application.business != "review"))
    overdue = (select(ApplicationStep.application_id, literal(9).label("depth"), no_date, no_date, no_date, no_date,
                      ApplicationStep.arrived_at)
               .join(Application, and_(Application.id == ApplicationStep.application_id,
                                       Application.current_unit_id == ApplicationStep.unit_id))
               .where(ApplicationStep.application_id.in_(bindparam("overdue_ids", expanding=True)),
                      ApplicationStep.outcome == "",
                      ApplicationStep.overdue_at.is_not(None),
                      Application.status.in_(WAITING_AT_UNIT)))
    chosen = [part for name, part in (("committee", by_committee), ("business", by_business), ("overdue", overdue))
              if name in parts]
    return chosen[0] if len(chosen) == 1 else union_all(*chosen)


def marks_for(applications) -> dict[int, Mark]:
    """{application id: Mark} for the rows of a page, from one query whatever the rows: the committee
    period of each row, the business periods of its region and the regions above (nearest first), and
    the overdue mark of the step where it waits."""
    ids: dict[str, list[int]] = {"committee": [], "business": [], "overdue": []}
    for a in applications:
        if a is None:
            continue
        if a.status in KIND_OF_STATUS:  # a row without a deadline kind shows no close
            if a.committee_id is not None:
                ids["committee"].append(a.id)
            elif a.business != "review":
                ids["business"].append(a.id)
        if a.status in WAITING_AT_UNIT:
            ids["overdue"].append(a.id)
    parts = tuple(name for name, chosen in ids.items() if chosen)
    if not parts:
        return {}
    found: dict[int, tuple] = {}
    arrived_at: dict[int, dt.datetime] = {}
    for app_id, depth, starts, ends, unit_review, resubmit, arrived in db.session.execute(
            _marks_statement(parts), {f"{name}_ids": ids[name] for name in parts}).all():
        if depth == 9:
            arrived_at[app_id] = arrived
        elif app_id not in found or depth < found[app_id][0]:
            found[app_id] = (depth, Window("", starts, ends, unit_review, resubmit))
    day = today()
    marks = {}
    for a in applications:
        if a is None:
            continue
        kind = KIND_OF_STATUS.get(a.status)
        close = found[a.id][1].close_of(kind) if kind and a.id in found else None
        arrived = arrived_at.get(a.id)
        waited = (day - to_local(arrived).date()).days if arrived is not None else None
        if close is not None or waited is not None:
            marks[a.id] = Mark(kind, close, (close - day).days if close else None, waited)
    return marks
