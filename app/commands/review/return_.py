"""P9 退回: the unit now holding an application sends it back to the applicant, marking the
sections that did not pass (不通过) with a reason; only those reopen for the applicant."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import utcnow
from app.commands.errors import CommandError, NotAllowed
from app.daos.applications import unit_of, visible_applications
from app.extensions import db
from app.models.applications import Application, ApplicationSection
from app.security import roles
from app.services import notify, timeline
from app.workflow.states import TransitionNotAllowed, transition

REASON_MAX = 500
OPINION_MAX = 2000


class ReturnToApplicantCommand:
    def __init__(self, user, application_id: int, section_verdicts: dict[str, str], opinion: str = ""):
        self.user, self.application_id = user, application_id
        self.verdicts = {code: (reason or "").strip() for code, reason in (section_verdicts or {}).items()}
        self.opinion = (opinion or "").strip()
        self.application: Application | None = None

    def validate(self) -> None:
        unit = unit_of(self.user)
        application = None
        if unit is not None:
            application = db.session.execute(visible_applications(self.user).where(
                Application.id == self.application_id).with_for_update()).scalar_one_or_none()
        # only the unit whose queue holds it now may return it; anyone else gets the same refusal
        if application is None or application.current_unit_id != unit.id:
            raise NotAllowed(_l("This application is not in your unit's queue"))
        try:
            self.target = transition("return", application.status, roles.UNIT)
        except TransitionNotAllowed:
            raise NotAllowed(_l("This application cannot be returned in its current state")) from None
        from app.workflow.sections import configured_sections

        codes = {row.section for row in configured_sections(application.business, application.committee_id,
                                                               application.year)}
        unknown = sorted(set(self.verdicts) - codes)
        if unknown:
            raise CommandError(_l("Unknown section: %(code)s", code=unknown[0]), "sections")
        rejected = {code: reason for code, reason in self.verdicts.items() if reason}
        if not rejected:
            raise CommandError(_l("Mark at least one section as not passed, with a reason"), "sections")
        if any(len(reason) > REASON_MAX for reason in rejected.values()):
            raise CommandError(_l("At most %(n)d characters", n=REASON_MAX), "sections")
        if len(self.opinion) > OPINION_MAX:
            raise CommandError(_l("At most %(n)d characters", n=OPINION_MAX), "opinion")
        self.rejected, self.application = rejected, application

    def run(self) -> Application:
        try:
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
            source = application.status
            application.status = self.target.value
            application.updated_at = now
            application.version += 1
            timeline.record(application, "return", source, self.target, opinion=self.opinion, actor=self.user)
            notify.notify_user(application.person.user, _("Your title application was returned"),
                               _("Change the sections marked not passed and submit again. %(opinion)s",
                                 opinion=self.opinion))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return application
