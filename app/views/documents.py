"""P10 forms: 评审表, 评审简表, 认定表, 转入表 — preview at any time, PDF once submitted.

Who sees what is decided by app.daos.applications (row access) and app.services.pdf (when a PDF
may be downloaded); this view only connects them to the routes."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, g, redirect, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from markupsafe import Markup

from app.daos.actors import person_of
from app.daos.applications import get_visible_or_404
from app.models.applications import Application
from app.services import pdf


def _is_applicant(user, application: Application) -> bool:
    person = person_of(user)
    return person is not None and person.id == application.person_id


class DocumentView(BaseView):
    route_base = "/applications"
    class_permission_name = "ApplicationForm"
    method_permission_name = {"preview": "read", "download": "read"}
    default_view = "preview"

    def _load(self, application_id: int, kind: str):
        application = get_visible_or_404(g.user, application_id)
        form = pdf.form_for(kind, application.business)
        if form is None:
            abort(404)
        return application, form

    @expose("/<int:application_id>/forms/<kind>.pdf")
    @has_access
    def download(self, application_id: int, kind: str):
        application, form = self._load(application_id, kind)
        refusal = pdf.download_refusal(application, form, is_applicant=_is_applicant(g.user, application))
        if refusal is not None:
            flash(str(refusal), "warning")
            return redirect(url_for("DocumentView.preview", application_id=application.id, kind=form.code))
        # the full ID number only for its holder; a unit, bureau or committee gets it masked (PIPL, X3)
        html = pdf.render_form(application, form, standalone=True, mask_id=not _is_applicant(g.user, application))
        try:
            content = pdf.html_to_pdf(html)
        except pdf.PdfError:
            return self.render_template("documents/unavailable.html", application_id=application.id, kind=form.code,
                                        title=_("The PDF could not be generated")), 503
        filename = f"{application.person.real_name}-{form.label}.pdf"
        return Response(content, mimetype="application/pdf", headers={
            "Content-Disposition": f"attachment; filename=\"{form.code}.pdf\"; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "private, no-store",
        })

    @expose("/<int:application_id>/forms/<kind>")
    @has_access
    def preview(self, application_id: int, kind: str):
        application, form = self._load(application_id, kind)
        is_applicant = _is_applicant(g.user, application)
        # the same rule as the PDF: the full ID number only for its holder
        masked = not is_applicant
        html = pdf.render_form(application, form, standalone=False, mask_id=masked)
        document = Markup(html)  # nosec B704: rendered from a .html template, so Jinja autoescaped every value
        return self.render_template(
            "documents/preview.html", application=application, form=form, document=document,
            forms=pdf.forms_of(application.business),
            refusal=pdf.download_refusal(application, form, is_applicant=is_applicant),
            title=f"{application.person.real_name} · {form.label}")


def register(appbuilder) -> None:
    """Add this module's views and menus."""
    appbuilder.add_view_no_menu(DocumentView())
