"""退回: the unit holding an application sends it one level down, marking the sections that did
not pass (不通过) with a reason:
- from the first unit (the one the applicant chose) back to the applicant (已退回), where only the
  marked sections reopen (P9);
- from a superior unit back to the lower unit that reported it (`return_to_unit`): it is 待审核 in the
  lower unit's queue again, with the superior's marks shown, and that unit returns it on to the applicant
  or passes and reports it again.
Allowed while 待审核 and while 通过未上报."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import utcnow
from app.commands.base import BaseCommand
from app.commands.errors import Invalid
from app.commands.review.common import check_allowed, check_opinion, check_seen, load_for_unit, marked
from app.extensions import db
from app.models.applications import Application, ApplicationSection
from app.models.units import Unit
from app.security import roles
from app.services import notify, steps, timeline
from app.workflow import lifecycle

REASON_MAX = 500
REFUSAL = _l("This application cannot be returned in its current state")


class ReturnCommand(BaseCommand):
    def __init__(self, user, application_id: int, section_verdicts: dict[str, str], opinion: str = "",
                 seen_status: str | None = None):
        self.user, self.application_id, self.seen_status = user, application_id, seen_status
        self.verdicts = {code: (reason or "").strip() for code, reason in (section_verdicts or {}).items()}
        self.opinion = (opinion or "").strip()
        self.application: Application | None = None
        self.lower_unit: Unit | None = None  # set when it went back to a lower unit

    def validate(self) -> None:
        # only the unit whose queue holds it now may return it; anyone else gets the same refusal
        application = load_for_unit(self.user, self.application_id, for_update=True)
        check_seen(application, self.seen_status)
        lower_id = steps.lower_unit_id(application)
        self.action = "return_to_unit" if lower_id is not None else "return"
        check_allowed(application, self.action, REFUSAL)
        from app.workflow.sections import configured_sections

        codes = {row.section for row in configured_sections(application.business, application.committee_id,
                                                               application.year)}
        unknown = sorted(set(self.verdicts) - codes)
        if unknown:
            raise Invalid(_l("Unknown section: %(code)s", code=unknown[0]), "sections")
        rejected = marked(self.verdicts)
        if not rejected:
            raise Invalid(_l("Mark at least one section as not passed, with a reason"), "sections")
        if any(len(reason) > REASON_MAX for reason in rejected.values()):
            raise Invalid(_l("At most %(n)d characters", n=REASON_MAX), "sections")
        check_opinion(self.opinion)
        self.rejected, self.application = rejected, application

    def run(self) -> Application:
        self.validate()
        application = self.application
        now = utcnow()
        existing = {row.section: row for row in db.session.execute(select(ApplicationSection).where(
            ApplicationSection.application_id == application.id)).scalars()}
        for code, reason in self.rejected.items():
            row = existing.get(code)
            if row is None:
                row = ApplicationSection(application_id=application.id, section=code, version=1)
                db.session.add(row)
            else:
                row.version = (row.version or 1) + 1
            row.status, row.reason, row.updated_at = "rejected", reason, now
        lower_id = steps.leave_returned(application)
        if lower_id is None:
            lifecycle.apply(application, self.action, self.user, self.opinion, role=roles.UNIT,
                            rejected_sections=self.rejected, refusal=REFUSAL)
            notify.notify_user(application.person.user, _("Your title application was returned"),
                               _("Change the sections marked not passed and submit again. %(opinion)s",
                                 opinion=self.opinion))
            return application
        self.lower_unit = db.session.get(Unit, lower_id)
        application.current_unit_id = lower_id
        opinion = _("Returned to %(name)s. %(opinion)s", name=self.lower_unit.name, opinion=self.opinion)
        lifecycle.apply(application, self.action, self.user, opinion.strip(), role=roles.UNIT,
                        rejected_sections=self.rejected, refusal=REFUSAL)
        if self.lower_unit.user is not None:
            notify.notify_user(self.lower_unit.user, _("A title application was returned to your unit"),
                               _("%(unit)s returned the application of %(name)s: %(opinion)s",
                                 unit=timeline.actor_name(self.user), name=application.person.real_name,
                                 opinion=self.opinion or "-"), email=False)
        notify.notify_user(application.person.user, _("Your title application was returned to your unit"),
                           _("%(unit)s returned it to %(lower)s for another review.",
                             unit=timeline.actor_name(self.user), lower=self.lower_unit.name))
        return application
