"""R2 加入黑名单 (P12): the unit holding an application pending its review ends it and bars the applicant
from submitting a new application until the chosen date, with a reason the applicant is shown."""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.commands.errors import CommandError, NotAllowed
from app.commands.review.common import check_seen, load_for_unit, move
from app.extensions import db
from app.models.applications import Application, Blacklist
from app.security import roles
from app.services import notify
from app.workflow.states import TransitionNotAllowed, transition

REASON_MAX = 500
MAX_YEARS = 5  # the longest period a unit may set
MAX_DAYS = MAX_YEARS * 365 + 1


def parse_until(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


class BlacklistCommand:
    def __init__(self, user, application_id: int, until, reason: str, seen_status: str | None = None):
        self.user, self.application_id, self.seen_status = user, application_id, seen_status
        self.until_raw, self.reason = until, (reason or "").strip()

    def run(self) -> Application:
        try:
            application = load_for_unit(self.user, self.application_id, for_update=True)
            check_seen(application, self.seen_status)
            try:
                target = transition("blacklist", application.status, roles.UNIT)
            except TransitionNotAllowed:
                raise NotAllowed(_l("Only an application pending your review can be blacklisted")) from None
            today = utcnow().date()
            until = parse_until(self.until_raw)
            if until is None:
                raise CommandError(_l("Enter the end date of the blacklist period as YYYY-MM-DD"), "until")
            if until <= today:
                raise CommandError(_l("The blacklist period must end after today"), "until")
            if until > today + dt.timedelta(days=MAX_DAYS):
                raise CommandError(_l("The blacklist period may last at most %(n)d years", n=MAX_YEARS), "until")
            if not self.reason:
                raise CommandError(_l("Give the reason for the blacklist"), "reason")
            if len(self.reason) > REASON_MAX:
                raise CommandError(_l("At most %(n)d characters", n=REASON_MAX), "reason")
            db.session.add(Blacklist(person_id=application.person_id, until=until, reason=self.reason,
                                     created_at=utcnow(), created_by_unit_id=application.current_unit_id))
            move(application, "blacklist", target, self.user,
                 _("Blacklisted until %(date)s: %(reason)s", date=until.isoformat(), reason=self.reason))
            notify.notify_user(application.person.user, _("You were added to the blacklist"),
                               _("You cannot submit a title application until %(date)s. Reason: %(reason)s",
                                 date=until.isoformat(), reason=self.reason))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return application
