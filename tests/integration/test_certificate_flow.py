"""Seed 001 §3.2 through the pages: the authorised unit finds its 终审通过 applicant under 证书库管理 →
职称认定, puts the certificate into the library with a 公布时间, the holder downloads the signed PDF from
我的申报信息 and 职称证书在线领取, and the unit revokes it with a reason in 职称认定证书管理."""
from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from asn1crypto import pem, x509
from PIL import Image
from pypdf import PdfReader
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select

from app.extensions import db
from app.models.applications import Application
from app.models.audit import AuditLog
from app.models.certificates import Certificate
from app.services import signing
from tests.conftest import login
from tests.integration.cert_fixtures import authorised_unit, final_passed


@pytest.fixture
def issuer(app, tmp_path):
    app.config["CERT_SIGNING_DIR"] = str(tmp_path / "signing")
    app.config["CERT_SEAL_DIR"] = str(tmp_path / "seals")
    with app.app_context():
        _user, unit = authorised_unit()
        ids = final_passed(unit, 1)
    return ids[0]


def _certificate(app):
    with app.app_context():
        return db.session.execute(select(Certificate)).scalar_one_or_none()


def test_recognition_final_passed_to_library_to_signed_pdf_to_revoked(app, client, issuer):
    login(client, "issuer1")
    page = client.get("/certificates/recognition/").get_data(as_text=True)
    assert "持证人0" in page and "职称认定人员证书入库" in page

    refused = client.post("/certificates/recognition/issue", data={"ids": [issuer], "published_on": ""})
    assert refused.status_code == 400
    assert re.search(r'id="published_on-error">请填写公布时间<', refused.get_data(as_text=True))
    assert _certificate(app) is None

    done = client.post("/certificates/recognition/issue", data={"ids": [issuer], "published_on": "2026-11-20"})
    assert done.status_code == 302
    certificate = _certificate(app)
    assert certificate is not None and certificate.application_id == issuer
    with app.app_context():
        assert db.session.get(Application, issuer).status == "certified"
        trust = signing.signing_certificate_pem()
    assert "持证人0" not in client.get("/certificates/recognition/").get_data(as_text=True)  # nobody waits now

    holder = app.test_client()
    login(holder, "holder0")
    mine = holder.get("/applications/").get_data(as_text=True)
    link = f"/certificates/{certificate.id}/download"
    assert link in mine and "下载证书" in mine
    listing = holder.get("/my/certificates/").get_data(as_text=True)
    assert certificate.number in listing and f"/certificates/{certificate.id}/preview" in listing
    assert f"/applications/{issuer}/forms/recognition_form" in listing  # 申报表
    form = holder.get(f"/applications/{issuer}/forms/recognition_form.pdf")  # final now: no 非最终版本 mark
    assert form.status_code == 200 and "非最终版本" not in PdfReader(io.BytesIO(form.data)).pages[0].extract_text()
    preview = holder.get(f"/certificates/{certificate.id}/preview")
    assert preview.status_code == 200 and certificate.verify_code in preview.get_data(as_text=True)

    response = holder.get(link)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    data = response.data
    page = PdfReader(io.BytesIO(data)).pages[0]
    text = page.extract_text()
    assert "持证人0" in text and certificate.verify_code in text
    assert certificate.holder_id_number in text  # the holder's own copy: the full ID number
    decoded = [r.text for img in page.images for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(img.data)).convert("RGB"))]
    assert decoded == [f"http://localhost/verify?no={certificate.number}&code={certificate.verify_code}"]
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    root = x509.Certificate.load(pem.unarmor(trust)[2])
    status = validate_pdf_signature(reader.embedded_signatures[0],
                                    ValidationContext(trust_roots=[root], allow_fetching=False))
    assert status.intact and status.valid

    library = client.get("/certificates/library/list/").get_data(as_text=True)
    assert certificate.number in library and certificate.holder_id_number not in library  # masked
    chosen = client.post("/certificates/library/action_post", data={"action": "revoke", "rowid": [certificate.id]})
    assert chosen.status_code == 302 and f"/certificates/revoke/?ids={certificate.id}" in chosen.headers["Location"]
    no_reason = client.post("/certificates/revoke/", data={"ids": str(certificate.id), "reason": " "})
    assert no_reason.status_code == 400 and 'id="reason-error">请填写注销原因<' in no_reason.get_data(as_text=True)
    assert _certificate(app).status == "valid"
    revoked = client.post("/certificates/revoke/", data={"ids": str(certificate.id), "reason": "证书信息有误"})
    assert revoked.status_code == 302
    row = _certificate(app)
    assert row.status == "revoked" and row.revoke_reason == "证书信息有误" and row.revoked_at is not None
    with app.app_context():
        audit = db.session.execute(select(AuditLog).where(AuditLog.action == "certificate.revoke")).scalar_one()
        assert audit.object_id == str(certificate.id) and audit.opinion == "证书信息有误"
    assert "已注销" in holder.get("/applications/").get_data(as_text=True)
    assert "已注销" in holder.get("/my/certificates/").get_data(as_text=True)
    again = client.post("/certificates/revoke/", data={"ids": str(certificate.id), "reason": "再次"})
    assert again.status_code == 400 and "不能注销" in again.get_data(as_text=True)


def test_the_library_exports_masked_id_numbers(app, client, issuer):
    from openpyxl import load_workbook

    login(client, "issuer1")
    client.post("/certificates/recognition/issue", data={"ids": [issuer], "published_on": "2026-11-20"})
    certificate = _certificate(app)
    response = client.get("/certificates/library/export.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("证书编号", "姓名", "身份证号")
    assert rows[1][0] == certificate.number and rows[1][1] == "持证人0"
    number = certificate.holder_id_number
    assert rows[1][2] == number[:6] + "*" * 8 + number[-4:]
    selected = client.post("/certificates/library/action_post", data={"action": "export", "rowid": [certificate.id]})
    assert selected.status_code == 200
    assert len(list(load_workbook(io.BytesIO(selected.data)).active.iter_rows())) == 2


def test_the_library_filters_by_the_status_label_year_and_name(app, client, issuer):
    login(client, "issuer1")
    client.post("/certificates/recognition/issue", data={"ids": [issuer], "published_on": "2026-11-20"})
    number = _certificate(app).number

    def listed(**args):
        return number in client.get("/certificates/library/list/", query_string=args).get_data(as_text=True)

    assert listed(_flt_0_status="有效") and not listed(_flt_0_status="已注销") and not listed(_flt_0_status="x")
    assert listed(_flt_0_year="2026") and not listed(_flt_0_year="2025")
    assert listed(_flt_2_holder_name="持证人") and not listed(_flt_2_holder_name="王")
