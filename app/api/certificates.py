"""Certificates over JSON (read only), with the same row rule as the pages (app/daos/certificates):
the holder reads their own, a unit its own issues, the bureau its region and below. The ID number is
given masked (first 6 and last 4) in every row: the JSON is not the holder's page."""
from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from marshmallow import Schema, fields

from app.api.base import ReadOnlyModelApi
from app.daos.certificates import visible_certificates
from app.models.certificates import Certificate
from app.security.validators import mask_id_number
from app.views.lists import SignedInRows


class CertificateSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    holder_name = fields.String()
    masked_id_number = fields.Function(lambda c: mask_id_number(c.holder_id_number))
    business = fields.String()
    series_name = fields.String()
    level_name = fields.String()
    title_name = fields.String()
    specialty_name = fields.String()
    issuer_kind = fields.String()
    issuer_name = fields.String()
    published_on = fields.Date()
    issued_at = fields.DateTime()
    status = fields.String()
    revoked_at = fields.DateTime(allow_none=True)
    revoke_reason = fields.String(allow_none=True)
    application_id = fields.Integer(allow_none=True)


class CertificateShowSchema(CertificateSchema):
    verify_code = fields.String()


# the columns read (holder_id_number is read for the masked value and never given out)
COLUMNS = ["id", "number", "holder_name", "holder_id_number", "business", "series_name", "level_name",
           "title_name", "specialty_name", "issuer_kind", "issuer_name", "published_on", "issued_at", "status",
           "revoked_at", "revoke_reason", "application_id"]


class CertificateApi(ReadOnlyModelApi):
    resource_name = "certificates"
    class_permission_name = "CertificateApi"
    datamodel = SQLAInterface(Certificate)
    base_filters = [["id", SignedInRows, lambda user: visible_certificates(user).whereclause]]
    list_columns = COLUMNS
    show_columns = COLUMNS + ["verify_code"]
    list_model_schema = CertificateSchema()
    show_model_schema = CertificateShowSchema()
    order_columns = ["id", "published_on", "issued_at", "number"]
    search_columns = ["year", "status", "series_name", "level_name", "holder_name", "number"]
    page_size = 20
    max_page_size = 100
