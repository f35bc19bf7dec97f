"""P7 取消申请: the applicant withdraws a draft; it stays in 我的申报信息 as 已取消."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.commands.base import BaseCommand
from app.commands.errors import NotAllowed
from app.daos.applications import get_own_or_404
from app.models.applications import Application
from app.security import roles
from app.workflow import lifecycle
from app.workflow.states import allowed_actions

NOT_A_DRAFT = _l("Only a draft can be cancelled")


class CancelApplicationCommand(BaseCommand):
    def __init__(self, user, application_id: int):
        self.user, self.application_id = user, application_id
        self.application: Application | None = None

    def validate(self) -> None:
        self.application = get_own_or_404(self.user, self.application_id, for_update=True)
        if "cancel" not in allowed_actions(self.application.status, roles.INDIVIDUAL):
            raise NotAllowed(NOT_A_DRAFT)

    def run(self) -> Application:
        self.validate()
        lifecycle.apply(self.application, "cancel", self.user, role=roles.INDIVIDUAL, refusal=NOT_A_DRAFT,
                        stale=_l("This application was changed meanwhile; nothing was done. Reload the page."))
        return self.application
