"""终审通过: for recognition (全日制职称认定) and transfer-in (外地调入资格确认) the chain ends at a unit
with the final-review authority of that business. That unit, holding the application pending its
review, gives 终审通过; the applicant can then download the 认定表 / 转入表 (app/services/pdf.py).

The authority is per business and per certificate level (证书等级): a unit authorised for 初级
final-passes 初级 applications only; one of another level is reported on along its path."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.errors import NotAllowed
from app.commands.review.common import PassingDecision
from app.commands.units.authority import AUTHORITY_BUSINESSES, has_final_authority
from app.models.applications import Application
from app.services import notify


def may_final_pass(unit_id: int, application: Application) -> bool:
    """Whether the review page offers 终审通过 to this unit for this application."""
    return application.business in AUTHORITY_BUSINESSES and has_final_authority(unit_id, application.business,
                                                                                application.level_id)


class FinalPassCommand(PassingDecision):
    action = "final_pass"
    refusal = _l("This application cannot pass the final review in its current state")

    def __init__(self, user, application_id: int, opinion: str = "", seen_status: str | None = None,
                 section_verdicts: dict[str, str] | None = None):
        super().__init__(user, application_id, section_verdicts=section_verdicts, opinion=opinion,
                         seen_status=seen_status)

    def check(self, application) -> None:
        if application.business not in AUTHORITY_BUSINESSES:
            raise NotAllowed(_l("Only recognition and transfer-in applications end with a final review"))
        if not has_final_authority(application.current_unit_id, application.business):
            raise NotAllowed(_l("Your unit has no final-review authority for this business; "
                                "report the application along your reporting path"))
        if not has_final_authority(application.current_unit_id, application.business, application.level_id):
            raise NotAllowed(_l("Your unit's final-review authority does not cover the level %(level)s; "
                                "report the application along your reporting path",
                                level=application.level.name))

    def tell_applicant(self, application) -> None:
        notify.notify_user(application.person.user, _("Your application passed the final review"),
                           _("You can now download the form from My applications. %(opinion)s",
                             opinion=self.opinion))
