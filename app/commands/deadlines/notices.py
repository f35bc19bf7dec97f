"""Period notices (S1): on the day a period opens, the units with 职称申报权限 of its region and below
are told; on the day after it closes, applicants whose drafts can no longer be submitted are told, and
the units holding applications are told their own deadline. Once per recipient and period a day."""
from __future__ import annotations

import datetime as dt

from flask_appbuilder.security.sqla.models import User
from flask_babel import gettext as _
from sqlalchemy import select

from app.commands.deadlines.daily import DailyJobCommand
from app.daos import deadlines as dao
from app.extensions import db
from app.services import notify, periods
from app.workflow.states import Status


class SendPeriodNoticesCommand(DailyJobCommand):
    def run(self) -> int:
        self.validate()
        yesterday = self.day - dt.timedelta(days=1)
        for period, committee_name in dao.committee_periods_touching([self.day, yesterday]):
            window = periods.committee_window(period, committee_name)
            self._notices(f"c{period.id}", window, dao.in_period(period), dao.committee_region(period.committee_id))
        for period in dao.business_periods_touching([self.day, yesterday]):
            window = periods.business_window(period, period.region.full_name)
            self._notices(f"b{period.id}", window, dao.in_period(period), period.region_id)
        return self.sent

    def _notices(self, key: str, window, condition, region_id: int) -> None:
        if window.starts_on == self.day:
            title = _("Application period opened: %(period)s", period=window.name)
            body = _("%(period)s accepts applications from %(start)s to %(end)s.", period=window.name,
                     start=window.starts_on.isoformat(), end=window.ends_on.isoformat())
            self._send(dao.permitted_units_in(region_id), f"opened_{key}", title, body)
        if window.ends_on == self.day - dt.timedelta(days=1):
            title = _("Application period closed: %(period)s", period=window.name)
            body = _("The application period of %(period)s closed on %(end)s; drafts can no longer be submitted.",
                     period=window.name, end=window.ends_on.isoformat())
            self._send(list(dao.applicants_with(condition, (Status.DRAFT.value,))), f"closed_{key}", title, body)
            close = window.close_of(periods.REPORT)
            if close is not None:
                unit_body = _("The application period of %(period)s closed on %(end)s; review and report the "
                              "applications in your queue by %(date)s.", period=window.name,
                              end=window.ends_on.isoformat(), date=close.isoformat())
                self._send(list(dao.units_waiting(condition)), f"closed_{key}", title, unit_body)

    def _send(self, user_ids: list[int], kind: str, title: str, body: str) -> None:
        if not user_ids:
            return
        for user in db.session.execute(select(User).where(User.id.in_(set(user_ids)), User.active.is_(True))
                                       .order_by(User.id)).scalars():
            if notify.notify_once(user, kind, self.day, title, body):
                self.sent += 1
