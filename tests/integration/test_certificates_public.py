"""The public side of certificates through the pages: a historical registration approved by the bureau is
found by /verify as 历史证书 (no electronic certificate); a reissue approved gives a new valid certificate
and the old one says 已换发 with its successor; look-ups by name + ID, by code, by number, by the QR address."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditLog
from app.models.certificate_requests import HistoricalRegistration, ReissueRequest, RequestFile
from app.models.certificates import Certificate
from tests.conftest import login
from tests.factories import make_person
from tests.integration.certificates_public_steps import (HOLDER_ID, NOT_FOUND, OLD_NUMBER, approved_historical,
                                                         decide, latest, look_up, office, register_historical,
                                                         request_reissue)


@pytest.fixture
def person(app, demo):
    client = app.test_client()
    assert login(client, "demo_person").status_code == 302
    return client


@pytest.fixture
def bureau(app, demo):
    client = app.test_client()
    assert login(client, "demo_bureau").status_code == 302
    return client


def _certificate(app, number):
    with app.app_context():
        row = db.session.execute(select(Certificate).where(Certificate.number == number)).scalar_one()
        db.session.expunge(row)
        return row


def test_historical_registration_approved_is_verifiable_without_a_pdf(app, person, bureau):
    assert OLD_NUMBER not in look_up(app.test_client()).get_data(as_text=True)
    approved_historical(app, person, bureau)
    page = look_up(app.test_client()).get_data(as_text=True)
    assert OLD_NUMBER in page and "历史证书" in page and "有效" in page and "馆员" in page
    assert "371002********002X" in page and HOLDER_ID not in page
    with app.app_context():
        certificate = db.session.execute(select(Certificate).where(Certificate.number == OLD_NUMBER)).scalar_one()
        assert (certificate.business, certificate.issuer_name, certificate.application_id) == (
            "historical", "威海市职称改革领导小组", None)
        assert db.session.execute(select(AuditLog.action).where(AuditLog.object_type == "historical_registration")
                                  .order_by(AuditLog.id)).scalars().all() == ["historical.submit", "historical.approve"]
    # the holder sees it approved; the bureau's list no longer shows it waiting
    assert "审核通过" in person.get("/certificate-requests/historical/").get_data(as_text=True)
    assert OLD_NUMBER not in bureau.get("/certificate-reviews/historical/").get_data(as_text=True)
    # no electronic certificate exists for it: no PDF, no preview, and 职称证书在线领取 offers neither
    assert person.get(f"/certificates/{certificate.id}/download").status_code == 404
    assert person.get(f"/certificates/{certificate.id}/preview").status_code == 404
    mine = person.get("/my/certificates/").get_data(as_text=True)
    assert OLD_NUMBER in mine and f"/certificates/{certificate.id}/download" not in mine


def test_historical_registration_needs_two_pdfs_and_keeps_what_was_typed(app, person):
    response = register_historical(app, person, old_certificate=None)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "至少上传2项材料" in page
    assert 'value="威海市职称改革领导小组"' in page  # nothing typed is lost
    png = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 50)
    not_pdf = register_historical(app, person, old_certificate=(png, "x.pdf"))
    assert not_pdf.status_code == 400 and "PDF" in not_pdf.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(HistoricalRegistration.id)).first() is None
        assert db.session.execute(select(RequestFile.id)).first() is None


def test_rejection_needs_a_reason_and_is_not_verifiable(app, person, bureau):
    assert register_historical(app, person).status_code == 302
    row_id = latest(app, HistoricalRegistration)
    decide(bureau, "historical", row_id, approve=False)
    assert "请填写审核不通过原因" in bureau.get(f"/certificate-reviews/historical/{row_id}").get_data(as_text=True)
    decide(bureau, "historical", row_id, approve=False, reason="批文与证书不符")
    assert "批文与证书不符" in person.get("/certificate-requests/historical/").get_data(as_text=True)
    assert NOT_FOUND in look_up(app.test_client(), key=OLD_NUMBER).get_data(as_text=True)
    # decided once: a second decision is refused
    assert decide(bureau, "historical", row_id).status_code == 302
    with app.app_context():
        assert db.session.execute(select(Certificate.id).where(Certificate.number == OLD_NUMBER)).first() is None


def test_without_a_certificate_the_reissue_page_sends_to_the_historical_registration(app, demo):
    with app.app_context():
        make_person()
    client = app.test_client()
    assert login(client, "wangwu").status_code == 302
    page = client.get("/certificate-requests/reissue/").get_data(as_text=True)
    assert "未查询到证书信息，请先进行历史职称数据登记" in page and "/certificate-requests/historical/" in page


def test_reissue_approved_gives_a_new_certificate_and_the_old_says_replaced(app, person, bureau):
    approved_historical(app, person, bureau)
    old = _certificate(app, OLD_NUMBER)
    office_id = office(app)
    missing = request_reissue(app, person, old.id, office_id, void_notice=None)
    assert missing.status_code == 400 and "此项材料必须上传" in missing.get_data(as_text=True)
    assert request_reissue(app, person, old.id, office_id).status_code == 302
    assert decide(bureau, "reissue", latest(app, ReissueRequest)).status_code == 302

    old = _certificate(app, OLD_NUMBER)
    assert old.status == "replaced" and old.replaced_by_id is not None
    with app.app_context():
        new = db.session.get(Certificate, old.replaced_by_id)
        assert new.status == "valid" and new.number.startswith("3710002") and new.title_name == "馆员"
        assert new.issuer_name == "威海市人力资源和社会保障局"
        new_number, new_code = new.number, new.verify_code
    by_old = look_up(app.test_client(), key=OLD_NUMBER).get_data(as_text=True)
    assert "已换发" in by_old and new_number in by_old
    by_code = look_up(app.test_client(), key=new_code).get_data(as_text=True)
    assert new_number in by_code and "有效" in by_code and OLD_NUMBER not in by_code
    both = look_up(app.test_client()).get_data(as_text=True)
    assert OLD_NUMBER in both and new_number in both and both.count('verify-result') == 3  # + the demo one
    # the QR code's address opens the new one directly
    qr = app.test_client().get(f"/verify?no={new_number}&code={new_code}").get_data(as_text=True)
    assert new_number in qr and "有效" in qr
    assert NOT_FOUND in app.test_client().get(f"/verify?no={new_number}&code=AAAAAAAAAAAA").get_data(as_text=True)
    # a replaced certificate cannot be reissued again
    again = request_reissue(app, person, old.id, office_id)
    assert again.status_code == 400 and "只有有效的证书才能补办或换发" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(ReissueRequest.id).where(ReissueRequest.certificate_id == old.id)
                                  ).scalars().all() == [latest(app, ReissueRequest)]


def test_verification_json_answers_like_the_page(app, person, bureau):
    approved_historical(app, person, bureau)
    client = app.test_client()
    found = client.post("/api/v1/verify/", json={"name": "张晓燕", "id_number": HOLDER_ID, "key": OLD_NUMBER}).get_json()
    assert found["found"] is True and [c["number"] for c in found["certificates"]] == [OLD_NUMBER]
    assert found["certificates"][0]["holder_id_number"] == "371002********002X"
    assert found["certificates"][0]["historical"] is True
    missing = client.post("/api/v1/verify/", json={"name": "张晓燕", "id_number": HOLDER_ID, "key": "nope"}).get_json()
    assert missing == {"found": False, "message": NOT_FOUND, "certificates": []}
    assert client.post("/api/v1/verify/", json={"name": "张晓燕"}).status_code == 400
    # JSON only: a form (what a cross-site page can send) is refused
    assert client.post("/api/v1/verify/", data={"name": "张晓燕", "id_number": HOLDER_ID}).status_code == 400


def test_verify_by_code_and_by_number_then_revoked(app, demo):
    with app.app_context():
        number, code = db.session.execute(select(Certificate.number, Certificate.verify_code)).one()
    client = app.test_client()
    for key in (code, code.lower(), number):
        page = look_up(client, key=key).get_data(as_text=True)
        assert number in page and "有效" in page and "群众文化" in page and "371002********002X" in page
        assert page.count('verify-result') == 1
    with app.app_context():
        from app.commands.certificates.revoke import RevokeCertificatesCommand

        bureau = app.appbuilder.sm.find_user(username="demo_bureau")
        certificate_id = db.session.execute(select(Certificate.id).where(Certificate.number == number)).scalar_one()
        RevokeCertificatesCommand(bureau, [certificate_id], "证书信息有误").run()
    revoked = look_up(client, key=code).get_data(as_text=True)
    assert "已注销" in revoked and "注销时间" in revoked and "有效" not in revoked
    qr = client.get(f"/verify?no={number}&code={code}").get_data(as_text=True)
    assert "已注销" in qr
