"""Who is acting: the signed-in user's role names and the region or committee its backend account is
bound to. Every row rule (applications, units, certificates, the committee, the catalog scope) asks these,
so an account without the role, or with an inactive binding, reaches nothing whatever the route."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.accounts import BackendBinding, Person
from app.models.units import Unit
from app.security import roles
from app.services.catalog import region_and_below


def role_names(user) -> set[str]:
    """The names of `user`'s roles; none for nobody or a visitor who is not signed in."""
    if user is None or not getattr(user, "is_authenticated", True):
        return set()
    return {r.name for r in getattr(user, "roles", ())}


def active_binding(user) -> BackendBinding | None:
    """The backend account binding (region, committee) of `user` while it is active, else None."""
    if user is None or not getattr(user, "is_authenticated", True):
        return None
    binding = db.session.get(BackendBinding, user.id)
    return binding if binding is not None and binding.active else None


def bureau_region_id(user) -> int | None:
    """The region of an active bureau account; None for anyone else."""
    binding = active_binding(user) if roles.BUREAU in role_names(user) else None
    return binding.region_id if binding is not None and binding.region_id else None


def bureau_region_ids(user) -> list[int]:
    """The regions a bureau account answers for (its region and those below); [] for anyone else."""
    region_id = bureau_region_id(user)
    return region_and_below(region_id) if region_id is not None else []


def committee_id_of(user) -> int | None:
    """The committee whose office `user` is (an active committee account), or None."""
    binding = active_binding(user) if roles.COMMITTEE in role_names(user) else None
    return binding.committee_id if binding is not None and binding.committee_id else None


def person_of(user) -> Person | None:
    return db.session.execute(select(Person).where(Person.user_id == user.id)).scalar_one_or_none()


def unit_of(user) -> Unit | None:
    return db.session.execute(select(Unit).where(Unit.user_id == user.id)).scalar_one_or_none()


def person_account_of(user) -> Person | None:
    """The person of a signed-in individual account; None for every other role."""
    return person_of(user) if roles.INDIVIDUAL in role_names(user) else None


def unit_account_of(user) -> Unit | None:
    """The unit of a signed-in unit account; None for every other role."""
    return unit_of(user) if roles.UNIT in role_names(user) else None
