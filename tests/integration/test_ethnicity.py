"""New-applicant issue item 2: 民族 on 基本信息 is the registration list, and the server refuses anything
else on every route that takes it (page, API); nothing is half-saved."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models.accounts import Person
from tests.conftest import login
from tests.factories import make_person

FORM = {"ethnicity": "回族", "email": "new@example.cn", "mobile": "13712345678", "phone": "", "wechat": ""}


def _person(app):
    with app.app_context():
        return db.session.execute(select(Person)).scalar_one()


def _field_error(html: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{name}".*?</select>\s*(?:<span class="help-block">.*?</span>\s*)?'
                      r'<span class="field-error" role="alert">([^<]+)</span>', html, re.S)
    return match.group(1) if match else ""


def test_profile_page_offers_the_list_not_free_text(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    html = client.get("/account/person/").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="ethnicity"', html)
    assert not re.search(r'<input[^>]*name="ethnicity"', html)
    options = dict((value, bool(selected)) for selected, value in
                   re.findall(r'<option (selected )?value="([^"]*)">', html))
    for group in ("汉族", "回族", "基诺族", "柯尔克孜族"):
        assert group in options, group
    assert "火星族" not in options and len([v for v in options if v]) == 56
    assert options["汉族"] is True  # the stored value is the one shown


def test_profile_page_refuses_an_unlisted_ethnicity_at_the_field(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    response = client.post("/account/person/", data=dict(FORM, ethnicity="火星族", wechat="wx_kept"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _field_error(html, "ethnicity") == "请从列表中选择民族"
    assert "wx_kept" in html  # what was typed stays in the form
    person = _person(app)
    assert (person.ethnicity, person.mobile) == ("汉族", "13900000000")


def test_profile_api_refuses_an_unlisted_ethnicity(app, client):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    response = client.put("/api/v1/profile/", json=dict(FORM, ethnicity="火星族"))
    assert response.status_code == 400
    assert response.get_json()["message"] == {"ethnicity": ["请从列表中选择民族"]}
    assert _person(app).ethnicity == "汉族"
    assert client.put("/api/v1/profile/", json=FORM).status_code == 200
    assert _person(app).ethnicity == "回族"
