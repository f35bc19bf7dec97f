"""加入黑名单: the unit holding an application pending its review ends it and bars the applicant from
submitting a new application until the chosen date, with a reason the applicant is shown."""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.commands.base import BaseCommand
from app.commands.errors import Invalid
from app.commands.review.common import check_allowed, check_seen, load_for_unit
from app.extensions import db
from app.models.applications import Application, Blacklist
from app.security import roles
from app.services import notify
from app.workflow import lifecycle

REASON_MAX = 500
MAX_YEARS = 5  # the longest period a unit may set
MAX_DAYS = MAX_YEARS * 365 + 1
REFUSAL = _l("Only an application pending your review can be blacklisted")


def parse_until(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


class BlacklistCommand(BaseCommand):
    def __init__(self, user, application_id: int, until, reason: str, seen_status: str | None = None):
        self.user, self.application_id, self.seen_status = user, application_id, seen_status
        self.until_raw, self.reason = until, (reason or "").strip()
        self.application: Application | None = None
        self.until: dt.date | None = None

    def validate(self) -> None:
        application = load_for_unit(self.user, self.application_id, for_update=True)
        check_seen(application, self.seen_status)
        check_allowed(application, "blacklist", REFUSAL)
        today = utcnow().date()
        until = parse_until(self.until_raw)
        if until is None:
            raise Invalid(_l("Enter the end date of the blacklist period as YYYY-MM-DD"), "until")
        if until <= today:
            raise Invalid(_l("The blacklist period must end after today"), "until")
        if until > today + dt.timedelta(days=MAX_DAYS):
            raise Invalid(_l("The blacklist period may last at most %(n)d years", n=MAX_YEARS), "until")
        if not self.reason:
            raise Invalid(_l("Give the reason for the blacklist"), "reason")
        if len(self.reason) > REASON_MAX:
            raise Invalid(_l("At most %(n)d characters", n=REASON_MAX), "reason")
        self.application, self.until = application, until

    def run(self) -> Application:
        self.validate()
        application, until = self.application, self.until
        db.session.add(Blacklist(person_id=application.person_id, until=until, reason=self.reason,
                                 created_at=utcnow(), created_by_unit_id=application.current_unit_id))
        lifecycle.apply(application, "blacklist", self.user,
                        _("Blacklisted until %(date)s: %(reason)s", date=until.isoformat(), reason=self.reason),
                        role=roles.UNIT, refusal=REFUSAL)
        notify.notify_user(application.person.user, _("You were added to the blacklist"),
                           _("You cannot submit a title application until %(date)s. Reason: %(reason)s",
                             date=until.isoformat(), reason=self.reason))
        return application
