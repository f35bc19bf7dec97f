"""证书查询 and the electronic certificate in Chromium (seed 000 §4, seed 004 ch. 6): a visitor follows 证书查询
under the login box and finds demo_person's certificate by name, ID number and verification code (the ID
number masked); the holder downloads the e-certificate from 职称证书在线领取, whose text holds the name and
the code (pypdf), whose signature validates and breaks after one changed byte (pyHanko), and whose QR code
(zxing-cpp) is the /verify address that opens the certificate; the downloaded file passes 验真 on the page."""
from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models.catalog import Region
from app.models.certificates import Certificate
from tests.e2e.conftest import assert_no_problems, screenshot
from tests.e2e.manual_steps import APPLICANT, click, path, sign_in

pytestmark = pytest.mark.e2e
HOLDER_ID = "37100219900315002X"  # demo_person (app/demo.py)


def _signature_holds(data: bytes, trust_pem: bytes) -> bool:
    """pyHanko's validation in a thread of its own: Playwright's sync API keeps an event loop in this one."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_validate, data, trust_pem).result()


def _validate(data: bytes, trust_pem: bytes) -> bool:
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = x509.Certificate.load(pem.unarmor(trust_pem)[2])
    signature = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[0]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root], allow_fetching=False))
    return bool(status.intact and status.valid and status.trusted)


def test_public_query_and_the_holders_signed_certificate(app, demo, strict_page, live_server, tmp_path):
    page = strict_page
    with app.app_context():
        number, code = db.session.execute(select(Certificate.number, Certificate.verify_code)).one()

    page.goto("/login/")
    click(page, page.locator("#verify-link"))
    assert path(page) == "/verify"
    form = page.locator("#verify-form")
    form.locator("input[name=name]").fill(APPLICANT)
    form.locator("input[name=id_number]").fill(HOLDER_ID)
    form.locator("input[name=key]").fill(code)
    click(page, form.locator("[type=submit]"))
    result = page.locator(f".verify-result[data-number='{number}']")
    assert result.count() == 1 and result.locator(".verify-status").get_attribute("data-status") == "valid"
    assert result.locator(".verify-id").inner_text() == "371002********002X"
    assert HOLDER_ID not in page.content()
    screenshot(page, "certificate-query")

    sign_in(page, "demo_person")
    # 历史职称数据登记 (seed 004 ch. 4): a certificate the city issued names 威海市本级
    page.goto("/certificate-requests/historical/new")
    form = page.locator("#historical-form")
    for name, value in (("series_name", "群众文化"), ("title_name", "馆员"), ("certificate_no", "鲁职改字第0815号"),
                        ("issuing_body", "威海市职称改革领导小组"), ("issued_on", "2008-12-20")):
        form.locator(f"input[name={name}]").fill(value)
    form.locator("select[name=level_id]").select_option(label="中级")
    page.select_option("#region-province", label="山东省")
    page.wait_for_selector("#region-city option:has-text('威海市')", state="attached")
    page.select_option("#region-city", label="威海市")
    page.wait_for_selector("#region-district option.own-level", state="attached")
    page.select_option("#region-district", label="威海市本级")
    with app.app_context():
        weihai = str(db.session.execute(select(Region.id).where(Region.code == "371000")).scalar_one())
    assert page.locator("#region_id").input_value() == weihai
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n% scan\n%%EOF\n")
    form.locator("input[name=form]").set_input_files(str(scan))
    form.locator("input[name=old_certificate]").set_input_files(str(scan))
    click(page, form.locator("[type=submit]"))
    assert path(page) == "/certificate-requests/historical/"
    assert page.locator("#historical-list td", has_text="鲁职改字第0815号").count() == 1

    page.goto("/my/certificates/")
    with page.expect_download() as download_info:
        page.locator(".cert-download").first.click()
    saved = tmp_path / "certificate.pdf"
    download_info.value.save_as(saved)
    data = saved.read_bytes()

    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert APPLICANT in text and code in text
    with app.app_context():
        from app.services.signing import signing_certificate_pem

        trust = signing_certificate_pem()
    assert _signature_holds(data, trust)
    at = data.index(b"stream", data.index(b"/Contents")) + 40
    assert not _signature_holds(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:], trust)

    decoded = [r.text for img in reader.pages[0].images
               for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(img.data)).convert("RGB"))]
    assert decoded == [f"{live_server}/verify?no={number}&code={code}"]
    page.context.clear_cookies()
    page.goto(decoded[0])
    assert page.locator(f".verify-result[data-number='{number}'] .verify-status").get_attribute("data-status") == "valid"

    page.locator("#verify-pdf-form input[name=file]").set_input_files(str(saved))
    click(page, page.locator("#verify-pdf-form [type=submit]"))
    assert page.locator("#pdf-signature").get_attribute("data-intact") == "yes"
    assert page.locator("#pdf-certificate").get_attribute("data-status") == "valid"
    screenshot(page, "certificate-pdf-check")
    assert_no_problems(page)


