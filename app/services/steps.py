"""R5: the units an application passes through, as a stack of `ApplicationStep` rows (see the model).
Commands call these inside their own transaction; nothing here commits."""
from __future__ import annotations

from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.models.applications import Application, ApplicationStep

REPORTED, RETURNED = "reported", "returned"


def _active(application_id: int) -> list[ApplicationStep]:
    """The steps not returned, oldest first: the first unit at the bottom, the holder on top."""
    return list(db.session.execute(select(ApplicationStep).where(
        ApplicationStep.application_id == application_id, ApplicationStep.outcome != RETURNED)
        .order_by(ApplicationStep.id)).scalars())


def arrive(application: Application, unit_id: int) -> ApplicationStep:
    """The application is now in `unit_id`'s queue (submitted to it or reported to it)."""
    step = ApplicationStep(application_id=application.id, unit_id=unit_id, arrived_at=utcnow(), outcome="")
    db.session.add(step)
    return step


def _top(application: Application) -> ApplicationStep | None:
    active = _active(application.id)
    return active[-1] if active else None


def leave_reported(application: Application) -> None:
    """The holder reported it onward (to a superior unit, which then `arrive`s, or to a committee)."""
    top = _top(application)
    if top is not None:
        top.outcome, top.left_at = REPORTED, utcnow()


def leave_reported_all(applications: list[Application]) -> None:
    """`leave_reported` for many applications at once: their active steps in one query."""
    ids = [application.id for application in applications]
    if not ids:
        return
    tops: dict[int, ApplicationStep] = {}
    for step in db.session.execute(select(ApplicationStep).where(
            ApplicationStep.application_id.in_(ids), ApplicationStep.outcome != RETURNED)
            .order_by(ApplicationStep.id)).scalars():
        tops[step.application_id] = step  # the newest active step of each is the holder's
    now = utcnow()
    for step in tops.values():
        step.outcome, step.left_at = REPORTED, now


def lower_unit_id(application: Application) -> int | None:
    """The unit a return goes back to from the holder, or None when the holder is the first unit
    (a return then goes to the applicant)."""
    active = _active(application.id)
    return active[-2].unit_id if len(active) >= 2 else None


def leave_returned(application: Application) -> int | None:
    """The holder returned it: its step is closed, the lower unit's step (if any) is open again.
    Returns the lower unit's id, or None when it went back to the applicant."""
    active = _active(application.id)
    now = utcnow()
    if active:
        active[-1].outcome, active[-1].left_at = RETURNED, now
    if len(active) >= 2:
        active[-2].outcome, active[-2].left_at = "", None
        return active[-2].unit_id
    return None


def reopen_reporter(application: Application) -> int | None:
    """A committee returned it (资格复审 退回): the step of the unit that reported it to the committee is
    open again, and that unit holds it. Returns the unit's id (None when it has no step: not expected)."""
    active = _active(application.id)
    if not active:
        return None
    active[-1].outcome, active[-1].left_at = "", None
    return active[-1].unit_id
