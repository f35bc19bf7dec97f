"""Certificates over JSON (read only), with the same row rule as the pages (app/daos/certificates):
the holder reads their own, a unit its own issues, the bureau its region and below. ID numbers are
masked in every row (the JSON is not the holder's page; the holder's PDF has the full number)."""
from __future__ import annotations

from flask import g
from flask_appbuilder.api import ModelRestApi
from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.daos.certificates import visible_certificates
from app.models.certificates import Certificate
from app.views.certificate_library import ManagedByUser


class VisibleToUser(ManagedByUser):
    """What `visible_certificates()` gives the signed-in account (own or managed)."""
    name = "visible"
    arg_name = "visible"

    def apply(self, query, value):
        condition = visible_certificates(g.user).whereclause
        return query if condition is None else query.filter(condition)


COLUMNS = ["id", "number", "holder_name", "masked_id_number", "business", "series_name", "level_name",
           "title_name", "specialty_name", "issuer_kind", "issuer_name", "published_on", "issued_at", "status",
           "revoked_at", "revoke_reason", "application_id"]


class CertificateApi(ModelRestApi):
    resource_name = "certificates"
    class_permission_name = "CertificateApi"
    method_permission_name = {"get_list": "get", "get": "get", "info": "info"}
    include_route_methods = {"get", "get_list", "info"}
    allow_browser_login = True
    datamodel = SQLAInterface(Certificate)
    base_filters = [["id", VisibleToUser, lambda: None]]
    base_order = ("id", "desc")
    list_columns = COLUMNS
    show_columns = COLUMNS + ["verify_code"]
    order_columns = ["id", "published_on", "issued_at", "number"]
    search_columns = ["year", "status", "series_name", "level_name", "holder_name", "number"]
    page_size = 20
    max_page_size = 100
