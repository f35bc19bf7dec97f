"""U5 终审权限申请 for recognition (职称认定证书发放) and transfer-in (外地调入终审), with the certificate
level and organisation, reviewed by the bureau of the unit's region. An approved row is the authority for
its business and its certificate level (证书等级) only; a unit may hold one per level."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.clock import utcnow
from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotAllowed, NotFound
from app.commands.units.decide import DecideCommand
from app.commands.units.scope import require_unit, tell_unit
from app.daos import units as units_dao
from app.daos.units import has_final_authority  # noqa: F401 (the review commands ask it here)
from app.extensions import db
from app.models.catalog import TitleLevel
from app.models.units import FinalAuthorityApplication
from app.services import audit
from app.workflow.unit_states import AUTHORITY_INITIAL, AUTHORITY_LABELS, AUTHORITY_TRANSITIONS, AuthorityStatus

AUTHORITY_BUSINESSES = {"recognition": _l("Recognition certificate issuing authority"),
                        "transfer": _l("Transfer-in final review authority")}
STATUS_LABELS = AUTHORITY_LABELS
WAITING = _l("An application for this authority is waiting for review")


class ApplyFinalAuthorityCommand(BaseCommand):
    def __init__(self, user, business: str, data: dict):
        self.user, self.business, self.data = user, business, data
        self.unit = self.level = None
        self.organisation = ""

    def validate(self) -> None:
        if self.business not in AUTHORITY_BUSINESSES:
            raise NotFound(_l("No such page"))
        self.unit = require_unit(self.user)
        if not self.unit.has_permission:
            raise NotAllowed(_l("Apply for the permission to apply for titles first"))
        level_raw = str(self.data.get("level_id") or "").strip()
        self.level = db.session.get(TitleLevel, int(level_raw)) if level_raw.isdigit() and len(level_raw) < 10 else None
        if self.level is None:
            raise Invalid(_l("Please choose the certificate level"), field="level_id")
        # one authority per certificate level: a unit with 初级 may still apply for 中级
        existing = units_dao.open_authority(self.unit.id, self.business, self.level.id)
        if existing is not None:
            raise Invalid(_l("This authority has been granted already")
                          if existing.status == AuthorityStatus.APPROVED.value else WAITING, field="level_id")
        self.organisation = (self.data.get("organisation") or "").strip()
        if not self.organisation:
            raise Invalid(_l("This field is required"), field="organisation")
        if len(self.organisation) > 128:
            raise Invalid(_l("At most %(n)d characters", n=128), field="organisation")

    def run(self) -> FinalAuthorityApplication:
        self.validate()
        application = FinalAuthorityApplication(
            unit_id=self.unit.id, business=self.business, level_id=self.level.id, organisation=self.organisation,
            region_id=self.unit.region_id, status=AUTHORITY_INITIAL.value, created_at=utcnow())
        db.session.add(application)
        try:
            db.session.flush()
        except IntegrityError:  # the same level applied for meanwhile: the partial unique index refuses
            raise NotAllowed(WAITING) from None
        audit.record(f"final_authority.apply_{self.business}", actor=self.user,
                     object_type="FinalAuthorityApplication", object_id=application.id, to_state=application.status)
        return application


class DecideFinalAuthorityCommand(DecideCommand):
    """审核通过 / 审核不通过 (with a reason) by the bureau of the unit's region."""

    table, role, audit_prefix = AUTHORITY_TRANSITIONS, "Bureau", "final_authority"
    messages = dict(DecideCommand.messages, not_found=_l("No such application"))

    def load(self, row_id: int):
        return units_dao.authority_review_row(self.user, row_id, for_update=True)

    def before(self, row) -> None:
        row.decided_at, row.decided_by_id = utcnow(), self.user.id

    def after(self, row) -> None:
        tell_unit(row.unit, _("Your final review authority application was approved") if self.approve
                  else _("Your final review authority application was not approved"), self.clean_reason or "")
