"""U1 职称申报权限申请: 保存申请 / 提交申请, the automatic registry check, the bureau's queue scoped by
region, 不通过 with a reason and resubmission, the same-name block, and the registry import."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.catalog import Region
from app.models.units import Unit, UnitPermissionApplication, UnitRegistryEntry
from app.models.audit import AuditLog
from app.models.notify import Notification
from app.security.validators import credit_code_check_char
from tests.conftest import login
from tests.factories import make_backend, make_unit_account


def code(body: str) -> str:
    return body + credit_code_check_char(body)


CODE = code("91371002MA3C0001X")
UNIT_NAME = "威海市测试单位"


def _client(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302, username
    return client


def _region_id(code_: str) -> int:
    return db.session.execute(select(Region.id).where(Region.code == code_)).scalar_one()


def _form(action="save", **changes):
    data = {"credit_code": CODE, "name": UNIT_NAME, "region_id": str(_region_id("371002")), "unit_type": "事业单位",
            "competent_department": "威海市环翠区文化和旅游局", "action": action}
    data.update(changes)
    return data


def _application(name=UNIT_NAME):
    return db.session.execute(select(UnitPermissionApplication).join(Unit, UnitPermissionApplication.unit_id == Unit.id)
                              .where(Unit.name == name)).scalar_one_or_none()


def _audits(action):
    return db.session.execute(select(func.count(AuditLog.id)).where(AuditLog.action == action)).scalar_one()


@pytest.fixture
def unit_client(app, demo):
    with app.app_context():
        make_unit_account("unit1", UNIT_NAME, "371002")
    return _client(app, "unit1")


def test_save_then_submit_goes_to_the_bureau_and_is_read_only(app, unit_client):
    page = unit_client.get("/units/permission/").get_data(as_text=True)
    assert "保存申请" in page and "提交申请" in page and "统一社会信用代码" in page
    with app.app_context():
        form = _form()
    assert unit_client.post("/units/permission/", data=form).status_code == 302
    with app.app_context():
        row = _application()
        assert row.status == "draft" and row.credit_code == CODE
        assert _audits("unit_permission.save") == 1
    form["action"] = "submit"
    assert unit_client.post("/units/permission/", data=form).status_code == 302
    with app.app_context():
        row = _application()
        assert row.status == "submitted" and not row.auto_granted
        assert not row.unit.has_permission
        assert _audits("unit_permission.submit") == 1
    page = unit_client.get("/units/permission/").get_data(as_text=True)
    assert 'id="permission-form"' not in page and 'id="permission-readonly"' in page and "待审核" in page
    # a forged save after submission changes nothing
    form.update(action="save", competent_department="别的部门")
    html = unit_client.post("/units/permission/", data=form).get_data(as_text=True)
    assert "申请已提交，不能再修改" in html
    with app.app_context():
        assert _application().competent_department == "威海市环翠区文化和旅游局"


def test_a_bad_credit_code_is_shown_next_to_the_field_and_nothing_is_saved(app, unit_client):
    with app.app_context():
        form = _form(credit_code=CODE[:17] + ("0" if CODE[17] != "0" else "1"))
    html = unit_client.post("/units/permission/", data=form).get_data(as_text=True)
    assert 'id="error-credit_code"' in html and "统一社会信用代码校验位不正确" in html
    assert "威海市环翠区文化和旅游局" in html  # what was typed stays
    with app.app_context():
        assert _application() is None


def test_registry_match_grants_the_permission_at_once(app, unit_client, clock):
    with app.app_context():
        db.session.add(UnitRegistryEntry(credit_code=CODE, name=UNIT_NAME, imported_at=clock()))
        db.session.commit()
        form = _form("submit")
    response = unit_client.post("/units/permission/", data=form, follow_redirects=True)
    assert "自动校验通过" in response.get_data(as_text=True)
    with app.app_context():
        row = _application()
        assert row.status == "approved" and row.auto_granted
        assert row.unit.has_permission and row.unit.credit_code == CODE
        assert _audits("unit_permission.auto_grant") == 1
    # now it appears in the applicants' unit picker (U2)
    picker = _client(app, "demo_person").get("/pickers/units?q=测试").get_json()
    assert [r["text"].split("（")[0] for r in picker["results"]] == [UNIT_NAME]


def test_a_registry_name_mismatch_goes_to_the_bureau(app, unit_client, clock):
    with app.app_context():
        db.session.add(UnitRegistryEntry(credit_code=CODE, name="另一个名字", imported_at=clock()))
        db.session.commit()
        form = _form("submit")
    unit_client.post("/units/permission/", data=form)
    with app.app_context():
        assert _application().status == "submitted"


def test_the_bureau_queue_is_scoped_by_region_and_a_foreign_bureau_cannot_act(app, unit_client):
    with app.app_context():
        make_backend("bureau_jn", "Bureau", region_code="370100")
        form = _form("submit")
    unit_client.post("/units/permission/", data=form)
    with app.app_context():
        row_id = _application().id
    weihai, jinan = _client(app, "demo_bureau"), _client(app, "bureau_jn")
    assert UNIT_NAME in weihai.get("/units/permission-review/").get_data(as_text=True)
    assert UNIT_NAME not in jinan.get("/units/permission-review/").get_data(as_text=True)
    assert jinan.get(f"/units/permission-review/{row_id}").status_code == 404
    assert jinan.post(f"/units/permission-review/{row_id}/approve").status_code == 404
    assert unit_client.post(f"/units/permission-review/{row_id}/approve").status_code == 403
    with app.app_context():
        assert _application().status == "submitted" and not _application().unit.has_permission
    assert weihai.post(f"/units/permission-review/{row_id}/approve").status_code == 302
    with app.app_context():
        row = _application()
        assert row.status == "approved" and row.unit.has_permission and not row.auto_granted
        assert _audits("unit_permission.approve") == 1


def test_reject_needs_a_reason_the_unit_sees_it_edits_and_submits_again(app, unit_client):
    with app.app_context():
        form = _form("submit")
    unit_client.post("/units/permission/", data=form)
    with app.app_context():
        row_id = _application().id
    bureau = _client(app, "demo_bureau")
    detail = bureau.get(f"/units/permission-review/{row_id}").get_data(as_text=True)
    assert "单位名录中无此代码" in detail and "审核不通过原因（必填）" in detail
    html = bureau.post(f"/units/permission-review/{row_id}/reject", data={"reason": "  "},
                       follow_redirects=True).get_data(as_text=True)
    assert "请填写审核不通过原因" in html
    with app.app_context():
        assert _application().status == "submitted"
    bureau.post(f"/units/permission-review/{row_id}/reject", data={"reason": "主管部门填写有误"})
    with app.app_context():
        assert _application().status == "rejected" and _audits("unit_permission.reject") == 1
        note = db.session.execute(select(Notification).where(Notification.user_id == _application().unit.user_id)
                                  ).scalar_one()
        assert note.title == "您的职称申报权限申请审核不通过" and note.body == "主管部门填写有误"
    page = unit_client.get("/units/permission/").get_data(as_text=True)
    assert "主管部门填写有误" in page and 'id="permission-form"' in page
    form["competent_department"] = "威海市文化和旅游局"
    unit_client.post("/units/permission/", data=form)
    with app.app_context():
        row = _application()
        assert row.status == "submitted" and row.competent_department == "威海市文化和旅游局" and row.reason is None
    assert bureau.post(f"/units/permission-review/{row_id}/approve").status_code == 302
    with app.app_context():
        assert _application().unit.has_permission


def test_a_same_name_unit_with_permission_blocks_saving(app, demo):
    with app.app_context():
        make_unit_account("dup", "威海市环翠区文化馆", "371002")  # demo_unit's name, which has permission
        form = _form(name="威海市环翠区文化馆")
    client = _client(app, "dup")
    html = client.post("/units/permission/", data=form).get_data(as_text=True)
    assert "已经存在有权限的同名单位" in html and 'id="error-name"' in html
    with app.app_context():
        assert db.session.execute(select(func.count(UnitPermissionApplication.id))).scalar_one() == 0


def test_a_unit_with_permission_sees_it_and_cannot_apply(app, demo):
    client = _client(app, "demo_unit")
    assert "本单位已具有职称申报权限" in client.get("/units/permission/").get_data(as_text=True)
    with app.app_context():
        form = _form("submit", name="威海市环翠区文化馆")
    html = client.post("/units/permission/", data=form).get_data(as_text=True)
    assert "本单位已具有职称申报权限" in html
    with app.app_context():
        assert db.session.execute(select(func.count(UnitPermissionApplication.id))).scalar_one() == 0


# ------------------------------------------------------------------ the unit registry (CSV import)
def _import(client, content: bytes):
    import io

    return client.post("/units/registry/import", data={"file": (io.BytesIO(content), "registry.csv")},
                       content_type="multipart/form-data", follow_redirects=True)


def _registry():
    return dict(db.session.execute(select(UnitRegistryEntry.credit_code, UnitRegistryEntry.name)).all())


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_the_bureau_imports_the_registry_in_utf8_or_gbk(app, demo, encoding):
    other = code("12371000MB0000001")
    content = f"统一社会信用代码,单位名称\n{CODE},{UNIT_NAME}\n{other},威海市图书馆\n".encode(encoding)
    html = _import(_client(app, "demo_bureau"), content).get_data(as_text=True)
    assert "已导入 2 条单位名录" in html and UNIT_NAME in html
    with app.app_context():
        assert _registry() == {CODE: UNIT_NAME, other: "威海市图书馆"}
        assert _audits("unit_registry.import") == 1


def test_a_bad_registry_file_imports_nothing_and_names_the_lines(app, demo):
    content = f"{CODE},{UNIT_NAME}\n91371002MA3C00010,坏校验位\n{CODE},重复\n只有一列\n".encode()
    html = _import(_client(app, "demo_bureau"), content).get_data(as_text=True)
    assert "未导入任何数据" in html
    assert "第 2 行" in html and "第 3 行" in html and "与第 1 行重复" in html and "第 4 行" in html
    with app.app_context():
        assert _registry() == {}


def test_a_unit_cannot_import_the_registry(app, demo):
    assert _import(_client(app, "demo_unit"), f"{CODE},x\n".encode()).status_code == 403


def test_decisions_need_the_csrf_token(app, unit_client):
    with app.app_context():
        form = _form("submit")
    unit_client.post("/units/permission/", data=form)
    with app.app_context():
        row_id = _application().id
    bureau = _client(app, "demo_bureau")
    app.config["WTF_CSRF_ENABLED"] = True  # restored after the test by the _fresh_data fixture
    response = bureau.post(f"/units/permission-review/{row_id}/approve")
    assert response.status_code in (302, 400)
    with app.app_context():
        assert _application().status == "submitted"
