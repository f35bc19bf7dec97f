"""证书库管理 → 职称认定证书管理: the certificates the signed-in bureau (its region and below) or unit
(its own issues) manages, a FAB list paged on the server with scalar filters (年度, 系列, 级别, 状态,
姓名, 证书编号: no filter loads a related table), the actions 下载, 注销 and 导出Excel. FAB's action_post
loads the rows by id without the list's filter, so every action goes through the row filter again (the
commands and `managed_certificates()`), and 注销 asks for the reason on a page of its own."""
from __future__ import annotations

import io
import zipfile

from flask import Response, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, ModelView, expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import false

from app.clock import format_local
from app.commands.certificates.revoke import RevokeCertificatesCommand, parse_ids
from app.commands.errors import CommandError
from app.daos.certificates import managed_by_ids, managed_certificates, managed_export
from app.models.certificates import Certificate
from app.security.validators import mask_id_number
from app.services import certificate_export, certificate_pdf, pdf, signing
from app.views.answers import field_errors
from app.views.certificates import pdf_response
from app.views.lists import SignedInRows
from app.workflow.certificate_states import CertificateStatus, certificate_label

EXPORT_MAX = 10_000
ZIP_MAX = 20


class StatusIs(BaseFilter):
    """状态 等于 有效 / 已注销 / 已换发: the label a user types, or the stored code."""
    name = _l("Equal to")
    arg_name = "eq"

    def apply(self, query, value):
        text = str(value or "").strip()
        codes = [s.value for s in CertificateStatus if text in (s.value, certificate_label(s.value))]
        return query.filter(Certificate.status == codes[0]) if codes else query.filter(false())


def managed(ids) -> list[Certificate]:
    return managed_by_ids(g.user, ids)


def _ids(items) -> list[int]:
    items = items if isinstance(items, list) else [items]
    return [item.id for item in items if item is not None]


class CertificateLibraryView(ModelView):
    route_base = "/certificates/library"
    datamodel = SQLAInterface(Certificate)
    class_permission_name = "CertificateLibrary"
    method_permission_name = {"list": "read", "show": "read", "download_certificates": "read",
                              "export_certificates": "read", "export_all": "read", "revoke_certificates": "write"}
    base_permissions = ["can_read", "can_write"]
    # no add, edit, delete or file download: a certificate is made by 入库 and changed by its commands only
    include_route_methods = {"list", "show", "action", "action_post", "export_all"}
    base_filters = [["id", SignedInRows, lambda user: managed_certificates(user).whereclause]]
    base_order = ("id", "desc")
    page_size = 20
    list_title = _l("Recognition certificate management")
    show_title = _l("Certificate")
    list_template = "certificates/library_list.html"
    list_columns = ["number", "holder_name", "holder_id_number", "series_name", "level_name", "title_name",
                    "issuer_name", "published_on", "status"]
    show_columns = list_columns + ["verify_code", "specialty_name", "year", "issued_at", "revoke_reason",
                                   "revoked_at"]
    search_columns = ["year", "series_name", "level_name", "status", "holder_name", "number"]
    formatters_columns = {"holder_id_number": mask_id_number, "status": certificate_label,
                          "issued_at": format_local, "revoked_at": format_local}
    label_columns = {"number": _l("Certificate number"), "holder_name": _l("Name"), "holder_id_number": _l("ID number"),
                     "series_name": _l("Series"), "level_name": _l("Level"), "title_name": _l("Qualification title"),
                     "specialty_name": _l("Specialty"), "issuer_name": _l("Issuing body"),
                     "published_on": _l("Publication date"), "status": _l("Certificate status"),
                     "verify_code": _l("Verification code"), "year": _l("Year"), "issued_at": _l("Issued at"),
                     "revoke_reason": _l("Reason for revocation"), "revoked_at": _l("Revoked at")}

    def _init_properties(self):
        super()._init_properties()
        status = [StatusIs("status", self.datamodel)]  # instead of the text filters: the search widget and the URL
        self._filters.get_search_filters()["status"] = self._filters._all_filters["status"] = status

    @action("download", _l("Download"), None, "fa-download", multiple=True, single=True)
    def download_certificates(self, items):
        certificates = managed(_ids(items))
        if not certificates:
            flash(_("Select the certificates"), "warning")
            return redirect(url_for("CertificateLibraryView.list"))
        if len(certificates) == 1:
            return pdf_response(self, certificates[0], mask_id=True)
        if len(certificates) > ZIP_MAX:
            flash(_("At most %(n)d certificates can be downloaded at once", n=ZIP_MAX), "warning")
            return redirect(url_for("CertificateLibraryView.list"))
        out = io.BytesIO()
        try:
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for certificate in certificates:
                    archive.writestr(certificate_pdf.file_name(certificate),
                                     certificate_pdf.certificate_pdf(certificate, mask_id=True))
        except (pdf.PdfError, signing.SigningError):
            return self.render_template("certificates/unavailable.html", certificate=certificates[0],
                                        title=_("The PDF could not be generated")), 503
        return Response(out.getvalue(), mimetype="application/zip", headers={
            "Content-Disposition": 'attachment; filename="certificates.zip"', "Cache-Control": "private, no-store"})

    @action("revoke", _l("Revoke"), None, "fa-ban", multiple=True, single=True)
    def revoke_certificates(self, items):
        ids = _ids(items)
        return redirect(url_for("RevokeView.confirm", ids=",".join(str(i) for i in ids)))

    @action("export", _l("Export to Excel"), None, "fa-file-excel-o", multiple=True, single=False)
    def export_certificates(self, items):
        return _xlsx(managed(_ids(items)))

    @expose("/export.xlsx")
    @has_access
    def export_all(self):
        status = request.args.get("status", "")
        status = status if status in {s.value for s in CertificateStatus} else ""
        return _xlsx(managed_export(g.user, status, EXPORT_MAX))


def _xlsx(certificates):
    return Response(certificate_export.workbook(certificates),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=\"certificates.xlsx\"; "
                                                    "filename*=UTF-8''%E8%AF%81%E4%B9%A6.xlsx",
                             "Cache-Control": "private, no-store"})


class RevokeView(BaseView):
    """注销 with a reason: the confirm page of the list's action, then the command."""

    route_base = "/certificates/revoke"
    class_permission_name = "CertificateLibrary"
    method_permission_name = {"confirm": "write"}

    def _page(self, ids, reason="", errors=None, message=None, status=200):
        certificates = managed(ids) if ids else []
        return self.render_template("certificates/revoke.html", certificates=certificates, ids=ids, reason=reason,
                                    errors=errors or {}, message=message,
                                    status_label=certificate_label,
                                    title=_("Revoke certificates")), status

    @expose("/", methods=["GET", "POST"])
    @has_access
    def confirm(self):
        source = request.form if request.method == "POST" else request.args
        try:
            ids = parse_ids(source.get("ids", ""))
        except CommandError:
            flash(_("Select the certificates"), "warning")
            return redirect(url_for("CertificateLibraryView.list"))
        if request.method == "GET":
            return self._page(ids)
        reason = request.form.get("reason", "")
        try:
            revoked = RevokeCertificatesCommand(g.user, ids, reason).run()
        except CommandError as err:
            errors, message = field_errors(err)
            return self._page(ids, reason, errors, message, status=400)
        flash(_("%(n)d certificate(s) revoked", n=len(revoked)), "success")
        return redirect(url_for("CertificateLibraryView.list"))
