"""R1/R2 通过: the unit now holding an application passes its data review (pending_unit → passed_unit).
Every section must pass; a section marked 不通过 means 退回 (ReturnToApplicantCommand) instead."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.commands.errors import CommandError, NotAllowed
from app.daos.applications import unit_of, visible_applications
from app.extensions import db
from app.models.applications import Application
from app.security import roles
from app.services import notify, timeline
from app.workflow.states import Status, TransitionNotAllowed, transition

OPINION_MAX = 2000


def load_for_unit(user, application_id: int, *, for_update: bool = False) -> Application:
    """The application addressed to the signed-in unit now (current_unit_id), else NotAllowed."""
    unit = unit_of(user)
    application = None
    if unit is not None:
        stmt = visible_applications(user).where(Application.id == application_id,
                                                Application.current_unit_id == unit.id)
        if for_update:
            stmt = stmt.with_for_update()
        application = db.session.execute(stmt).scalar_one_or_none()
    if application is None:
        raise NotAllowed(_l("This application is not in your unit's queue"))
    return application


class PassCommand:
    def __init__(self, user, application_id: int, section_verdicts: dict[str, str] | None = None,
                 opinion: str = ""):
        self.user, self.application_id = user, application_id
        # {code: reason}: a non-empty reason marks the section 不通过
        self.rejected = {code: (reason or "").strip() for code, reason in (section_verdicts or {}).items()
                         if (reason or "").strip()}
        self.opinion = (opinion or "").strip()

    def run(self) -> Application:
        try:
            application = load_for_unit(self.user, self.application_id, for_update=True)
            if application.status == Status.PASSED_UNIT.value:
                raise NotAllowed(_l("This application has already been passed"))
            try:
                target = transition("pass", application.status, roles.UNIT)
            except TransitionNotAllowed:
                raise NotAllowed(_l("This application cannot be passed in its current state")) from None
            if self.rejected:
                raise CommandError(_l("A section is marked not passed: use Return instead"), "sections")
            if len(self.opinion) > OPINION_MAX:
                raise CommandError(_l("At most %(n)d characters", n=OPINION_MAX), "opinion")
            source = application.status
            application.status = target.value
            application.updated_at = utcnow()
            application.version += 1
            timeline.record(application, "pass", source, target, opinion=self.opinion, actor=self.user)
            notify.notify_user(application.person.user, _("Your title application passed the unit's data review"),
                               self.opinion)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return application
