"""Hole 8: the profile API and the page check the same rules (app/security/profile_rules.py). What the
page refuses the API refuses too, next to the field and with nothing saved, so no value the page cannot
show and save again ever gets stored."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.accounts import Person
from app.models.units import Unit
from tests.conftest import login
from tests.factories import make_person, make_unit_account

FORM = {"ethnicity": "回族", "email": "new@example.cn", "mobile": "13712345678", "phone": "0631-5200000",
        "wechat": "wx_new"}
TOO_LONG = "最多%d个字符"
NOT_IN_LIST = "请从列表中选择民族"
STORED = ("汉族", "13900000000", None, None)  # what make_person stores: ethnicity, mobile, phone, wechat


def _stored(app):
    with app.app_context():
        person = db.session.execute(select(Person)).scalar_one()
        return person.ethnicity, person.mobile, person.phone, person.wechat


@pytest.fixture
def person_client(app, client):
    with app.app_context():
        make_person()
    assert login(client, "wangwu").status_code == 302
    return client


BAD = [
    ("wechat", "w" * 5000, TOO_LONG % 64),
    ("phone", "1" * 5000, TOO_LONG % 32),
    ("ethnicity", "火星族", NOT_IN_LIST),
    ("ethnicity", "", "此项为必填项"),
    ("wechat", "<script>", "请输入微信号：只能包含字母、数字、_ 和 -"),
    ("phone", "0631#5200000", "请输入电话号码：只能包含数字、空格和 + - ( )"),
    ("wechat", "wx\x07bell", "请删除其中的控制字符"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD, ids=[f"{f}-{n}" for n, (f, _v, _m) in enumerate(BAD)])
def test_api_refuses_what_the_page_refuses(app, person_client, field, value, message):
    response = person_client.put("/api/v1/profile/", json=dict(FORM, **{field: value}))
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["message"] == {field: [message]}
    assert _stored(app) == STORED  # nothing saved, not even the good fields


@pytest.mark.parametrize(("field", "value", "message"), BAD, ids=[f"{f}-{n}" for n, (f, _v, _m) in enumerate(BAD)])
def test_page_refuses_the_same_next_to_the_field(app, person_client, field, value, message):
    response = person_client.post("/account/person/", data=dict(FORM, **{field: value}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="field-error"' in html and message in html
    assert _stored(app) == STORED


def test_api_saves_good_values_and_the_page_can_save_them_again(app, person_client):
    response = person_client.put("/api/v1/profile/", json=FORM)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert _stored(app) == ("回族", "13712345678", "0631-5200000", "wx_new")
    again = person_client.post("/account/person/", data=dict(FORM, wechat="wx_newer"))
    assert again.status_code == 302
    assert _stored(app)[3] == "wx_newer"


def test_api_refuses_a_number_or_list_where_text_is_expected(app, person_client):
    response = person_client.put("/api/v1/profile/", json=dict(FORM, wechat=["a", "b"]))
    assert response.status_code == 400
    assert response.get_json()["message"] == {"wechat": ["请输入文字"]}
    assert _stored(app) == STORED


def test_unit_api_refuses_a_long_contact_name(app, client):
    with app.app_context():
        make_unit_account("unit1", "威海市测试单位")
    assert login(client, "unit1").status_code == 302
    response = client.put("/api/v1/profile/", json={"contact_name": "张" * 65, "phone": "0631-5200000"})
    assert response.status_code == 400
    assert response.get_json()["message"] == {"contact_name": [TOO_LONG % 64]}
    with app.app_context():
        assert db.session.execute(select(Unit.contact_name)).scalar_one() == "联系人"
