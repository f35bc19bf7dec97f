"""What every review command of the unit holding an application does (R2, R4–R6): load the row it holds
under a lock, refuse a stale decision, check the opinion and the section marks, apply the transition."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.clock import utcnow
from app.commands import cas
from app.commands.errors import CommandError, NotAllowed
from app.daos.applications import unit_of, visible_applications
from app.extensions import db
from app.models.applications import Application, ApplicationSection
from app.services import timeline
from app.workflow.states import Status, label

OPINION_MAX = 2000
CHANGED_MEANWHILE = _l("Someone else has dealt with this application meanwhile; nothing was done. Reload the page.")


def load_for_unit(user, application_id: int, *, for_update: bool = False) -> Application:
    """The application addressed to the signed-in unit now (current_unit_id), else NotAllowed."""
    unit = unit_of(user)
    application = None
    if unit is not None:
        stmt = visible_applications(user).where(Application.id == application_id,
                                                Application.current_unit_id == unit.id)
        if for_update:
            # refresh a copy the request loaded before the lock: the locked row is the truth (R6)
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        application = db.session.execute(stmt).scalar_one_or_none()
    if application is None:
        raise NotAllowed(_l("This application is not in your unit's queue"))
    return application


def check_seen(application: Application, seen_status: str | None) -> None:
    """R6: the reviewer decided on a page showing `seen_status`; when a colleague has changed the
    application since (e.g. passed it while this reviewer pressed 退回), nothing is done."""
    if seen_status and seen_status != application.status:
        raise NotAllowed(_l("Someone else has dealt with this application meanwhile (now: %(status)s); "
                            "nothing was done. Reload the page.", status=label(application.status)))


def check_opinion(opinion: str) -> None:
    if len(opinion) > OPINION_MAX:
        raise CommandError(_l("At most %(n)d characters", n=OPINION_MAX), "opinion")


def marked(section_verdicts: dict[str, str] | None) -> dict[str, str]:
    """{section: reason} of the sections marked 不通过 (a non-empty reason)."""
    return {code: (reason or "").strip() for code, reason in (section_verdicts or {}).items()
            if (reason or "").strip()}


def refuse_marked(rejected: dict[str, str]) -> None:
    """通过 and 终审通过 need every section passed; a section marked 不通过 means 退回."""
    if rejected:
        raise CommandError(_l("A section is marked not passed: use Return instead"), "sections")


def move(application: Application, action: str, target: Status, user, opinion: str = "",
         rejected_sections: dict[str, str] | None = None) -> None:
    """Apply a checked transition: status, version, timeline and audit row (the caller commits). The
    UPDATE is a compare-and-set on the version read (R6): a colleague's decision in between refuses this one."""
    source = application.status
    application.status = target.value
    application.updated_at = utcnow()
    cas.bump(application)
    cas.write(CHANGED_MEANWHILE)
    timeline.record(application, action, source, target, opinion=opinion, actor=user,
                    rejected_sections=rejected_sections)


def clear_marks(application: Application) -> None:
    """Passing says the unit sees no problem: marks a superior left with a return are cleared."""
    db.session.execute(update(ApplicationSection).where(
        ApplicationSection.application_id == application.id, ApplicationSection.status == "rejected")
        .values(status="filled", reason=""))
