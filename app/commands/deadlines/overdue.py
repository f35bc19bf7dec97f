"""Overdue work: an application waiting at one unit longer than OVERDUE_DAYS calendar days is marked
(on the day after the last allowed one) and the unit is told once a day; the bureau sends a 催办 to a
unit of its region with overdue applications, recorded and audited."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app
from flask_appbuilder.security.sqla.models import User
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.clock import utcnow
from app.commands.base import BaseCommand
from app.commands.catalog.scope import bureau_region
from app.commands.errors import CommandError, Forbidden, NotAllowed, NotFound
from app.daos import deadlines as dao
from app.extensions import db
from app.models.applications import ApplicationStep
from app.models.deadlines import UnitUrge
from app.models.units import Unit
from app.services import audit, notify, periods
from app.services.catalog import region_and_below

NOTE_MAX = 500


def overdue_cutoff(day: dt.date) -> dt.datetime:
    """Arrivals before this instant (naive UTC) have waited more than OVERDUE_DAYS days on `day`: the
    start, in the local zone, of the day OVERDUE_DAYS days before."""
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "Asia/Shanghai"))
    first_allowed = day - dt.timedelta(days=int(current_app.config["OVERDUE_DAYS"]))
    local = dt.datetime(first_allowed.year, first_allowed.month, first_allowed.day, tzinfo=zone)
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


class MarkOverdueCommand(BaseCommand):
    def __init__(self, day: dt.date | None = None):
        self.day = day

    def validate(self) -> None:
        self.day = self.day or periods.today()

    def run(self) -> int:
        self.validate()
        waiting = dao.open_steps().where(ApplicationStep.overdue_at.is_(None),
                                         ApplicationStep.arrived_at < overdue_cutoff(self.day))
        ids = list(db.session.execute(waiting.with_only_columns(ApplicationStep.id)).scalars())
        if not ids:
            return 0
        # conditional: a second run at once marks nothing twice
        marked = db.session.execute(update(ApplicationStep).where(
            ApplicationStep.id.in_(ids), ApplicationStep.overdue_at.is_(None)).values(overdue_at=utcnow())
            .execution_options(synchronize_session=False)).rowcount
        audit.record("application.overdue_marked", object_type="application_step", opinion=str(marked))
        per_unit = db.session.execute(select(Unit.user_id, func.count(ApplicationStep.id))
                                      .join(Unit, Unit.id == ApplicationStep.unit_id)
                                      .where(ApplicationStep.id.in_(ids), Unit.user_id.is_not(None))
                                      .group_by(Unit.user_id)).all()
        users = {u.id: u for u in db.session.execute(select(User).where(
            User.id.in_([user_id for user_id, _n in per_unit]))).scalars()}
        for user_id, count in per_unit:
            notify.notify_once(users[user_id], "overdue", self.day,
                               _("%(n)d application(s) overdue in your queue", n=count),
                               _("%(n)d application(s) have waited at your unit for more than %(days)d days. "
                                 "Please review or report them.", n=count,
                                 days=int(current_app.config["OVERDUE_DAYS"])))
        return marked


class UrgeUnitCommand(BaseCommand):
    """催办: the bureau reminds one unit of its region of the overdue applications in its queue."""

    def __init__(self, user, unit_id, note: str = ""):
        self.user, self.raw_unit_id, self.note = user, unit_id, (note or "").strip()

    def validate(self) -> None:
        region = bureau_region(self.user)
        if region is None:
            raise Forbidden(_l("Only a bureau account can send a reminder to a unit"))
        text = str(self.raw_unit_id or "").strip()
        if not text.isdigit() or len(text) > 9:
            raise NotFound(_l("No such unit"))
        self.unit = db.session.execute(select(Unit).where(Unit.id == int(text)).with_for_update()).scalar_one_or_none()
        if self.unit is None or self.unit.region_id not in set(region_and_below(region.id)):
            raise NotFound(_l("No such unit"))  # another region's unit: as if it did not exist
        if len(self.note) > NOTE_MAX:
            raise CommandError(_l("The note may have at most %(n)d characters", n=NOTE_MAX), "note")
        self.count = dao.overdue_count_of_unit(self.unit.id)
        if not self.count:
            raise NotAllowed(_l("%(unit)s has no overdue applications", unit=self.unit.name))

    def run(self) -> UnitUrge:
        self.validate()
        # once a day per bureau account and unit, decided by one INSERT … ON CONFLICT DO NOTHING (two
        # clicks at once: one reminder)
        if not notify.log_once(self.user.id, f"urge_{self.unit.id}", periods.today()):
            raise NotAllowed(_l("%(unit)s was already reminded today", unit=self.unit.name))
        urge = UnitUrge(unit_id=self.unit.id, bureau_user_id=self.user.id, overdue_count=self.count,
                        note=self.note, created_at=utcnow())
        db.session.add(urge)
        db.session.flush()
        audit.record("unit.urge", actor=self.user, object_type="unit", object_id=self.unit.id,
                     opinion=f"{self.count}; {self.note}".strip("; "))
        if self.unit.user is not None:
            body = _("The human resources bureau asks you to deal with the %(n)d overdue application(s) in your "
                     "queue.", n=self.count)
            if self.note:
                body += "\n" + self.note
            notify.notify_user(self.unit.user, _("Reminder from the bureau: %(n)d overdue application(s)",
                                                 n=self.count), body)
        return urge
