"""U1 职称申报权限申请: 保存申请, 提交申请 (automatic check against the unit registry, else the bureau
of the unit's region), and the bureau's 通过 / 不通过."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import utcnow
from app.commands import cas
from app.commands.errors import CommandError, NotAllowed
from app.commands.units.scope import NotFound, bureau_region_ids, clean_reason, require_unit, tell_unit
from app.extensions import db
from app.models.catalog import Region
from app.models.units import Unit, UnitPermissionApplication, UnitRegistryEntry
from app.security.validators import validate_credit_code
from app.services import audit

UNIT_TYPES = ("机关", "事业单位", "企业", "社会团体", "民办非企业单位", "其他")
EDITABLE = ("draft", "rejected")
FIELDS = ("credit_code", "name", "region_id", "unit_type", "competent_department")
# what the unit fills in; the name is always its registered name (A2: fixed after registration)
FORM_FIELDS = ("credit_code", "region_id", "unit_type", "competent_department")


def own_application(unit: Unit) -> UnitPermissionApplication | None:
    return db.session.execute(select(UnitPermissionApplication)
                              .where(UnitPermissionApplication.unit_id == unit.id)).scalar_one_or_none()


def clean_form(data: dict, unit: Unit) -> dict:
    """The checked values, or CommandError naming the first bad field."""
    values = {name: (data.get(name) or "").strip() for name in FORM_FIELDS}
    # the registry match and the same-name block use the registered name, never a typed one (U1)
    values["name"] = unit.name
    try:
        values["credit_code"] = validate_credit_code(values["credit_code"])
    except ValueError as err:
        raise CommandError(err.args[0], field="credit_code") from None
    if not values["name"]:
        raise CommandError(_l("This field is required"), field="name")
    if len(values["name"]) > 128:
        raise CommandError(_l("At most %(n)d characters", n=128), field="name")
    region_id = values["region_id"]
    region = db.session.get(Region, int(region_id)) if region_id.isdigit() and len(region_id) < 10 else None
    if region is None:
        raise CommandError(_l("Please choose the region"), field="region_id")
    values["region_id"] = region.id
    if values["unit_type"] not in UNIT_TYPES:
        raise CommandError(_l("Please choose the unit type"), field="unit_type")
    if not values["competent_department"]:
        raise CommandError(_l("This field is required"), field="competent_department")
    if len(values["competent_department"]) > 128:
        raise CommandError(_l("At most %(n)d characters", n=128), field="competent_department")
    same_name = db.session.execute(select(Unit.id).where(Unit.name == values["name"], Unit.id != unit.id,
                                                         Unit.has_permission.is_(True))).first()
    if same_name is not None:
        raise CommandError(_l("A unit with the same name already has the permission"), field="name")
    return values


class SavePermissionCommand:
    """保存申请: creates or updates the unit's application while it is a draft or was rejected."""

    action = "unit_permission.save"

    def __init__(self, user, data: dict):
        self.user, self.data = user, data

    def _save(self) -> UnitPermissionApplication:
        unit = require_unit(self.user)
        if unit.has_permission:
            raise NotAllowed(_l("This unit already has the permission to apply for titles"))
        application = own_application(unit)
        if application is not None and application.status not in EDITABLE:
            raise NotAllowed(_l("The application has been submitted and can no longer be changed"))
        values = clean_form(self.data, unit)
        source = application.status if application is not None else ""
        if application is None:
            application = UnitPermissionApplication(unit_id=unit.id, status="draft")
            db.session.add(application)
        for name, value in values.items():
            setattr(application, name, value)
        application.updated_at = utcnow()
        db.session.flush()
        audit.record(self.action, actor=self.user, object_type="UnitPermissionApplication",
                     object_id=application.id, from_state=source, to_state=application.status)
        return application

    def run(self) -> UnitPermissionApplication:
        try:
            application = self._save()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return application


class SubmitPermissionCommand(SavePermissionCommand):
    """提交申请: saves what is in the form, then grants at once when the code and name are in the
    registry, otherwise sends it to the bureau of the region. Read-only afterwards."""

    def run(self) -> UnitPermissionApplication:
        try:
            application = self._save()
            source, now = application.status, utcnow()
            application.submitted_at = now
            application.reason = None
            doubt = automatic_check_doubt(application)
            if doubt is None:
                application.status, application.auto_granted, application.decided_at = "approved", True, now
                _grant(application)
                audit.record("unit_permission.auto_grant", actor=self.user, object_type="UnitPermissionApplication",
                             object_id=application.id, from_state=source, to_state="approved",
                             opinion="单位名录自动校验通过")
            else:
                application.status, application.auto_granted = "submitted", False
                audit.record("unit_permission.submit", actor=self.user, object_type="UnitPermissionApplication",
                             object_id=application.id, from_state=source, to_state="submitted", opinion=doubt)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return application


def credit_code_holder(application: UnitPermissionApplication) -> Unit | None:
    """Another unit that already has the permission under this credit code, if any."""
    return db.session.execute(select(Unit).where(Unit.credit_code == application.credit_code,
                                                 Unit.id != application.unit_id, Unit.has_permission.is_(True))
                              .limit(1)).scalar_one_or_none()


def automatic_check_doubt(application: UnitPermissionApplication) -> str | None:
    """None when the automatic check grants the permission; else why the bureau must look (U1): the
    registered name and the code must match one registry entry, the code must not already be another
    unit's, and the region must be the one the unit registered in (it decides which bureau answers)."""
    unit = application.unit
    match = db.session.execute(select(UnitRegistryEntry.id).where(
        UnitRegistryEntry.credit_code == application.credit_code, UnitRegistryEntry.name == unit.name)).first()
    if match is None:
        return "单位名录中无此名称与代码"
    holder = credit_code_holder(application)
    if holder is not None:
        return f"统一社会信用代码已由单位 {holder.name}（#{holder.id}）取得权限"
    if application.region_id != unit.region_id:
        return "所在地区与注册时不同"
    return None


def _grant(application: UnitPermissionApplication) -> None:
    unit = application.unit
    unit.has_permission = True
    unit.credit_code = application.credit_code
    unit.region_id = application.region_id  # the checked region routes its reviews from now on
    db.session.flush()
    # a same-name unit got the permission meanwhile: refuse rather than have two
    clash = db.session.execute(select(Unit.id).where(Unit.name == application.name, Unit.id != unit.id,
                                                     Unit.has_permission.is_(True))).first()
    if clash is not None:
        raise CommandError(_l("A unit with the same name already has the permission"), field="name")


def bureau_queue(user):
    """SELECT of the permission applications the bureau `user` reviews (its region and below)."""
    return select(UnitPermissionApplication).where(UnitPermissionApplication.region_id.in_(bureau_region_ids(user)))


class DecidePermissionCommand:
    """通过 / 不通过 (with a reason) by the bureau of the application's region."""

    def __init__(self, user, application_id: int, approve: bool, reason: str | None = None):
        self.user, self.application_id, self.approve, self.reason = user, application_id, approve, reason

    def run(self) -> UnitPermissionApplication:
        try:
            application = db.session.execute(bureau_queue(self.user).where(
                UnitPermissionApplication.id == self.application_id).with_for_update()).scalar_one_or_none()
            if application is None:
                raise NotFound(_l("No such application"))
            if application.status != "submitted":
                raise NotAllowed(_l("This application is not waiting for review"))
            reason = None if self.approve else clean_reason(self.reason)
            application.status = "approved" if self.approve else "rejected"
            application.reason = reason
            application.decided_at, application.decided_by_id = utcnow(), self.user.id
            cas.bump(application)
            cas.write()  # a compare-and-set on the version read: two bureau users at once, one decides (R6)
            if self.approve:
                _grant(application)
            audit.record("unit_permission.approve" if self.approve else "unit_permission.reject", actor=self.user,
                         object_type="UnitPermissionApplication", object_id=application.id,
                         from_state="submitted", to_state=application.status, opinion=reason or "")
            tell_unit(application.unit, _("Your permission application was approved") if self.approve
                      else _("Your permission application was not approved"), reason or "")
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return application
