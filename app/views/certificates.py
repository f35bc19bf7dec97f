"""The certificate itself: 下载 (the signed PDF) and 预览 (the same page as HTML), for whoever may read
it (app/daos/certificates.visible_certificates): the holder gets the full ID number, everyone else sees
it masked. `register()` adds every certificate view and menu."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, g
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.daos.certificates import holds, visible_certificate
from app.models.certificates import Certificate
from app.services import certificate_pdf, pdf, signing


def get_visible_or_404(user, certificate_id: int) -> Certificate:
    certificate = visible_certificate(user, certificate_id)
    if certificate is None:
        abort(404)
    return certificate


def pdf_response(view, certificate: Certificate, *, mask_id: bool):
    """The signed PDF as a download, or the Chinese 503 page when it cannot be made; a historical
    record has no electronic certificate (404)."""
    if not certificate.electronic:
        abort(404)
    try:
        content = certificate_pdf.certificate_pdf(certificate, mask_id=mask_id)
    except (pdf.PdfError, signing.SigningError):
        return view.render_template("certificates/unavailable.html", certificate=certificate,
                                    title=_("The PDF could not be generated")), 503
    return Response(content, mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename=\"certificate-{certificate.number}.pdf\"; "
                               f"filename*=UTF-8''{quote(certificate_pdf.file_name(certificate))}",
        "Cache-Control": "private, no-store",
    })


class CertificateView(BaseView):
    route_base = "/certificates"
    class_permission_name = "Certificate"
    method_permission_name = {"download": "read", "preview": "read"}
    default_view = "preview"

    @expose("/<int:certificate_id>/download")
    @has_access
    def download(self, certificate_id: int):
        certificate = get_visible_or_404(g.user, certificate_id)
        return pdf_response(self, certificate, mask_id=not holds(g.user, certificate))

    @expose("/<int:certificate_id>/preview")
    @has_access
    def preview(self, certificate_id: int):
        certificate = get_visible_or_404(g.user, certificate_id)
        if not certificate.electronic:
            abort(404)
        html = certificate_pdf.render_certificate(certificate, standalone=False, mask_id=not holds(g.user, certificate))
        document = Markup(html)  # nosec B704: rendered from a .html template, so Jinja autoescaped every value
        return self.render_template("certificates/preview.html", certificate=certificate, document=document,
                                    title=f"{certificate.holder_name} · {_('Electronic title certificate')}")


def register(appbuilder) -> None:
    """Add the certificate views and menus: 证书库管理 (职称认定, 职称认定证书管理, 印章印模) for the
    issuing side, 职称证书在线领取 for the holder, and the API."""
    from app.api.certificates import CertificateApi
    from app.views.certificate_holder import MyCertificatesView
    from app.views.certificate_issue import RecognitionIssueView, SealView
    from app.views.certificate_library import CertificateLibraryView, RevokeView

    appbuilder.add_view_no_menu(CertificateView())
    appbuilder.add_view_no_menu(RevokeView())
    library = dict(category="CertificateLibrary", category_label=_l("Certificate library"),
                   category_icon="fa-certificate")
    appbuilder.add_view(RecognitionIssueView, "RecognitionIssue", label=_l("Title recognition"),
                        icon="fa-check-square-o", **library)
    appbuilder.add_view(CertificateLibraryView, "CertificateManagement", label=_l("Recognition certificate management"),
                        icon="fa-list", **library)
    appbuilder.add_view(SealView, "IssuerSeal", label=_l("Seal image"), icon="fa-circle-o", **library)
    appbuilder.add_view(MyCertificatesView, "MyCertificates", label=_l("Collect title certificates online"),
                        icon="fa-id-card-o", category="Applications")
    appbuilder.add_api(CertificateApi)
