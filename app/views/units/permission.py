"""职称申报权限申请 (U1): the unit's own application (保存申请 / 提交申请, read-only once submitted, the reason
after 审核不通过) and the bureau's 职称申报权限审核 of its region and the regions below."""
from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.clock import format_local
from app.commands.units import permission
from app.daos import units as units_dao
from app.daos.actors import unit_account_of
from app.models.units import UnitPermissionApplication
from app.views.acting import or_home
from app.views.catalog.base import EagerInterface
from app.views.units.forms import post, typed
from app.views.units.queues import QueueView, name_of, status_cell
from app.workflow.unit_states import PERMISSION_LABELS, PERMISSION_TRANSITIONS, PermissionStatus, waiting


class UnitPermissionView(BaseView):
    """职称申报权限申请: 保存申请 / 提交申请; read-only once submitted; the reason after 不通过."""

    route_base = "/units/permission"
    class_permission_name = "UnitPermission"
    method_permission_name = {"index": "write"}
    default_view = "index"

    @expose("/", methods=["GET", "POST"])
    @has_access
    def index(self):
        unit = or_home(unit_account_of(g.user), _("Only a unit account can do this"))
        application = units_dao.own_permission_application(unit)
        values = {"name": unit.name, "region_id": str(unit.region_id), "credit_code": unit.credit_code or "",
                  "unit_type": "", "competent_department": ""}
        if application is not None:
            values.update({name: str(getattr(application, name) or "") for name in permission.FIELDS})
        if request.method == "POST":
            values = typed(permission.FORM_FIELDS)
        submit = request.form.get("action") == "submit"
        command = permission.SubmitPermissionCommand if submit else permission.SavePermissionCommand
        posted = post(lambda: command(g.user, values).run())
        if posted.done:
            if not submit:
                flash(_("The application has been saved; click Submit application when it is complete"), "success")
            elif posted.value.status == PermissionStatus.APPROVED.value:
                flash(_("The automatic check passed: the unit may now apply for titles"), "success")
            else:
                flash(_("The application has been submitted to the HR bureau of your region for review"), "success")
            return redirect(url_for("UnitPermissionView.index"))
        values["name"] = unit.name  # never typed: the registered name (U1)
        editable = not unit.has_permission and (application is None or application.status in permission.EDITABLE)
        return self.render_template(
            "units/permission.html", unit=unit, application=application, values=values, errors=posted.errors,
            form_error=posted.form_error, editable=editable, regions=units_dao.regions_near(unit.region),
            unit_types=permission.UNIT_TYPES, labels=PERMISSION_LABELS, title=_("Permission to apply for titles"))


class UnitPermissionReviewView(QueueView):
    """职称申报权限审核: the submitted applications of the bureau's region and the regions below it; each
    row opens its page (the registry entry of its code, who holds the code) with 审核通过 / 审核不通过."""

    route_base = "/units/permission-review"
    class_permission_name = "UnitPermissionReview"
    datamodel = EagerInterface(UnitPermissionApplication, joinedload(UnitPermissionApplication.region))
    rule = staticmethod(units_dao.permission_review_rule)
    find = staticmethod(units_dao.permission_review_row)
    transitions, command = PERMISSION_TRANSITIONS, permission.DecidePermissionCommand
    labels = {code: label for code, label in PERMISSION_LABELS.items() if code != PermissionStatus.DRAFT.value}
    table_id = "permission-queue"
    detail_endpoint = "UnitPermissionReviewView.detail"
    include_route_methods = QueueView.include_route_methods | {"detail"}
    method_permission_name = dict(QueueView.method_permission_name, detail="read")
    list_title = _l("Review of permission applications")
    list_columns = ["name", "credit_code", "region", "unit_type", "status", "submitted_at"]
    search_columns = ["name", "credit_code"]
    base_order = ("submitted_at", "desc")
    label_columns = {"name": _l("Unit name"), "credit_code": _l("Unified social credit code"),
                     "region": _l("Region"), "unit_type": _l("Unit type"), "status": _l("Status"),
                     "submitted_at": _l("Submitted at")}
    formatters_columns = {"region": name_of("full_name"), "status": status_cell(PERMISSION_LABELS),
                          "submitted_at": format_local}

    def describe(self, row) -> str:
        return f"{row.name}（{row.credit_code}）"

    @expose("/<int:row_id>")
    @has_access
    def detail(self, row_id: int):
        row = units_dao.permission_review_row(g.user, row_id)
        if row is None:
            abort(404)
        return self.render_template("units/permission_show.html", row=row, labels=PERMISSION_LABELS,
                                    entry=units_dao.registry_entry(row.credit_code),
                                    holder=units_dao.credit_code_holder(row),
                                    waiting=waiting(PERMISSION_TRANSITIONS), title=_("Permission application"))
