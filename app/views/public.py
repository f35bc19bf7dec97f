"""Public JSON used by the registration forms: the region cascade (C3)."""
from __future__ import annotations

from flask import jsonify, request
from flask_appbuilder import BaseView, expose

from app.daos import catalog_choices


class PublicView(BaseView):
    route_base = "/public"
    default_view = "regions"

    @expose("/regions")
    def regions(self):
        """Children of ?parent=<id>, or the provinces; a handful of rows per call."""
        parent = request.args.get("parent", type=int)
        rows = catalog_choices.region_children(parent)
        return jsonify([{"id": r.id, "name": r.name, "level": r.level} for r in rows])
