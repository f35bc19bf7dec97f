"""U3/U4 reporting paths: 单位路径申请 (to a superior unit with permission) and 评委会路径申请 (to a
committee), approved (生效) or rejected with a reason by their target. One effective path per
(unit, business set, series, level) — checked here and by a partial unique index."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.clock import utcnow
from app.commands import cas
from app.commands.errors import CommandError, NotAllowed
from app.commands.units.scope import (NotFound, clean_reason, committee_id_of, require_unit, role_names, tell_unit,
                                      unit_of)
from app.extensions import db
from app.models.catalog import Committee, TitleLevel, TitleSeries
from app.models.units import ReportingPath, Unit
from app.security import roles
from app.services import audit

# Businesses sharing one set of paths: recognition and transfer-in share theirs (manuals 001/002).
BUSINESS_SETS = {
    "review": _l("Title review"),
    "recognition": _l("Title recognition and transfer-in"),
    "initial": _l("Initial title determination"),
}
SET_OF_BUSINESS = {"review": "review", "recognition": "recognition", "transfer": "recognition",
                   "initial": "initial"}
STATUS_LABELS = {"pending": _l("Not effective"), "effective": _l("Effective"), "rejected": _l("Not approved")}
DUPLICATE = _l("This unit already has an effective reporting path for this business, series and level")


def business_set_of(business: str) -> str:
    return SET_OF_BUSINESS.get(business, business)


def effective_path(unit_id: int, business: str, series_id: int, level_id: int) -> ReportingPath | None:
    """The unique effective reporting path of a unit for an application's business (review,
    recognition, transfer, initial), series and level; None when there is none (数据上报 refuses)."""
    return db.session.execute(select(ReportingPath).where(
        ReportingPath.unit_id == unit_id, ReportingPath.business_set == business_set_of(business),
        ReportingPath.series_id == series_id, ReportingPath.level_id == level_id,
        ReportingPath.status == "effective")).scalar_one_or_none()


def _int(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


class CreatePathCommand:
    """新增路径: `kind` "unit" (data: business_set, series_id, level_id, target_unit_id) or
    "committee" (data: business_set, committee_id; series and level are the committee's)."""

    def __init__(self, user, kind: str, data: dict):
        self.user, self.kind, self.data = user, kind, data

    def _validate(self, unit: Unit) -> dict:
        business_set = (self.data.get("business_set") or "").strip()
        if business_set not in BUSINESS_SETS:
            raise CommandError(_l("Please choose the business"), field="business_set")
        values = {"unit_id": unit.id, "business_set": business_set}
        if self.kind == "committee":
            committee = db.session.get(Committee, _int(self.data.get("committee_id")) or 0)
            if committee is None:
                raise CommandError(_l("Please choose the committee"), field="committee_id")
            values.update(committee_id=committee.id, series_id=committee.series_id, level_id=committee.level_id)
        else:
            series = db.session.get(TitleSeries, _int(self.data.get("series_id")) or 0)
            if series is None:
                raise CommandError(_l("Please choose the title series"), field="series_id")
            level = db.session.get(TitleLevel, _int(self.data.get("level_id")) or 0)
            if level is None:
                raise CommandError(_l("Please choose the title level"), field="level_id")
            target = db.session.get(Unit, _int(self.data.get("target_unit_id")) or 0)
            if target is None or not target.has_permission:
                raise CommandError(_l("Please choose a superior unit that has the permission"),
                                   field="target_unit_id")
            if target.id == unit.id:
                raise CommandError(_l("A unit cannot report to itself"), field="target_unit_id")
            values.update(target_unit_id=target.id, series_id=series.id, level_id=level.id)
        key = (ReportingPath.unit_id == unit.id, ReportingPath.business_set == business_set,
               ReportingPath.series_id == values["series_id"], ReportingPath.level_id == values["level_id"])
        if db.session.execute(select(ReportingPath.id).where(*key, ReportingPath.status == "effective")).first():
            raise CommandError(DUPLICATE)
        same_target = (ReportingPath.committee_id == values["committee_id"] if self.kind == "committee"
                       else ReportingPath.target_unit_id == values["target_unit_id"])
        if db.session.execute(select(ReportingPath.id).where(*key, same_target,
                                                             ReportingPath.status == "pending")).first():
            raise CommandError(_l("The same path is already waiting for approval"))
        return values

    def run(self) -> ReportingPath:
        try:
            if self.kind not in ("unit", "committee"):
                raise NotFound(_l("No such page"))
            unit = require_unit(self.user)
            if not unit.has_permission:
                raise NotAllowed(_l("Apply for the permission to apply for titles first"))
            path = ReportingPath(status="pending", created_at=utcnow(), **self._validate(unit))
            db.session.add(path)
            db.session.flush()
            audit.record(f"reporting_path.create_{self.kind}", actor=self.user, object_type="ReportingPath",
                         object_id=path.id, to_state="pending")
            if path.target_unit_id:
                tell_unit(db.session.get(Unit, path.target_unit_id), _("A reporting path is waiting for your review"),
                          _("%(name)s applied for a reporting path to your unit.", name=unit.name))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return path


def addressed_to(user):
    """SELECT of the paths whose target is `user`'s unit or committee (单位/评委会路径审核)."""
    conditions = []
    names = role_names(user)
    if roles.UNIT in names:
        unit = unit_of(user)
        if unit is not None:
            conditions.append(ReportingPath.target_unit_id == unit.id)
    committee_id = committee_id_of(user)
    if committee_id:
        conditions.append(ReportingPath.committee_id == committee_id)
    query = select(ReportingPath)
    return query.where(or_(*conditions)) if conditions else query.where(False)


def own_paths(user, kind: str):
    unit = unit_of(user)
    query = select(ReportingPath).where(ReportingPath.unit_id == (unit.id if unit is not None else -1))
    if kind == "committee":
        return query.where(ReportingPath.committee_id.is_not(None))
    return query.where(ReportingPath.target_unit_id.is_not(None))


class DecidePathCommand:
    """审核通过 (→ 生效) or 审核不通过 with a reason, only by the path's target."""

    def __init__(self, user, path_id: int, approve: bool, reason: str | None = None):
        self.user, self.path_id, self.approve, self.reason = user, path_id, approve, reason

    def run(self) -> ReportingPath:
        try:
            path = db.session.execute(addressed_to(self.user).where(ReportingPath.id == self.path_id)
                                      .with_for_update()).scalar_one_or_none()
            if path is None:
                raise NotFound(_l("No such reporting path"))
            if path.status != "pending":
                raise NotAllowed(_l("This path has already been decided"))
            reason = None if self.approve else clean_reason(self.reason)
            if self.approve and effective_path(path.unit_id, path.business_set, path.series_id,
                                               path.level_id) is not None:
                raise NotAllowed(DUPLICATE)
            path.status = "effective" if self.approve else "rejected"
            path.reason = reason
            path.decided_at, path.decided_by_id = utcnow(), self.user.id
            cas.bump(path)
            cas.write()  # a compare-and-set on the version read: two bureau users at once, one decides (R6)
            audit.record("reporting_path.approve" if self.approve else "reporting_path.reject", actor=self.user,
                         object_type="ReportingPath", object_id=path.id, from_state="pending",
                         to_state=path.status, opinion=reason or "")
            tell_unit(path.unit, _("Your reporting path is now effective") if self.approve
                      else _("Your reporting path was not approved"), reason or "")
            try:
                db.session.commit()
            except IntegrityError:  # another approval won the race: the partial unique index refuses
                raise NotAllowed(DUPLICATE) from None
        except Exception:
            db.session.rollback()
            raise
        return path
