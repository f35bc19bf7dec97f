"""验真 of an uploaded certificate PDF: is its digital signature intact and made with the system's signing
certificate, covering the whole file (nothing appended since), and which certificate does it name (the
number and verification code printed on it). The caller reads the file in memory, size-capped; it is never stored."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

CODE = re.compile(r"[A-HJ-NP-Z2-9]{10,16}")
NUMBER = re.compile(r"[0-9A-Za-z\-]{6,32}")


@dataclass
class PdfReport:
    intact: bool
    problem: str = ""
    number: str = ""
    code: str = ""


class Unreadable(Exception):
    """The bytes are not a PDF pyHanko can read."""


def _trust_roots() -> list:
    """The system's signing certificate (app/services/signing.py), the one root a certificate PDF may chain to."""
    from asn1crypto import pem, x509

    from app.services.signing import signing_certificate_pem

    data = signing_certificate_pem()
    if pem.detect(data):
        data = pem.unarmor(data)[2]
    return [x509.Certificate.load(data)]


def named_certificate(data: bytes) -> tuple[str, str]:
    """The certificate number and verification code printed on the certificate, from its text."""
    from pypdf import PdfReader

    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    text = re.sub(r"\s+", " ", text)
    number = re.search(r"证书编号[:：]?\s*(" + NUMBER.pattern + ")", text)
    code = re.search(r"验证码[:：]?\s*(" + CODE.pattern + ")", text)
    return (number.group(1) if number else ""), (code.group(1) if code else "")


def check(data: bytes) -> PdfReport:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as err:
        raise Unreadable(str(err)) from err
    if not signatures:
        return PdfReport(False, str(_l("The file carries no digital signature: it is not an electronic certificate "
                                       "of this system")))
    context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[-1], signer_validation_context=context)
    except Exception:  # noqa: BLE001  (a malformed signature is a broken one, not a server error)
        return PdfReport(False, str(_l("The digital signature is broken: the file has been changed")))
    if not (status.intact and status.valid):
        return PdfReport(False, str(_l("The digital signature is broken: the file has been changed")))
    if not status.trusted:
        return PdfReport(False, str(_l("The file was not signed by this system")))
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return PdfReport(False, str(_l("The file has been changed after it was signed")))
    number, code = named_certificate(data)
    return PdfReport(True, number=number, code=code)
