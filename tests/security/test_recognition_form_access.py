"""Issue item 9 opened the 认定表 PDF to its applicant from submission: nobody else got it with that."""
from __future__ import annotations

import datetime as dt

from app.extensions import db
from app.models.units import Unit
from tests.conftest import login
from tests.factories import make_application, make_person, make_unit_account


def test_recognition_form_of_another_person_or_unit_is_a_404(app, client):
    with app.app_context():
        owner = make_person(username="zhaoliu", real_name="赵六", id_number="11010519491231002X")
        make_person(username="lisi", real_name="李四", id_number="110105198001010032")
        make_unit_account("unit_other", name="济南市测试单位", region_code="370102")
        application = make_application(owner, business="recognition", status="pending_unit",
                                       submitted_at=dt.datetime(2026, 11, 20, 1))
        application_id = application.id
        assert db.session.get(Unit, application.unit_id).name != "济南市测试单位"
    for intruder in ("lisi", "unit_other"):
        login(client, intruder)
        assert client.get(f"/applications/{application_id}/forms/recognition_form").status_code == 404
        assert client.get(f"/applications/{application_id}/forms/recognition_form.pdf").status_code == 404
        assert client.post("/logout/").status_code == 302
    response = client.get(f"/applications/{application_id}/forms/recognition_form.pdf")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]
