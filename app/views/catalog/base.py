"""What every catalog view shares: the region scope as a FAB filter, lists that load what they show in
one query, the form validators, and `CatalogModelView`, whose hooks run the catalog commands
(app/commands/catalog/rows.py): the scope check, the row and its audit entry saved together or not at all."""
from __future__ import annotations

from flask import flash, g
from flask_appbuilder import ModelView
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect
from wtforms.validators import NumberRange, ValidationError

from app.commands.catalog import scope
from app.commands.catalog.rows import DeleteCatalogRowCommand, SaveCatalogRowCommand
from app.daos import catalog as dao
from app.models.applications import BusinessSection
from app.models.catalog import CommitteePeriod, Committee, Region
from app.views import lists


def yes_no(value) -> str:
    return _("Yes") if value else _("No")


YEAR_RANGE = NumberRange(min=1990, max=2100, message=_l("Please enter a year between 1990 and 2100"))


class FilterInScope(BaseFilter):
    """Rows of the regions the signed-in user maintains; `value(ids)` builds the condition."""

    name = "In my regions"
    arg_name = None

    def apply(self, query, value):
        ids = scope.scope_region_ids(g.user)
        return query if ids is None else query.filter(value(ids))


def committees_in(ids):
    return Committee.region_id.in_(ids)


def periods_in(ids):
    return CommitteePeriod.committee_id.in_(dao.committee_ids_in(ids))


def sections_in(ids):
    # the general rows (no committee) are shown to every bureau; it changes only its committees' overrides
    return BusinessSection.committee_id.is_(None) | BusinessSection.committee_id.in_(dao.committee_ids_in(ids))


def regions_in(ids):
    return Region.id.in_(ids)


class CatalogInterface(SQLAInterface):
    """FAB's data access, for views whose hooks have already saved the change through a command: FAB's
    add and edit then find nothing to write, and its delete must not delete the deleted row again."""

    def delete(self, item, commit: bool = True) -> None:
        if inspect(item).was_deleted:  # DeleteCatalogRowCommand deleted and committed it
            return
        super().delete(item, commit)


class EagerInterface(lists.EagerInterface, CatalogInterface):
    """A catalog table's interface that loads the related rows its list shows in the same query."""


class EndsNotBeforeStart:
    """申报截止 must not come before 申报开始."""

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
        values = {name: form[name].data for name in self.fields}
        own_id = getattr(form, "_id", None)  # FAB sets it on the edit form
        if dao.same_entry_exists(self.model, values, own_id):
            raise ValidationError(_l("The same entry already exists"))


def changes(item) -> str:
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
    """Shared hooks: the scope check, uniqueness as a clear message, one audit row per change, through
    the catalog commands; a refusal is FAB's flashed message and nothing is kept."""

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

    def check_before_change(self, item) -> None:
        """A check of the row as it was loaded, before the form's values count (none by default)."""

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

    def _save(self, item, action: str, checks, details: str = "") -> None:
        SaveCatalogRowCommand(g.user, item, action=action, object_type=self.audit_type, checks=checks,
                              describe=self.describe, details=details).run()

    def pre_add(self, item):
        self._save(item, "catalog_added", [self.check_row])

    def pre_update(self, item):
        self._save(item, "catalog_changed", [self.check_before_change, self.check_row], changes(item))

    def pre_delete(self, item):
        DeleteCatalogRowCommand(g.user, item, object_type=self.audit_type, checks=[self.check_row],
                                describe=self.describe).run()

    def describe(self, item) -> str:
        return str(getattr(item, "name", "") or f"#{item.id}")[:64]
