"""P7 确认申报 (and P9 resubmission after a return): check every required section, then lock the
application and send it to the unit chosen in P3 through the lifecycle (status, timeline, audit) with the
unit's message, in one transaction."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import utcnow
from app.commands.applications.create import check_blacklist
from app.commands.base import BaseCommand
from app.commands.deadlines.periods import check_open
from app.commands.errors import Invalid, NotAllowed
from app.daos.applications import get_own_or_404
from app.extensions import db
from app.models.applications import Application, ApplicationSection
from app.models.catalog import Committee
from app.models.units import Unit
from app.security import roles
from app.services import catalog, notify, steps
from app.workflow import lifecycle
from app.workflow.states import SectionStatus, Status, allowed_actions

ALREADY_SUBMITTED = _l("This application has already been submitted")
SUBMIT_ACTIONS = ("submit", "resubmit")  # a draft is submitted, a returned application submitted again
# 职称初定 goes to the 报送受理部门 chosen on the base form, not up the chain of units
TO_OFFICE = {"submit": "submit_to_office", "resubmit": "resubmit_to_office"}
PERIOD_KIND = {office: kind for kind, office in TO_OFFICE.items()}


def still_rejected(application: Application) -> list[tuple[str, str]]:
    """After a return: sections still marked 不通过 (the applicant has not saved them again)."""
    from app.workflow.sections import SECTIONS

    rows = db.session.execute(select(ApplicationSection).where(
        ApplicationSection.application_id == application.id,
        ApplicationSection.status == SectionStatus.REJECTED.value)).scalars()
    return [(str(SECTIONS[row.section].label) if row.section in SECTIONS else row.section,
             _("Not passed: %(reason)s", reason=row.reason)) for row in rows]


def problems_of(application: Application) -> list[tuple[str, str]]:
    """(section label, reason) for everything that blocks 确认申报; [] when it may be submitted."""
    from app.workflow.sections import missing_sections

    problems = list(missing_sections(application))
    if "resubmit" in allowed_actions(application.status, roles.INDIVIDUAL):  # after a return
        seen = {label for label, _reason in problems}
        problems += [p for p in still_rejected(application) if p[0] not in seen]
    return problems


def submit_action(application: Application) -> str:
    """"submit" or "resubmit", whichever the lifecycle table allows the applicant now, or ""."""
    allowed = allowed_actions(application.status, roles.INDIVIDUAL)
    action = next((action for action in SUBMIT_ACTIONS if action in allowed), "")
    if action and application.business == "initial":
        action = TO_OFFICE[action] if TO_OFFICE[action] in allowed else ""
    return action


class SubmitCommand(BaseCommand):
    def __init__(self, user, application_id: int):
        self.user, self.application_id = user, application_id
        self.application: Application | None = None
        self.action = ""

    def validate(self) -> None:
        self.application = get_own_or_404(self.user, self.application_id, for_update=True)
        self.action = submit_action(self.application)
        if not self.action:
            if self.application.status == Status.CANCELLED.value:
                raise NotAllowed(_l("This application has been cancelled"))
            raise NotAllowed(ALREADY_SUBMITTED)
        check_blacklist(self.application.person_id)
        # 申报截止 / 退回修改截止 (a 职称初定 sent to its office keeps the period of its business)
        check_open(self.application, PERIOD_KIND.get(self.action, self.action))
        if self.action in TO_OFFICE.values() and self.application.accepting_office_id is None:
            raise Invalid(_l("Choose the accepting office"), "accepting_office_id")
        if self.action == "submit":  # a returned application keeps its place with the committee
            self._check_committee_open()
        problems = problems_of(self.application)
        if problems:
            raise Invalid(_l("Some required information is missing; complete it and submit again"),
                          details=problems)

    def _check_committee_open(self) -> None:
        """The committee chosen in the draft must still accept applications (its period may have closed)."""
        application = self.application
        if application.committee_id is None:
            return
        unit = db.session.get(Unit, application.unit_id)
        open_ids = set(db.session.execute(catalog.open_committees(
            application.level_id, application.series_id, unit.region_id, application.year, utcnow().date())
            .with_only_columns(Committee.id)).scalars())
        if application.committee_id not in open_ids:
            raise NotAllowed(_l("The application period of the chosen committee is not open now"))

    def run(self) -> Application:
        self.validate()
        application = self.application
        if self.action not in TO_OFFICE.values():
            application.current_unit_id = application.unit_id
            steps.arrive(application, application.unit_id)
        application.submitted_at = utcnow()
        # two tabs pressing 确认申报 at once: one submits, the other is told it already was (R6)
        lifecycle.apply(application, self.action, self.user, role=roles.INDIVIDUAL, refusal=ALREADY_SUBMITTED,
                        stale=ALREADY_SUBMITTED)
        if self.action in TO_OFFICE.values():
            self._tell_office(application)
            return application
        unit = db.session.get(Unit, application.unit_id)
        if unit is not None and unit.user is not None:
            notify.notify_user(unit.user, _("A title application is waiting for your review"),
                               _("%(name)s submitted a title application (%(title)s, %(year)s).",
                                 name=application.person.real_name, title=application.title.name,
                                 year=application.year), email=False)
        return application

    @staticmethod
    def _tell_office(application: Application) -> None:
        """The bureau accounts acting for the chosen 报送受理部门 get an in-app message."""
        from app.daos.offices import acting_bureaus

        for user in acting_bureaus(application.accepting_office):
            notify.notify_user(user, _("An initial title application is waiting for your review"),
                               _("%(name)s submitted an initial title application to %(office)s.",
                                 name=application.person.real_name, office=application.accepting_office.name),
                               email=False)
