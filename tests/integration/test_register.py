"""A1 individual and A2 unit self-registration: form → confirmation → account."""
from __future__ import annotations

import datetime as dt
import html
import re
import threading
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import gettext
from sqlalchemy import func, select

from app.commands.errors import Invalid
from app.commands.accounts.register import RegisterIndividualCommand
from app.extensions import db
from app.models.accounts import Person
from app.models.audit import AuditLog
from app.models.catalog import Region
from app.models.units import Unit
from tests.conftest import csrf_token, login
from tests.factories import make_person, make_unit_account

PARTS = Path(__file__).resolve().parents[2] / "translations/zh/LC_MESSAGES/parts"
PASSWORD = "Lan-shan7Yue"
PERSON = {"real_name": "王小丽", "id_type": "resident_id", "id_number": "11010519491231002x",
          "username": "wangxl", "password": PASSWORD, "confirm_password": PASSWORD,
          "mobile": "13912345678", "email": "WangXL@example.cn", "ethnicity": "回族"}


def _unit_form(app, region_code="371002", **changes):
    data = {"name": "威海市环翠区图书馆", "region_id": str(_region_id(app, region_code)), "contact_name": "李明",
            "mobile": "13812345678", "email": "lib@example.cn", "username": "hc_library",
            "password": PASSWORD, "confirm_password": PASSWORD}
    data.update(changes)
    return data


def _region_id(app, code):
    with app.app_context():
        return db.session.execute(select(Region.id).where(Region.code == code)).scalar_one()


def _count(app, model):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _users(app):
    with app.app_context():
        user_model = app.appbuilder.sm.user_model
        return db.session.execute(select(func.count()).select_from(user_model)).scalar_one()


def _register(client, url, data):
    """Both steps: the form, then the confirmation."""
    first = client.post(url, data=data)
    assert first.status_code == 200, first.get_data(as_text=True)
    return client.post(url, data={**data, "confirm": "1"})


def _field_error(page: str, field: str) -> str:
    """The errors shown beside `field` (its form group), unescaped; fails if there is none."""
    start = page.index(f'for="{field}"')
    end = page.find('class="form-group', start)
    errors = re.findall(r'<span class="field-error" role="alert">(.*?)</span>', page[start:end if end > 0 else None])
    assert errors, f"no error at {field}"
    return html.unescape(" ".join(errors))


def t(app, msgid: str, **variables) -> str:
    """The message as the pages show it in the default language."""
    with app.test_request_context():
        return gettext(msgid, **variables)


@pytest.fixture
def zh_catalog(app, tmp_path):
    """This part's Chinese catalog (with the shared core words) compiled and loaded, whether or not
    the full catalog is built."""
    target = tmp_path / "zh" / "LC_MESSAGES"
    target.mkdir(parents=True)
    catalog = Catalog(locale="zh")
    for name in ("core.po", "register.po"):
        with (PARTS / name).open("rb") as po:
            for message in read_po(po, locale="zh"):
                if message.id:
                    catalog[message.id] = message
    with (target / "messages.mo").open("wb") as mo:
        write_mo(mo, catalog)
    babel = app.extensions["babel"]
    babel.translation_directories.insert(0, str(tmp_path))
    babel.instance.domain_instance.cache.clear()
    yield
    babel.translation_directories.remove(str(tmp_path))
    babel.instance.domain_instance.cache.clear()


# ---------------------------------------------------------------- individual

def test_pages_link_to_each_other_and_to_login(client):
    individual = client.get("/register/individual").get_data(as_text=True)
    unit = client.get("/register/unit").get_data(as_text=True)
    assert 'href="/login/"' in individual and 'href="/register/unit"' in individual
    assert 'href="/login/"' in unit and 'href="/register/individual"' in unit
    assert individual.index('value="汉族"') < individual.index('value="回族"')  # 汉族 first
    assert individual.count("<option") >= 56 + 1


def test_individual_registration_with_confirmation(app, client):
    first = client.post("/register/individual", data=PERSON)
    page = first.get_data(as_text=True)
    assert first.status_code == 200
    assert _count(app, Person) == 0 and _users(app) == 0  # the first POST creates nothing
    assert "11010519491231002X" in page  # shown in full to its owner, with x as X
    assert "1949-12-31" in page and "女" in page  # derived, never typed
    assert 'name="confirm" value="1"' in page and 'name="back"' in page
    assert first.headers["Cache-Control"] == "no-store"

    done = client.post("/register/individual", data={**PERSON, "confirm": "1"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login/")
    with app.app_context():
        person = db.session.execute(select(Person)).scalar_one()
        assert person.id_number == "11010519491231002X"
        assert person.birth_date == dt.date(1949, 12, 31) and person.gender == "女"
        assert (person.real_name, person.ethnicity, person.mobile) == ("王小丽", "回族", "13912345678")
        assert [r.name for r in person.user.roles] == ["Individual"]
        assert person.user.email == "wangxl@example.cn"
        audit = db.session.execute(select(AuditLog).where(AuditLog.action == "registered")).scalar_one()
        assert audit.actor_id == person.user_id
    assert login(client, "wangxl", PASSWORD).status_code == 302
    client.post("/logout/")
    assert login(client, "11010519491231002x", PASSWORD).status_code == 302  # the ID number signs in too


def test_success_message_on_login_page(client):
    response = _register(client, "/register/individual", PERSON)
    assert response.status_code == 302
    page = client.get("/login/").get_data(as_text=True)
    assert "alert-success" in page


def test_back_to_edit_keeps_what_was_typed(client):
    response = client.post("/register/individual", data={**PERSON, "confirm": "1", "back": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="王小丽"' in page and 'value="wangxl"' in page and 'name="confirm"' not in page
    assert PASSWORD not in page
    assert 'class="field-error"' not in page


@pytest.mark.parametrize("field, value, msgid, variables", [
    ("id_number", "110105194912310021", "The check digit of the ID number is wrong", {}),
    ("id_number", "110105194902300020", "The birth date in the ID number does not exist", {}),
    ("id_number", "11010519491231", "An ID number has 18 characters: 17 digits, then a digit or X", {}),
    ("password", "password1", "This password is too common or easy to guess; choose another", {}),
    ("password", "abc", "The password must have at least %(n)d characters", {"n": 8}),
    ("confirm_password", "Lan-shan7Yuf", "The two passwords differ", {}),
    ("mobile", "1391234567", "Enter an 11-digit mainland mobile number", {}),
    ("mobile", "23912345678", "Enter an 11-digit mainland mobile number", {}),
    ("email", "not-an-address", "Enter a valid e-mail address", {}),
    ("username", "1abc", "A login name has 4 to 32 letters, digits or underscores and starts with a letter", {}),
    ("real_name", "王2", "Enter a valid name", {}),
    ("ethnicity", "火星族", "Choose an ethnic group from the list", {}),
    ("id_type", "passport", "Choose an ID type from the list", {}),
    ("real_name", "", "This field is required", {}),
])
def test_individual_field_refusals(app, client, field, value, msgid, variables):
    data = {**PERSON, field: value}
    if field == "password":
        data["confirm_password"] = value
    for step in ({}, {"confirm": "1"}):  # refused on the form and on a forged confirmation alike
        response = client.post("/register/individual", data={**data, **step})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert _field_error(page, field) == t(app, msgid, **variables)
        assert 'name="confirm"' not in page
    assert _count(app, Person) == 0 and _users(app) == 0
    if field != "real_name":
        assert 'value="王小丽"' in page  # what was typed stays
    assert PASSWORD not in page  # passwords are never sent back


def test_duplicate_id_number_is_refused(app, client):
    with app.app_context():
        make_person(username="first", id_number="11010519491231002X")
    response = client.post("/register/individual", data=PERSON)
    assert _field_error(response.get_data(as_text=True), "id_number") == t(
        app, "This ID number is already registered; sign in, or recover your login name")
    assert _count(app, Person) == 1


def test_duplicate_login_name_and_email_case_insensitive(app, client):
    with app.app_context():
        make_person(username="WANGXL", id_number="440524188001010014", email="wangxl@EXAMPLE.cn")
    page = client.post("/register/individual", data=PERSON).get_data(as_text=True)
    assert _field_error(page, "username") == t(app, "This login name is taken; choose another")
    assert _field_error(page, "email") == t(app, "This e-mail address is used by another account")
    assert _count(app, Person) == 1


def test_all_problems_shown_at_once(client):
    page = client.post("/register/individual", data={**PERSON, "mobile": "1", "email": "x",
                                                      "id_number": "110105194912310021"}).get_data(as_text=True)
    for field in ("id_number", "mobile", "email"):
        _field_error(page, field)


def test_parallel_registrations_with_one_id_number(app):
    """Both pass validation, then both insert: the unique constraint decides, nothing is half-saved."""
    barrier = threading.Barrier(2)

    class RacingCommand(RegisterIndividualCommand):
        def validate(self):
            super().validate()
            if not getattr(self, "_raced", False):
                self._raced = True
                barrier.wait(timeout=10)

    outcomes = []

    def register(index):
        with app.app_context():
            data = {**PERSON, "username": f"racer{index}", "email": f"racer{index}@example.cn"}
            try:
                RacingCommand(data).run()
                outcomes.append("ok")
            except Invalid as err:
                outcomes.append(err.field)
            except Exception as err:  # noqa: BLE001 - reported by the assertion below
                outcomes.append(repr(err))

    threads = [threading.Thread(target=register, args=(i,)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["id_number", "ok"], outcomes
    assert _count(app, Person) == 1 and _users(app) == 1


def test_very_long_and_odd_input_never_fails(app, client):
    long = "字" * 5000
    for data in ({**PERSON, "real_name": long, "id_number": long, "username": long, "email": long,
                  "mobile": long, "ethnicity": long, "password": long, "confirm_password": long},
                 {"confirm": "1"}, {}, {**PERSON, "id_type": ""}):
        response = client.post("/register/individual", data=data)
        assert response.status_code == 200
        assert 'class="field-error"' in response.get_data(as_text=True)
    # a NUL character is stopped by the app-wide input guard before the form is read
    assert client.post("/register/individual", data={**PERSON, "real_name": "王\x00丽", "confirm": "1"}
                       ).status_code == 400
    assert _count(app, Person) == 0 and _users(app) == 0


def test_audit_never_holds_the_id_number_or_password(app, client):
    assert _register(client, "/register/individual", PERSON).status_code == 302
    with app.app_context():
        for row in db.session.execute(select(AuditLog)).scalars():
            text = " ".join(str(v) for v in (row.action, row.object_id, row.opinion, row.from_state,
                                              row.to_state, row.actor_name))
            assert "11010519491231002" not in text and PASSWORD not in text


def test_csrf_is_enforced(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/register/individual", data={**PERSON, "confirm": "1"})
    assert response.status_code == 400
    assert _count(app, Person) == 0 and _users(app) == 0

    token = csrf_token(client.get("/register/individual").get_data(as_text=True))
    confirm = client.post("/register/individual", data={**PERSON, "csrf_token": token})
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and 'name="confirm" value="1"' in page
    assert 'name="csrf_token"' in page  # the confirmation page carries the token on
    done = client.post("/register/individual", data={**PERSON, "confirm": "1", "csrf_token": csrf_token(page)})
    assert done.status_code == 302
    assert _count(app, Person) == 1


# ---------------------------------------------------------------- unit

def test_unit_registration(app, client):
    data = _unit_form(app)
    first = client.post("/register/unit", data=data)
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and "山东省威海市环翠区" in page and 'name="confirm" value="1"' in page
    assert _count(app, Unit) == 0
    done = client.post("/register/unit", data={**data, "confirm": "1"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login/")
    with app.app_context():
        unit = db.session.execute(select(Unit)).scalar_one()
        assert (unit.name, unit.region.code, unit.contact_name) == ("威海市环翠区图书馆", "371002", "李明")
        assert [r.name for r in unit.user.roles] == ["Unit"] and unit.user.username == "hc_library"
        assert db.session.execute(select(AuditLog).where(AuditLog.action == "registered")).scalar_one()
    assert login(client, "hc_library", PASSWORD).status_code == 302


def test_unit_form_shows_the_cascade(app, client):
    page = client.get("/register/unit").get_data(as_text=True)
    assert 'id="region-province"' in page and "山东省" in page and "/public/regions" in page
    # a refused form keeps the chosen region in the three selects
    refused = client.post("/register/unit", data=_unit_form(app, mobile="1")).get_data(as_text=True)
    for region_code in ("370000", "371000", "371002"):
        assert f'value="{_region_id(app, region_code)}" selected' in refused


@pytest.mark.parametrize("region_id", ["", "abc", "0", "-5", "99999", "99999999999999999999999", "１２",
                                       "9" * 5000, "1; DROP TABLE unit"])
def test_unit_bad_region(app, client, region_id):
    response = client.post("/register/unit", data=_unit_form(app, region_id=region_id, confirm="1"))
    assert response.status_code == 200
    _field_error(response.get_data(as_text=True), "region-province")
    assert _count(app, Unit) == 0


@pytest.mark.parametrize("code", ["370000", "371000"])
def test_unit_region_must_be_a_leaf(app, client, code):
    response = client.post("/register/unit", data=_unit_form(app, code, confirm="1"))
    assert _field_error(response.get_data(as_text=True), "region-province") == t(
        app, "Choose the province, city and district")
    assert _count(app, Unit) == 0


def test_unit_city_without_districts_is_a_leaf(app, client):
    with app.app_context():
        province = db.session.execute(select(Region).where(Region.code == "370000")).scalar_one()
        db.session.add(Region(code="370900", name="泰安市", level="city", parent=province))
        db.session.commit()
    assert _register(client, "/register/unit", _unit_form(app, "370900")).status_code == 302


def test_unit_duplicate_name_in_region(app, client):
    with app.app_context():
        make_unit_account(username="old_unit", name="威海市环翠区图书馆", region_code="371002")
    response = client.post("/register/unit", data=_unit_form(app, name="  威海市环翠区图书馆 "))
    assert _field_error(response.get_data(as_text=True), "name") == t(
        app, "A unit with this name is already registered in this region; "
             "sign in with that account or contact the HR bureau of the region")
    # the same name in another region is another unit
    assert _register(client, "/register/unit", _unit_form(app, "371003")).status_code == 302
    assert _count(app, Unit) == 2


def test_unit_field_refusals(app, client):
    response = client.post("/register/unit", data=_unit_form(
        app, contact_name="", mobile="123", username="ab", password="abc12345", confirm_password="x",
        email="bad"))
    page = response.get_data(as_text=True)
    for field in ("contact_name", "mobile", "username", "password", "confirm_password", "email"):
        _field_error(page, field)
    assert 'value="威海市环翠区图书馆"' in page
    assert _count(app, Unit) == 0 and _users(app) == 0


def test_unit_login_name_taken_by_a_person(app, client):
    with app.app_context():
        make_person(username="hc_library")
    response = client.post("/register/unit", data=_unit_form(app, confirm="1"))
    assert _field_error(response.get_data(as_text=True), "username") == t(
        app, "This login name is taken; choose another")
    assert _count(app, Unit) == 0


def test_pages_are_chinese_with_the_manual_wording(app, client, zh_catalog):
    form = client.get("/register/individual").get_data(as_text=True)
    assert "个人注册" in form and "立即注册" in form and "已有账号" in form
    page = client.post("/register/individual", data=PERSON).get_data(as_text=True)
    assert "确认之后个人姓名身份证号无法修改" in page and "确认注册" in page and "返回修改" in page
    unit = client.post("/register/unit", data=_unit_form(app)).get_data(as_text=True)
    assert "单位注册" in unit and "确认之后单位名称无法修改" in unit
    with app.app_context():
        make_person(username="first", id_number="11010519491231002X")
    refused = client.post("/register/individual", data=PERSON).get_data(as_text=True)
    assert "该身份证号已注册，请直接登录或找回用户名" in _field_error(refused, "id_number")
