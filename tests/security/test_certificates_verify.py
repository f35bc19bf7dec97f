"""证书查询 and the certificate requests as an attacker sees them: the public look-up is rate-limited per
address (429 in Chinese) on the page, the QR address, the JSON and the PDF check; every kind of mismatch
gets the same answer through the same statements; the ID number is masked; only the holder sees who
verified their certificates; a bureau of another region and another applicant get 404 for rows not theirs."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.models.certificate_requests import HistoricalRegistration, RequestFile, VerificationLog
from app.models.certificates import Certificate
from config import Config
from tests.conftest import PASSWORD, login
from tests.factories import make_person
from tests.integration.certificates_public_steps import (HOLDER_ID, HOLDER_NAME, NOT_FOUND, decide, latest,
                                                         look_up, register_historical)

LIMIT_MESSAGE = "尝试次数过多，请稍后再试"


@pytest.fixture
def demo_certificate(app, demo):
    with app.app_context():
        return db.session.execute(select(Certificate.number, Certificate.verify_code)).one()


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_the_default_limit_is_ten_a_minute():
    assert Config.RATELIMIT_VERIFY_PER_ADDRESS == "10/minute"


def test_lookups_are_limited_per_address_on_every_way_in(app, demo_certificate):
    number, code = demo_certificate
    app.config.update(RATE_LIMITS_ENABLED=True, RATELIMIT_VERIFY_PER_ADDRESS="4/minute")
    client = _from(app, "198.51.100.7")
    assert look_up(client).status_code == 200
    assert client.get(f"/verify?no={number}&code={code}").status_code == 200
    assert client.post("/api/v1/verify/", json={"number": number, "code": code}).status_code == 200
    assert client.post("/verify/pdf", data={"file": (io.BytesIO(b"%PDF-1.4\n"), "a.pdf")},
                       content_type="multipart/form-data").status_code == 400  # counted, then refused as unreadable
    page = look_up(client, key=code)
    assert page.status_code == 429 and LIMIT_MESSAGE in page.get_data(as_text=True)
    assert number not in page.get_data(as_text=True)  # refused before the look-up
    assert client.get(f"/verify?no={number}&code={code}").status_code == 429
    refused = client.post("/api/v1/verify/", json={"number": number, "code": code})
    assert refused.status_code == 429 and refused.get_json() == {"message": {"_": [LIMIT_MESSAGE]}}
    assert client.post("/verify/pdf", data={"file": (io.BytesIO(b"%PDF-1.4\n"), "a.pdf")},
                       content_type="multipart/form-data").status_code == 429
    # another address is counted on its own; the empty form is not a look-up
    assert look_up(_from(app, "198.51.100.8"), key=code).status_code == 200
    assert client.get("/verify").status_code == 200


def _statements(app, fn):
    seen = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement.split()[0])

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = fn()
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count)
    return response, seen


def test_every_mismatch_gets_the_same_answer_through_the_same_statements(app, demo_certificate):
    number, code = demo_certificate
    client = app.test_client()
    mismatches = [
        dict(name="张晓", id_number=HOLDER_ID, key=code),            # wrong name
        dict(name=HOLDER_NAME, id_number="371002199003150011", key=code),  # wrong ID number
        dict(name=HOLDER_NAME, id_number=HOLDER_ID, key="ABCDEFGHJKLM"),   # wrong code
        dict(name=HOLDER_NAME, id_number=HOLDER_ID, key="3710002025999999"),  # wrong number
        dict(name="无此人", id_number="110105194912310029", key=""),  # nobody
    ]
    answers = [_statements(app, lambda m=m: look_up(client, **m)) for m in mismatches]
    bodies = {r.get_data(as_text=True) for r, _s in answers}
    assert len(bodies) == 1 and NOT_FOUND in bodies.pop()
    assert all(r.status_code == 200 for r, _s in answers)
    assert len({tuple(s) for _r, s in answers}) == 1
    api = {str(client.post("/api/v1/verify/", json=m).get_json()) for m in mismatches}
    qr = {client.get(url).get_data(as_text=True) for url in (
        f"/verify?no={number}&code=ABCDEFGHJKLM", f"/verify?no=3710002025999999&code={code}")}
    assert len(api) == 1 and len(qr) == 1
    # a match differs, and shows the ID number masked only
    found = look_up(client, key=code).get_data(as_text=True)
    assert number in found and HOLDER_ID not in found and "371002********002X" in found


def test_only_the_holder_sees_who_verified_their_certificates(app, demo_certificate):
    number, code = demo_certificate
    look_up(_from(app, "203.0.113.45"), key=code)
    unit = app.test_client()
    assert login(unit, "demo_unit").status_code == 302
    unit.environ_base["REMOTE_ADDR"] = "203.0.113.46"
    look_up(unit, key=number)
    holder = app.test_client()
    assert login(holder, "demo_person").status_code == 302
    page = holder.get("/certificate-requests/verifications/").get_data(as_text=True)
    assert page.count(number) == 2 and "203.0.113.*" in page and "203.0.113.45" not in page
    assert "威海市环翠区文化馆" in page  # the signed-in unit by name
    with app.app_context():
        make_person()
    other = app.test_client()
    assert login(other, "wangwu").status_code == 302
    assert number not in other.get("/certificate-requests/verifications/").get_data(as_text=True)
    for role in ("demo_unit", "demo_bureau"):
        client = app.test_client()
        login(client, role)
        assert client.get("/certificate-requests/verifications/").status_code == 403
    with app.app_context():  # a mismatch is logged too, with no certificate
        look_up(app.test_client(), key="nothing")
        assert db.session.execute(select(VerificationLog.id).where(VerificationLog.certificate_id.is_(None))).first()


def test_requests_of_others_are_not_found(app, demo):
    person = app.test_client()
    assert login(person, "demo_person").status_code == 302
    assert register_historical(app, person).status_code == 302
    row_id = latest(app, HistoricalRegistration)
    with app.app_context():
        from app.models.accounts import BackendBinding
        from app.models.catalog import Region
        from app.commands.accounts.create import new_user

        user = new_user(username="jinan_bureau", real_name="济南市人社局", email="jn@example.cn",
                        role_name="Bureau", password=PASSWORD)
        jinan = db.session.execute(select(Region.id).where(Region.code == "370100")).scalar_one()
        db.session.add(BackendBinding(user_id=user.id, region_id=jinan))
        db.session.commit()
        file_id = db.session.execute(select(RequestFile.id).where(RequestFile.historical_id == row_id)).scalars().first()
        make_person()
    other_bureau = app.test_client()
    assert login(other_bureau, "jinan_bureau").status_code == 302
    assert other_bureau.get(f"/certificate-reviews/historical/{row_id}").status_code == 404
    assert other_bureau.get(f"/certificate-reviews/historical/{row_id}/files/{file_id}").status_code == 404
    assert decide(other_bureau, "historical", row_id).status_code == 404
    other_person = app.test_client()
    assert login(other_person, "wangwu").status_code == 302
    assert other_person.get(f"/certificate-requests/files/{file_id}").status_code == 404
    assert person.get(f"/certificate-requests/files/{file_id}").status_code == 200
    with app.app_context():
        row = db.session.get(HistoricalRegistration, row_id)
        assert (row.status, row.version, row.certificate_id) == ("submitted", 1, None)


def test_a_stale_decision_is_refused(app, demo):
    person, bureau = app.test_client(), app.test_client()
    login(person, "demo_person")
    login(bureau, "demo_bureau")
    register_historical(app, person)
    row_id = latest(app, HistoricalRegistration)
    bureau.post(f"/certificate-reviews/historical/{row_id}/decide", data={"decision": "approve", "version": "1"})
    bureau.post(f"/certificate-reviews/historical/{row_id}/decide",
                data={"decision": "reject", "reason": "晚到的决定", "version": "1"})
    with app.app_context():
        row = db.session.get(HistoricalRegistration, row_id)
        assert (row.status, row.reason) == ("approved", None)


def test_the_pdf_check_refuses_what_is_not_a_certificate_pdf(app, demo):
    client = app.test_client()
    app.config["VERIFY_PDF_MAX_BYTES"] = 1024
    png = client.post("/verify/pdf", data={"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 40), "c.pdf")},
                      content_type="multipart/form-data")
    assert png.status_code == 400 and "只能验真PDF文件" in png.get_data(as_text=True)
    big = client.post("/verify/pdf", data={"file": (io.BytesIO(b"%PDF-1.4\n" + b"0" * 2000), "c.pdf")},
                      content_type="multipart/form-data")
    assert big.status_code == 400 and "MB" in big.get_data(as_text=True)
    junk = client.post("/verify/pdf", data={"file": (io.BytesIO(b"%PDF-1.4\n garbage"), "c.pdf")},
                       content_type="multipart/form-data")
    assert junk.status_code == 400 and "无法读取该PDF文件" in junk.get_data(as_text=True)


def test_a_reissue_cannot_reach_another_regions_certificate(app, demo):
    """demo_person's certificate was issued in 威海市: a request addressed to 济南市 is refused at the form, and a
    request row that names 济南市 anyway (forged) is refused by the 济南 bureau; the certificate stays valid."""
    from app.commands.accounts.create import new_user
    from app.models.accounts import BackendBinding
    from app.models.certificate_requests import ReissueRequest
    from tests.integration.certificates_public_steps import office, region_id, request_reissue

    jinan_office = office(app, "370100", "济南市职称办受理点")
    with app.app_context():
        certificate_id = db.session.execute(select(Certificate.id)).scalar_one()
        user = new_user(username="jinan_bureau", real_name="济南市人社局", email="jn@example.cn",
                        role_name="Bureau", password=PASSWORD)
        jinan_region = region_id("370100")
        db.session.add(BackendBinding(user_id=user.id, region_id=jinan_region))
        db.session.commit()
    person = app.test_client()
    login(person, "demo_person")
    refused = request_reissue(app, person, certificate_id, jinan_office, region_id=str(jinan_region))
    assert refused.status_code == 400 and "请选择发证机关所属行政区划" in refused.get_data(as_text=True)
    with app.app_context():
        from app.clock import utcnow
        from app.daos.applications import person_of

        forged = ReissueRequest(person_id=person_of(app.appbuilder.sm.find_user(username="demo_person")).id,
                                certificate_id=certificate_id, review_kind="review", kind="reissue",
                                region_id=jinan_region, office_id=jinan_office, status="submitted",
                                submitted_at=utcnow(), version=1)
        db.session.add(forged)
        db.session.commit()
        forged_id = forged.id
    jinan = app.test_client()
    login(jinan, "jinan_bureau")
    decide(jinan, "reissue", forged_id)
    with app.app_context():
        assert db.session.get(ReissueRequest, forged_id).status == "submitted"
        assert db.session.get(Certificate, certificate_id).status == "valid"
        assert db.session.execute(select(Certificate.id)).scalars().all() == [certificate_id]
