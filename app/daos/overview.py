"""The bureau's overview (统计): grouped counts of the submitted applications of the units of its region
and below for a year, and the progress of each open period. Each table is one GROUP BY query; the grouped
counts are kept a minute (counts_as_of), since a province's year is a pass over 200,000 index entries."""
from __future__ import annotations

import datetime as dt
import time

from flask import current_app
from sqlalchemy import and_, func, select

from app.clock import utcnow

from app.extensions import db
from app.models.accounts import Person
from app.models.applications import Application
from app.models.catalog import Committee, CommitteePeriod, Title, TitleLevel, TitleSeries
from app.models.deadlines import BusinessPeriod
from app.models.units import Unit
from app.services.catalog import region_and_below
from app.workflow.states import NEVER_SUBMITTED, Status

S = Status
REVIEWED = tuple(s.value for s in (S.PASSED_UNIT, S.PENDING_COMMITTEE, S.REVIEW_PASSED, S.REVIEW_FAILED,
                                   S.CERTIFIED, S.FINAL_PASSED))
REPORTED = tuple(s.value for s in (S.PENDING_COMMITTEE, S.REVIEW_PASSED, S.REVIEW_FAILED, S.CERTIFIED))
PASSED = tuple(s.value for s in (S.REVIEW_PASSED, S.CERTIFIED, S.FINAL_PASSED))
UNIT_ROWS = 50  # the by-unit table shows the units with most applications


def scope(region_id: int, year: int):
    """The submitted applications of the year of the units in the region and below (what the bureau sees)."""
    units = select(Unit.id).where(Unit.region_id.in_(region_and_below(region_id)))
    return and_(Application.unit_id.in_(units), Application.year == year, Application.status.notin_(NEVER_SUBMITTED))


def counts(region_id: int, year: int) -> dict[str, list[tuple]]:
    """{table: [(key or name, count)]} by status, business, series, level and unit, most first, from one
    GROUP BY over all five (one pass over the covering index ix_application_overview), summed here."""
    columns = (Application.status, Application.business, Application.series_id, Application.level_id,
               Application.unit_id)
    rows = db.session.execute(select(*columns, func.count(Application.id)).where(scope(region_id, year))
                              .group_by(*columns)).all()
    totals: dict[str, dict] = {key: {} for key in ("status", "business", "series", "level", "unit")}
    for status, business, series_id, level_id, unit_id, n in rows:
        for key, value in (("status", status), ("business", business), ("series", series_id),
                           ("level", level_id), ("unit", unit_id)):
            totals[key][value] = totals[key].get(value, 0) + n

    def ranked(table: dict, names: dict | None = None, limit: int | None = None) -> list[tuple]:
        items = sorted(table.items(), key=lambda kv: (-kv[1], str(kv[0])))[:limit]
        return [(names.get(k, k) if names is not None else k, n) for k, n in items]

    if not rows:
        return {key: [] for key in totals}
    top_units = [k for k, _n in ranked(totals["unit"], limit=UNIT_ROWS)]
    series = dict(db.session.execute(select(TitleSeries.id, TitleSeries.name)
                                     .where(TitleSeries.id.in_(list(totals["series"])))).all())
    levels = dict(db.session.execute(select(TitleLevel.id, TitleLevel.name)
                                     .where(TitleLevel.id.in_(list(totals["level"])))).all())
    units = dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(top_units))).all())
    return {"status": ranked(totals["status"]), "business": ranked(totals["business"]),
            "series": ranked(totals["series"], series), "level": ranked(totals["level"], levels),
            "unit": ranked(totals["unit"], units, UNIT_ROWS)}


_KEPT = "zc_overview_counts"  # app.extensions key: {(region id, year): (monotonic read at, read at, counts)}
KEPT_MAX = 64  # (region, year) pairs kept per process; the oldest goes first


def counts_as_of(region_id: int, year: int) -> tuple[dict[str, list[tuple]], dt.datetime]:
    """counts() of the region and year and when they were read (UTC): kept per app for OVERVIEW_CACHE_SECONDS
    (0: read on every request), so a bureau's staff opening the page at a deadline share one pass over the
    region's applications. Another worker keeps its own; the page says when its figures were counted."""
    app = current_app._get_current_object()
    seconds = float(app.config.get("OVERVIEW_CACHE_SECONDS", 60))
    kept = app.extensions.setdefault(_KEPT, {})
    now, key = time.monotonic(), (region_id, year)
    hit = kept.get(key)
    if hit is not None and now - hit[0] < seconds:
        return hit[2], hit[1]
    result, read_at = counts(region_id, year), utcnow()
    if seconds > 0:
        kept.pop(key, None)
        while len(kept) >= KEPT_MAX:
            kept.pop(next(iter(kept)))
        kept[key] = (now, read_at, result)
    return result, read_at


def _progress(status_counts: dict[str, int]) -> dict[str, int]:
    total = sum(status_counts.values())
    return {"submitted": total, "reviewed": sum(status_counts.get(s, 0) for s in REVIEWED),
            "reported": sum(status_counts.get(s, 0) for s in REPORTED),
            "at_committee": status_counts.get(S.PENDING_COMMITTEE.value, 0),
            "passed": sum(status_counts.get(s, 0) for s in PASSED)}


def _open(period, day: dt.date) -> bool:
    last = max(d for d in (period.ends_on, period.unit_review_ends_on, period.resubmit_ends_on) if d)
    return period.starts_on <= day <= last


def open_periods_progress(region_id: int, day: dt.date) -> list[tuple[str, object, dict[str, int]]]:
    """(name, period, {submitted, reviewed, reported, at_committee, passed}) of each period open on `day` of
    the committees of the region and below, and of the business periods there."""
    regions = region_and_below(region_id)
    committee_periods = [(p, name) for p, name in db.session.execute(
        select(CommitteePeriod, Committee.name).join(Committee, Committee.id == CommitteePeriod.committee_id)
        .where(Committee.region_id.in_(regions), CommitteePeriod.starts_on <= day)
        .order_by(CommitteePeriod.ends_on, CommitteePeriod.id).limit(200)).all() if _open(p, day)]
    result = []
    if committee_periods:
        by_committee: dict[tuple[int, int], dict[str, int]] = {}
        for committee_id, year, status, n in db.session.execute(
                select(Application.committee_id, Application.year, Application.status, func.count(Application.id))
                .where(Application.committee_id.in_({p.committee_id for p, _n in committee_periods}),
                       Application.year.in_({p.year for p, _n in committee_periods}),
                       Application.status.notin_(NEVER_SUBMITTED))
                .group_by(Application.committee_id, Application.year, Application.status)).all():
            by_committee.setdefault((committee_id, year), {})[status] = n
        for period, name in committee_periods:
            result.append((f"{name} {period.year}", period,
                           _progress(by_committee.get((period.committee_id, period.year), {}))))
    from app.daos.deadlines import in_period
    from app.workflow.states import BUSINESS_LABELS

    for period in db.session.execute(select(BusinessPeriod).where(
            BusinessPeriod.region_id.in_(regions), BusinessPeriod.starts_on <= day).limit(100)).scalars():
        if not _open(period, day):
            continue
        status_counts = dict(db.session.execute(
            select(Application.status, func.count(Application.id))
            .where(in_period(period), Application.status.notin_(NEVER_SUBMITTED))
            .group_by(Application.status)).all())
        name = f"{BUSINESS_LABELS.get(period.business, period.business)} {period.year} {period.region.full_name}"
        result.append((name, period, _progress(status_counts)))
    return result


def application_rows(condition, limit: int):
    """The list behind the overview (the Excel 一览表): one joined query, no query per row."""
    return db.session.execute(
        select(Application.id, Person.real_name, Person.id_number, Unit.name, Application.work_unit_name,
               Title.name, TitleLevel.name, Application.business, Application.status, Application.submitted_at)
        .join(Person, Person.id == Application.person_id).join(Unit, Unit.id == Application.unit_id)
        .join(Title, Title.id == Application.title_id).join(TitleLevel, TitleLevel.id == Application.level_id)
        .where(condition).order_by(Application.submitted_at, Application.id).limit(limit)).all()


def reported_by_unit(unit_id: int, year: int, limit: int):
    """Seed 003's 一览表 of a unit: the applicants it reported (its steps marked reported) in a year."""
    from app.models.applications import ApplicationStep
    from app.services.steps import REPORTED as STEP_REPORTED

    reported = select(ApplicationStep.application_id).where(ApplicationStep.unit_id == unit_id,
                                                            ApplicationStep.outcome == STEP_REPORTED)
    return db.session.execute(
        select(Person.real_name, Unit.name, Application.work_unit_name, Application.is_work_unit, Title.name,
               Application.recommendation_rank, Application.entrusted)
        .join(Person, Person.id == Application.person_id).join(Unit, Unit.id == Application.unit_id)
        .join(Title, Title.id == Application.title_id)
        .where(Application.id.in_(reported), Application.year == year)
        .order_by(Application.recommendation_rank, Application.id).limit(limit)).all()


