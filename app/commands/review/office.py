"""The 报送受理部门's review of 职称初定 applications, by the bureau of the office's region acting for it:
通过 (its final review: the application waits for 证书入库) or 退回 to the applicant with a reason, for one
application or several chosen ones, all or none. Each row is loaded again, locked, through the bureau's
rule (app/daos/offices.py): a forged id is a 404 and nothing of the batch changes."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotAllowed, NotFound
from app.commands.units.decide import MAX_ROWS, row_ids
from app.daos.offices import office_row
from app.security import roles
from app.services import notify
from app.workflow import lifecycle
from app.workflow.states import Status

REASON_MAX = 500


def not_waiting(name: str):
    return _l("%(name)s is no longer waiting for the accepting office's review; nothing was done", name=name)


class OfficeDecisionCommand(BaseCommand):
    def __init__(self, user, ids, approve: bool, reason: str | None = None):
        self.user, self.approve = user, approve
        self.ids = [ids] if isinstance(ids, int) else row_ids(ids)
        self.raw_reason = reason
        self.reason = ""
        self.applications: list = []

    def validate(self) -> None:
        if not self.ids:
            raise Invalid(_l("Please choose at least one row"))
        if len(self.ids) > MAX_ROWS:
            raise Invalid(_l("At most %(n)d rows at once", n=MAX_ROWS))
        self.reason = (self.raw_reason or "").strip()
        if not self.approve and not self.reason:
            raise Invalid(_l("Please give the reason for the return"), "reason")
        if len(self.reason) > REASON_MAX:
            raise Invalid(_l("At most %(n)d characters", n=REASON_MAX), "reason")
        self.applications = []
        for application_id in sorted(set(self.ids)):  # locked in id order: overlapping batches wait
            application = office_row(self.user, application_id, for_update=True)
            if application is None:
                raise NotFound(_l("No such application"))
            if application.status != Status.PENDING_OFFICE.value:
                raise NotAllowed(not_waiting(application.person.real_name))
            self.applications.append(application)

    def run(self) -> list:
        self.validate()
        action = "office_pass" if self.approve else "office_return"
        for application in self.applications:
            lifecycle.apply(application, action, self.user, self.reason, role=roles.BUREAU,
                            refusal=not_waiting(application.person.real_name))
            if application.person.user is not None:
                if self.approve:
                    notify.notify_user(application.person.user, _("Your initial title application was passed"),
                                       _("The accepting office passed your application; the certificate "
                                         "follows once it is published."), email=False)
                else:
                    notify.notify_user(application.person.user, _("Your initial title application was returned"),
                                       _("Reason: %(reason)s", reason=self.reason), email=False)
        return self.applications
