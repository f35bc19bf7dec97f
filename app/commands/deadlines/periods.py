"""The period check of submission, resubmission and 数据上报 (one call at the top of each command)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.commands.errors import NotAllowed
from app.services.periods import RESUBMIT, SUBMIT, today, window_of


def check_open(application, kind: str) -> None:
    """Refuse `kind` (submit, resubmit, report) outside its period, with a message naming the period."""
    window = window_of(application)
    if window is None:
        return
    day = today()
    if kind == SUBMIT and day < window.starts_on:
        raise NotAllowed(_l("The application period has not begun: %(period)s", period=window.label()))
    close = window.close_of(kind)
    if close is None or day <= close:
        return
    if kind == SUBMIT:
        raise NotAllowed(_l("The application period closed on %(date)s: %(period)s", date=close.isoformat(),
                            period=window.label()))
    if kind == RESUBMIT:
        raise NotAllowed(_l("The deadline for resubmitting returned applications was %(date)s: %(period)s",
                            date=close.isoformat(), period=window.label()))
    raise NotAllowed(_l("The deadline for unit review and reporting was %(date)s: %(period)s",
                        date=close.isoformat(), period=window.label()))


def period_key(application) -> tuple:
    """What decides an application's period (services/periods.window_of): its committee and year, or its
    business, region (or unit) and year; applications with the same key share one check."""
    if application.committee_id is not None:
        return ("committee", application.committee_id, application.year)
    return (application.business, application.region_id or application.unit_id, application.year)
