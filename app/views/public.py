"""Public JSON used by the registration forms: the region cascade (C3)."""
from __future__ import annotations

from flask import jsonify, request
from flask_appbuilder import BaseView, expose
from sqlalchemy import select

from app.extensions import db
from app.models.catalog import Region


class PublicView(BaseView):
    route_base = "/public"
    default_view = "regions"

    @expose("/regions")
    def regions(self):
        """Children of ?parent=<id>, or the provinces; a handful of rows per call."""
        parent = request.args.get("parent", type=int)
        query = select(Region.id, Region.name, Region.level).order_by(Region.code)
        query = query.where(Region.parent_id == parent) if parent else query.where(Region.parent_id.is_(None))
        rows = db.session.execute(query).all()
        return jsonify([{"id": r.id, "name": r.name, "level": r.level} for r in rows])
