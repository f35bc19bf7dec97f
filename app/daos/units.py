"""Row access to the units' own records: which permission applications, reporting paths and final-review
authorities a user may see and decide. The review queues' `base_filters` and the decision commands use
the same rules, so a row outside them is neither listed nor decided, whatever the route."""
from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import joinedload

from app.daos.actors import bureau_region_ids, committee_id_of, unit_account_of
from app.extensions import db
from app.models.catalog import Committee, Region, TitleLevel
from app.models.units import (FinalAuthorityApplication, ReportingPath, Unit, UnitPermissionApplication,
                              UnitRegistryEntry)
from app.workflow.unit_states import AUTHORITY_OPEN, AuthorityStatus, PathStatus, PermissionStatus

COMMITTEE_CHOICES_MAX = 500


# ---------------------------------------------------------------- the reviewers' rules
def permission_review_rule(user) -> ColumnElement[bool]:
    """Permission applications the bureau `user` reviews: submitted ones of its region and below."""
    ids = bureau_region_ids(user)
    if not ids:
        return false()
    return UnitPermissionApplication.region_id.in_(ids) & (
        UnitPermissionApplication.status != PermissionStatus.DRAFT.value)


def path_review_rule(user) -> ColumnElement[bool]:
    """Reporting paths whose target is `user`'s unit (单位路径审核) or committee (评委会路径审核)."""
    conditions = []
    unit = unit_account_of(user)
    if unit is not None:
        conditions.append(ReportingPath.target_unit_id == unit.id)
    committee_id = committee_id_of(user)
    if committee_id:
        conditions.append(ReportingPath.committee_id == committee_id)
    return or_(*conditions) if conditions else false()


def authority_review_rule(user) -> ColumnElement[bool]:
    """Final-review authority applications of the bureau `user`'s region and below."""
    ids = bureau_region_ids(user)
    return FinalAuthorityApplication.region_id.in_(ids) if ids else false()


def permission_review_row(user, application_id: int, *, for_update: bool = False):
    query = select(UnitPermissionApplication).where(permission_review_rule(user),
                                                    UnitPermissionApplication.id == application_id)
    return db.session.execute(query.with_for_update() if for_update else query).scalar_one_or_none()


def path_review_row(user, path_id: int, *, for_update: bool = False):
    query = select(ReportingPath).where(path_review_rule(user), ReportingPath.id == path_id)
    return db.session.execute(query.with_for_update() if for_update else query).scalar_one_or_none()


def authority_review_row(user, application_id: int, *, for_update: bool = False):
    query = select(FinalAuthorityApplication).where(authority_review_rule(user),
                                                    FinalAuthorityApplication.id == application_id)
    return db.session.execute(query.with_for_update() if for_update else query).scalar_one_or_none()


# ---------------------------------------------------------------- the unit's own rows
def own_permission_application(unit: Unit) -> UnitPermissionApplication | None:
    return db.session.execute(select(UnitPermissionApplication)
                              .where(UnitPermissionApplication.unit_id == unit.id)).scalar_one_or_none()


def own_path_rule(user) -> ColumnElement[bool]:
    """The signed-in unit's own reporting paths (单位路径申请 / 评委会路径申请)."""
    unit = unit_account_of(user)
    return ReportingPath.unit_id == unit.id if unit is not None else false()


def path_kind_rule(kind: str) -> ColumnElement[bool]:
    """Paths to a committee ("committee") or to a superior unit (any other kind)."""
    if kind == "committee":
        return ReportingPath.committee_id.is_not(None)
    return ReportingPath.target_unit_id.is_not(None)


def own_authorities(unit_id: int, limit: int) -> list[FinalAuthorityApplication]:
    """The unit's latest final-review authority applications, newest first."""
    return db.session.execute(
        select(FinalAuthorityApplication).where(FinalAuthorityApplication.unit_id == unit_id)
        .options(joinedload(FinalAuthorityApplication.level))
        .order_by(FinalAuthorityApplication.created_at.desc()).limit(limit)).scalars().all()


# ---------------------------------------------------------------- facts the rules ask
def effective_path(unit_id: int, business_set: str, series_id: int, level_id: int) -> ReportingPath | None:
    """The unique effective reporting path of a unit for a business set, series and level."""
    return db.session.execute(select(ReportingPath).where(
        ReportingPath.unit_id == unit_id, ReportingPath.business_set == business_set,
        ReportingPath.series_id == series_id, ReportingPath.level_id == level_id,
        ReportingPath.status == PathStatus.EFFECTIVE.value)).scalar_one_or_none()


def pending_path_exists(unit_id: int, business_set: str, series_id: int, level_id: int, *,
                        committee_id: int | None = None, target_unit_id: int | None = None) -> bool:
    """Whether the same path (same key and target) is already waiting for approval."""
    same_target = (ReportingPath.committee_id == committee_id if committee_id is not None
                   else ReportingPath.target_unit_id == target_unit_id)
    return db.session.execute(select(ReportingPath.id).where(
        ReportingPath.unit_id == unit_id, ReportingPath.business_set == business_set,
        ReportingPath.series_id == series_id, ReportingPath.level_id == level_id, same_target,
        ReportingPath.status == PathStatus.PENDING.value).limit(1)).first() is not None


def has_final_authority(unit_id: int, business: str, level_id: int | None = None) -> bool:
    """Whether the unit may finish recognition or transfer-in applications itself (终审): of `level_id`
    when given (the authority's 证书等级 must be the application's level), of any level otherwise."""
    query = select(FinalAuthorityApplication.id).where(
        FinalAuthorityApplication.unit_id == unit_id, FinalAuthorityApplication.business == business,
        FinalAuthorityApplication.status == AuthorityStatus.APPROVED.value)
    if level_id is not None:
        query = query.where(FinalAuthorityApplication.level_id == level_id)
    return db.session.execute(query.limit(1)).first() is not None


def open_authorities(unit_id: int, business: str) -> list[FinalAuthorityApplication]:
    """The pending and approved applications of one business, one per level at most (a partial unique
    index), by level."""
    return list(db.session.execute(select(FinalAuthorityApplication).where(
        FinalAuthorityApplication.unit_id == unit_id, FinalAuthorityApplication.business == business,
        FinalAuthorityApplication.status.in_(AUTHORITY_OPEN))
        .options(joinedload(FinalAuthorityApplication.level))
        .order_by(FinalAuthorityApplication.level_id)).scalars())


def open_authority(unit_id: int, business: str, level_id: int) -> FinalAuthorityApplication | None:
    """The pending or approved application of one business and level."""
    return db.session.execute(select(FinalAuthorityApplication).where(
        FinalAuthorityApplication.unit_id == unit_id, FinalAuthorityApplication.business == business,
        FinalAuthorityApplication.level_id == level_id,
        FinalAuthorityApplication.status.in_(AUTHORITY_OPEN))).scalar_one_or_none()


def permitted_unit_named(name: str, *, other_than: int) -> bool:
    """Whether another unit of this name already has the permission (one name, one permitted unit)."""
    return db.session.execute(select(Unit.id).where(Unit.name == name, Unit.id != other_than,
                                                    Unit.has_permission.is_(True)).limit(1)).first() is not None


def credit_code_holder(application: UnitPermissionApplication) -> Unit | None:
    """Another unit that already has the permission under this credit code, if any."""
    return db.session.execute(select(Unit).where(Unit.credit_code == application.credit_code,
                                                 Unit.id != application.unit_id, Unit.has_permission.is_(True))
                              .limit(1)).scalar_one_or_none()


def registry_entry(credit_code: str) -> UnitRegistryEntry | None:
    return db.session.execute(select(UnitRegistryEntry).where(
        UnitRegistryEntry.credit_code == credit_code)).scalar_one_or_none()


def registry_matches(credit_code: str, name: str) -> bool:
    return db.session.execute(select(UnitRegistryEntry.id).where(
        UnitRegistryEntry.credit_code == credit_code, UnitRegistryEntry.name == name)).first() is not None


def registry_entries(codes: list[str]) -> dict[str, UnitRegistryEntry]:
    """The registry entries of these credit codes, by code (500 codes a statement)."""
    found = {}
    for start in range(0, len(codes), 500):
        found.update({e.credit_code: e for e in db.session.execute(select(UnitRegistryEntry).where(
            UnitRegistryEntry.credit_code.in_(codes[start:start + 500]))).scalars()})
    return found


def registry_search(text: str) -> Select:
    """SELECT of the registry entries whose name or credit code contains `text` (all when empty)."""
    from app.daos.unit_picker import like_pattern

    query = select(UnitRegistryEntry)
    if text:
        pattern = like_pattern(text)
        query = query.where(or_(UnitRegistryEntry.name.like(pattern, escape="\\"),
                                UnitRegistryEntry.credit_code.like(pattern, escape="\\")))
    return query


def regions_near(region: Region | None) -> list[Region]:
    """The regions of the unit's province (the province and everything below it): a few hundred at most."""
    if region is None:
        return []
    top = region
    while top.parent is not None:
        top = top.parent
    ids, frontier = [top.id], [top.id]
    while frontier:
        frontier = list(db.session.execute(select(Region.id).where(Region.parent_id.in_(frontier))).scalars())
        ids.extend(frontier)
    return db.session.execute(select(Region).where(Region.id.in_(ids)).options(joinedload(Region.parent))
                              .order_by(Region.code)).scalars().all()


def committee_choices() -> list[Committee]:
    """The committees a path may be addressed to, by name (bounded)."""
    return db.session.execute(select(Committee).options(
        joinedload(Committee.series), joinedload(Committee.level), joinedload(Committee.region))
        .order_by(Committee.name).limit(COMMITTEE_CHOICES_MAX)).scalars().all()


def level_count() -> int:
    return db.session.execute(select(func.count()).select_from(TitleLevel)).scalar_one()


def unit_by_id(raw: str) -> Unit | None:
    """The unit of a posted id (None for anything that is not one)."""
    return find_unit(int(raw)) if raw.isdigit() and len(raw) < 10 else None


def find_unit(unit_id: int | None) -> Unit | None:
    """The unit of that id (None for none): a unit's name and region are what every form may show of it."""
    return db.session.get(Unit, unit_id) if unit_id else None
