"""Hole 1: the region tree is reference data a bureau's scope depends on, so only Admin changes it,
and every change is audited (C3, SPEC §1)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.commands.catalog.regions import check_region_row
from app.commands.errors import NotAllowed
from app.extensions import db
from app.models.audit import AuditLog
from app.models.catalog import Region, TitleLevel
from app.models.units import Unit
from tests.factories import id_number, make_application, make_person


def _region(code: str) -> Region:
    return db.session.execute(select(Region).where(Region.code == code)).scalar_one()


def _nanjing_application() -> int:
    """A submitted application of an applicant whose unit is in 南京市玄武区 (outside 威海市)."""
    unit = Unit(name="南京市玄武区文化馆", region=_region("320102"), contact_name="联系人", mobile="13900000009",
                has_permission=True)
    db.session.add(unit)
    db.session.commit()
    person = make_person("nanjing_person", id_number(7), "周南京")
    return make_application(person, unit=unit, status="pending_unit", current_unit_id=unit.id).id


def _edit(client, region: Region, parent):
    return client.post(f"/catalog/regions/edit/{region.id}", data={
        "code": region.code, "name": region.name, "level": region.level,
        "parent": "__None" if parent is None else str(parent.id)})


def test_bureau_cannot_move_another_city_under_its_own(app, ctx, login_as):
    application_id = _nanjing_application()
    client = login_as("demo_bureau")
    assert client.get(f"/applications/{application_id}/forms/review_form").status_code == 404
    nanjing, weihai, jiangsu = _region("320100"), _region("371000"), _region("320000")
    _edit(client, nanjing, weihai)
    db.session.expire_all()
    assert _region("320100").parent_id == jiangsu.id
    assert client.get(f"/applications/{application_id}/forms/review_form").status_code == 404


def test_bureau_cannot_make_its_city_a_province_and_then_edit_province_catalogs(app, ctx, login_as):
    client = login_as("demo_bureau")
    weihai, shandong = _region("371000"), _region("370000")
    _edit(client, weihai, None)
    db.session.expire_all()
    assert _region("371000").parent_id == shandong.id
    client.post("/catalog/levels/add", data={"name": "特级", "rank": "9"})
    assert db.session.execute(select(TitleLevel).where(TitleLevel.name == "特级")).first() is None


def test_bureau_cannot_add_a_region(app, ctx, login_as):
    client = login_as("demo_bureau")
    client.post("/catalog/regions/add", data={"code": "371099", "name": "新区", "level": "district",
                                              "parent": str(_region("371000").id)})
    assert db.session.execute(select(Region).where(Region.code == "371099")).first() is None


def test_bureau_still_reads_the_regions(app, ctx, login_as):
    client = login_as("demo_bureau")
    assert client.get("/catalog/regions/list/").status_code == 200


def test_the_command_layer_refuses_a_bureau_even_with_the_permission(app, ctx, demo):
    bureau = app.appbuilder.sm.find_user(username="demo_bureau")
    nanjing = _region("320100")
    nanjing.parent = _region("371000")
    with pytest.raises(NotAllowed):
        check_region_row(bureau, nanjing)
    db.session.rollback()


def test_admin_changes_a_region_with_an_audit_row(app, ctx, login_as):
    client = login_as("admin")
    wendeng = _region("371003")
    response = client.post(f"/catalog/regions/edit/{wendeng.id}", data={
        "code": "371003", "name": "文登新区", "level": "district", "parent": str(_region("371000").id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert _region("371003").name == "文登新区"
    rows = db.session.execute(select(AuditLog).where(AuditLog.action == "catalog_changed",
                                                     AuditLog.object_type == "region")).scalars().all()
    assert len(rows) == 1 and rows[0].actor_name == "admin" and "文登区 → 文登新区" in rows[0].opinion
    response = client.post("/catalog/regions/add", data={"code": "371099", "name": "新区", "level": "district",
                                                         "parent": str(_region("371000").id)})
    assert response.status_code == 302
    added = db.session.execute(select(AuditLog).where(AuditLog.action == "catalog_added",
                                                      AuditLog.object_type == "region")).scalars().all()
    assert [a.to_state for a in added] == ["371099 新区"]


ONE_LEVEL_UP = "上级地区必须高一级"


@pytest.mark.parametrize("code,level,parent_code,message", [
    ("371000", "city", None, ONE_LEVEL_UP),                     # a city without a province
    ("370000", "province", "371000", "省级地区没有上级地区"),  # a province under its own city (a loop)
    ("371002", "district", "370000", ONE_LEVEL_UP),             # a district straight under a province
])
def test_admin_cannot_break_the_tree(app, ctx, login_as, code, level, parent_code, message):
    client = login_as("admin")
    region = _region(code)
    before = region.parent_id
    html = client.post(f"/catalog/regions/edit/{region.id}", follow_redirects=True, data={
        "code": code, "name": region.name, "level": level,
        "parent": "__None" if parent_code is None else str(_region(parent_code).id)}).get_data(as_text=True)
    db.session.expire_all()
    assert _region(code).parent_id == before
    assert message in html
