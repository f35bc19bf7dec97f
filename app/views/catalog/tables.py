"""The province-wide catalogs (levels, series, titles, specialties, application methods, exceptional
cases): changed by Admin or the provincial bureau only."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload
from wtforms import BooleanField

from app.models.catalog import ApplicationMethod, ExceptionalCase, Specialty, Title, TitleLevel, TitleSeries
from app.views.catalog.base import CatalogInterface, CatalogModelView, EagerInterface, UniqueTogether, yes_no


class TitleLevelView(CatalogModelView):
    route_base = "/catalog/levels"
    datamodel = CatalogInterface(TitleLevel)
    audit_type = "title_level"
    list_title = show_title = add_title = edit_title = _l("Title levels")
    base_order = ("rank", "asc")
    list_columns = add_columns = edit_columns = show_columns = ["name", "rank"]
    search_columns = ["name"]
    label_columns = {"name": _l("Level name"), "rank": _l("Rank (0 is the highest)")}


class TitleSeriesView(CatalogModelView):
    route_base = "/catalog/series"
    datamodel = CatalogInterface(TitleSeries)
    audit_type = "title_series"
    list_title = show_title = add_title = edit_title = _l("Title series list")
    base_order = ("id", "asc")
    list_columns = add_columns = edit_columns = show_columns = ["name"]
    search_columns = ["name"]
    label_columns = {"name": _l("Series name")}


class TitleView(CatalogModelView):
    route_base = "/catalog/titles"
    datamodel = EagerInterface(Title, joinedload(Title.series), joinedload(Title.level))
    audit_type = "title"
    list_title = show_title = add_title = edit_title = _l("Titles")
    base_order = ("id", "asc")
    list_columns = add_columns = edit_columns = show_columns = ["level", "series", "name"]
    search_columns = ["name"]
    label_columns = {"name": _l("Title name"), "level": _l("Title level"), "series": _l("Title series")}
    validators_columns = {"name": [UniqueTogether(Title, "series", "level", "name")]}


class SpecialtyView(CatalogModelView):
    route_base = "/catalog/specialties"
    datamodel = EagerInterface(Specialty, joinedload(Specialty.series))
    audit_type = "specialty"
    list_title = show_title = add_title = edit_title = _l("Specialties")
    base_order = ("id", "asc")
    list_columns = add_columns = edit_columns = show_columns = ["series", "name"]
    search_columns = ["name"]
    label_columns = {"name": _l("Specialty name"), "series": _l("Title series")}
    validators_columns = {"name": [UniqueTogether(Specialty, "series", "name")]}


class ApplicationMethodView(CatalogModelView):
    route_base = "/catalog/methods"
    datamodel = CatalogInterface(ApplicationMethod)
    audit_type = "application_method"
    list_title = show_title = add_title = edit_title = _l("Application methods")
    base_order = ("position", "asc")
    list_columns = add_columns = edit_columns = show_columns = ["name", "is_exceptional", "position"]
    search_columns = ["name", "is_exceptional"]
    label_columns = {"name": _l("Method name"), "is_exceptional": _l("Exceptional (破格)"),
                     "position": _l("Display order")}
    description_columns = {"is_exceptional": _l("Applicants choosing it must give an exceptional case")}
    formatters_columns = {"is_exceptional": yes_no}
    # FAB marks a NOT NULL boolean as required, which refuses "no"; a plain checkbox instead
    add_form_extra_fields = edit_form_extra_fields = {
        "is_exceptional": BooleanField(_l("Exceptional (破格)"),
                                       description=_l("Applicants choosing it must give an exceptional case"))}


class ExceptionalCaseView(CatalogModelView):
    route_base = "/catalog/exceptional-cases"
    datamodel = CatalogInterface(ExceptionalCase)
    audit_type = "exceptional_case"
    list_title = show_title = add_title = edit_title = _l("Exceptional cases")
    base_order = ("id", "asc")
    list_columns = add_columns = edit_columns = show_columns = ["name"]
    search_columns = ["name"]
    label_columns = {"name": _l("Exceptional case description")}
