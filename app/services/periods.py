"""The periods an application lives in (C4 and the businesses without a committee): 申报开始/截止,
单位审核截止 (units review and report until then) and 退回修改截止 (a returned application is submitted
again until then). An application with a committee follows its committee's period of the year;
认定, 调入 and 初定 without one follow the period of their business in the region of the unit (or
of the 初定 region) or the nearest region above with one. No period set: no deadline."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import to_local, utcnow
from app.extensions import db
from app.models.catalog import Committee, CommitteePeriod
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


@dataclass(frozen=True)
class Mark:
    """What a list shows beside an application: the next close and the days left, and whether it is
    overdue at its unit (days waited)."""
    kind: str | None
    close: dt.date | None
    days_left: int | None
    waited_days: int | None = None


def marks_for(applications, overdue: dict[int, dt.datetime] | None = None) -> dict[int, Mark]:
    """{application id: Mark} for the rows of a page: one query for the committee periods of the rows,
    one for the business periods, whatever the number of rows."""
    rows = [a for a in applications if a is not None]
    with_close = [a for a in rows if a.status in KIND_OF_STATUS]
    pairs = {(a.committee_id, a.year) for a in with_close if a.committee_id is not None}
    committee_periods = {}
    if pairs:
        committee_ids = {c for c, _y in pairs}
        for period in db.session.execute(select(CommitteePeriod).where(
                CommitteePeriod.committee_id.in_(committee_ids),
                CommitteePeriod.year.in_({y for _c, y in pairs}))).scalars():
            committee_periods[(period.committee_id, period.year)] = period
    others = [a for a in with_close if a.committee_id is None and a.business != "review"]
    other_ids = {a.id for a in others}
    business_periods: dict[tuple[str, int], list[BusinessPeriod]] = {}
    unit_regions: dict[int, int] = {}
    if others:
        for period in db.session.execute(select(BusinessPeriod).where(
                BusinessPeriod.business.in_({a.business for a in others}),
                BusinessPeriod.year.in_({a.year for a in others}))).scalars():
            business_periods.setdefault((period.business, period.year), []).append(period)
        unit_regions = dict(db.session.execute(select(Unit.id, Unit.region_id).where(
            Unit.id.in_({a.unit_id for a in others}))).all())
    ancestors: dict[int, list[int]] = {}
    day = today()
    marks = {}
    for a in rows:
        kind = KIND_OF_STATUS.get(a.status)
        period = committee_periods.get((a.committee_id, a.year)) if a.committee_id is not None else None
        if a.id in other_ids and (a.business, a.year) in business_periods:
            region_id = a.region_id or unit_regions.get(a.unit_id)
            if region_id is not None and region_id not in ancestors:
                ancestors[region_id] = region_and_ancestors(region_id)
            by_region = {p.region_id: p for p in business_periods[(a.business, a.year)]}
            period = next((by_region[r] for r in ancestors.get(region_id, []) if r in by_region), None)
        close = None
        if period is not None and kind is not None:
            window = Window("", period.starts_on, period.ends_on, period.unit_review_ends_on, period.resubmit_ends_on)
            close = window.close_of(kind)
        arrived = (overdue or {}).get(a.id)
        waited = (day - to_local(arrived).date()).days if arrived is not None else None
        if close is not None or waited is not None:
            marks[a.id] = Mark(kind, close, (close - day).days if close else None, waited)
    return marks
