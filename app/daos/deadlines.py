"""Queries of the deadline jobs and pages: who is waited for in a period, which steps are overdue.
Grouped queries, one per audience and period, never one per application."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, and_, func, or_, select

from app.extensions import db
from app.models.accounts import BackendBinding, Person
from app.models.applications import Application, ApplicationStep
from app.models.catalog import Committee, CommitteePeriod, Region, Title
from app.models.deadlines import BusinessPeriod, UnitUrge
from app.models.units import Unit
from app.services.catalog import region_and_below
from app.workflow.states import Status

WAITING_AT_UNIT = (Status.PENDING_UNIT.value, Status.PASSED_UNIT.value)


def committee_periods_touching(days: list[dt.date]) -> list[tuple[CommitteePeriod, str]]:
    """Committee periods that open, close, or whose unit or resubmission deadline falls on one of `days`."""
    period = CommitteePeriod
    return list(db.session.execute(
        select(period, Committee.name).join(Committee, Committee.id == period.committee_id)
        .where(or_(period.starts_on.in_(days), period.ends_on.in_(days), period.unit_review_ends_on.in_(days),
                   period.resubmit_ends_on.in_(days)))
        .order_by(period.id)).all())


def business_periods_touching(days: list[dt.date]) -> list[BusinessPeriod]:
    period = BusinessPeriod
    return list(db.session.execute(
        select(period).where(or_(period.starts_on.in_(days), period.ends_on.in_(days),
                                 period.unit_review_ends_on.in_(days), period.resubmit_ends_on.in_(days)))
        .order_by(period.id)).scalars())


def _in_committee_period(period: CommitteePeriod):
    return and_(Application.committee_id == period.committee_id, Application.year == period.year)


def _in_business_period(period: BusinessPeriod):
    """The applications of the period's business and year in its region and below, except the regions
    below that have a period of their own."""
    regions = set(region_and_below(period.region_id))
    own = db.session.execute(select(BusinessPeriod.region_id).where(
        BusinessPeriod.business == period.business, BusinessPeriod.year == period.year,
        BusinessPeriod.region_id.in_(regions), BusinessPeriod.id != period.id)).scalars().all()
    for region_id in own:
        regions -= set(region_and_below(region_id))
    unit_region = select(Unit.region_id).where(Unit.id == Application.unit_id).scalar_subquery()
    return and_(Application.business == period.business, Application.year == period.year,
                Application.committee_id.is_(None),
                func.coalesce(Application.region_id, unit_region).in_(sorted(regions)))


def in_period(period) -> object:
    return _in_committee_period(period) if isinstance(period, CommitteePeriod) else _in_business_period(period)


def applicants_with(condition, statuses: tuple[str, ...]) -> dict[int, int]:
    """{applicant's user id: number of applications} in `statuses` matching `condition`."""
    rows = db.session.execute(
        select(Person.user_id, func.count(Application.id)).join(Person, Person.id == Application.person_id)
        .where(condition, Application.status.in_(statuses)).group_by(Person.user_id)).all()
    return dict(rows)


def units_waiting(condition) -> dict[int, int]:
    """{unit's user id: number of applications waiting in its queue} matching `condition`."""
    rows = db.session.execute(
        select(Unit.user_id, func.count(Application.id)).join(Unit, Unit.id == Application.current_unit_id)
        .where(condition, Application.status.in_(WAITING_AT_UNIT), Unit.user_id.is_not(None))
        .group_by(Unit.user_id)).all()
    return dict(rows)


def committee_offices_waiting(period: CommitteePeriod) -> dict[int, int]:
    """{committee office user id: applications reported to it and not yet reviewed}."""
    count = db.session.execute(select(func.count(Application.id)).where(
        _in_committee_period(period), Application.status == Status.PENDING_COMMITTEE.value)).scalar_one()
    if not count:
        return {}
    users = db.session.execute(select(BackendBinding.user_id).where(
        BackendBinding.committee_id == period.committee_id, BackendBinding.active.is_(True))).scalars()
    return {user_id: count for user_id in users}


def permitted_units_in(region_id: int) -> list[int]:
    """The user ids of the units with 职称申报权限 in a region and below (the opening notice)."""
    return list(db.session.execute(select(Unit.user_id).where(
        Unit.region_id.in_(region_and_below(region_id)), Unit.has_permission.is_(True),
        Unit.user_id.is_not(None))).scalars())


def committee_region(committee_id: int) -> int:
    return db.session.execute(select(Committee.region_id).where(Committee.id == committee_id)).scalar_one()


# --- overdue work ---

def open_steps() -> Select:
    """The steps of applications waiting in the queue of the unit that holds them now."""
    return (select(ApplicationStep)
            .join(Application, and_(Application.id == ApplicationStep.application_id,
                                    Application.current_unit_id == ApplicationStep.unit_id))
            .where(ApplicationStep.outcome == "", Application.status.in_(WAITING_AT_UNIT)))


def _overdue_in(region_id: int):
    return (open_steps().where(ApplicationStep.overdue_at.is_not(None))
            .join(Unit, Unit.id == ApplicationStep.unit_id)
            .where(Unit.region_id.in_(region_and_below(region_id))))


def overdue_in_region(region_id: int, limit: int, after: tuple | None = None):
    """The bureau's overdue list: rows (step id, arrived_at, application id, year, 姓名, 申报职称, unit id,
    unit name) of the units of its region and below, longest waiting first, a page at a time (keyset on
    arrived_at, step id)."""
    query = (_overdue_in(region_id).join(Person, Person.id == Application.person_id)
             .join(Title, Title.id == Application.title_id)
             .with_only_columns(ApplicationStep.id, ApplicationStep.arrived_at, Application.id, Application.year,
                                Person.real_name, Title.name, Unit.id, Unit.name)
             .order_by(ApplicationStep.arrived_at, ApplicationStep.id).limit(limit))
    if after is not None:
        query = query.where(or_(ApplicationStep.arrived_at > after[0],
                                and_(ApplicationStep.arrived_at == after[0], ApplicationStep.id > after[1])))
    return db.session.execute(query).all()


def overdue_units_in_region(region_id: int, limit: int = 200):
    """(unit id, unit name, overdue count, earliest arrival, last 催办) per unit, most overdue first."""
    rows = db.session.execute(
        _overdue_in(region_id).with_only_columns(Unit.id, Unit.name, func.count(ApplicationStep.id),
                                                 func.min(ApplicationStep.arrived_at))
        .group_by(Unit.id, Unit.name).order_by(func.count(ApplicationStep.id).desc(), Unit.id).limit(limit)).all()
    last = dict(db.session.execute(select(UnitUrge.unit_id, func.max(UnitUrge.created_at))
                                   .where(UnitUrge.unit_id.in_([r[0] for r in rows]))
                                   .group_by(UnitUrge.unit_id)).all()) if rows else {}
    return [(*row, last.get(row[0])) for row in rows]


def overdue_count_of_unit(unit_id: int) -> int:
    return db.session.execute(open_steps().where(ApplicationStep.unit_id == unit_id,
                                                 ApplicationStep.overdue_at.is_not(None))
                              .with_only_columns(func.count(ApplicationStep.id))).scalar_one()


def region_name(region_id: int) -> str:
    region = db.session.get(Region, region_id)
    return region.full_name if region else ""
