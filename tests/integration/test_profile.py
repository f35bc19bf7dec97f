"""A5 basic information and A6 change password, by page and by API."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.accounts import Person
from app.models.audit import AuditLog
from app.models.units import Unit
from tests.conftest import PASSWORD, login
from tests.factories import make_person, make_unit_account

FORM = {"ethnicity": "回族", "email": "new@example.cn", "mobile": "13712345678", "phone": "0631-5200000",
        "wechat": "wx_new"}


def _person(app):
    with app.app_context():
        return db.session.execute(select(Person)).scalar_one()


def test_individual_edits_allowed_fields(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    page = client.get("/account/person/").get_data(as_text=True)
    assert "110105********002X" in page and "11010519491231002X" not in page  # masked (X3)
    response = client.post("/account/person/", data=FORM)
    assert response.status_code == 302
    person = _person(app)
    assert (person.ethnicity, person.mobile, person.wechat) == ("回族", "13712345678", "wx_new")
    with app.app_context():
        assert db.session.execute(select(AuditLog).where(AuditLog.action == "profile_updated")).scalar_one()


def test_forged_post_cannot_change_name_or_id(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    response = client.post("/account/person/", data=dict(FORM, real_name="李四", id_number="440524188001010014"))
    assert response.status_code == 200  # refused, shown on the form
    person = _person(app)
    assert person.real_name == "王五" and person.id_number == "11010519491231002X"
    assert person.ethnicity == "汉族"  # nothing else half-saved


def test_bad_mobile_is_refused_at_the_field_and_typed_values_kept(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    response = client.post("/account/person/", data=dict(FORM, mobile="12345"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="field-error"' in html and "wx_new" in html
    assert _person(app).mobile == "13900000000"


def test_email_taken_by_another_account_is_refused(app, client):
    with app.app_context():
        make_person()
        make_person(username="other", id_number="440524188001010014", email="taken@example.cn")
    login(client, "wangwu")
    response = client.post("/account/person/", data=dict(FORM, email="TAKEN@example.cn"))
    assert response.status_code == 200 and 'class="field-error"' in response.get_data(as_text=True)


def test_api_refuses_fixed_fields_and_saves_allowed_ones(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    got = client.get("/api/v1/profile/")
    assert got.status_code == 200 and got.get_json()["result"]["id_number"] == "110105********002X"
    refused = client.put("/api/v1/profile/", json={"real_name": "李四"})
    assert refused.status_code == 400
    assert _person(app).real_name == "王五"
    saved = client.put("/api/v1/profile/", json={"wechat": "wx_api"})
    assert saved.status_code == 200 and _person(app).wechat == "wx_api"


def test_unit_edits_contact_but_never_its_name(app, client):
    with app.app_context():
        make_unit_account()
    login(client, "unit1")
    data = {"contact_name": "赵六", "mobile": "13700000000", "email": "unit1@example.cn", "phone": ""}
    assert client.post("/account/unit/", data=dict(data, name="别的单位")).status_code == 200
    assert client.post("/account/unit/", data=data).status_code == 302
    assert client.put("/api/v1/profile/", json={"name": "别的单位"}).status_code == 400
    with app.app_context():
        unit = db.session.execute(select(Unit)).scalar_one()
        assert unit.name == "威海市测试单位" and unit.contact_name == "赵六"


def test_individual_cannot_open_unit_profile(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    assert client.get("/account/unit/").status_code == 403


def test_change_password(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    wrong_old = client.post("/account/password/", data={"old_password": "nope", "new_password": "Tian-kong88",
                                                       "confirm": "Tian-kong88"})
    assert wrong_old.status_code == 200 and 'class="field-error"' in wrong_old.get_data(as_text=True)
    weak = client.post("/account/password/", data={"old_password": PASSWORD, "new_password": "password1",
                                                   "confirm": "password1"})
    assert weak.status_code == 200 and 'class="field-error"' in weak.get_data(as_text=True)
    differ = client.post("/account/password/", data={"old_password": PASSWORD, "new_password": "Tian-kong88",
                                                     "confirm": "Tian-kong89"})
    assert differ.status_code == 200
    done = client.post("/account/password/", data={"old_password": PASSWORD, "new_password": "Tian-kong88",
                                                   "confirm": "Tian-kong88"})
    assert done.status_code == 302
    client.post("/logout/")
    assert login(client, "wangwu").status_code == 200
    assert login(client, "wangwu", "Tian-kong88").status_code == 302
    with app.app_context():
        assert db.session.execute(select(AuditLog).where(AuditLog.action == "password_changed")).scalar_one()


def test_csrf_is_enforced_on_forms(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/account/person/", data=FORM)
    assert response.status_code == 400
    assert _person(app).ethnicity == "汉族"


def test_admin_role_change_is_audited(app, client, demo):
    from app.models.accounts import Person  # noqa: F401

    with app.app_context():
        user = make_person()
        user_id = user.id
        sm = app.appbuilder.sm
        role_ids = {r.name: r.id for r in sm.get_all_roles()}
    login(client, "admin")
    form = {"first_name": "王五", "username": "wangwu", "email": "wangwu@example.cn",
            "active": "y", "roles": [str(role_ids["Individual"]), str(role_ids["Unit"])]}
    response = client.post(f"/users/edit/{user_id}", data=form)
    assert response.status_code == 302
    with app.app_context():
        row = db.session.execute(select(AuditLog).where(AuditLog.action == "roles_changed")).scalar_one()
        assert (row.from_state, row.to_state, row.actor_name) == ("Individual", "Individual,Unit", "admin")


def test_admin_creates_a_bureau_account_bound_to_a_region(app, client, demo):
    from app.models.accounts import BackendBinding
    from app.models.catalog import Region

    with app.app_context():
        region_id = db.session.execute(select(Region.id).where(Region.code == "371002")).scalar_one()
    login(client, "admin")
    form = {"username": "hc_bureau", "real_name": "环翠区人社局", "email": "hc@example.cn", "role": "Bureau",
            "region_id": str(region_id), "committee_id": "", "password": "Tian-kong88", "confirm": "Tian-kong88"}
    weak = client.post("/admin/backend-accounts/create", data=dict(form, password="password1", confirm="password1"))
    assert weak.status_code == 200 and 'class="field-error"' in weak.get_data(as_text=True)
    committee_without = client.post("/admin/backend-accounts/create", data=dict(form, role="Committee"))
    assert committee_without.status_code == 200
    assert client.post("/admin/backend-accounts/create", data=form).status_code == 302
    client.post("/logout/")
    assert login(client, "hc_bureau", "Tian-kong88").status_code == 302
    assert "环翠区" in client.get("/account/backend/").get_data(as_text=True)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="hc_bureau")
        assert [r.name for r in user.roles] == ["Bureau"]
        assert db.session.get(BackendBinding, user.id).region_id == region_id
        assert db.session.execute(select(AuditLog).where(AuditLog.action == "backend_account_created")).scalar_one()


def test_only_admin_creates_backend_accounts(app, client, demo):
    login(client, "demo_bureau")
    assert client.get("/admin/backend-accounts/create").status_code == 403
