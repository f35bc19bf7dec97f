"""P4–P6, P9: the applicant's section pages (entries, text, attachments) and the attachment download for
everyone who may see the application. Thin: rules live in app/workflow/sections/ and the commands; row
access in app.daos.applications; a refused command is answered at its field (app/views/forms.form_errors)
or flashed (app/views/answers.answer)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, current_app, flash, g, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from app.commands.applications import continuing_education
from app.commands.applications.attachments import DeleteAttachmentCommand, UploadAttachmentCommand
from app.commands.applications.sections import DeleteEntryCommand, SaveEntryCommand, SaveTextCommand
from app.commands.errors import CommandError
from app.daos.application_content import attachment_in, visible_attachment
from app.daos.applications import get_own_or_404
from app.models.applications import Application
from app.services import storage
from app.views.answers import raise_http
from app.views.flashed import run_flashed
from app.views.forms import form_errors
from app.workflow import sections, states

MULTIPART_SLACK = 64 * 1024  # form fields and multipart headers around the file


def _entry_values(spec, data: dict | None) -> dict[str, str]:
    values = {}
    for f in spec.fields:
        value = (data or {}).get(f.name)
        if f.type == "bool":
            values[f.name] = "1" if value in (True, "1", "on", "true") else ""
        else:
            values[f.name] = "" if value is None else str(value)
    return values


def _display(f, value) -> str:
    if f.type == "bool":
        return _("Yes") if value else _("No")
    return "" if value is None else str(value)


class SectionView(BaseView):
    route_base = "/applications"
    class_permission_name = "MyApplication"
    method_permission_name = {"edit": "read", "template": "read", "save_entry": "write", "delete_entry": "write",
                              "save_text": "write", "upload": "write", "delete_attachment": "write",
                              "import_continuing_education": "write"}
    default_view = "edit"

    def _code_or_404(self, code: str):
        spec = sections.SECTIONS.get(code)
        if spec is None:
            abort(404)
        return spec

    def _render(self, application: Application, code: str, *, values=None, errors=None, form_error=None,
                entry_id=None, text=None, status=200, import_problems=None):
        spec = self._code_or_404(code)
        config = sections.section_config(application, code)
        if config is None:
            abort(404)
        row = sections.section_row(application.id, code)
        entries = sections.entries_of(application.id, code)
        attachments = sections.attachments_of(application.id, code)
        by_entry: dict = {}
        for attachment in attachments:
            by_entry.setdefault(attachment.entry_id, []).append(attachment)
        editable = code in sections.editable_sections(application)
        if values is None:
            editing = None
            if entry_id:
                editing = next((e for e in entries if e.id == entry_id), None)
                if editing is None:
                    entry_id = None
            values = _entry_values(spec, editing.data if editing else None)
        problems = sections.section_problems(application, config, entries=entries,
                                             text=row.text if row else "", attachment_count=len(attachments))
        count = len(entries)
        year_hours, required = None, None
        if code == continuing_education.CODE:
            required = current_app.config.get("CONTINUING_EDUCATION_HOURS_PER_YEAR",
                                              sections.DEFAULT_CONTINUING_EDUCATION_HOURS)
            year_hours = sections.yearly_hours([e.data or {} for e in entries], int(required))
        body = self.render_template(
            "sections/edit.html", application=application, spec=spec, config=config, row=row,
            entries=entries, attachments=by_entry, editable=editable, values=values, errors=errors or {},
            form_error=form_error, entry_id=entry_id, text=row.text if (row and text is None) else (text or ""),
            version=row.version if row is not None else 1, display=_display,
            rejected=row is not None and row.status == states.SectionStatus.REJECTED,
            overview_url=url_for("ApplicationView.show", application_id=application.id), problems=problems if count or spec.kind != "entries" else [],
            can_add=not config.max_entries or count < config.max_entries,
            status_label=states.label(application.status), title=str(spec.label),
            max_mb=f"{storage.max_bytes() / (1024 * 1024):g}", year_hours=year_hours,
            required_hours=required, import_problems=import_problems or [])
        return body, status

    def _back(self, application_id: int, code: str, anchor: str = ""):
        return redirect(url_for("SectionView.edit", application_id=application_id, code=code) + anchor)

    # the section page: entries with 编辑/删除, the form, the text, the attachments
    @expose("/<int:application_id>/sections/<code>")
    @has_access
    def edit(self, application_id: int, code: str):
        self._code_or_404(code)
        application = get_own_or_404(g.user, application_id)
        return self._render(application, code, entry_id=request.args.get("entry", type=int))

    @expose("/<int:application_id>/sections/<code>/entries", methods=["POST"])
    @has_access
    def save_entry(self, application_id: int, code: str):
        spec = self._code_or_404(code)
        entry_id = request.form.get("entry_id", type=int)
        values = {f.name: request.form.get(f.name, "") for f in spec.fields}
        try:
            SaveEntryCommand(g.user, application_id, code, values, entry_id=entry_id,
                             version=request.form.get("version", "")).run()
        except CommandError as err:
            errors, form_error = form_errors(err)
            application = get_own_or_404(g.user, application_id)
            return self._render(application, code, values=values, errors=errors, entry_id=entry_id,
                                form_error=form_error)
        flash(_("Saved successfully"), "success")
        return self._back(application_id, code)

    @expose("/<int:application_id>/sections/<code>/entries/<int:entry_id>/delete", methods=["POST"])
    @has_access
    def delete_entry(self, application_id: int, code: str, entry_id: int):
        self._code_or_404(code)
        run_flashed(DeleteEntryCommand(g.user, application_id, code, entry_id, version=request.form.get("version", "")),
                    _("Deleted"))
        return self._back(application_id, code)

    @expose("/<int:application_id>/sections/<code>/text", methods=["POST"])
    @has_access
    def save_text(self, application_id: int, code: str):
        self._code_or_404(code)
        text = request.form.get("text", "")
        try:
            SaveTextCommand(g.user, application_id, code, text, version=request.form.get("version", "")).run()
        except CommandError as err:
            errors, _top = form_errors(err)
            application = get_own_or_404(g.user, application_id)
            return self._render(application, code, text=text, errors=errors or {"text": str(err.message)})
        flash(_("Saved successfully"), "success")
        return self._back(application_id, code)

    @expose("/<int:application_id>/sections/<code>/attachments", methods=["POST"])
    @has_access
    def upload(self, application_id: int, code: str):
        self._code_or_404(code)
        limit = storage.max_bytes()
        if request.content_length is not None and request.content_length > limit + MULTIPART_SLACK:
            # refuse before reading the body: a clear message, not a bare 413
            get_own_or_404(g.user, application_id)
            flash(_("The file is larger than %(mb)s MB", mb=f"{limit / (1024 * 1024):g}"), "danger")
            return self._back(application_id, code, "#attachments")
        upload = request.files.get("file")
        run_flashed(UploadAttachmentCommand(g.user, application_id, code, upload.stream if upload else None,
                                            upload.filename if upload else "",
                                            entry_id=request.form.get("entry_id", type=int),
                                            version=request.form.get("version", "")), _("Uploaded successfully"))
        return self._back(application_id, code, "#attachments")

    # 继续教育: import the CSV/Excel export of the continuing-education platform (all rows or none)
    @expose("/<int:application_id>/sections/continuing_education/import", methods=["POST"])
    @has_access
    def import_continuing_education(self, application_id: int):
        code = continuing_education.CODE
        limit = continuing_education.max_bytes()
        if request.content_length is not None and request.content_length > limit + MULTIPART_SLACK:
            get_own_or_404(g.user, application_id)
            flash(_("The file is larger than %(kb)d KB", kb=limit // 1024), "danger")
            return self._back(application_id, code, "#import")
        upload = request.files.get("file")
        content = upload.stream.read(limit + 1) if upload else b""
        try:
            added, skipped = continuing_education.ImportContinuingEducationCommand(
                g.user, application_id, content, upload.filename if upload else "",
                version=request.form.get("version", "")).run()
        except CommandError as err:
            raise_http(err)
            application = get_own_or_404(g.user, application_id)
            return self._render(application, code, form_error=str(err.message),
                                import_problems=[message for _field, message in err.details])
        flash(_("Imported %(added)d entries; %(skipped)d already entered were skipped", added=added,
                skipped=skipped), "success")
        return self._back(application_id, code)

    @expose("/<int:application_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
    @has_access
    def delete_attachment(self, application_id: int, attachment_id: int):
        attachment = attachment_in(application_id, attachment_id)
        if attachment is None:
            abort(404)
        run_flashed(DeleteAttachmentCommand(g.user, attachment_id, version=request.form.get("version", "")),
                    _("Deleted"))
        return self._back(application_id, attachment.section, "#attachments")

    # 单位公示及结果报告证明: a plain template to print, fill in, stamp and upload
    @expose("/<int:application_id>/sections/<code>/template")
    @has_access
    def template(self, application_id: int, code: str):
        spec = self._code_or_404(code)
        if not spec.template_download:
            abort(404)
        application = get_own_or_404(g.user, application_id)
        html = self.render_template("sections/publicity_template.html", application=application,
                                    year=application.year)
        filename = quote(f"{_('Publicity and result report')}.html", safe="")
        return Response(html, mimetype="text/html", headers={
            "Content-Disposition": f"attachment; filename=\"publicity_template.html\"; filename*=UTF-8''{filename}",
            "X-Content-Type-Options": "nosniff"})


class AttachmentView(BaseView):
    """Download of an uploaded file for everyone who may see its application (applicant, its units, the
    bureau of the region, the committee, admin); anyone else gets a 404."""

    route_base = "/attachments"
    class_permission_name = "Attachment"
    method_permission_name = {"download": "read"}
    default_view = "download"

    @expose("/<int:attachment_id>")
    @has_access
    def download(self, attachment_id: int):
        attachment = visible_attachment(g.user, attachment_id)
        if attachment is None:
            abort(404)
        path = storage.path_of(attachment.stored_name)
        ext = storage.TYPES.get(attachment.content_type, ((), ""))[1]
        response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                             download_name=f"attachment{ext}", conditional=False, max_age=0)
        response.headers["Content-Disposition"] = (
            f"attachment; filename=\"attachment{ext}\"; filename*=UTF-8''{quote(attachment.original_name, safe='')}")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        return response


def register(appbuilder) -> None:
    """Add this module's views (no menus: the pages are reached from the application overview)."""
    appbuilder.add_view_no_menu(SectionView())
    appbuilder.add_view_no_menu(AttachmentView())
