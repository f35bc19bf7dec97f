"""单位名录 (U1): the bureau searches the registry page by page and imports a CSV (统一社会信用代码,单位名称).
A BaseView: the list pages by keyset over 100,000 entries (app/daos/paging.py), which FAB's list cannot."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from app.commands.errors import CommandError
from app.commands.units import registry
from app.daos import paging
from app.daos import units as units_dao
from app.models.units import UnitRegistryEntry
from app.views.answers import field_errors


class UnitRegistryView(BaseView):
    """单位名录: search page by page and import a CSV (统一社会信用代码,单位名称)."""

    route_base = "/units/registry"
    class_permission_name = "UnitRegistry"
    method_permission_name = {"list": "read", "import_csv": "write"}
    default_view = "list"

    def _render(self, errors=None, details=None, form_error=None):
        text = (request.args.get("q") or "").strip()[:64]
        page = paging.paginate(units_dao.registry_search(text), key=UnitRegistryEntry.name,
                               id_col=UnitRegistryEntry.id, ascending=True, source=request.args)
        return self.render_template("units/registry.html", rows=page.rows, page=page, q=text,
                                    errors=errors or {}, details=details or [], form_error=form_error,
                                    title=_("Unit registry"))

    @expose("/")
    @has_access
    def list(self):
        return self._render()

    @expose("/import", methods=["POST"])
    @has_access
    def import_csv(self):
        upload = request.files.get("file")
        raw = upload.read(registry.MAX_BYTES + 1) if upload is not None else b""
        try:
            count = registry.ImportRegistryCommand(g.user, raw).run()
        except CommandError as err:
            errors, form_error = field_errors(err)
            return self._render(errors, err.details, form_error)
        flash(_("%(n)d registry rows imported", n=count), "success")
        return redirect(url_for("UnitRegistryView.list"))
