"""X5: the applicant's own applications over JSON (read only), filtered by the same row rule as
我的申报信息 (app.daos.applications), so another person's application is a 404 here too."""
from __future__ import annotations

from flask import g
from flask_appbuilder.models.sqla.filters import FilterEqualFunction
from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.api.base import ReadOnlyModelApi
from app.daos.applications import own_person_id
from app.models.applications import Application


def _own_person_id() -> int:
    return own_person_id(getattr(g, "user", None))


COLUMNS = ["id", "business", "year", "status", "level.name", "series.name", "title.name", "specialty.name",
           "unit.name", "created_at", "submitted_at"]


class MyApplicationApi(ReadOnlyModelApi):
    resource_name = "my_applications"
    class_permission_name = "MyApplicationApi"
    datamodel = SQLAInterface(Application)
    base_filters = [["person_id", FilterEqualFunction, _own_person_id]]
    list_columns = COLUMNS
    show_columns = COLUMNS + ["method.name", "exceptional_case.name", "is_work_unit", "work_unit_name",
                              "agency_unit_name", "entrusted", "recommendation_rank", "work_started_on",
                              "professional_years", "committee.name", "title_obtained_year", "version",
                              "updated_at"]
    order_columns = ["id", "year", "created_at", "submitted_at", "status"]
    search_columns = ["business", "year", "status"]
    page_size = 20
    max_page_size = 100
