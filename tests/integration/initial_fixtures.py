"""Shared set-up of the 职称初定 office tests: a draft 职称初定 application to 威海市文化和旅游局 (an office
of 威海市), the bureau of 威海市 acting for it, and the bureau of 环翠区 (a region below, with an office of
its own) that does not."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.extensions import db
from app.models.catalog import Region
from app.models.offices import AcceptingOffice
from tests.factories import id_number, make_application, make_backend, make_person, require_only

CITY_OFFICE = "威海市文化和旅游局"
DISTRICT_OFFICE = "威海市环翠区人力资源和社会保障局"


def office_id(name: str) -> int:
    return db.session.execute(select(AcceptingOffice.id).filter_by(name=name)).scalar_one()


def initial_draft(k: int = 0, office: str = CITY_OFFICE, status: str = "draft") -> int:
    """A 职称初定 application of 初定人k to `office`, in `status`; its id."""
    person = make_person(username=f"initial{k}", id_number=id_number(70 + k), real_name=f"初定人{k}")
    application = make_application(person, business="initial", status=status, committee_id=None)
    region = db.session.execute(select(Region.id).filter_by(code="371002")).scalar_one()
    application.region_id, application.work_unit_nature, application.competent_department = region, "事业单位", "无"
    application.accepting_office_id = office_id(office)
    if status != "draft":
        application.submitted_at = dt.datetime(2026, 11, 2, 1)
    require_only("initial")  # commits
    return application.id


def office_bureaus() -> None:
    make_backend("bureau_wh", "Bureau", "371000")
    make_backend("bureau_hc", "Bureau", "371002")
