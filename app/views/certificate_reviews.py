"""The bureau's side of the holder's requests: 历史职称数据登记审核 and 证书补办（换发）审核, its region and the
regions below, page by page; 通过 / 不通过 (with a reason) post to the commands, which check the row again."""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from app.commands.certificates.historical import DecideHistoricalCommand
from app.commands.certificates.reissue import DecideReissueCommand
from app.commands.errors import CommandError
from app.daos import certificates_public as dao
from app.models.certificate_requests import HistoricalRegistration, ReissueRequest
from app.security.validators import mask_id_number
from app.views.answers import raise_http
from app.views.certificate_requests import CsrfForm, or_404, send_request_file
from app.workflow.certificate_states import certificate_label
from app.workflow.request_states import (HISTORICAL_MATERIALS, REISSUE_KINDS, REISSUE_MATERIALS, REQUEST_LABELS,
                                         REVIEW_KINDS)

KINDS = {
    "historical": (HistoricalRegistration, DecideHistoricalCommand, HISTORICAL_MATERIALS),
    "reissue": (ReissueRequest, DecideReissueCommand, REISSUE_MATERIALS),
}


def _kind(kind: str):
    if kind not in KINDS:
        abort(404)
    return KINDS[kind]


def _status_arg() -> str:
    status = request.args.get("status", "submitted" if "status" not in request.args else "")
    return status if status in REQUEST_LABELS else ""


class CertificateRequestReviewView(BaseView):
    route_base = "/certificate-reviews"
    class_permission_name = "CertificateRequestReview"
    method_permission_name = {"list": "read", "show": "read", "file": "read", "decide": "write"}
    default_view = "list"

    @expose("/<kind>/")
    @has_access
    def list(self, kind: str):
        model, _command, _materials = _kind(kind)
        status = _status_arg()
        page = dao.queued_page(model, g.user, status, request.args)
        return self.render_template("certificate_reviews/list.html", kind=kind, rows=page.rows, page=page,
                                    status=status, labels=REQUEST_LABELS, kinds=REISSUE_KINDS,
                                    mask=mask_id_number, title=_("Review of historical title registrations")
                                    if kind == "historical" else _("Review of certificate reissue requests"))

    def _row(self, kind: str, row_id: int):
        model, _command, materials = _kind(kind)
        return or_404(dao.queued_request(model, g.user, row_id)), materials

    @expose("/<kind>/<int:row_id>")
    @has_access
    def show(self, kind: str, row_id: int):
        row, materials = self._row(kind, row_id)
        files = dao.request_files(row)
        return self.render_template("certificate_reviews/show.html", kind=kind, row=row, files=files,
                                    materials=materials, labels=REQUEST_LABELS, kinds=REISSUE_KINDS,
                                    review_kinds=REVIEW_KINDS, certificate_label=certificate_label,
                                    mask=mask_id_number, form=CsrfForm(),
                                    title=_("Historical title registration") if kind == "historical"
                                    else _("Certificate reissue (replacement)"))

    @expose("/<kind>/<int:row_id>/files/<int:file_id>")
    @has_access
    def file(self, kind: str, row_id: int, file_id: int):
        row, _materials = self._row(kind, row_id)
        return send_request_file(or_404(dao.request_file(row, file_id)))

    @expose("/<kind>/<int:row_id>/decide", methods=["POST"])
    @has_access
    def decide(self, kind: str, row_id: int):
        _model, command, _materials = _kind(kind)
        if not CsrfForm().validate_on_submit():
            flash(_("The form has expired; please submit it again"), "danger")
            return redirect(url_for("CertificateRequestReviewView.show", kind=kind, row_id=row_id))
        approve = request.form.get("decision") == "approve"
        try:
            command(g.user, row_id, approve, request.form.get("reason"), request.form.get("version")).run()
        except CommandError as err:
            raise_http(err)
            flash(str(err.message), "danger")
            return redirect(url_for("CertificateRequestReviewView.show", kind=kind, row_id=row_id))
        flash(_("Approved") if approve else _("Not approved; the applicant sees the reason"), "success")
        return redirect(url_for("CertificateRequestReviewView.list", kind=kind))


def register(appbuilder) -> None:
    """This module's views and menus, and the holder's (app/views/certificate_requests.py)."""
    from flask_babel import lazy_gettext as _l

    from app.views.certificate_requests import CertificateRequestView

    appbuilder.add_view_no_menu(CertificateRequestView())
    appbuilder.add_view_no_menu(CertificateRequestReviewView())
    # the holder's items sit in the applicant's 专业技术职称 menu, as in the manual
    mine = dict(category="Applications")
    bureau = dict(category="CertificateRequests", category_label=_l("Certificate requests"),
                  category_icon="fa-certificate")
    links = (  # (menu, name, label, address, icon)
        (mine, "HistoricalRegistration", _l("Historical title data registration"), "/certificate-requests/historical/",
         "fa-archive"),
        (mine, "CertificateReissue", _l("Online certificate reissue"), "/certificate-requests/reissue/", "fa-refresh"),
        (mine, "CertificateVerifications", _l("Who verified my certificates"), "/certificate-requests/verifications/",
         "fa-eye"),
        (bureau, "HistoricalReview", _l("Review of historical title registrations"),
         "/certificate-reviews/historical/", "fa-archive"),
        (bureau, "ReissueReview", _l("Review of certificate reissue requests"), "/certificate-reviews/reissue/",
         "fa-refresh"),
    )
    for menu, name, label, href, icon in links:
        appbuilder.add_link(name, label=label, href=href, icon=icon, **menu)
