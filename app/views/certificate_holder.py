"""职称证书在线领取 (seed 004 ch. 6): the signed-in holder's certificates with 下载, 预览 and 申报表 (the
form of the application the certificate came from)."""
from __future__ import annotations

from flask import g, request
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from app.daos import paging
from app.daos.certificates import own_certificates
from app.models.certificates import Certificate
from app.services import pdf
from app.workflow.certificate_states import certificate_label


def application_form(certificate: Certificate):
    """The 申报表 of the certificate's application (its business's first form), or None."""
    if certificate.application_id is None:
        return None
    forms = pdf.forms_of(certificate.business)
    return forms[0] if forms else None


class MyCertificatesView(BaseView):
    route_base = "/my/certificates"
    class_permission_name = "MyCertificate"
    method_permission_name = {"list": "read"}
    default_view = "list"

    @expose("/")
    @has_access
    def list(self):
        page = paging.paginate(own_certificates(g.user), key=Certificate.issued_at, id_col=Certificate.id,
                               source=request.args)
        return self.render_template("certificates/mine.html", page=page, status_label=certificate_label,
                                    application_form=application_form,
                                    title=_("Collect title certificates online"))
