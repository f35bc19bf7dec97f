"""What the unit commands share: the signed-in unit, the reason of a 审核不通过, the state change of a
unit record (checked in app/workflow/unit_states.py, a compare-and-set on `version`, one audit row) and
the in-app message to the unit. Which rows a user may act on is app/daos/units.py."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.commands import cas
from app.commands.errors import Invalid, NotAllowed
from app.daos.actors import unit_account_of
from app.models.units import Unit
from app.services import audit, notify
from app.workflow.states import Transition, TransitionNotAllowed
from app.workflow.unit_states import next_status

REASON_MAX = 500


def require_unit(user) -> Unit:
    unit = unit_account_of(user)
    if unit is None:
        raise NotAllowed(_l("Only a unit account can do this"))
    return unit


def clean_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise Invalid(_l("Please give the reason for not approving"), field="reason")
    if len(text) > REASON_MAX:
        raise Invalid(_l("At most %(n)d characters", n=REASON_MAX), field="reason")
    return text


def move(row, table: tuple[Transition, ...], action: str, role: str, *, actor, audit_action: str,
         refusal, opinion: str = "", compare_and_set: bool = True) -> str:
    """Move `row` by `action` as `role` (NotAllowed with `refusal` when the table has no such step),
    write the new status and, unless told otherwise, compare-and-set its version; audit it as `audit_action`."""
    source = row.status or ""
    try:
        target = next_status(table, action, source, role)
    except TransitionNotAllowed:
        raise NotAllowed(refusal) from None
    row.status = target
    if compare_and_set:
        cas.bump(row)
        cas.write()  # two reviewers at once: the second UPDATE matches no row and is refused
    audit.record(audit_action, actor=actor, object_type=type(row).__name__, object_id=row.id,
                 from_state=source, to_state=target, opinion=opinion)
    return target


def tell_unit(unit: Unit | None, title: str, body: str = "") -> None:
    """An in-app message to the unit's account (消息), in the caller's transaction."""
    if unit is not None and unit.user is not None:
        notify.notify_user(unit.user, title, body, email=False)
