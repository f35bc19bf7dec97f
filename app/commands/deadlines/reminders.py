"""Deadline reminders (S1): on each of REMINDER_DAYS before a close (default 7, 3 and 1), applicants
with drafts (申报截止) or returned applications (退回修改截止), units with applications waiting for review
or report (单位审核截止) and committee offices with applications not yet reviewed. One message per
recipient and kind a day (app/services/notify.notify_once), however often the job runs."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask import current_app
from flask_appbuilder.security.sqla.models import User
from flask_babel import gettext as _
from sqlalchemy import select

from app.commands.deadlines.daily import DailyJobCommand
from app.daos import deadlines as dao
from app.extensions import db
from app.models.catalog import CommitteePeriod
from app.services import notify, periods
from app.workflow.states import Status

APPLICANT_DRAFT, APPLICANT_RETURNED, UNIT, COMMITTEE = ("deadline_draft", "deadline_returned", "deadline_unit",
                                                        "deadline_committee")


def reminder_days() -> list[int]:
    raw = current_app.config["REMINDER_DAYS"]
    values = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
    return sorted({int(v) for v in values if str(v).strip()}, reverse=True)


def windows_closing(day: dt.date, days: list[int]):
    """(window, condition on Application, the CommitteePeriod or None) of every period with a close on
    one of `days` days after `day`."""
    dates = [day + dt.timedelta(days=n) for n in days]
    for period, committee_name in dao.committee_periods_touching(dates):
        yield periods.committee_window(period, committee_name), dao.in_period(period), period
    for period in dao.business_periods_touching(dates):
        yield periods.business_window(period, period.region.full_name), dao.in_period(period), None


class SendDeadlineRemindersCommand(DailyJobCommand):
    def validate(self) -> None:
        super().validate()
        self.days = reminder_days()

    def run(self) -> int:
        self.validate()
        lines: dict[tuple[int, str], list[str]] = defaultdict(list)  # (user id, kind) → one line per period
        left_of: dict[tuple[int, str], int] = {}
        for window, condition, committee_period in windows_closing(self.day, self.days):
            audiences = [(APPLICANT_DRAFT, window.ends_on,
                          lambda c=condition: dao.applicants_with(c, (Status.DRAFT.value,))),
                         (APPLICANT_RETURNED, window.close_of(periods.RESUBMIT),
                          lambda c=condition: dao.applicants_with(c, (Status.RETURNED.value,))),
                         (UNIT, window.close_of(periods.REPORT), lambda c=condition: dao.units_waiting(c))]
            if isinstance(committee_period, CommitteePeriod):
                audiences.append((COMMITTEE, window.close_of(periods.REPORT),
                                  lambda p=committee_period: dao.committee_offices_waiting(p)))
            for kind, close, recipients in audiences:
                if close is None or (close - self.day).days not in self.days:
                    continue
                left = (close - self.day).days
                for user_id, count in recipients().items():
                    lines[(user_id, kind)].append(_line(kind, window, close, count))
                    left_of[(user_id, kind)] = min(left, left_of.get((user_id, kind), left))
        users = {u.id: u for u in db.session.execute(
            select(User).where(User.id.in_({user_id for user_id, _kind in lines}))).scalars()} if lines else {}
        for (user_id, kind), body_lines in sorted(lines.items()):
            user = users.get(user_id)
            if user is None or not user.active:
                continue
            title = _title(kind, left_of[(user_id, kind)])
            if notify.notify_once(user, kind, self.day, title, "\n".join(body_lines)):
                self.sent += 1
        return self.sent


def _title(kind: str, left: int) -> str:
    if kind == APPLICANT_DRAFT:
        return _("Application deadline: %(n)d day(s) left", n=left)
    if kind == APPLICANT_RETURNED:
        return _("Resubmission deadline: %(n)d day(s) left", n=left)
    if kind == UNIT:
        return _("Unit review deadline: %(n)d day(s) left", n=left)
    return _("Applications waiting for the committee: %(n)d day(s) to the deadline", n=left)


def _line(kind: str, window, close: dt.date, count: int) -> str:
    values = dict(period=window.name, date=close.isoformat(), n=count)
    if kind == APPLICANT_DRAFT:
        return _("%(period)s: %(n)d application(s) not yet submitted; the application period closes on "
                 "%(date)s. Please confirm your application in time.", **values)
    if kind == APPLICANT_RETURNED:
        return _("%(period)s: %(n)d returned application(s) not yet submitted again; the deadline for "
                 "resubmission is %(date)s.", **values)
    if kind == UNIT:
        return _("%(period)s: %(n)d application(s) are waiting for your review or report; the deadline for "
                 "unit review and reporting is %(date)s.", **values)
    return _("%(period)s: %(n)d application(s) reported to your committee are not yet reviewed; units report "
             "until %(date)s.", **values)
