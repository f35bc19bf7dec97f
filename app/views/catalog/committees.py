"""The catalogs of a committee's region (committees, their application periods) and the business
configuration (the modules of each business, with per-committee and per-year overrides): a bureau
maintains the rows of its own region and those below it."""
from __future__ import annotations

from flask import g
from flask_appbuilder.models.sqla.filters import FilterNotEqual
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from app.catalog_data import BUSINESSES
from app.commands.catalog import scope
from app.commands.errors import Invalid
from app.models.applications import BusinessSection
from app.models.catalog import Committee, CommitteePeriod, Region
from app.views.catalog.base import (YEAR_RANGE, CatalogModelView, EagerInterface, EndsNotBeforeStart, FilterInScope,
                                    UniqueTogether, committees_in, periods_in, regions_in, sections_in, yes_no)
from app.views.period_fields import PERIOD_LABELS, PERIOD_VALIDATORS
from app.workflow.sections.definitions import SECTIONS
from app.workflow.states import BUSINESS_LABELS

# the sections of docs/applications.md and the businesses, by the names the applicant sees
SECTION_LABELS = {code: kind.label for code, kind in SECTIONS.items()}
assert set(BUSINESS_LABELS) == set(BUSINESSES)

# a committee sits in a city or a district, within the bureau's own regions
_REGION_CHOICES = {"region": [["level", FilterNotEqual, "province"], ["id", FilterInScope, regions_in]]}
_COMMITTEE_CHOICES = {"committee": [["id", FilterInScope, committees_in]]}


class CommitteeView(CatalogModelView):
    route_base = "/catalog/committees"
    datamodel = EagerInterface(Committee, joinedload(Committee.series), joinedload(Committee.level),
                               joinedload(Committee.region).joinedload(Region.parent))
    audit_type = "committee"
    province_wide = False
    list_title = show_title = add_title = edit_title = _l("Committees")
    base_order = ("id", "asc")
    base_filters = [["region_id", FilterInScope, committees_in]]
    list_columns = ["name", "series", "level", "region"]
    add_columns = edit_columns = show_columns = ["name", "series", "level", "region"]
    search_columns = ["name"]
    label_columns = {"name": _l("Committee name"), "series": _l("Title series"), "level": _l("Title level"),
                     "region": _l("Committee region")}
    add_form_query_rel_fields = edit_form_query_rel_fields = _REGION_CHOICES

    def check_row(self, item) -> None:
        scope.check_region(g.user, item.region.id if item.region is not None else None)


class CommitteePeriodView(CatalogModelView):
    route_base = "/catalog/periods"
    datamodel = EagerInterface(CommitteePeriod, joinedload(CommitteePeriod.committee))
    audit_type = "committee_period"
    province_wide = False
    list_title = show_title = add_title = edit_title = _l("Application periods")
    base_order = ("id", "desc")
    base_filters = [["committee_id", FilterInScope, periods_in]]
    list_columns = add_columns = edit_columns = show_columns = ["committee", "year", "starts_on", "ends_on",
                                                                "unit_review_ends_on", "resubmit_ends_on"]
    search_columns = ["year", "starts_on", "ends_on"]
    label_columns = {"committee": _l("Committee"), "year": _l("Year"), "starts_on": _l("Application starts on"),
                     "ends_on": _l("Application ends on"), **PERIOD_LABELS}
    validators_columns = {"ends_on": [EndsNotBeforeStart()], **PERIOD_VALIDATORS,
                          "year": [YEAR_RANGE, UniqueTogether(CommitteePeriod, "committee", "year")]}
    add_form_query_rel_fields = edit_form_query_rel_fields = _COMMITTEE_CHOICES

    def check_row(self, item) -> None:
        scope.check_committee(g.user, item.committee)
        if item.starts_on and item.ends_on and item.ends_on < item.starts_on:
            raise Invalid(_l("The end date may not be earlier than the start date"), field="ends_on")

    def describe(self, item) -> str:
        return f"{item.year} {item.committee}"[:64]


def _business_field():
    return SelectField(_l("Business"), choices=[SelectChoice(k, v) for k, v in BUSINESS_LABELS.items()])


def _section_field():
    return SelectField(_l("Module"), choices=[SelectChoice(k, v) for k, v in SECTION_LABELS.items()],
                       validators=[UniqueTogether(BusinessSection, "business", "section", "committee", "year")])


class BusinessSectionView(CatalogModelView):
    """P1: the modules of each business; a row with a committee or a year overrides the general row."""

    route_base = "/catalog/business-sections"
    datamodel = EagerInterface(BusinessSection, joinedload(BusinessSection.committee))
    audit_type = "business_section"
    province_wide = False
    list_title = show_title = add_title = edit_title = _l("Business modules")
    base_order = ("business", "asc")
    base_filters = [["committee_id", FilterInScope, sections_in]]
    list_columns = ["business", "section", "position", "required", "shown", "max_entries", "committee", "year"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["business", "section", "year"]
    label_columns = {"business": _l("Business"), "section": _l("Module"), "position": _l("Display order"),
                     "required": _l("Required (必填)"), "shown": _l("Shown (显示)"),
                     "max_entries": _l("Maximum entries"), "committee": _l("Committee (override)"),
                     "year": _l("Year (override)")}
    description_columns = {"committee": _l("Leave empty for the general setting of the business"),
                           "max_entries": _l("Leave empty for no limit")}
    formatters_columns = {"business": lambda v: BUSINESS_LABELS.get(v, v),
                          "section": lambda v: SECTION_LABELS.get(v, v), "required": yes_no, "shown": yes_no}
    add_form_extra_fields = edit_form_extra_fields = {
        "business": _business_field(), "section": _section_field(),
        "required": BooleanField(_l("Required (必填)"), default=True),
        "shown": BooleanField(_l("Shown (显示)"), default=True)}
    validators_columns = {"year": [Optional(), YEAR_RANGE],
                          "max_entries": [Optional(), NumberRange(min=1, max=100,
                                                                  message=_l("Please enter 1 to 100"))]}
    add_form_query_rel_fields = edit_form_query_rel_fields = _COMMITTEE_CHOICES

    def check_row(self, item) -> None:
        if item.committee is None:
            scope.check_province_wide(g.user)
        else:
            scope.check_committee(g.user, item.committee)

    def check_before_change(self, item) -> None:
        # the list shows every bureau the general rows: turning one into an override of its own committee
        # would change the setting of every committee, so the row as it was is checked too
        if item.committee_id is None:  # the column keeps the loaded value until the flush
            scope.check_province_wide(g.user)

    def describe(self, item) -> str:
        return f"{item.business}/{item.section}/{item.committee_id or ''}/{item.year or ''}"
