"""M1 资格复审: the committee office passes an application reported to it (eligible for a meeting) or returns it
one level down, to the unit that reported it, with a reason per section not passed — the rules of a unit's
退回 (app/commands/review/return_.py): the reporting unit gets it back as 待审核 with the marks shown, and
returns it on to the applicant or passes and reports it again. Only the office of the application's own
committee may do either; the bureau only reads."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import utcnow
from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotAllowed
from app.commands.review.common import check_opinion, check_seen, clear_marks, marked
from app.daos.committee import office_application
from app.extensions import db
from app.models.applications import Application, ApplicationSection
from app.models.units import Unit
from app.security import roles
from app.services import notify, steps, timeline
from app.workflow.lifecycle import apply
from app.workflow.states import Status

REASON_MAX = 500


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


class EligibilityReturnCommand(BaseCommand):
    """资格复审退回: back to the unit that reported it, with the sections not passed and their reasons."""

    def __init__(self, user, application_id: int, section_verdicts: dict[str, str], opinion: str = "",
                 seen_status: str | None = None):
        self.user, self.application_id, self.seen_status = user, application_id, seen_status
        self.verdicts = {code: (reason or "").strip() for code, reason in (section_verdicts or {}).items()}
        self.opinion = (opinion or "").strip()
        self.unit: Unit | None = None

    def validate(self) -> None:
        from app.workflow.sections import configured_sections

        self.application = office_application(self.user, self.application_id, for_update=True)
        check_seen(self.application, self.seen_status)
        if self.application.status not in (Status.PENDING_COMMITTEE.value, Status.ELIGIBLE.value):
            raise NotAllowed(_l("This application cannot be returned in its current state"))
        a = self.application
        codes = {row.section for row in configured_sections(a.business, a.committee_id, a.year)}
        unknown = sorted(set(self.verdicts) - codes)
        if unknown:
            raise Invalid(_l("Unknown section: %(code)s", code=unknown[0]), "sections")
        self.rejected = marked(self.verdicts)
        if not self.rejected:
            raise Invalid(_l("Mark at least one section as not passed, with a reason"), "sections")
        if any(len(reason) > REASON_MAX for reason in self.rejected.values()):
            raise Invalid(_l("At most %(n)d characters", n=REASON_MAX), "sections")
        check_opinion(self.opinion)

    def run(self) -> Application:
        self.validate()
        application, now = self.application, utcnow()
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
        unit_id = steps.reopen_reporter(application)
        self.unit = db.session.get(Unit, unit_id) if unit_id else None
        if self.unit is None:
            raise NotAllowed(_l("The unit that reported this application is unknown; it cannot be returned"))
        application.current_unit_id = self.unit.id
        opinion = _("Returned to %(name)s. %(opinion)s", name=self.unit.name, opinion=self.opinion).strip()
        apply(application, "eligibility_return", self.user, opinion, role=roles.COMMITTEE,
              rejected_sections=self.rejected,
              refusal=_l("This application cannot be returned in its current state"))
        if self.unit.user is not None:
            notify.notify_user(self.unit.user, _("A title application was returned to your unit"),
                               _("%(unit)s returned the application of %(name)s: %(opinion)s",
                                 unit=timeline.actor_name(self.user), name=application.person.real_name,
                                 opinion=self.opinion or "-"), email=False)
        notify.notify_user(application.person.user, _("Your title application was returned to your unit"),
                           _("%(unit)s returned it to %(lower)s for another review.",
                             unit=timeline.actor_name(self.user), lower=self.unit.name))
        return application
