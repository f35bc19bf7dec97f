"""U5 终审权限申请 for recognition (职称认定证书发放) and transfer-in (外地调入终审), with the certificate
level and organisation, reviewed by the bureau of the unit's region. An approved row is the authority for
its business and its certificate level (证书等级) only; a unit may hold one per level."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.clock import utcnow
from app.commands import cas
from app.commands.errors import CommandError, NotAllowed
from app.commands.units.scope import NotFound, bureau_region_ids, clean_reason, require_unit, tell_unit
from app.extensions import db
from app.models.catalog import TitleLevel
from app.models.units import FinalAuthorityApplication
from app.services import audit

AUTHORITY_BUSINESSES = {"recognition": _l("Recognition certificate issuing authority"),
                        "transfer": _l("Transfer-in final review authority")}
STATUS_LABELS = {"pending": _l("Waiting for review"), "approved": _l("Approved"), "rejected": _l("Not approved")}


def has_final_authority(unit_id: int, business: str, level_id: int | None = None) -> bool:
    """Whether the unit may finish recognition or transfer-in applications itself (终审): of `level_id`
    when given (the authority's 证书等级 must be the application's level), of any level otherwise."""
    query = select(FinalAuthorityApplication.id).where(
        FinalAuthorityApplication.unit_id == unit_id, FinalAuthorityApplication.business == business,
        FinalAuthorityApplication.status == "approved")
    if level_id is not None:
        query = query.where(FinalAuthorityApplication.level_id == level_id)
    return db.session.execute(query.limit(1)).first() is not None


def open_applications(unit_id: int, business: str) -> list[FinalAuthorityApplication]:
    """The pending and approved applications of one business, one per level at most (a partial unique
    index), by level."""
    return list(db.session.execute(select(FinalAuthorityApplication).where(
        FinalAuthorityApplication.unit_id == unit_id, FinalAuthorityApplication.business == business,
        FinalAuthorityApplication.status.in_(("pending", "approved")))
        .options(joinedload(FinalAuthorityApplication.level))
        .order_by(FinalAuthorityApplication.level_id)).scalars())


def open_application(unit_id: int, business: str, level_id: int) -> FinalAuthorityApplication | None:
    """The pending or approved application of one business and level."""
    return db.session.execute(select(FinalAuthorityApplication).where(
        FinalAuthorityApplication.unit_id == unit_id, FinalAuthorityApplication.business == business,
        FinalAuthorityApplication.level_id == level_id,
        FinalAuthorityApplication.status.in_(("pending", "approved")))).scalar_one_or_none()


class ApplyFinalAuthorityCommand:
    def __init__(self, user, business: str, data: dict):
        self.user, self.business, self.data = user, business, data

    def run(self) -> FinalAuthorityApplication:
        try:
            if self.business not in AUTHORITY_BUSINESSES:
                raise NotFound(_l("No such page"))
            unit = require_unit(self.user)
            if not unit.has_permission:
                raise NotAllowed(_l("Apply for the permission to apply for titles first"))
            level_raw = str(self.data.get("level_id") or "").strip()
            level = db.session.get(TitleLevel, int(level_raw)) if level_raw.isdigit() and len(level_raw) < 10 else None
            if level is None:
                raise CommandError(_l("Please choose the certificate level"), field="level_id")
            # one authority per certificate level: a unit with 初级 may still apply for 中级 (issue item 15)
            existing = open_application(unit.id, self.business, level.id)
            if existing is not None:
                raise CommandError(_l("This authority has been granted already") if existing.status == "approved"
                                   else _l("An application for this authority is waiting for review"),
                                   field="level_id")
            organisation = (self.data.get("organisation") or "").strip()
            if not organisation:
                raise CommandError(_l("This field is required"), field="organisation")
            if len(organisation) > 128:
                raise CommandError(_l("At most %(n)d characters", n=128), field="organisation")
            application = FinalAuthorityApplication(unit_id=unit.id, business=self.business, level_id=level.id,
                                                    organisation=organisation, region_id=unit.region_id,
                                                    status="pending", created_at=utcnow())
            db.session.add(application)
            db.session.flush()
            audit.record(f"final_authority.apply_{self.business}", actor=self.user,
                         object_type="FinalAuthorityApplication", object_id=application.id, to_state="pending")
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise NotAllowed(_l("An application for this authority is waiting for review")) from None
        except Exception:
            db.session.rollback()
            raise
        return application


def bureau_queue(user):
    return select(FinalAuthorityApplication).where(FinalAuthorityApplication.region_id.in_(bureau_region_ids(user)))


class DecideFinalAuthorityCommand:
    def __init__(self, user, application_id: int, approve: bool, reason: str | None = None):
        self.user, self.application_id, self.approve, self.reason = user, application_id, approve, reason

    def run(self) -> FinalAuthorityApplication:
        try:
            application = db.session.execute(bureau_queue(self.user).where(
                FinalAuthorityApplication.id == self.application_id).with_for_update()).scalar_one_or_none()
            if application is None:
                raise NotFound(_l("No such application"))
            if application.status != "pending":
                raise NotAllowed(_l("This application is not waiting for review"))
            reason = None if self.approve else clean_reason(self.reason)
            application.status = "approved" if self.approve else "rejected"
            application.reason = reason
            application.decided_at, application.decided_by_id = utcnow(), self.user.id
            cas.bump(application)
            cas.write()  # a compare-and-set on the version read: two bureau users at once, one decides (R6)
            audit.record("final_authority.approve" if self.approve else "final_authority.reject", actor=self.user,
                         object_type="FinalAuthorityApplication", object_id=application.id,
                         from_state="pending", to_state=application.status, opinion=reason or "")
            tell_unit(application.unit, _("Your final review authority application was approved") if self.approve
                      else _("Your final review authority application was not approved"), reason or "")
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return application
