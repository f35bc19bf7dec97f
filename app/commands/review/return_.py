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

from app.commands.review.common import (check_allowed, check_opinion, check_seen, load_for_unit, mark_rejected,
                                        SectionReturn, rejected_sections, tell_returned_to_unit)
from app.extensions import db
from app.models.applications import Application
from app.models.units import Unit
from app.security import roles
from app.services import notify, steps
from app.workflow import lifecycle

REFUSAL = _l("This application cannot be returned in its current state")


class ReturnCommand(SectionReturn):
    lower_unit: Unit | None = None  # set when it went back to a lower unit

    def validate(self) -> None:
        # only the unit whose queue holds it now may return it; anyone else gets the same refusal
        application = load_for_unit(self.user, self.application_id, for_update=True)
        check_seen(application, self.seen_status)
        lower_id = steps.lower_unit_id(application)
        self.action = "return_to_unit" if lower_id is not None else "return"
        check_allowed(application, self.action, REFUSAL)
        rejected = rejected_sections(application, self.verdicts)
        check_opinion(self.opinion)
        self.rejected, self.application = rejected, application

    def run(self) -> Application:
        self.validate()
        application = self.application
        mark_rejected(application, self.rejected)
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
        tell_returned_to_unit(self.user, application, self.lower_unit, self.opinion)
        return application
