"""P7 确认申报 (and P9 resubmission after a return): check every required section, then lock the
application and send it to the unit chosen in P3 — status, timeline, audit and the unit's message
in one commit."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import utcnow
from app.commands import cas
from app.commands.applications.create import check_blacklist
from app.commands.deadlines.periods import check_open
from app.commands.errors import CommandError, NotAllowed
from app.daos.applications import get_own_or_404
from app.extensions import db
from app.models.applications import Application, ApplicationSection
from app.models.catalog import Committee
from app.models.units import Unit
from app.security import roles
from app.services import catalog, notify, steps, timeline
from app.workflow.states import Status, TransitionNotAllowed, transition

ALREADY_SUBMITTED = _l("This application has already been submitted")
ACTIONS = {Status.DRAFT.value: "submit", Status.RETURNED.value: "resubmit"}


def still_rejected(application: Application) -> list[tuple[str, str]]:
    """After a return: sections still marked 不通过 (the applicant has not saved them again)."""
    from app.workflow.sections import SECTIONS

    rows = db.session.execute(select(ApplicationSection).where(
        ApplicationSection.application_id == application.id, ApplicationSection.status == "rejected")).scalars()
    return [(str(SECTIONS[row.section].label) if row.section in SECTIONS else row.section,
             _("Not passed: %(reason)s", reason=row.reason)) for row in rows]


def problems_of(application: Application) -> list[tuple[str, str]]:
    """(section label, reason) for everything that blocks 确认申报; [] when it may be submitted."""
    from app.workflow.sections import missing_sections

    problems = list(missing_sections(application))
    if application.status == Status.RETURNED.value:
        seen = {label for label, _reason in problems}
        problems += [p for p in still_rejected(application) if p[0] not in seen]
    return problems


class SubmitCommand:
    def __init__(self, user, application_id: int):
        self.user, self.application_id = user, application_id
        self.application: Application | None = None
        self.action = ""

    def validate(self) -> None:
        self.application = get_own_or_404(self.user, self.application_id, for_update=True)
        self.action = ACTIONS.get(self.application.status, "")
        try:
            self.target = transition(self.action, self.application.status, roles.INDIVIDUAL)
        except TransitionNotAllowed:
            if self.application.status == Status.CANCELLED.value:
                raise NotAllowed(_l("This application has been cancelled")) from None
            raise NotAllowed(ALREADY_SUBMITTED) from None
        check_blacklist(self.application.person_id)
        check_open(self.application, self.action)  # 申报截止 / 退回修改截止
        if self.action == "submit":  # a returned application keeps its place with the committee
            self._check_committee_open()
        problems = problems_of(self.application)
        if problems:
            raise CommandError(_l("Some required information is missing; complete it and submit again"),
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
        try:
            self.validate()
            application = self.application
            source = application.status
            now = utcnow()
            application.status = self.target.value
            application.current_unit_id = application.unit_id
            steps.arrive(application, application.unit_id)
            application.submitted_at = now
            application.updated_at = now
            cas.bump(application)
            cas.write(ALREADY_SUBMITTED)  # two tabs pressing 确认申报 at once: one submits (R6)
            timeline.record(application, self.action, source, self.target, actor=self.user)
            unit = db.session.get(Unit, application.unit_id)
            if unit is not None and unit.user is not None:
                notify.notify_user(unit.user, _("A title application is waiting for your review"),
                                   _("%(name)s submitted a title application (%(title)s, %(year)s).",
                                     name=application.person.real_name, title=application.title.name,
                                     year=application.year), email=False)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return application
