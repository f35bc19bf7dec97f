"""批量导入: titles or committees from a CSV file, all rows or none (app/commands/catalog/import_csv.py)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, g
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from app.commands.catalog import import_csv
from app.commands.errors import CommandError, Invalid
from app.views.answers import answer
from app.views.forms import FlaskForm


class CatalogImportForm(FlaskForm):
    kind = SelectField(_l("Import what"), choices=[
        SelectChoice("titles", _l("Titles and specialties")),
        SelectChoice("committees", _l("Committees and application periods"))])
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Please choose a CSV file"))])


class CatalogImportView(BaseView):
    """批量导入: titles or committees from a CSV file; all rows or none."""

    route_base = "/catalog/import"
    class_permission_name = "CatalogImport"
    method_permission_name = {"index": "import", "template": "import"}
    default_view = "index"

    @expose("/", methods=["GET", "POST"])
    @has_access
    def index(self):
        form = CatalogImportForm()
        details, result = [], None
        if form.validate_on_submit():
            raw = form.file.data.stream.read(import_csv.MAX_BYTES + 1)
            try:
                result = import_csv.ImportCatalogCsvCommand(g.user, form.kind.data, raw).run()
            except CommandError as err:
                # a refusal of the file as a whole is said under the file input
                answer(err if err.field else Invalid(err.message, "file"), form)
                details = err.details
            else:
                flash(_("Import finished: %(added)d added, %(skipped)d already present",
                        added=result.added_total, skipped=result.skipped), "success")
        return self.render_template("catalog/import.html", form=form, details=details, result=result,
                                    columns=import_csv.COLUMNS, title=_("Batch import"))

    @expose("/template/<kind>.csv")
    @has_access
    def template(self, kind):
        if kind not in import_csv.COLUMNS:
            abort(404)
        name = {"titles": "职称导入模板.csv", "committees": "评委会导入模板.csv"}[kind]
        return Response(import_csv.template_csv(kind), mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
