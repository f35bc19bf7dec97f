"""Hole 2 (U1): a unit cannot take another unit's registry identity. The automatic check matches the
unit's registered name (never a typed one), and a credit code another unit already holds, or a region
other than the registered one, goes to the bureau instead of being granted."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.models.audit import AuditLog
from app.models.catalog import Region
from app.models.units import Unit, UnitPermissionApplication, UnitRegistryEntry
from app.security.validators import credit_code_check_char
from tests.conftest import login
from tests.factories import make_unit_account

BODY = "91371002MA3C0077Q"
CODE = BODY + credit_code_check_char(BODY)
REAL = "威海市真实文化单位"
FAKE = "冒名单位X"


def _region_id(code: str) -> int:
    return db.session.execute(select(Region.id).where(Region.code == code)).scalar_one()


def _client(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302, username
    return client


def _submit(app, username: str, **changes) -> dict:
    """Submits the permission form as `username`; what was stored, as plain values."""
    with app.app_context():
        data = {"credit_code": CODE, "name": REAL, "region_id": str(_region_id("371002")), "unit_type": "事业单位",
                "competent_department": "威海市环翠区文化和旅游局", "action": "submit"}
    data.update(changes)
    assert _client(app, username).post("/units/permission/", data=data).status_code == 302
    with app.app_context():
        row = db.session.execute(select(UnitPermissionApplication).join(Unit, UnitPermissionApplication.unit_id == Unit.id)
                                 .where(Unit.user.has(username=username))).scalar_one()
        return {"id": row.id, "status": row.status, "auto": row.auto_granted, "name": row.name,
                "has_permission": row.unit.has_permission, "unit_code": row.unit.credit_code,
                "unit_region": row.unit.region_id}


def _picker_names(app) -> list[str]:
    results = _client(app, "demo_person").get("/pickers/units?q=单位").get_json()["results"]
    return [r["text"].split("（")[0] for r in results]


@pytest.fixture
def registry(app, demo):
    with app.app_context():
        db.session.add(UnitRegistryEntry(credit_code=CODE, name=REAL, imported_at=utcnow()))
        db.session.commit()


def test_a_typed_name_of_another_registry_entry_is_not_granted(app, registry):
    with app.app_context():
        make_unit_account("impostor", FAKE, "371002")
    row = _submit(app, "impostor", name=REAL)
    assert (row["status"], row["auto"], row["name"]) == ("submitted", False, FAKE)
    assert not row["has_permission"] and row["unit_code"] is None
    assert FAKE not in _picker_names(app)


def test_a_credit_code_already_granted_to_another_unit_goes_to_the_bureau(app, registry):
    with app.app_context():
        # the holder got the permission under this code by the bureau's review, under another name
        holder_user = make_unit_account("holder", "威海市文化单位（旧名）", "371002")
        holder = db.session.execute(select(Unit).where(Unit.user_id == holder_user.id)).scalar_one()
        holder.has_permission, holder.credit_code = True, CODE
        db.session.commit()
        make_unit_account("newcomer", REAL, "371002")  # registered under the registry's name
    row = _submit(app, "newcomer")
    assert (row["status"], row["auto"], row["has_permission"]) == ("submitted", False, False)
    with app.app_context():
        entry = db.session.execute(select(AuditLog).where(AuditLog.action == "unit_permission.submit")).scalar_one()
        assert "威海市文化单位（旧名）" in entry.opinion
    response = _client(app, "demo_bureau").get(f"/units/permission-review/{row['id']}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="code-holder"' in page and "威海市文化单位（旧名）" in page


def test_a_region_other_than_the_registered_one_goes_to_the_bureau(app, registry):
    with app.app_context():
        make_unit_account("mover", REAL, "371002")
        nanjing, huancui = _region_id("320102"), _region_id("371002")
    row = _submit(app, "mover", region_id=str(nanjing))
    assert (row["status"], row["auto"], row["has_permission"]) == ("submitted", False, False)
    assert row["unit_region"] == huancui


def test_the_registered_name_and_code_are_still_granted_at_once(app, registry):
    with app.app_context():
        make_unit_account("real", REAL, "371002")
    row = _submit(app, "real", name="随便写的名字")
    assert (row["status"], row["auto"], row["name"]) == ("approved", True, REAL)
    assert row["has_permission"] and row["unit_code"] == CODE
    assert REAL in _picker_names(app)
