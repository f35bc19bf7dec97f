"""Row access to applications: every query and command goes through these, so each role sees only
its own rows (SPEC §1) whatever the route."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select

from app.commands.errors import NotFound
from app.daos.actors import bureau_region_ids, committee_id_of, person_of, role_names, unit_of
from app.daos.rows import one_row
from app.extensions import db
from app.models.applications import Application, ApplicationStep
from app.models.catalog import Committee
from app.models.units import Unit
from app.security import roles
from app.workflow.states import NEVER_SUBMITTED, REPORTED_TO_COMMITTEE


NO_SUCH_APPLICATION = _l("The page does not exist")


def visible_applications(user) -> Select:
    """SELECT of the applications `user` may see; an empty result for anything else (SPEC §1).

    The applicant sees its own, drafts included. A draft is nobody else's business: a unit sees an
    application once it was submitted to it (a step of the chain is written on submission and on every
    report, R5) and keeps seeing those that passed through it; a committee once it was reported to it
    (the committee statuses); the bureau the submitted applications of the units of its region."""
    query = select(Application)
    names = role_names(user)
    if roles.ADMIN in names:
        return query
    conditions = []
    if roles.INDIVIDUAL in names:
        person = person_of(user)
        if person is not None:
            conditions.append(Application.person_id == person.id)
    if roles.UNIT in names:
        unit = unit_of(user)
        if unit is not None:  # in its queue now, or passed through it (R5); never the chosen unit of a draft
            conditions.append(or_(
                (Application.current_unit_id == unit.id) & Application.status.notin_(NEVER_SUBMITTED),
                Application.id.in_(select(ApplicationStep.application_id).where(ApplicationStep.unit_id == unit.id))))
    committee_id = committee_id_of(user)
    if committee_id:
        conditions.append((Application.committee_id == committee_id)
                          & Application.status.in_(REPORTED_TO_COMMITTEE))
    region_ids = bureau_region_ids(user)
    if region_ids:
        conditions.append(Application.unit_id.in_(select(Unit.id).where(Unit.region_id.in_(region_ids)))
                          & Application.status.notin_(NEVER_SUBMITTED))
        # and what was reported to the committees of its region (M1, read only), wherever the unit is
        conditions.append(Application.committee_id.in_(select(Committee.id).where(Committee.region_id.in_(region_ids)))
                          & Application.status.in_(REPORTED_TO_COMMITTEE))
        # 职称初定 submitted to an office of its own region, which it acts for (app/daos/offices.py)
        from app.daos.offices import office_rule

        conditions.append(office_rule(user))
    if roles.EXPERT in names:  # M1c: the applications of the meetings the expert sits in (pledge accepted)
        from app.daos.committee import readable_by_expert

        conditions.append(Application.id.in_(readable_by_expert(user)))
    if not conditions:
        return query.where(False)
    return query.where(or_(*conditions))


def held_by_unit(user, application_id: int, *, for_update: bool = False) -> Application | None:
    """The application in the signed-in unit's queue now (current_unit_id) that `user` may see, or None.
    `for_update` locks the row and refreshes a copy the request loaded before the lock: the locked row is
    what a decision is checked against."""
    unit = unit_of(user)
    if unit is None:
        return None
    return one_row(visible_applications(user).where(Application.id == application_id,
                                                    Application.current_unit_id == unit.id), for_update=for_update)


def locked(application_ids: list[int], *options) -> dict[int, Application]:
    """{id: application} of the rows that exist, locked in id order (two commands over overlapping
    selections cannot deadlock) and refreshed from the locked rows. The caller checks whose they are."""
    if not application_ids:
        return {}
    rows = db.session.execute(select(Application).where(Application.id.in_(application_ids))
                              .order_by(Application.id).options(*options).with_for_update()
                              .execution_options(populate_existing=True)).scalars().all()
    return {row.id: row for row in rows}


def reported_by(unit_id: int) -> Select:
    """SELECT of the applications the unit reported onward (已上报) and that have not come back to it."""
    return select(Application).where(Application.id.in_(
        select(ApplicationStep.application_id).where(ApplicationStep.unit_id == unit_id,
                                                     ApplicationStep.outcome == "reported")))


def can_view(user, application_id: int) -> bool:
    stmt = visible_applications(user).where(Application.id == application_id).with_only_columns(Application.id)
    return db.session.execute(stmt).first() is not None


def find_visible(user, application_id: int) -> Application | None:
    """The application if `user` may see it, else None."""
    return db.session.execute(
        visible_applications(user).where(Application.id == application_id)).scalar_one_or_none()


def find_own(user, application_id: int, *, for_update: bool = False) -> Application | None:
    """The signed-in applicant's own application, else None (never someone else's)."""
    person = person_of(user)
    if person is None:
        return None
    stmt = select(Application).where(Application.id == application_id, Application.person_id == person.id)
    if for_update:
        stmt = stmt.with_for_update()
    return db.session.execute(stmt).scalar_one_or_none()


# The two below answer a request with 404 themselves; callers moving to commands use find_visible /
# find_own and raise app.commands.errors.NotFound instead.
def get_visible_or_404(user, application_id: int) -> Application:
    application = find_visible(user, application_id)
    if application is None:
        raise NotFound(NO_SUCH_APPLICATION)
    return application


def get_own_or_404(user, application_id: int, *, for_update: bool = False) -> Application:
    application = find_own(user, application_id, for_update=for_update)
    if application is None:
        raise NotFound(NO_SUCH_APPLICATION)
    return application


def own_applications(user) -> Select:
    """SELECT of the signed-in applicant's own applications (我的申报信息, the API); empty for others."""
    return select(Application).where(Application.person_id == own_person_id(user))


def own_person_id(user) -> int:
    """The person id of `user`, or -1 (matches no row) for an account that is not an applicant."""
    person = person_of(user) if user is not None and getattr(user, "is_authenticated", True) else None
    return person.id if person is not None else -1
