"""What every review command of the unit holding an application does: load the row it holds under a
lock, refuse a stale decision, check the opinion and the section marks; `PassingDecision`, the shape of
通过 and 终审通过. The status change itself is app.workflow.lifecycle.apply()."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.clock import utcnow

from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotAllowed
from app.commands.units.scope import require_unit as reporting_unit  # noqa: F401 (the report commands ask it here)
from app.daos.applications import held_by_unit
from app.extensions import db
from app.models.applications import Application, ApplicationSection
from app.models.units import Unit
from app.security import roles
from app.services import notify, timeline
from app.workflow import lifecycle
from app.workflow.states import allowed_actions, label

OPINION_MAX = 2000
SECTION_REASON_MAX = 500


def load_for_unit(user, application_id: int, *, for_update: bool = False) -> Application:
    """The application addressed to the signed-in unit now (current_unit_id), else NotAllowed."""
    application = held_by_unit(user, application_id, for_update=for_update)
    if application is None:
        raise NotAllowed(_l("This application is not in your unit's queue"))
    return application


def check_seen(application: Application, seen_status: str | None) -> None:
    """The reviewer decided on a page showing `seen_status`; when a colleague has changed the
    application since (e.g. passed it while this reviewer pressed 退回), nothing is done."""
    if seen_status and seen_status != application.status:
        raise NotAllowed(_l("Someone else has dealt with this application meanwhile (now: %(status)s); "
                            "nothing was done. Reload the page.", status=label(application.status)))


def check_allowed(application: Application, action: str, refusal) -> None:
    """NotAllowed with `refusal` when the lifecycle table offers the unit no `action` in the row's state."""
    if action not in allowed_actions(application.status, roles.UNIT):
        raise NotAllowed(refusal)


def check_opinion(opinion: str) -> None:
    if len(opinion) > OPINION_MAX:
        raise Invalid(_l("At most %(n)d characters", n=OPINION_MAX), "opinion")


def marked(section_verdicts: dict[str, str] | None) -> dict[str, str]:
    """{section: reason} of the sections marked 不通过 (a non-empty reason)."""
    return {code: (reason or "").strip() for code, reason in (section_verdicts or {}).items()
            if (reason or "").strip()}


def rejected_sections(application: Application, section_verdicts: dict[str, str]) -> dict[str, str]:
    """{section: reason} of a 退回: the marked sections, each one of the application's configured sections,
    at least one, each reason within SECTION_REASON_MAX; Invalid at "sections" otherwise."""
    from app.workflow.sections import configured_sections

    codes = {row.section for row in configured_sections(application.business, application.committee_id,
                                                           application.year)}
    unknown = sorted(set(section_verdicts) - codes)
    if unknown:
        raise Invalid(_l("Unknown section: %(code)s", code=unknown[0]), "sections")
    rejected = marked(section_verdicts)
    if not rejected:
        raise Invalid(_l("Mark at least one section as not passed, with a reason"), "sections")
    if any(len(reason) > SECTION_REASON_MAX for reason in rejected.values()):
        raise Invalid(_l("At most %(n)d characters", n=SECTION_REASON_MAX), "sections")
    return rejected


def mark_rejected(application: Application, rejected: dict[str, str]) -> None:
    """Writes the 不通过 marks and their reasons on the application's sections (a new row where none is)."""
    now = utcnow()
    existing = {row.section: row for row in db.session.execute(select(ApplicationSection).where(
        ApplicationSection.application_id == application.id)).scalars()}
    for code, reason in rejected.items():
        row = existing.get(code)
        if row is None:
            row = ApplicationSection(application_id=application.id, section=code, version=1)
            db.session.add(row)
        else:
            row.version = (row.version or 1) + 1
        row.status, row.reason, row.updated_at = "rejected", reason, now


def tell_returned_to_unit(actor, application: Application, unit: Unit, opinion: str) -> None:
    """The messages of a return to a unit: to the unit (in-app) and to the applicant."""
    if unit.user is not None:
        notify.notify_user(unit.user, _("A title application was returned to your unit"),
                           _("%(unit)s returned the application of %(name)s: %(opinion)s",
                             unit=timeline.actor_name(actor), name=application.person.real_name,
                             opinion=opinion or "-"), email=False)
    notify.notify_user(application.person.user, _("Your title application was returned to your unit"),
                       _("%(unit)s returned it to %(lower)s for another review.",
                         unit=timeline.actor_name(actor), lower=unit.name))


def refuse_marked(rejected: dict[str, str]) -> None:
    """通过 and 终审通过 need every section passed; a section marked 不通过 means 退回."""
    if rejected:
        raise Invalid(_l("A section is marked not passed: use Return instead"), "sections")


def clear_marks(application: Application) -> None:
    """Passing says the unit sees no problem: marks a superior left with a return are cleared."""
    db.session.execute(update(ApplicationSection).where(
        ApplicationSection.application_id == application.id, ApplicationSection.status == "rejected")
        .values(status="filled", reason=""))


class SectionReturn(BaseCommand):
    """What 退回 and 资格复审退回 take: the application, a reason per section not passed, an opinion, and
    the status the page showed (a compare-and-set against a change meanwhile)."""

    def __init__(self, user, application_id: int, section_verdicts: dict[str, str], opinion: str = "",
                 seen_status: str | None = None):
        self.user, self.application_id, self.seen_status = user, application_id, seen_status
        self.verdicts = {code: (reason or "").strip() for code, reason in (section_verdicts or {}).items()}
        self.opinion = (opinion or "").strip()
        self.application: Application | None = None
        self.rejected: dict[str, str] = {}


class PassingDecision(BaseCommand):
    """What 通过 and 终审通过 share: the application held by the unit, every section passed, the opinion
    checked; then the marks a superior left cleared (passing says the unit sees no problem), the
    lifecycle's `action` and a message to the applicant. Subclasses add their checks and the message."""

    action = ""
    refusal = None  # the message when the lifecycle table has no `action` in the row's state

    def __init__(self, user, application_id: int, *, section_verdicts: dict[str, str] | None = None,
                 opinion: str = "", seen_status: str | None = None):
        self.user, self.application_id, self.seen_status = user, application_id, seen_status
        self.rejected = marked(section_verdicts)  # {code: reason}: a non-empty reason marks 不通过
        self.opinion = (opinion or "").strip()
        self.application: Application | None = None

    def check_first(self, application: Application) -> None:
        """Checked before what the reviewer saw (none by default)."""

    def check(self, application: Application) -> None:
        """Checked after what the reviewer saw, before the state (none by default)."""

    def tell_applicant(self, application: Application) -> None:
        raise NotImplementedError

    def validate(self) -> None:
        application = load_for_unit(self.user, self.application_id, for_update=True)
        self.check_first(application)
        check_seen(application, self.seen_status)
        self.check(application)
        check_allowed(application, self.action, self.refusal)
        refuse_marked(self.rejected)
        check_opinion(self.opinion)
        self.application = application

    def run(self) -> Application:
        self.validate()
        application = self.application
        clear_marks(application)
        lifecycle.apply(application, self.action, self.user, self.opinion, role=roles.UNIT, refusal=self.refusal)
        self.tell_applicant(application)
        return application
