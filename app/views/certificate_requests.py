"""The holder's certificate pages (seed 004 ch. 4–5): 历史职称数据登记 (list and the 信息补录 form), 职称证书在线补办
(the holder's certificates, the 补办/换发 form), who verified my certificates, and the holder's own uploads.
Thin: the rules and row checks are in app/commands/certificates and app/daos/certificates_public.py."""
from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.commands.certificates.historical import SubmitHistoricalCommand
from app.commands.certificates.reissue import NO_CERTIFICATE, SubmitReissueCommand
from app.commands.errors import CommandError
from app.daos import certificates_public as dao
from app.daos import catalog_choices
from app.daos import offices as offices_dao
from app.daos import paging
from app.daos.actors import person_of
from app.models.certificate_requests import RequestFile, VerificationLog
from app.services import storage
from app.views.answers import field_errors
from app.views.forms import FlaskForm
from app.workflow.certificate_states import certificate_label
from app.workflow.request_states import (HISTORICAL_MATERIALS, REISSUE_KINDS, REISSUE_MATERIALS, REQUEST_LABELS,
                                         REVIEW_KINDS)

CHANNEL_LABELS = {"page": _l("Query page"), "qr": _l("QR code"), "api": _l("Interface"), "pdf": _l("PDF check")}


class CsrfForm(FlaskForm):
    """The fields are plain inputs in the templates; this carries the CSRF token."""


def region_options(region_id=None) -> dict:
    from app.views.register import _region_options

    return _region_options(region_id)


def _errors(err: CommandError) -> tuple[dict[str, str], str | None]:
    """The command's message beside its field (the templates print one message per field)."""
    errors, form_error = field_errors(err)
    return {name: messages[0] for name, messages in errors.items()}, form_error


def _submitted(run, done_endpoint: str):
    """A request form's POST (the global CSRF check has passed): the command, then the list with a note; or
    ({field: message}, form message, 400) to show the form again. A GET: nothing to report yet."""
    if request.method != "POST":
        return {}, None, 200
    try:
        run()
    except CommandError as err:
        errors, form_error = _errors(err)
        return errors, form_error, 400
    flash(_("Submitted; the title office of the region will review it"), "success")
    return redirect(url_for(done_endpoint))


def _person():
    person = person_of(g.user)
    if person is None:
        abort(403)
    return person


def _own_person_id() -> int | None:
    """The signed-in applicant's person id; None for an account without one (an administrator opening
    the menu), whose lists are then empty instead of refused."""
    person = person_of(g.user)
    return person.id if person is not None else None


def or_404(row):
    """The row a page is about, or the page's 404 when there is none (unknown, or not the user's to see)."""
    if row is None:
        abort(404)
    return row


def send_request_file(file: RequestFile):
    try:
        path = storage.path_of(file.stored_name)
    except FileNotFoundError:
        abort(404)
    return send_file(path, mimetype="application/pdf", as_attachment=True, download_name=file.original_name)


class CertificateRequestView(BaseView):
    route_base = "/certificate-requests"
    class_permission_name = "CertificateRequest"
    method_permission_name = {"historical": "read", "historical_new": "write", "reissue": "read",
                              "reissue_new": "write", "verifications": "read", "file": "read", "offices": "read"}
    default_view = "historical"

    # ------------------------------------------------------------------ 历史职称数据登记
    @expose("/historical/")
    @has_access
    def historical(self):
        rows = dao.holder_registrations(person_of(g.user))
        return self.render_template("certificate_requests/historical_list.html", rows=rows, labels=REQUEST_LABELS,
                                    title=_("Historical title data registration"))

    @expose("/historical/new", methods=["GET", "POST"])
    @has_access
    def historical_new(self):
        _person()
        outcome = _submitted(lambda: SubmitHistoricalCommand(g.user, request.form.to_dict(),
                                                             request.files.to_dict()).run(),
                             "CertificateRequestView.historical")
        if not isinstance(outcome, tuple):
            return outcome
        form, (errors, form_error, status) = CsrfForm(), outcome
        return self.render_template("certificate_requests/historical_form.html", form=form, errors=errors,
                                    form_error=form_error, values=request.form, levels=catalog_choices.levels(),
                                    regions=region_options(request.form.get("region_id")),
                                    materials=HISTORICAL_MATERIALS,
                                    title=_("Historical title data registration")), status

    # ------------------------------------------------------------------ 职称证书在线补办
    @expose("/reissue/")
    @has_access
    def reissue(self):
        certificates, requests = dao.holder_reissues(person_of(g.user))
        return self.render_template("certificate_requests/reissue_list.html", certificates=certificates,
                                    requests=requests, labels=REQUEST_LABELS, kinds=REISSUE_KINDS,
                                    certificate_label=certificate_label, no_certificate=NO_CERTIFICATE,
                                    title=_("Online certificate reissue"))

    @expose("/reissue/<int:certificate_id>/new", methods=["GET", "POST"])
    @has_access
    def reissue_new(self, certificate_id: int):
        person = _person()
        certificate = or_404(dao.holder_certificate(person, certificate_id))
        outcome = _submitted(lambda: SubmitReissueCommand(g.user, certificate_id, request.form.to_dict(),
                                                          request.files.to_dict()).run(),
                             "CertificateRequestView.reissue")
        if not isinstance(outcome, tuple):
            return outcome
        form, (errors, form_error, status) = CsrfForm(), outcome
        region_id = request.form.get("region_id")
        offices = offices_dao.reissue_offices(region_id)
        return self.render_template("certificate_requests/reissue_form.html", form=form, errors=errors,
                                    form_error=form_error, values=request.form, certificate=certificate,
                                    regions=region_options(region_id), offices=offices,
                                    review_kinds=REVIEW_KINDS, kinds=REISSUE_KINDS, materials=REISSUE_MATERIALS,
                                    title=_("Certificate reissue (replacement)")), status

    # ------------------------------------------------------------------ who verified my certificates
    @expose("/verifications/")
    @has_access
    def verifications(self):
        page = paging.paginate(dao.holder_log(_own_person_id()), key=VerificationLog.at, id_col=VerificationLog.id,
                               source=request.args, options=(joinedload(VerificationLog.certificate),))
        return self.render_template("certificate_requests/verifications.html", rows=page.rows, page=page,
                                    channels=CHANNEL_LABELS, title=_("Who verified my certificates"))

    @expose("/files/<int:file_id>")
    @has_access
    def file(self, file_id: int):
        person = _person()
        return send_request_file(or_404(dao.holder_request_file(person, file_id)))

    @expose("/offices")
    @has_access
    def offices(self):
        """所属申报点 of ?region= (the reissue form's second select)."""
        offices = offices_dao.reissue_offices(request.args.get("region", ""))
        return jsonify([{"id": o.id, "name": o.name} for o in offices])
