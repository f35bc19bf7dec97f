"""Issue item 10 put the reviewer's reasons on the timeline: only the applicant's own timeline shows them."""
from __future__ import annotations

import datetime as dt

from app.extensions import db
from app.models.applications import ApplicationEvent
from tests.conftest import login
from tests.factories import make_application, make_person, make_unit_account


def test_another_person_or_a_unit_cannot_read_the_return_reasons(app, client):
    with app.app_context():
        owner = make_person(username="zhaoliu", real_name="赵六", id_number="11010519491231002X")
        make_person(username="lisi", real_name="李四", id_number="110105198001010032")
        make_unit_account("unit_other", name="济南市测试单位", region_code="370102")
        application = make_application(owner, status="returned", submitted_at=dt.datetime(2026, 11, 20, 1))
        db.session.add(ApplicationEvent(application_id=application.id, at=dt.datetime(2026, 11, 21, 1),
                                        actor_name="某单位", action="return", from_status="pending_unit",
                                        to_status="returned", opinion="", rejected_sections=[["work_summary",
                                                                                              "机密理由甲"]]))
        db.session.commit()
        application_id = application.id
    login(client, "zhaoliu")
    assert "机密理由甲" in client.get(f"/applications/{application_id}/timeline").get_data(as_text=True)
    assert client.post("/logout/").status_code == 302
    for intruder in ("lisi", "unit_other"):
        login(client, intruder)
        response = client.get(f"/applications/{application_id}/timeline")
        assert response.status_code in (403, 404) and "机密理由甲" not in response.get_data(as_text=True)
        assert client.post("/logout/").status_code == 302
