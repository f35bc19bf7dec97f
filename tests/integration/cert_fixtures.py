"""Shared set-up of the certificate tests: a unit with final-review authority for recognition holding
终审通过 applications, and the bureau of its city."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.models.catalog import TitleLevel
from app.models.units import FinalAuthorityApplication, Unit
from tests.factories import id_number, make_application, make_backend, make_person, make_unit_account, permitted_unit


def authorised_unit(username="issuer1", name="威海市职称认定中心", region_code="371002"):
    """A unit account with approved recognition final-review authority at 初级; returns (user, unit)."""
    from app import catalog_data

    if db.session.execute(select(TitleLevel.id)).first() is None:
        catalog_data.load_all()
    user = make_unit_account(username, name, region_code)
    unit = permitted_unit(user)
    level = db.session.execute(select(TitleLevel).filter_by(name="初级")).scalar_one()
    db.session.add(FinalAuthorityApplication(unit_id=unit.id, business="recognition", level_id=level.id,
                                             organisation=name, region_id=unit.region_id, status="approved",
                                             created_at=utcnow()))
    db.session.commit()
    return user, unit


def final_passed(unit: Unit, n: int = 1, start: int = 0, business: str = "recognition",
                 status: str = "final_passed") -> list[int]:
    """`n` recognition applications at `unit`, 终审通过; their ids."""
    ids = []
    for k in range(start, start + n):
        person = make_person(username=f"holder{k}", id_number=id_number(k), real_name=f"持证人{k}")
        application = make_application(person, unit=unit, business=business, status=status,
                                       current_unit_id=unit.id, submitted_at=dt.datetime(2026, 11, 2, 1))
        ids.append(application.id)
    return ids


def bureau(username="bureau_wh", region_code="371000"):
    return make_backend(username, "Bureau", region_code)
