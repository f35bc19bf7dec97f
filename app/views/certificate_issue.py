"""证书库管理 → 职称认定: the unit with final-review authority (or the bureau of its region) queries its
终审通过 applicants, selects them and presses 职称认定人员证书入库 with a 公布时间 (IssueCertificatesCommand:
all or none). And 印章印模: the issuer uploads the seal printed on its certificates."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.commands.certificates.issue import IssueCertificatesCommand, issuable_applications, issuer_for
from app.commands.certificates.seal import UploadSealCommand
from app.commands.errors import CommandError
from app.daos import paging
from app.models.accounts import Person
from app.models.applications import Application
from app.services import seals
from app.views.acting import or_home
from app.views.answers import field_errors
from app.workflow.states import Status

NAME_MAX = 64


def _filters(source) -> dict:
    return {"name": str(source.get("name", "") or "").strip()[:NAME_MAX], "per_page": paging.per_page_arg(source),
            "position": paging.position_args(source)}


def recognition_queue(issuer, name: str = ""):
    """SELECT of the issuer's 终审通过 recognition applicants waiting for 入库, by name when given."""
    query = issuable_applications(issuer).where(Application.business == "recognition",
                                                Application.status == Status.FINAL_PASSED.value)
    if name:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.join(Person, Person.id == Application.person_id).where(
            Person.real_name.like(f"%{escaped}%", escape="\\"))
    return query


class RecognitionIssueView(BaseView):
    route_base = "/certificates/recognition"
    class_permission_name = "CertificateLibrary"
    method_permission_name = {"list": "read", "issue": "write"}
    default_view = "list"

    def _render(self, f: dict, *, errors=None, message=None, selected=(), published_on="", status=200):
        issuer = or_home(issuer_for(g.user), _("Only the issuing body can issue certificates"))
        page = paging.paginate(recognition_queue(issuer, f["name"]), key=Application.submitted_at,
                               id_col=Application.id, source=dict(f["position"], per_page=f["per_page"]),
                               options=(joinedload(Application.person), joinedload(Application.series),
                                        joinedload(Application.level), joinedload(Application.title),
                                        joinedload(Application.unit)))
        return self.render_template(
            "certificates/recognition.html", page=page, f=f, args={"name": f["name"]}, issuer=issuer,
            errors=errors or {}, message=message, selected={str(s) for s in selected}, published_on=published_on,
            title=_("Title recognition")), status

    @expose("/")
    @has_access
    def list(self):
        return self._render(_filters(request.args))

    @expose("/issue", methods=["POST"])
    @has_access
    def issue(self):
        f = _filters(request.form)
        ids = request.form.getlist("ids")
        published_on = request.form.get("published_on", "")
        try:
            issued = IssueCertificatesCommand(g.user, ids, published_on).run()
        except CommandError as err:
            errors, message = field_errors(err)
            return self._render(f, errors=errors, message=message, selected=ids, published_on=published_on,
                                status=400)
        flash(_("Certificates issued to %(n)d applicant(s)", n=len(issued)), "success")
        return redirect(url_for("RecognitionIssueView.list", name=f["name"]))


class SealView(BaseView):
    """印章印模: the issuer's current seal and the upload of a new one."""

    route_base = "/certificates/seal"
    class_permission_name = "CertificateLibrary"
    method_permission_name = {"show": "write"}
    default_view = "show"

    @expose("/", methods=["GET", "POST"])
    @has_access
    def show(self):
        issuer = or_home(issuer_for(g.user), _("Only the issuing body can issue certificates"))
        errors, message, status = {}, None, 200
        if request.method == "POST":
            upload = request.files.get("seal")
            try:
                UploadSealCommand(g.user, upload.read() if upload else b"").run()
            except CommandError as err:
                (errors, message), status = field_errors(err), 400
            else:
                flash(_("The seal image was saved"), "success")
                return redirect(url_for("SealView.show"))
        return self.render_template("certificates/seal.html", issuer=issuer, errors=errors,
                                    message=message, seal_uri=seals.seal_data_uri(issuer.kind, issuer.id),
                                    title=_("Seal image")), status
