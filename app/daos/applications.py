"""Row access to applications: every query and command goes through these, so each role sees only
its own rows (SPEC §1) whatever the route."""
from __future__ import annotations

from flask import abort
from sqlalchemy import Select, or_, select

from app.extensions import db
from app.models.accounts import BackendBinding, Person
from app.models.applications import Application, ApplicationStep
from app.models.units import Unit
from app.security import roles
from app.services.catalog import region_and_below


def _role_names(user) -> set[str]:
    return {r.name for r in user.roles}


def person_of(user) -> Person | None:
    return db.session.execute(select(Person).where(Person.user_id == user.id)).scalar_one_or_none()


def unit_of(user) -> Unit | None:
    return db.session.execute(select(Unit).where(Unit.user_id == user.id)).scalar_one_or_none()


def visible_applications(user) -> Select:
    """SELECT of the applications `user` may see; an empty result for anything else."""
    query = select(Application)
    names = _role_names(user)
    if roles.ADMIN in names:
        return query
    conditions = []
    if roles.INDIVIDUAL in names:
        person = person_of(user)
        if person is not None:
            conditions.append(Application.person_id == person.id)
    if roles.UNIT in names:
        unit = unit_of(user)
        if unit is not None:  # addressed to it now, its own applicants', or passed through it (R5)
            conditions.append(or_(Application.current_unit_id == unit.id, Application.unit_id == unit.id,
                                  Application.id.in_(select(ApplicationStep.application_id)
                                                     .where(ApplicationStep.unit_id == unit.id))))
    binding = db.session.get(BackendBinding, user.id) if names & {roles.BUREAU, roles.COMMITTEE} else None
    if binding is not None and roles.COMMITTEE in names and binding.committee_id:
        conditions.append(Application.committee_id == binding.committee_id)
    if binding is not None and roles.BUREAU in names and binding.region_id:
        region_ids = region_and_below(binding.region_id)
        conditions.append(Application.unit_id.in_(select(Unit.id).where(Unit.region_id.in_(region_ids))))
    if not conditions:
        return query.where(False)
    return query.where(or_(*conditions))


def reported_by(unit_id: int) -> Select:
    """SELECT of the applications the unit reported onward (已上报) and that have not come back to it."""
    return select(Application).where(Application.id.in_(
        select(ApplicationStep.application_id).where(ApplicationStep.unit_id == unit_id,
                                                     ApplicationStep.outcome == "reported")))


def can_view(user, application_id: int) -> bool:
    stmt = visible_applications(user).where(Application.id == application_id).with_only_columns(Application.id)
    return db.session.execute(stmt).first() is not None


def get_visible_or_404(user, application_id: int) -> Application:
    application = db.session.execute(
        visible_applications(user).where(Application.id == application_id)).scalar_one_or_none()
    if application is None:
        abort(404)
    return application


def get_own_or_404(user, application_id: int, *, for_update: bool = False) -> Application:
    """The signed-in applicant's own application; anything else is a 404, never someone else's data."""
    person = person_of(user)
    if person is None:
        abort(404)
    stmt = select(Application).where(Application.id == application_id, Application.person_id == person.id)
    if for_update:
        stmt = stmt.with_for_update()
    application = db.session.execute(stmt).scalar_one_or_none()
    if application is None:
        abort(404)
    return application


def own_applications(user) -> Select:
    """SELECT of the signed-in applicant's own applications (我的申报信息, the API); empty for others."""
    return select(Application).where(Application.person_id == own_person_id(user))


def own_person_id(user) -> int:
    """The person id of `user`, or -1 (matches no row) for an account that is not an applicant."""
    person = person_of(user) if user is not None and getattr(user, "is_authenticated", True) else None
    return person.id if person is not None else -1
