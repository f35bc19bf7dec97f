"""The deadline pages keep to the rows of the one who asks: a bureau sees and urges only the units of its
region (another region's unit is a 404, as an unknown one), exports only its region with ID numbers
masked, creates periods only in its region; a unit's 一览表 holds only what it reported; 全部标为已读
touches only one's own messages."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.commands.deadlines.overdue import MarkOverdueCommand
from app.extensions import db
from app.models.applications import ApplicationStep
from app.models.deadlines import BusinessPeriod, UnitUrge
from app.models.notify import Notification
from app.models.units import Unit
from tests.conftest import login
from tests.factories import id_number, make_application, make_backend, make_person, make_unit_account, permitted_unit

NOW = dt.datetime(2026, 11, 22, 2, 0)


@pytest.fixture
def two_regions(app, clock, demo):
    clock.now = NOW
    with app.app_context():
        weihai = db.session.execute(select(Unit).where(Unit.name == "威海市环翠区文化馆")).scalar_one()
        other = permitted_unit(make_unit_account("unit_js", "南京市玄武区文化馆", "320102"))
        ids = {}
        for key, unit, seq in (("weihai", weihai, 1), ("js", other, 2)):
            a = make_application(make_person(f"sec{seq}", id_number(seq), f"保密人{seq}"), unit=unit,
                                 status="passed_unit", current_unit_id=unit.id, submitted_at=NOW)
            db.session.add(ApplicationStep(application_id=a.id, unit_id=unit.id, arrived_at=NOW - dt.timedelta(days=20)))
            b = make_application(make_person(f"rep{seq}", id_number(10 + seq), f"已报人{seq}"), unit=unit,
                                 status="pending_committee", current_unit_id=unit.id, submitted_at=NOW)
            db.session.add(ApplicationStep(application_id=b.id, unit_id=unit.id, arrived_at=NOW, outcome="reported"))
            ids[key] = unit.id
        db.session.commit()
        MarkOverdueCommand().run()
        make_backend("bureau_js", "Bureau", "320000")
        return ids


def test_a_bureau_sees_and_urges_only_its_region(app, client, two_regions):
    assert login(client, "bureau_js").status_code == 302
    page = client.get("/deadlines/overdue/").get_data(as_text=True)
    assert "南京市玄武区文化馆" in page and "威海市环翠区文化馆" not in page and "保密人1" not in page
    assert client.post("/deadlines/overdue/urge", data={"unit_id": two_regions["weihai"]}).status_code == 404
    assert client.post("/deadlines/overdue/urge", data={"unit_id": "1 OR 1=1"}).status_code == 404
    assert client.post("/deadlines/overdue/urge", data={"unit_id": two_regions["js"], "note": "x" * 501},
                       follow_redirects=True).status_code == 200
    with app.app_context():
        assert db.session.execute(select(UnitUrge)).scalars().all() == []  # the long note was refused too


def test_exports_hold_only_the_region_with_masked_id_numbers(app, client, two_regions):
    assert login(client, "bureau_js").status_code == 302
    for table in ("applications", "overdue", "unit"):
        book = load_workbook(io.BytesIO(client.get(f"/overview/export/{table}.xlsx?year=2026").data))
        text = str(list(book.active.iter_rows(values_only=True)))
        assert "威海" not in text and "保密人1" not in text and id_number(2) not in text, table
    overview = client.get("/overview/?year=2026").get_data(as_text=True)
    assert "威海市环翠区文化馆" not in overview and "南京市玄武区文化馆" in overview


def test_a_units_list_holds_only_what_it_reported(app, client, two_regions):
    assert login(client, "unit_js").status_code == 302
    rows = list(load_workbook(io.BytesIO(client.get("/report/applicant-list/?year=2026").data)).active
                .iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == ["已报人2"]
    assert client.get("/overview/").status_code in (302, 403)  # not a unit's page


def test_a_bureau_cannot_set_a_period_for_another_region(app, client, two_regions):
    from app.models.catalog import Region

    with app.app_context():
        region_ids = {code: db.session.execute(select(Region.id).where(Region.code == code)).scalar_one()
                      for code in ("371000", "320100")}
    assert login(client, "bureau_js").status_code == 302
    for code in ("371000", "320100"):  # 威海市 (another bureau's), then 南京市 (its own)
        client.post("/catalog/business-periods/add", data={"business": "recognition", "region": region_ids[code],
                                                           "year": 2026, "starts_on": "2026-12-01",
                                                           "ends_on": "2026-12-20"})
    with app.app_context():
        assert [p.region_id for p in db.session.execute(select(BusinessPeriod)).scalars()] == [region_ids["320100"]]


def test_mark_all_read_touches_only_ones_own_messages(app, client, two_regions):
    with app.app_context():
        owner = db.session.get(Unit, two_regions["weihai"]).user_id
        before = db.session.execute(select(Notification.id).where(Notification.user_id == owner,
                                                                  Notification.read.is_(False))).scalars().all()
    assert before  # the overdue notice of 威海's unit
    assert login(client, "unit_js").status_code == 302
    assert client.post("/account/messages-all/read").status_code == 302
    with app.app_context():
        assert db.session.execute(select(Notification.id).where(Notification.user_id == owner,
                                                                Notification.read.is_(False))).scalars().all() == before
