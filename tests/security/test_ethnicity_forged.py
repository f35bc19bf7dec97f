"""民族 outside the list, forged past the select (page POST, API PUT), is refused by the server and never
stored (it used to be saved and printed on the 评审表)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.accounts import Person
from tests.conftest import login
from tests.factories import make_person

BASE = {"email": "wangwu@example.cn", "mobile": "13900000000"}


@pytest.mark.parametrize("forged", ["火星族", "<b>汉族</b>", "汉", "Han", "汉族汉族"])
def test_forged_ethnicity_is_refused_on_page_and_api(app, client, forged):
    with app.app_context():
        make_person()
    login(client, "wangwu")
    page = client.post("/account/person/", data=dict(BASE, ethnicity=forged))
    assert page.status_code == 200 and "请从列表中选择民族" in page.get_data(as_text=True)
    api = client.put("/api/v1/profile/", json={"ethnicity": forged})
    assert api.status_code == 400
    with app.app_context():
        assert db.session.execute(select(Person.ethnicity)).scalar_one() == "汉族"
