"""职称初定 ends in a certificate: the applicant submits to the 报送受理部门 chosen on the form; the bureau of
the office's region reviews it for the office (退回 with a reason, 通过), puts the certificate into the
library with a 公布时间 (issuer: the office) and the applicant downloads it."""
from __future__ import annotations

import io

import pytest
from flask_appbuilder.security.sqla.models import User
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models.applications import Application, ApplicationEvent
from app.models.certificates import Certificate
from app.models.notify import Notification
from tests.conftest import login
from tests.integration.initial_fixtures import CITY_OFFICE, initial_draft, office_bureaus, office_id


@pytest.fixture
def world(app, tmp_path):
    app.config["CERT_SIGNING_DIR"] = str(tmp_path / "signing")
    app.config["CERT_SEAL_DIR"] = str(tmp_path / "seals")
    with app.app_context():
        application_id = initial_draft()
        office_bureaus()
        return {"application": application_id, "office": office_id(CITY_OFFICE)}


def _client(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _row(app, application_id):
    with app.app_context():
        return db.session.get(Application, application_id)


def test_a_submitted_initial_application_ends_in_a_certificate(app, world):
    application_id = world["application"]
    person = _client(app, "initial0")
    assert person.post(f"/applications/{application_id}/submit").status_code == 302
    row = _row(app, application_id)
    assert row.status == "pending_office" and row.current_unit_id is None  # no unit's queue holds it
    with app.app_context():  # the bureau acting for the office is told, the district's bureau is not
        told = db.session.execute(select(User.username).join(Notification, Notification.user_id == User.id)
                                  .where(Notification.title == "有职称初定申报待您审核")).scalars().all()
    assert told == ["bureau_wh"]

    bureau = _client(app, "bureau_wh")
    queue = bureau.get("/office/initial-review/")
    assert queue.status_code == 200 and "初定人0" in queue.get_data(as_text=True)
    assert "11010519800101070" not in queue.get_data(as_text=True)  # the ID number is masked
    assert 'placeholder="退回原因（必填）"' in queue.get_data(as_text=True)  # 退回, the seed's word
    form = bureau.get(f"/applications/{application_id}/forms/initial_form")  # the 申报表 it reviews
    assert f"/applications/{application_id}/forms/initial_form" in queue.get_data(as_text=True)
    assert form.status_code == 200 and "专业技术资格初定申报表" in form.get_data(as_text=True)

    no_reason = bureau.post(f"/office/initial-review/{application_id}/reject", data={"reason": " "},
                            follow_redirects=True)
    assert "请填写退回原因" in no_reason.get_data(as_text=True) and _row(app, application_id).status == "pending_office"
    confirm = bureau.get(f"/office/initial-review/reject?rowid={application_id}").get_data(as_text=True)
    assert "退回原因" in confirm and "初定人0" in confirm
    bureau.post(f"/office/initial-review/{application_id}/reject", data={"reason": "纸质材料未送达"})
    assert _row(app, application_id).status == "returned"
    assert "纸质材料未送达" in person.get(f"/applications/{application_id}/timeline").get_data(as_text=True)

    assert person.post(f"/applications/{application_id}/submit").status_code == 302
    assert _row(app, application_id).status == "pending_office"
    chosen = bureau.post("/office/initial-review/action_post", data={"action": "approve", "rowid": [application_id]})
    assert chosen.status_code == 302 and _row(app, application_id).status == "final_passed"

    issue_page = bureau.get("/office/initial-issue/").get_data(as_text=True)  # opens on the office with one waiting
    assert "初定人0" in issue_page and f'selected>{CITY_OFFICE}（1）</option>' in issue_page
    refused = bureau.post("/office/initial-issue/issue", data={"office_id": world["office"], "ids": [application_id],
                                                               "published_on": ""})
    assert refused.status_code == 400 and 'id="published_on-error">请填写公布时间<' in refused.get_data(as_text=True)
    done = bureau.post("/office/initial-issue/issue", data={"office_id": world["office"], "ids": [application_id],
                                                            "published_on": "2026-11-20"})
    assert done.status_code == 302
    with app.app_context():
        certificate = db.session.execute(select(Certificate)).scalar_one()
        actions = list(db.session.execute(select(ApplicationEvent.action).where(
            ApplicationEvent.application_id == application_id).order_by(ApplicationEvent.id)).scalars())
    assert (certificate.issuer_kind, certificate.issuer_name) == ("office", CITY_OFFICE)
    assert certificate.number.startswith("3710002026") and certificate.business == "initial"
    assert certificate.holder_name == "初定人0" and certificate.status == "valid"
    assert actions == ["submit_to_office", "office_return", "resubmit_to_office", "office_pass", "certify"]
    assert _row(app, application_id).status == "certified"

    response = person.get(f"/certificates/{certificate.id}/download")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "初定人0" in text and CITY_OFFICE in text and certificate.verify_code in text
    assert certificate.number in person.get("/my/certificates/").get_data(as_text=True)


def test_issuing_is_all_or_none(app, world):
    with app.app_context():
        passed = initial_draft(1, status="final_passed")
        waiting = initial_draft(2, status="pending_office")
    bureau = _client(app, "bureau_wh")
    response = bureau.post("/office/initial-issue/issue", data={"office_id": world["office"],
                                                                "ids": [passed, waiting], "published_on": "2026-11-20"})
    assert response.status_code == 400 and "初定人2" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(Certificate)).first() is None
    assert _row(app, passed).status == "final_passed"
