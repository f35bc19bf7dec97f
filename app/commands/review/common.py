"""What every review command of the unit holding an application does: load the row it holds under a
lock, refuse a stale decision, check the opinion and the section marks. The status change itself is
app.workflow.lifecycle.apply()."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.commands.errors import Invalid, NotAllowed
from app.daos.applications import held_by_unit, unit_of
from app.extensions import db
from app.models.applications import Application, ApplicationSection
from app.models.units import Unit
from app.security import roles
from app.workflow.states import allowed_actions, label

OPINION_MAX = 2000


def reporting_unit(user) -> Unit:
    """The unit of a signed-in unit account, else NotAllowed."""
    unit = unit_of(user) if roles.UNIT in {r.name for r in user.roles} else None
    if unit is None:
        raise NotAllowed(_l("Only a unit account can do this"))
    return unit


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


def refuse_marked(rejected: dict[str, str]) -> None:
    """通过 and 终审通过 need every section passed; a section marked 不通过 means 退回."""
    if rejected:
        raise Invalid(_l("A section is marked not passed: use Return instead"), "sections")


def clear_marks(application: Application) -> None:
    """Passing says the unit sees no problem: marks a superior left with a return are cleared."""
    db.session.execute(update(ApplicationSection).where(
        ApplicationSection.application_id == application.id, ApplicationSection.status == "rejected")
        .values(status="filled", reason=""))
