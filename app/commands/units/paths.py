"""U3/U4 reporting paths: 单位路径申请 (to a superior unit with permission) and 评委会路径申请 (to a
committee), approved (生效) or rejected with a reason by their target. One effective path per
(unit, business set, series, level) — checked here and by a partial unique index."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotAllowed, NotFound
from app.commands.units.decide import DecideCommand
from app.commands.units.scope import require_unit, tell_unit
from app.daos import units as units_dao
from app.extensions import db
from app.models.catalog import Committee, TitleLevel, TitleSeries
from app.models.units import ReportingPath, Unit
from app.services import audit
from app.workflow.unit_states import PATH_INITIAL, PATH_LABELS, PATH_TRANSITIONS

# Businesses sharing one set of paths: recognition and transfer-in share theirs (manuals 001/002).
BUSINESS_SETS = {
    "review": _l("Title review"),
    "recognition": _l("Title recognition and transfer-in"),
    "initial": _l("Initial title determination"),
}
SET_OF_BUSINESS = {"review": "review", "recognition": "recognition", "transfer": "recognition",
                   "initial": "initial"}
KINDS = ("unit", "committee")
STATUS_LABELS = PATH_LABELS
DUPLICATE = _l("This unit already has an effective reporting path for this business, series and level")


def business_set_of(business: str) -> str:
    return SET_OF_BUSINESS.get(business, business)


def effective_path(unit_id: int, business: str, series_id: int, level_id: int) -> ReportingPath | None:
    """The unique effective reporting path of a unit for an application's business (review,
    recognition, transfer, initial), series and level; None when there is none (数据上报 refuses)."""
    return units_dao.effective_path(unit_id, business_set_of(business), series_id, level_id)


def _int(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


class CreatePathCommand(BaseCommand):
    """新增路径: `kind` "unit" (data: business_set, series_id, level_id, target_unit_id) or
    "committee" (data: business_set, committee_id; series and level are the committee's)."""

    def __init__(self, user, kind: str, data: dict):
        self.user, self.kind, self.data = user, kind, data
        self.unit = None
        self.values: dict = {}

    def validate(self) -> None:
        if self.kind not in KINDS:
            raise NotFound(_l("No such page"))
        self.unit = unit = require_unit(self.user)
        if not unit.has_permission:
            raise NotAllowed(_l("Apply for the permission to apply for titles first"))
        business_set = (self.data.get("business_set") or "").strip()
        if business_set not in BUSINESS_SETS:
            raise Invalid(_l("Please choose the business"), field="business_set")
        values = {"unit_id": unit.id, "business_set": business_set}
        if self.kind == "committee":
            committee = db.session.get(Committee, _int(self.data.get("committee_id")) or 0)
            if committee is None:
                raise Invalid(_l("Please choose the committee"), field="committee_id")
            values.update(committee_id=committee.id, series_id=committee.series_id, level_id=committee.level_id)
        else:
            series = db.session.get(TitleSeries, _int(self.data.get("series_id")) or 0)
            if series is None:
                raise Invalid(_l("Please choose the title series"), field="series_id")
            level = db.session.get(TitleLevel, _int(self.data.get("level_id")) or 0)
            if level is None:
                raise Invalid(_l("Please choose the title level"), field="level_id")
            target = db.session.get(Unit, _int(self.data.get("target_unit_id")) or 0)
            if target is None or not target.has_permission:
                raise Invalid(_l("Please choose a superior unit that has the permission"), field="target_unit_id")
            if target.id == unit.id:
                raise Invalid(_l("A unit cannot report to itself"), field="target_unit_id")
            values.update(target_unit_id=target.id, series_id=series.id, level_id=level.id)
        key = (unit.id, business_set, values["series_id"], values["level_id"])
        if units_dao.effective_path(*key) is not None:
            raise Invalid(DUPLICATE)
        if units_dao.pending_path_exists(*key, committee_id=values.get("committee_id"),
                                         target_unit_id=values.get("target_unit_id")):
            raise Invalid(_l("The same path is already waiting for approval"))
        self.values = values

    def run(self) -> ReportingPath:
        self.validate()
        path = ReportingPath(status=PATH_INITIAL.value, created_at=utcnow(), **self.values)
        db.session.add(path)
        db.session.flush()
        audit.record(f"reporting_path.create_{self.kind}", actor=self.user, object_type="ReportingPath",
                     object_id=path.id, to_state=path.status)
        if path.target_unit_id:
            tell_unit(db.session.get(Unit, path.target_unit_id), _("A reporting path is waiting for your review"),
                      _("%(name)s applied for a reporting path to your unit.", name=self.unit.name))
        return path


class DecidePathCommand(DecideCommand):
    """审核通过 (→ 生效) or 审核不通过 with a reason, only by the path's target."""

    table, audit_prefix = PATH_TRANSITIONS, "reporting_path"
    messages = {"not_found": _l("No such reporting path"), "not_waiting": _l("This path has already been decided")}

    def load(self, row_id: int):
        return units_dao.path_review_row(self.user, row_id, for_update=True)

    def role_for(self, row) -> str:
        return "Committee" if row.committee_id else "Unit"

    def check(self, row) -> None:
        if self.approve and row.status == PATH_INITIAL.value and units_dao.effective_path(
                row.unit_id, row.business_set, row.series_id, row.level_id) is not None:
            raise NotAllowed(DUPLICATE)

    def before(self, row) -> None:
        row.decided_at, row.decided_by_id = utcnow(), self.user.id

    def after(self, row) -> None:
        tell_unit(row.unit, _("Your reporting path is now effective") if self.approve
                  else _("Your reporting path was not approved"), self.clean_reason or "")

    def integrity_error(self) -> Exception:
        return NotAllowed(DUPLICATE)  # another approval won the race: the partial unique index refuses
