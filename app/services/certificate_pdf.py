"""The electronic certificate (职称电子证书) as an HTML page (预览) and as a signed one-page A4 PDF.

The page carries the issuer's seal (印章印模, app/services/seals.py) and a QR code (segno) that opens
`/verify?no=…&code=…`. The PDF is made by app/services/pdf.html_to_pdf (whose text is already made
searchable by unify_cjk_text) and only then signed (app/services/signing.py): signing is the last step."""
from __future__ import annotations

from urllib.parse import urlencode

import segno
from flask import current_app, has_request_context, render_template, request

from app.models.certificates import Certificate
from app.security.validators import mask_id_number
from app.services import pdf, seals, signing
from app.workflow.certificate_states import certificate_label


def verify_url(certificate: Certificate) -> str:
    """The public verification address of one certificate; on the configured site address, else the
    address the request came in on."""
    base = (current_app.config.get("CERT_VERIFY_BASE_URL") or "").rstrip("/")
    if not base:
        base = request.url_root.rstrip("/") if has_request_context() else "http://localhost:5000"
    return f"{base}/verify?{urlencode({'no': certificate.number, 'code': certificate.verify_code})}"


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m", micro=False).png_data_uri(scale=6, border=2)


def render_certificate(certificate: Certificate, *, standalone: bool, mask_id: bool = True) -> str:
    """The certificate page; the ID number is masked unless the caller says the reader is the holder."""
    return render_template(
        "documents/certificate.html", standalone=standalone, c=certificate,
        id_number=mask_id_number(certificate.holder_id_number) if mask_id else certificate.holder_id_number,
        status_label=certificate_label(certificate.status), qr_uri=qr_data_uri(verify_url(certificate)),
        seal_uri=seals.seal_data_uri(certificate.issuer_kind, certificate.issuer_id))


def certificate_pdf(certificate: Certificate, *, mask_id: bool = True) -> bytes:
    """The signed PDF; pdf.PdfError or signing.SigningError when it cannot be made (the 503 page)."""
    data = pdf.html_to_pdf(render_certificate(certificate, standalone=True, mask_id=mask_id), inline_images=True)
    return signing.sign_pdf(data, reason=f"职称电子证书 {certificate.number}")


def file_name(certificate: Certificate) -> str:
    return f"{certificate.holder_name}-职称证书-{certificate.number}.pdf"
