"""R1/R2 通过: the unit now holding an application passes its data review (pending_unit → passed_unit).
Every section must pass; a section marked 不通过 means 退回 (ReturnCommand) instead. Marks a superior left
when it returned the application to this unit are cleared: passing says the unit sees no problem."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.errors import NotAllowed
from app.commands.review.common import (check_opinion, check_seen, clear_marks, load_for_unit, marked, move,
                                        refuse_marked)
from app.extensions import db
from app.models.applications import Application
from app.security import roles
from app.services import notify
from app.workflow.states import Status, TransitionNotAllowed, transition


class PassCommand:
    def __init__(self, user, application_id: int, section_verdicts: dict[str, str] | None = None,
                 opinion: str = "", seen_status: str | None = None):
        self.user, self.application_id, self.seen_status = user, application_id, seen_status
        self.rejected = marked(section_verdicts)  # {code: reason}: a non-empty reason marks 不通过
        self.opinion = (opinion or "").strip()

    def run(self) -> Application:
        try:
            application = load_for_unit(self.user, self.application_id, for_update=True)
            if application.status == Status.PASSED_UNIT.value:
                raise NotAllowed(_l("This application has already been passed"))
            check_seen(application, self.seen_status)
            try:
                target = transition("pass", application.status, roles.UNIT)
            except TransitionNotAllowed:
                raise NotAllowed(_l("This application cannot be passed in its current state")) from None
            refuse_marked(self.rejected)
            check_opinion(self.opinion)
            clear_marks(application)
            move(application, "pass", target, self.user, self.opinion)
            notify.notify_user(application.person.user, _("Your title application passed the unit's data review"),
                               self.opinion)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return application
