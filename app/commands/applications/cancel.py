"""P7 取消申请: the applicant withdraws a draft; it stays in 我的申报信息 as 已取消."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.commands import cas
from app.commands.errors import NotAllowed
from app.daos.applications import get_own_or_404
from app.extensions import db
from app.models.applications import Application
from app.security import roles
from app.services import timeline
from app.workflow.states import TransitionNotAllowed, transition


class CancelApplicationCommand:
    def __init__(self, user, application_id: int):
        self.user, self.application_id = user, application_id
        self.application: Application | None = None

    def validate(self) -> None:
        self.application = get_own_or_404(self.user, self.application_id, for_update=True)
        try:
            self.target = transition("cancel", self.application.status, roles.INDIVIDUAL)
        except TransitionNotAllowed:
            raise NotAllowed(_l("Only a draft can be cancelled")) from None

    def run(self) -> Application:
        try:
            self.validate()
            application = self.application
            source = application.status
            application.status = self.target.value
            application.updated_at = utcnow()
            cas.bump(application)
            cas.write(_l("This application was changed meanwhile; nothing was done. Reload the page."))
            timeline.record(application, "cancel", source, self.target, actor=self.user)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return application
