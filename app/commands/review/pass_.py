"""通过: the unit now holding an application passes its data review (pending_unit → passed_unit).
Every section must pass; a section marked 不通过 means 退回 (ReturnCommand) instead. Marks a superior left
when it returned the application to this unit are cleared: passing says the unit sees no problem."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.errors import NotAllowed
from app.commands.review.common import PassingDecision
from app.services import notify
from app.workflow.states import Status


class PassCommand(PassingDecision):
    action = "pass"
    refusal = _l("This application cannot be passed in its current state")

    def __init__(self, user, application_id: int, section_verdicts: dict[str, str] | None = None,
                 opinion: str = "", seen_status: str | None = None):
        super().__init__(user, application_id, section_verdicts=section_verdicts, opinion=opinion,
                         seen_status=seen_status)

    def check_first(self, application) -> None:
        if application.status == Status.PASSED_UNIT.value:
            raise NotAllowed(_l("This application has already been passed"))

    def tell_applicant(self, application) -> None:
        notify.notify_user(application.person.user, _("Your title application passed the unit's data review"),
                           self.opinion)
