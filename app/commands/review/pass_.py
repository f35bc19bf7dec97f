"""通过: the unit now holding an application passes its data review (pending_unit → passed_unit).
Every section must pass; a section marked 不通过 means 退回 (ReturnCommand) instead. Marks a superior left
when it returned the application to this unit are cleared: passing says the unit sees no problem."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.base import BaseCommand
from app.commands.errors import NotAllowed
from app.commands.review.common import (check_allowed, check_opinion, check_seen, clear_marks, load_for_unit, marked,
                                        refuse_marked)
from app.models.applications import Application
from app.security import roles
from app.services import notify
from app.workflow import lifecycle
from app.workflow.states import Status

REFUSAL = _l("This application cannot be passed in its current state")


class PassCommand(BaseCommand):
    def __init__(self, user, application_id: int, section_verdicts: dict[str, str] | None = None,
                 opinion: str = "", seen_status: str | None = None):
        self.user, self.application_id, self.seen_status = user, application_id, seen_status
        self.rejected = marked(section_verdicts)  # {code: reason}: a non-empty reason marks 不通过
        self.opinion = (opinion or "").strip()
        self.application: Application | None = None

    def validate(self) -> None:
        application = load_for_unit(self.user, self.application_id, for_update=True)
        if application.status == Status.PASSED_UNIT.value:
            raise NotAllowed(_l("This application has already been passed"))
        check_seen(application, self.seen_status)
        check_allowed(application, "pass", REFUSAL)
        refuse_marked(self.rejected)
        check_opinion(self.opinion)
        self.application = application

    def run(self) -> Application:
        self.validate()
        application = self.application
        clear_marks(application)
        lifecycle.apply(application, "pass", self.user, self.opinion, role=roles.UNIT,
                        refusal=REFUSAL)
        notify.notify_user(application.person.user, _("Your title application passed the unit's data review"),
                           self.opinion)
        return application
