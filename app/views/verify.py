"""证书查询 (Z5), public, no login: the look-up page (linked under the login box), the QR code's address
`/verify?no=…&code=…` and 验真 of an uploaded certificate PDF (the JSON look-up is app/api/verify.py). Every look-up
counts against RATELIMIT_VERIFY_PER_ADDRESS (429 in Chinese) and is logged by the command."""
from __future__ import annotations

from flask import g, request
from flask_appbuilder import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FileField, StringField
from wtforms.validators import Length

from app.clock import format_local
from app.commands.certificates.check_pdf import CheckCertificatePdfCommand
from app.commands.certificates.verify import VerifyCertificatesCommand
from app.commands.errors import CommandError
from app.security import ratelimit
from app.security.validators import mask_id_number
from app.views.answers import answer
from app.views.forms import FlaskForm
from app.workflow.certificate_states import certificate_label

LIMIT = "verify_per_address"


class VerifyForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=64)])
    id_number = StringField(_l("ID number"), validators=[Length(max=32)])
    key = StringField(_l("Verification code or certificate number"), validators=[Length(max=32)])


class PdfForm(FlaskForm):
    file = FileField(_l("Certificate PDF"))


def present(certificate) -> dict:
    """What a visitor may see of a certificate: the ID number masked, the status with its time."""
    successor = certificate.replaced_by
    return {
        "number": certificate.number, "holder_name": certificate.holder_name,
        "holder_id_number": mask_id_number(certificate.holder_id_number),
        "series": certificate.series_name, "level": certificate.level_name, "title": certificate.title_name,
        "specialty": certificate.specialty_name or "", "issuer": certificate.issuer_name,
        "published_on": certificate.published_on.isoformat(), "historical": certificate.business == "historical",
        "status": certificate.status, "status_label": certificate_label(certificate.status),
        "revoked_at": format_local(certificate.revoked_at) if certificate.revoked_at else "",
        "replaced_at": format_local(certificate.replaced_at) if certificate.replaced_at else "",
        "replaced_by": successor.number if successor is not None else "",
    }


def _limited() -> bool:
    return not ratelimit.allowed(LIMIT, ratelimit.address())


def _too_many() -> str:
    return _("Too many tries; please wait a while before trying again")


def _signed_in_user():
    user = getattr(g, "user", None)
    return user if user is not None and getattr(user, "is_authenticated", False) else None


class VerifyView(BaseView):
    route_base = "/verify"
    default_view = "index"

    def _render(self, form, status=200, **context):
        context.setdefault("pdf_form", PdfForm(formdata=None))
        return self.render_template("verify/index.html", form=form, title=_("Certificate query"),
                                    **context), status

    @expose("", methods=["GET", "POST"])
    def index(self):
        number, code = request.args.get("no", ""), request.args.get("code", "")
        if request.method == "GET" and not (number or code):
            return self._render(VerifyForm(formdata=None))
        if request.method == "GET":  # the QR code's address: number + code
            form, command = VerifyForm(formdata=None), VerifyCertificatesCommand(
                number=number, code=code, channel="qr", address=ratelimit.address(), user=_signed_in_user())
        else:
            form = VerifyForm()
            if not form.validate():
                return self._render(form, 400)
            command = VerifyCertificatesCommand(name=form.name.data, id_number=form.id_number.data,
                                                key=form.key.data, address=ratelimit.address(),
                                                user=_signed_in_user())
        if _limited():
            return self._render(form, 429, limited=_too_many())
        try:
            found = command.run()
        except CommandError as err:
            answer(err, form)
            return self._render(form, 400)
        if not found:
            # the same page whatever did not match: nothing typed is echoed back
            return self._render(VerifyForm(formdata=None), searched=True, certificates=[])
        return self._render(VerifyForm(formdata=None), searched=True, certificates=[present(c) for c in found])

    @expose("/pdf", methods=["POST"])
    def pdf(self):
        """验真: is the uploaded PDF's signature intact, and is the certificate it names valid?"""
        pdf_form = PdfForm()
        if not pdf_form.validate():
            return self._render(VerifyForm(formdata=None), 400, pdf_form=pdf_form)
        if _limited():
            return self._render(VerifyForm(formdata=None), 429, pdf_form=pdf_form, limited=_too_many())
        try:
            report, found = CheckCertificatePdfCommand(request.files.get("file"), address=ratelimit.address(),
                                                       user=_signed_in_user()).run()
        except CommandError as err:
            answer(err, pdf_form)
            return self._render(VerifyForm(formdata=None), 400, pdf_form=pdf_form)
        certificate = present(found) if found is not None else None
        return self._render(VerifyForm(formdata=None), pdf_report=report, pdf_certificate=certificate)


def register(appbuilder) -> None:
    from app.api.verify import VerifyApi

    appbuilder.add_view_no_menu(VerifyView())
    appbuilder.add_api(VerifyApi)
