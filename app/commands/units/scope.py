"""Who may act on which unit rows: the unit itself, the bureau of its region (and the regions below),
the target unit or committee of a reporting path. Commands check rows here, not only the views."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.commands.errors import CommandError, NotAllowed
from app.services.catalog import region_and_below
from app.extensions import db
from app.models.accounts import BackendBinding
from app.models.units import Unit
from app.security import roles
from app.services import notify

REASON_MAX = 500


class NotFound(CommandError):
    """The row does not exist or is not this user's to see; views answer 404."""


def role_names(user) -> set[str]:
    return {r.name for r in user.roles}


def unit_of(user) -> Unit | None:
    return db.session.execute(select(Unit).where(Unit.user_id == user.id)).scalar_one_or_none()


def require_unit(user) -> Unit:
    unit = unit_of(user) if roles.UNIT in role_names(user) else None
    if unit is None:
        raise NotAllowed(_l("Only a unit account can do this"))
    return unit


def bureau_region_ids(user) -> list[int]:
    """The regions a bureau account answers for (its region and those below); [] for anyone else."""
    if roles.BUREAU not in role_names(user):
        return []
    binding = db.session.get(BackendBinding, user.id)
    if binding is None or not binding.active or not binding.region_id:
        return []
    return region_and_below(binding.region_id)


def committee_id_of(user) -> int | None:
    if roles.COMMITTEE not in role_names(user):
        return None
    binding = db.session.get(BackendBinding, user.id)
    return binding.committee_id if binding is not None and binding.active else None


def clean_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise CommandError(_l("Please give the reason for not approving"), field="reason")
    if len(text) > REASON_MAX:
        raise CommandError(_l("At most %(n)d characters", n=REASON_MAX), field="reason")
    return text


def tell_unit(unit: Unit | None, title: str, body: str = "") -> None:
    """An in-app message to the unit's account (消息), in the caller's transaction."""
    if unit is not None and unit.user is not None:
        notify.notify_user(unit.user, title, body, email=False)
