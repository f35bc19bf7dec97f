"""P3, P7: edit the base form of an own draft. The version posted with the form must still be the
stored one (two tabs, or a save after 确认申报 in another tab); the base form is read-only after
submission, also after a return (P9 reopens only the sections marked 不通过)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.commands.applications.create import clean_base_form
from app.commands import cas
from app.commands.base import BaseCommand
from app.commands.errors import NotAllowed, Stale
from app.daos.applications import get_own_or_404
from app.models.applications import Application
from app.services import audit
from app.workflow import states

STALE = _l("This application was changed in another window since you opened it; "
           "reload the page and enter your changes again")


def base_form_editable(application: Application) -> bool:
    """Whether the lifecycle table lets the applicant change the base form now (a draft only)."""
    return states.base_form_editable(application.status)


class UpdateBaseCommand(BaseCommand):
    def __init__(self, user, application_id: int, data: dict, version):
        self.user, self.application_id, self.data, self.version = user, application_id, data, version
        self.application: Application | None = None
        self.values: dict = {}

    def validate(self) -> None:
        self.application = get_own_or_404(self.user, self.application_id, for_update=True)
        if not base_form_editable(self.application):
            raise NotAllowed(_l("The base information cannot be changed after submission"))
        if str(self.version or "").strip() != str(self.application.version):
            raise Stale(STALE)
        today = utcnow().date()
        self.values = clean_base_form(self.data, self.application.business, self.application.year, today)

    def run(self) -> Application:
        self.validate()
        application = self.application
        changed = sorted(k for k, v in self.values.items() if getattr(application, k) != v)
        for key, value in self.values.items():
            setattr(application, key, value)
        cas.bump(application)
        application.updated_at = utcnow()
        cas.write(STALE)
        audit.record("application.update_base", actor=self.user, object_type="application",
                     object_id=application.id, opinion=",".join(changed))
        return application
