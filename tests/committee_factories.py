"""Factories for the committee's tests: applications reported to a committee, experts, meetings.
Call inside an app context; each commits."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.models.applications import ApplicationStep
from app.models.catalog import Committee
from app.models.committee import Expert
from app.models.units import Unit
from tests.factories import id_number, make_application, make_person

DEMO_COMMITTEE = "威海市环翠区群众文化专业职务资格初级评审委员会"


def demo_committee() -> Committee:
    return db.session.execute(select(Committee).filter_by(name=DEMO_COMMITTEE)).scalar_one()


def unit_named(name: str) -> Unit:
    return db.session.execute(select(Unit).filter_by(name=name)).scalar_one()


def reported_application(seq: int, unit: Unit, committee: Committee | None = None, chain: tuple[Unit, ...] = (),
                         real_name: str | None = None):
    """An application of a new applicant, submitted at `unit`, reported through `chain` (units above it)
    and on to `committee` (default: the demo committee): 待评审, with the steps of that way up."""
    committee = committee or demo_committee()
    person = make_person(username=f"applicant{seq}", id_number=id_number(seq), real_name=real_name or f"申报人{seq}")
    now = utcnow()
    application = make_application(person, unit=unit, status="pending_committee", committee_id=committee.id,
                                   series_id=committee.series_id, level_id=committee.level_id, submitted_at=now)
    for holder in (unit, *chain):
        db.session.add(ApplicationStep(application_id=application.id, unit_id=holder.id, arrived_at=now,
                                       left_at=now, outcome="reported"))
    db.session.commit()
    return application


def add_expert(committee: Committee, seq: int, name: str, unit_name: str, *, user=None, unit: Unit | None = None,
               term_end: dt.date | None = None, id_no: str | None = None, status: str = "in_pool") -> Expert:
    """An expert of `committee`'s pool with a login of their own (or `user`)."""
    from app.commands.accounts.create import new_user
    from tests.conftest import PASSWORD

    if user is None:
        user = new_user(username=f"expert{seq}", real_name=name, email=f"expert{seq}@example.cn",
                        role_name="Expert", password=PASSWORD)
    today = utcnow().date()
    now = utcnow()
    expert = Expert(committee_id=committee.id, user_id=user.id, name=name, id_number=id_no or id_number(500 + seq),
                    mobile="13900000000", email=user.email, work_unit_name=unit_name,
                    work_unit_id=unit.id if unit else None, series_id=committee.series_id, specialty_id=None,
                    level_id=committee.level_id, term_start=today - dt.timedelta(days=30),
                    term_end=term_end or today + dt.timedelta(days=365), status=status, created_at=now,
                    updated_at=now, version=1)
    db.session.add(expert)
    db.session.commit()
    return expert
