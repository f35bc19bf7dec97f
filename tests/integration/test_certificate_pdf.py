"""The electronic certificate: one A4 page whose text holds the holder and the code, with the issuer's
seal and a QR code that opens the verify address, signed so that one changed byte breaks the signature."""
from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from app.commands.certificates.issue import IssueCertificatesCommand
from app.commands.certificates.seal import UploadSealCommand
from app.commands.errors import Invalid
from app.services import certificate_pdf, signing
from tests.integration.cert_fixtures import authorised_unit, final_passed


def seal_png(transparent: bool = True, kind: str = "PNG") -> bytes:
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0) if transparent else (255, 255, 255, 255))
    for x in range(40, 160):
        for y in range(95, 105):
            image.putpixel((x, y), (200, 0, 0, 255))
    out = io.BytesIO()
    (image if kind == "PNG" else image.convert("RGB")).save(out, kind)
    return out.getvalue()


@pytest.fixture
def signing_dir(app, tmp_path):
    app.config["CERT_SIGNING_DIR"] = str(tmp_path / "signing")
    app.config["CERT_SEAL_DIR"] = str(tmp_path / "seals")
    return tmp_path


def validate(data: bytes, trust_pem: bytes):
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    assert len(reader.embedded_signatures) == 1
    context = ValidationContext(trust_roots=[load_cert_from_pemder_bytes(trust_pem)], allow_fetching=False)
    return validate_pdf_signature(reader.embedded_signatures[0], context)


def load_cert_from_pemder_bytes(pem: bytes):
    from asn1crypto import pem as asn1pem, x509

    _, _, der = asn1pem.unarmor(pem)
    return x509.Certificate.load(der)


def test_the_certificate_pdf_is_searchable_sealed_has_the_qr_code_and_is_signed(app, signing_dir):
    app.config["CERT_VERIFY_BASE_URL"] = "https://zc.example.cn"
    with app.test_request_context("/"):
        user, unit = authorised_unit()
        UploadSealCommand(user, seal_png()).run()
        certificate = IssueCertificatesCommand(user, final_passed(unit, 1), "2026-11-20").run()[0]
        data = certificate_pdf.certificate_pdf(certificate)
        trust = signing.signing_certificate_pem()
        number, code, name, id_number = (certificate.number, certificate.verify_code, certificate.holder_name,
                                         certificate.holder_id_number)
        holder_copy = certificate_pdf.certificate_pdf(certificate, mask_id=False)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    assert name in text and code in text and number in text and "专业技术资格证书" in text
    assert id_number not in text and id_number[:6] in text and id_number[-4:] in text  # masked
    assert id_number in PdfReader(io.BytesIO(holder_copy)).pages[0].extract_text()
    images = [Image.open(io.BytesIO(img.data)) for img in reader.pages[0].images]
    assert len(images) == 2  # the QR code and the seal
    decoded = [r.text for img in images for r in zxingcpp.read_barcodes(img.convert("RGB"))]
    assert decoded == [f"https://zc.example.cn/verify?no={number}&code={code}"]

    status = validate(data, trust)
    assert status.intact and status.valid and status.bottom_line
    # one byte inside the page's compressed content (same length, so the file still reads)
    at = data.index(b"stream", data.index(b"/Contents")) + 40
    forged = bytearray(data)
    forged[at] ^= 0x01
    broken = validate(bytes(forged), trust)
    assert not broken.intact and not broken.bottom_line


@pytest.mark.parametrize("data, message", [
    (seal_png(transparent=False), "透明"),
    (seal_png(kind="JPEG"), "PNG"),
    (b"%PDF-1.4 not an image", "PNG"),
])
def test_a_seal_must_be_a_png_with_transparency_by_its_content(app, signing_dir, data, message):
    with app.test_request_context("/"):
        user, _unit = authorised_unit()
        with pytest.raises(Invalid) as err:
            UploadSealCommand(user, data).run()
        assert err.value.field == "seal" and message in str(err.value.message)
