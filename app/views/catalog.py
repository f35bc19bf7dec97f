"""Catalog maintenance for Admin and the bureau (C1–C4, C6) and the business configuration (P1).

Each table is a FAB ModelView on the "Catalog" permissions. Who may change which row lives in
app/commands/catalog/scope.py; the hooks below call it, write the audit row and flush, so FAB's own
commit saves the row and its audit entry together, or neither."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, g
from flask_appbuilder import BaseView, ModelView, expose, has_access
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import FilterNotEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from app.catalog_data import BUSINESSES
from app.commands.catalog import import_csv, scope
from app.commands.errors import CommandError
from app.extensions import db
from app.models.applications import BusinessSection
from app.models.catalog import (ApplicationMethod, Committee, CommitteePeriod, ExceptionalCase, Region,
                                Specialty, Title, TitleLevel, TitleSeries)
from app.services import audit
from app.views.forms import FlaskForm
from app.views.period_fields import PERIOD_LABELS, PERIOD_VALIDATORS

# section codes of docs/applications.md, with the names the applicant sees
SECTION_LABELS = {
    "education": _l("Education"), "current_title": _l("Current professional title"),
    "admin_post": _l("Current administrative post"), "assessment": _l("Assessments in the current post"),
    "language_computer": _l("Foreign language / computer level"), "continuing_education": _l("Continuing education"),
    "work_experience": _l("Work experience"), "achievements": _l("Representative achievements"),
    "work_summary": _l("Work results and performance"), "societies": _l("Academic societies and part-time posts"),
    "publicity_proof": _l("Unit publicity and result report"), "other_attachments": _l("Other attachments"),
}
BUSINESS_LABELS = {"review": _l("Title review application"), "recognition": _l("Full-time title recognition"),
                   "transfer": _l("Transfer-in qualification confirmation"), "initial": _l("Initial title")}
assert set(BUSINESS_LABELS) == set(BUSINESSES)

def _yes_no(value) -> str:
    return _("Yes") if value else _("No")


YEAR_RANGE = NumberRange(min=1990, max=2100, message=_l("Please enter a year between 1990 and 2100"))


class FilterInScope(BaseFilter):
    """Rows of the regions the signed-in user maintains; `value(ids)` builds the condition."""

    name = "In my regions"
    arg_name = None

    def apply(self, query, value):
        ids = scope.scope_region_ids(g.user)
        return query if ids is None else query.filter(value(ids))


def _committees_in(ids):
    return Committee.region_id.in_(ids)


def _periods_in(ids):
    return CommitteePeriod.committee_id.in_(select(Committee.id).where(Committee.region_id.in_(ids)))


def _sections_in(ids):
    # the general rows (no committee) are shown to every bureau; it changes only its committees' overrides
    return BusinessSection.committee_id.is_(None) | BusinessSection.committee_id.in_(
        select(Committee.id).where(Committee.region_id.in_(ids)))


def _regions_in(ids):
    return Region.id.in_(ids)


class EagerInterface(SQLAInterface):
    """Loads the related rows a list shows in the same query (no query per row)."""

    def __init__(self, obj, *eager):
        super().__init__(obj)
        self.eager = eager

    def apply_all(self, query, *args, **kwargs):
        return super().apply_all(query, *args, **kwargs).options(*self.eager)


class EndsNotBeforeStart:
    """申报截止 must not come before 申报开始 (C4)."""

    def __call__(self, form, field):
        starts = form.starts_on.data
        if starts and field.data and field.data < starts:
            raise ValidationError(_l("The end date may not be earlier than the start date"))


class UniqueTogether:
    """A clear message at the field when the same combination exists (composite unique keys; empty
    committee/year count as equal, as the general business rows must be unique too)."""

    def __init__(self, model, *fields):
        self.model, self.fields = model, fields

    def __call__(self, form, field):
        conditions = []
        for name in self.fields:
            value = form[name].data
            column = getattr(self.model, name if name in self.model.__table__.c else f"{name}_id")
            value = getattr(value, "id", value)
            conditions.append(column.is_(None) if value in (None, "") else column == value)
        own_id = getattr(form, "_id", None)  # FAB sets it on the edit form
        if own_id is not None:
            conditions.append(self.model.id != int(own_id))
        with db.session.no_autoflush:
            if db.session.execute(select(self.model.id).where(*conditions).limit(1)).first():
                raise ValidationError(_l("The same entry already exists"))


def _changes(item) -> str:
    """'column: old → new' for every changed column, for the audit entry."""
    state, parts = inspect(item), []
    for attr in state.mapper.attrs:  # columns and relationships (FAB's form sets `series`, not `series_id`)
        history = state.attrs[attr.key].history
        if history.has_changes() and not attr.key.endswith("_id"):
            old = history.deleted[0] if history.deleted else ""
            new = history.added[0] if history.added else ""
            parts.append(f"{attr.key}: {old} → {new}")
    return "; ".join(parts)


class CatalogModelView(ModelView):
    """Shared hooks: scope check, uniqueness as a clear message, one audit row per change."""

    class_permission_name = "Catalog"
    base_permissions = ["can_list", "can_show", "can_add", "can_edit", "can_delete"]
    page_size = 50
    audit_type = ""
    province_wide = True  # False: the rows belong to a committee's region (checked per row)

    def may_change(self) -> bool:
        return not self.province_wide or scope.may_edit_province_wide(g.user)

    def check_row(self, item) -> None:
        if self.province_wide:
            scope.check_province_wide(g.user)

    def _refuse_early(self):
        flash(str(_l("Only the administrator or the provincial bureau may change this catalog")), "danger")

    def _add(self):
        if not self.may_change():
            self._refuse_early()
            return None
        return super()._add()

    def _edit(self, pk):
        if not self.may_change():
            self._refuse_early()
            return None
        return super()._edit(pk)

    def _delete(self, pk):
        if not self.may_change():
            self._refuse_early()
            return None
        return super()._delete(pk)

    def _save(self, item, action: str, details: str = "") -> None:
        try:
            db.session.add(item)  # first, so that the checks' autoflush sees a whole object graph
            self.check_row(item)
            db.session.flush()
        except CommandError:
            db.session.rollback()
            raise
        except IntegrityError:
            db.session.rollback()
            raise CommandError(_l("The same entry already exists")) from None
        audit.record(action, object_type=self.audit_type, object_id=item.id, to_state=self.describe(item),
                     opinion=details)

    def pre_add(self, item):
        self._save(item, "catalog_added")

    def pre_update(self, item):
        details = _changes(item)
        self._save(item, "catalog_changed", details)

    def pre_delete(self, item):
        try:
            self.check_row(item)
            scope.check_not_referenced(item)
        except CommandError:
            db.session.rollback()
            raise
        audit.record("catalog_deleted", object_type=self.audit_type, object_id=item.id,
                     from_state=self.describe(item))

    def describe(self, item) -> str:
        return str(getattr(item, "name", "") or f"#{item.id}")[:64]


class TitleLevelView(CatalogModelView):
    route_base = "/catalog/levels"
    datamodel = SQLAInterface(TitleLevel)
    audit_type = "title_level"
    list_title = show_title = add_title = edit_title = _l("Title levels")
    base_order = ("rank", "asc")
    list_columns = add_columns = edit_columns = show_columns = ["name", "rank"]
    search_columns = ["name"]
    label_columns = {"name": _l("Level name"), "rank": _l("Rank (0 is the highest)")}


class TitleSeriesView(CatalogModelView):
    route_base = "/catalog/series"
    datamodel = SQLAInterface(TitleSeries)
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
    datamodel = SQLAInterface(ApplicationMethod)
    audit_type = "application_method"
    list_title = show_title = add_title = edit_title = _l("Application methods")
    base_order = ("position", "asc")
    list_columns = add_columns = edit_columns = show_columns = ["name", "is_exceptional", "position"]
    search_columns = ["name", "is_exceptional"]
    label_columns = {"name": _l("Method name"), "is_exceptional": _l("Exceptional (破格)"),
                     "position": _l("Display order")}
    description_columns = {"is_exceptional": _l("Applicants choosing it must give an exceptional case")}
    formatters_columns = {"is_exceptional": _yes_no}
    # FAB marks a NOT NULL boolean as required, which refuses "no"; a plain checkbox instead
    add_form_extra_fields = edit_form_extra_fields = {
        "is_exceptional": BooleanField(_l("Exceptional (破格)"),
                                       description=_l("Applicants choosing it must give an exceptional case"))}


class ExceptionalCaseView(CatalogModelView):
    route_base = "/catalog/exceptional-cases"
    datamodel = SQLAInterface(ExceptionalCase)
    audit_type = "exceptional_case"
    list_title = show_title = add_title = edit_title = _l("Exceptional cases")
    base_order = ("id", "asc")
    list_columns = add_columns = edit_columns = show_columns = ["name"]
    search_columns = ["name"]
    label_columns = {"name": _l("Exceptional case description")}


# a committee sits in a city or a district, within the bureau's own regions
_REGION_CHOICES = {"region": [["level", FilterNotEqual, "province"], ["id", FilterInScope, _regions_in]]}
_COMMITTEE_CHOICES = {"committee": [["id", FilterInScope, _committees_in]]}


class CommitteeView(CatalogModelView):
    route_base = "/catalog/committees"
    datamodel = EagerInterface(Committee, joinedload(Committee.series), joinedload(Committee.level),
                               joinedload(Committee.region).joinedload(Region.parent))
    audit_type = "committee"
    province_wide = False
    list_title = show_title = add_title = edit_title = _l("Committees")
    base_order = ("id", "asc")
    base_filters = [["region_id", FilterInScope, _committees_in]]
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
    base_filters = [["committee_id", FilterInScope, _periods_in]]
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
            raise CommandError(_l("The end date may not be earlier than the start date"), field="ends_on")

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
    base_filters = [["committee_id", FilterInScope, _sections_in]]
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
                          "section": lambda v: SECTION_LABELS.get(v, v), "required": _yes_no, "shown": _yes_no}
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

    def pre_update(self, item):
        # the list shows every bureau the general rows: turning one into an override of its own committee
        # would change the setting of every committee, so the row as it was is checked too
        if item.committee_id is None:  # the column keeps the loaded value until the flush
            try:
                scope.check_province_wide(g.user)
            except CommandError:
                db.session.rollback()
                raise
        super().pre_update(item)

    def describe(self, item) -> str:
        return f"{item.business}/{item.section}/{item.committee_id or ''}/{item.year or ''}"


class CatalogImportForm(FlaskForm):
    kind = SelectField(_l("Import what"), choices=[
        SelectChoice("titles", _l("Titles and specialties")),
        SelectChoice("committees", _l("Committees and application periods"))])
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Please choose a CSV file"))])


class CatalogImportView(BaseView):
    """批量导入 (C6): titles or committees from a CSV file; all rows or none."""

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
                getattr(form, err.field or "file").errors.append(str(err.message))
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


MENUS = [
    (TitleLevelView, "TitleLevels", _l("Title levels"), "fa-signal"),
    (TitleSeriesView, "TitleSeries", _l("Title series list"), "fa-sitemap"),
    (TitleView, "Titles", _l("Titles"), "fa-certificate"),
    (SpecialtyView, "Specialties", _l("Specialties"), "fa-tags"),
    (ApplicationMethodView, "ApplicationMethods", _l("Application methods"), "fa-list"),
    (ExceptionalCaseView, "ExceptionalCases", _l("Exceptional cases"), "fa-star"),
    (CommitteeView, "Committees", _l("Committees"), "fa-university"),
    (CommitteePeriodView, "CommitteePeriods", _l("Application periods"), "fa-calendar"),
    (BusinessSectionView, "BusinessSections", _l("Business modules"), "fa-th-list"),
]


def register(appbuilder) -> None:
    """Add this module's views and menus."""
    catalogs = dict(category="Catalogs", category_label=_l("Catalogs"), category_icon="fa-book")
    for view, name, label, icon in MENUS:
        appbuilder.add_view(view(), name, label=label, icon=icon, **catalogs)
    appbuilder.add_view(CatalogImportView(), "CatalogImport", label=_l("Batch import"), icon="fa-upload",
                        **catalogs)
