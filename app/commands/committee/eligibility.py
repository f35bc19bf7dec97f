"""M1 资格复审: the committee office passes an application reported to it (eligible for a meeting) or returns it
one level down, to the unit that reported it, with a reason per section not passed — the rules of a unit's
退回 (app/commands/review/return_.py): the reporting unit gets it back as 待审核 with the marks shown, and
returns it on to the applicant or passes and reports it again. Only the office of the application's own
committee may do either; the bureau only reads."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.base import BaseCommand
from app.commands.errors import NotAllowed
from app.commands.review.common import (check_opinion, check_seen, clear_marks, mark_rejected, rejected_sections,
                                        SectionReturn, tell_returned_to_unit)
from app.daos.committee import office_application
from app.extensions import db
from app.models.applications import Application
from app.models.units import Unit
from app.security import roles
from app.services import notify, steps
from app.workflow.lifecycle import apply
from app.workflow.states import Status


class EligibilityPassCommand(BaseCommand):
    """资格复审通过: pending_committee → eligible."""

    def __init__(self, user, application_id: int, opinion: str = "", seen_status: str | None = None):
        self.user, self.application_id, self.seen_status = user, application_id, seen_status
        self.opinion = (opinion or "").strip()

    def validate(self) -> None:
        self.application = office_application(self.user, self.application_id, for_update=True)
        if self.application.status == Status.ELIGIBLE.value:
            raise NotAllowed(_l("This application has already passed the eligibility check"))
        check_seen(self.application, self.seen_status)
        check_opinion(self.opinion)

    def run(self) -> Application:
        self.validate()
        application = self.application
        clear_marks(application)
        apply(application, "eligibility_pass", self.user, self.opinion, role=roles.COMMITTEE,
              refusal=_l("This application cannot pass the eligibility check in its current state"))
        notify.notify_user(application.person.user, _("Your title application passed the committee's eligibility check"),
                           self.opinion)
        return application


class EligibilityReturnCommand(SectionReturn):
    """资格复审退回: back to the unit that reported it, with the sections not passed and their reasons."""

    unit: Unit | None = None  # the unit it went back to

    def validate(self) -> None:
        self.application = office_application(self.user, self.application_id, for_update=True)
        check_seen(self.application, self.seen_status)
        if self.application.status not in (Status.PENDING_COMMITTEE.value, Status.ELIGIBLE.value):
            raise NotAllowed(_l("This application cannot be returned in its current state"))
        self.rejected = rejected_sections(self.application, self.verdicts)
        check_opinion(self.opinion)

    def run(self) -> Application:
        self.validate()
        application = self.application
        mark_rejected(application, self.rejected)
        unit_id = steps.reopen_reporter(application)
        self.unit = db.session.get(Unit, unit_id) if unit_id else None
        if self.unit is None:
            raise NotAllowed(_l("The unit that reported this application is unknown; it cannot be returned"))
        application.current_unit_id = self.unit.id
        opinion = _("Returned to %(name)s. %(opinion)s", name=self.unit.name, opinion=self.opinion).strip()
        apply(application, "eligibility_return", self.user, opinion, role=roles.COMMITTEE,
              rejected_sections=self.rejected,
              refusal=_l("This application cannot be returned in its current state"))
        tell_returned_to_unit(self.user, application, self.unit, self.opinion)
        return application
