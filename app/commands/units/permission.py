"""U1 职称申报权限申请: 保存申请, 提交申请 (automatic check against the unit registry, else the bureau
of the unit's region), and the bureau's 审核通过 / 审核不通过."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotAllowed
from app.commands.units.decide import DecideCommand
from app.commands.units.scope import move, require_unit, tell_unit
from app.daos import units as units_dao
from app.daos.units import credit_code_holder, own_permission_application
from app.extensions import db
from app.models.catalog import Region
from app.models.units import Unit, UnitPermissionApplication
from app.security.validators import validate_credit_code
from app.workflow.unit_states import (PERMISSION_EDITABLE, PERMISSION_INITIAL,
                                      PERMISSION_TRANSITIONS)

UNIT_TYPES = ("机关", "事业单位", "企业", "社会团体", "民办非企业单位", "其他")
EDITABLE = PERMISSION_EDITABLE
FIELDS = ("credit_code", "name", "region_id", "unit_type", "competent_department")
# what the unit fills in; the name is always its registered name (A2: fixed after registration)
FORM_FIELDS = ("credit_code", "region_id", "unit_type", "competent_department")
SUBMITTED = _l("The application has been submitted and can no longer be changed")
SAME_NAME = _l("A unit with the same name already has the permission")


def clean_form(data: dict, unit: Unit) -> dict:
    """The checked values, or Invalid naming the first bad field."""
    values = {name: (data.get(name) or "").strip() for name in FORM_FIELDS}
    # the registry match and the same-name block use the registered name, never a typed one (U1)
    values["name"] = unit.name
    try:
        values["credit_code"] = validate_credit_code(values["credit_code"])
    except ValueError as err:
        raise Invalid(err.args[0], field="credit_code") from None
    if not values["name"]:
        raise Invalid(_l("This field is required"), field="name")
    if len(values["name"]) > 128:
        raise Invalid(_l("At most %(n)d characters", n=128), field="name")
    region_id = values["region_id"]
    region = db.session.get(Region, int(region_id)) if region_id.isdigit() and len(region_id) < 10 else None
    if region is None:
        raise Invalid(_l("Please choose the region"), field="region_id")
    values["region_id"] = region.id
    if values["unit_type"] not in UNIT_TYPES:
        raise Invalid(_l("Please choose the unit type"), field="unit_type")
    if not values["competent_department"]:
        raise Invalid(_l("This field is required"), field="competent_department")
    if len(values["competent_department"]) > 128:
        raise Invalid(_l("At most %(n)d characters", n=128), field="competent_department")
    if units_dao.permitted_unit_named(values["name"], other_than=unit.id):
        raise Invalid(SAME_NAME, field="name")
    return values


class SavePermissionCommand(BaseCommand):
    """保存申请: creates or updates the unit's application while it is a draft or was rejected."""

    def __init__(self, user, data: dict):
        self.user, self.data = user, data
        self.unit = self.application = None
        self.values: dict = {}

    def validate(self) -> None:
        self.unit = require_unit(self.user)
        if self.unit.has_permission:
            raise NotAllowed(_l("This unit already has the permission to apply for titles"))
        self.application = own_permission_application(self.unit)
        if self.application is not None and self.application.status not in EDITABLE:
            raise NotAllowed(SUBMITTED)
        self.values = clean_form(self.data, self.unit)

    def _write_form(self) -> UnitPermissionApplication:
        self.validate()
        application = self.application
        if application is None:
            application = UnitPermissionApplication(unit_id=self.unit.id, status=PERMISSION_INITIAL.value)
            db.session.add(application)
        for name, value in self.values.items():
            setattr(application, name, value)
        application.updated_at = utcnow()
        return application

    def run(self) -> UnitPermissionApplication:
        application = self._write_form()
        move(application, PERMISSION_TRANSITIONS, "save", "Unit", actor=self.user,
             audit_action="unit_permission.save", refusal=SUBMITTED)
        return application


class SubmitPermissionCommand(SavePermissionCommand):
    """提交申请: saves what is in the form, then grants at once when the code and name are in the
    registry, otherwise sends it to the bureau of the region. Read-only afterwards."""

    def run(self) -> UnitPermissionApplication:
        application = self._write_form()
        db.session.flush()
        application.submitted_at = utcnow()
        application.reason = None
        doubt = automatic_check_doubt(application)
        if doubt is None:
            application.auto_granted, application.decided_at = True, application.submitted_at
            move(application, PERMISSION_TRANSITIONS, "auto_grant", "Unit", actor=self.user,
                 audit_action="unit_permission.auto_grant", refusal=SUBMITTED, opinion="单位名录自动校验通过")
            grant(application)
        else:
            application.auto_granted = False
            move(application, PERMISSION_TRANSITIONS, "submit", "Unit", actor=self.user,
                 audit_action="unit_permission.submit", refusal=SUBMITTED, opinion=doubt)
        return application


def automatic_check_doubt(application: UnitPermissionApplication) -> str | None:
    """None when the automatic check grants the permission; else why the bureau must look (U1): the
    registered name and the code must match one registry entry, the code must not already be another
    unit's, and the region must be the one the unit registered in (it decides which bureau answers)."""
    unit = application.unit
    if not units_dao.registry_matches(application.credit_code, unit.name):
        return "单位名录中无此名称与代码"
    holder = credit_code_holder(application)
    if holder is not None:
        return f"统一社会信用代码已由单位 {holder.name}（#{holder.id}）取得权限"
    if application.region_id != unit.region_id:
        return "所在地区与注册时不同"
    return None


def grant(application: UnitPermissionApplication) -> None:
    unit = application.unit
    unit.has_permission = True
    unit.credit_code = application.credit_code
    unit.region_id = application.region_id  # the checked region routes its reviews from now on
    db.session.flush()
    # a same-name unit got the permission meanwhile: refuse rather than have two
    if units_dao.permitted_unit_named(application.name, other_than=unit.id):
        raise Invalid(SAME_NAME, field="name")


class DecidePermissionCommand(DecideCommand):
    """审核通过 / 审核不通过 (with a reason) by the bureau of the application's region."""

    table, role, audit_prefix = PERMISSION_TRANSITIONS, "Bureau", "unit_permission"
    messages = {"not_found": _l("No such application"), "not_waiting": _l("This application is not waiting for review")}

    def load(self, row_id: int):
        return units_dao.permission_review_row(self.user, row_id, for_update=True)

    def before(self, row) -> None:
        row.decided_at, row.decided_by_id = utcnow(), self.user.id

    def after(self, row) -> None:
        if self.approve:
            grant(row)
        tell_unit(row.unit, _("Your permission application was approved") if self.approve
                  else _("Your permission application was not approved"), self.clean_reason or "")
