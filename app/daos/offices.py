"""Row access of the 报送受理部门 side of 职称初定: the bureau of an office's region acts for the office
(reviews its applications and issues their certificates); a bureau never acts for another region's
offices, not even those of the regions below it, which have a bureau of their own. And the offices a
holder may address a certificate reissue to (所属申报点)."""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, select

from app.extensions import db
from app.models.accounts import BackendBinding
from app.models.applications import Application
from app.models.offices import AcceptingOffice
from app.security import roles
from app.services.catalog import region_and_ancestors
from app.workflow.states import NEVER_SUBMITTED

BUSINESS = "initial"


def acting_region_id(user) -> int | None:
    """The region of an active bureau account: the offices of that region are the ones it acts for."""
    if roles.BUREAU not in {r.name for r in user.roles}:
        return None
    binding = db.session.get(BackendBinding, user.id)
    return binding.region_id if binding is not None and binding.active and binding.region_id else None


def reissue_offices_of(region_id: int) -> Select:
    """SELECT of the 所属申报点 of a region: the offices of the region or a region above it, by name."""
    return (select(AcceptingOffice).where(AcceptingOffice.region_id.in_(region_and_ancestors(region_id)))
            .order_by(AcceptingOffice.name, AcceptingOffice.id).limit(200))


def reissue_offices(region_id) -> list[AcceptingOffice]:
    """The 所属申报点 of the region whose id is the text `region_id`; none for anything else."""
    text = str(region_id or "")
    if not (text.isdigit() and len(text) < 10):
        return []
    return list(db.session.execute(reissue_offices_of(int(text))).scalars())


def office_ids(region_id: int) -> Select:
    return select(AcceptingOffice.id).where(AcceptingOffice.region_id == region_id)


def offices_of(user) -> list[AcceptingOffice]:
    """The offices `user` acts for, by name (a region has a handful)."""
    region_id = acting_region_id(user)
    if region_id is None:
        return []
    return list(db.session.execute(select(AcceptingOffice).where(AcceptingOffice.region_id == region_id)
                                   .order_by(AcceptingOffice.name, AcceptingOffice.id).limit(200)).scalars())


def office_of(user, office_id) -> AcceptingOffice | None:
    """One office `user` acts for, or None (unknown, or another region's)."""
    region_id = acting_region_id(user)
    text = str(office_id or "").strip()
    if region_id is None or not text.isdigit() or len(text) > 9:
        return None
    office = db.session.get(AcceptingOffice, int(text))
    return office if office is not None and office.region_id == region_id else None


def office_rule(user) -> ColumnElement[bool]:
    """The submitted 职称初定 applications of the offices `user` acts for (the FAB list's base filter)."""
    region_id = acting_region_id(user)
    if region_id is None:
        return false()
    return ((Application.business == BUSINESS) & Application.accepting_office_id.in_(office_ids(region_id))
            & Application.status.notin_(NEVER_SUBMITTED))


def office_row(user, application_id: int, *, for_update: bool = False) -> Application | None:
    """One application of `office_rule`, locked and refreshed for a decision when `for_update`."""
    stmt = select(Application).where(Application.id == application_id, office_rule(user))
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return db.session.execute(stmt).scalar_one_or_none()


def acting_bureaus(office: AcceptingOffice) -> list:
    """The active bureau accounts of the office's region (those who act for it), at most 50."""
    from sqlalchemy.orm import selectinload

    bindings = db.session.execute(select(BackendBinding).where(
        BackendBinding.region_id == office.region_id, BackendBinding.active.is_(True), BackendBinding.committee_id.is_(None))
        .options(selectinload(BackendBinding.user)).limit(50)).scalars()
    return [b.user for b in bindings if roles.BUREAU in {r.name for r in b.user.roles}]


def passed_counts(user) -> dict[int, int]:
    """{office id: its 终审通过 applicants waiting for 证书入库} over the offices `user` acts for."""
    from sqlalchemy import func

    from app.workflow.states import Status

    rows = db.session.execute(select(Application.accepting_office_id, func.count()).where(
        office_rule(user), Application.status == Status.FINAL_PASSED.value)
        .group_by(Application.accepting_office_id)).all()
    return {office_id: count for office_id, count in rows}
