"""S2: every status change that concerns someone gives them an in-app message and an e-mail where an
address is known. The timeline records each change here (`state_changed`); just before the transaction
commits, each pending change notifies whom the table below names, except anyone its command already
messaged in the same transaction (the commands' own, more particular messages win, so nobody gets two)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

PENDING, NOTIFIED = "zc_state_notices", "zc_notified_users"

APPLICANT, HOLDER = "applicant", "holder"  # the applicant; the unit whose queue holds it afterwards
AUDIENCES = {
    "submit": (HOLDER,), "resubmit": (HOLDER,), "report": (APPLICANT, HOLDER),
    "return_to_unit": (APPLICANT, HOLDER),
    "pass": (APPLICANT,), "return": (APPLICANT,), "report_to_committee": (APPLICANT,), "final_pass": (APPLICANT,),
    "blacklist": (APPLICANT,), "review_pass": (APPLICANT,), "review_fail": (APPLICANT,), "certify": (APPLICANT,),
}


def state_changed(session, application, action: str, opinion: str = "") -> None:
    if action in AUDIENCES:
        session.info.setdefault(PENDING, []).append((application, action, opinion))


def mark_notified(session, user_id: int) -> None:
    session.info.setdefault(NOTIFIED, set()).add(user_id)


def _recipients(application, action: str):
    for audience in AUDIENCES[action]:
        if audience == APPLICANT:
            person = application.person
            if person is not None and person.user is not None:
                yield audience, person.user
        elif application.current_unit is not None and application.current_unit.user is not None:
            yield audience, application.current_unit.user


def _message(application, action: str, audience: str, opinion: str) -> tuple[str, str]:
    from app.workflow.states import BUSINESS_LABELS, action_label, label

    what = _("%(business)s %(year)d, %(title)s", business=str(BUSINESS_LABELS.get(application.business,
                                                                              application.business)),
             year=application.year, title=application.title.name if application.title else "")
    if audience == HOLDER:
        title = _("A title application is waiting for your unit: %(action)s", action=action_label(action))
        body = _("%(name)s: %(what)s. Status now: %(status)s.", name=application.person.real_name, what=what,
                 status=label(application.status))
    else:
        title = _("Your title application: %(action)s", action=action_label(action))
        body = _("%(what)s. Status now: %(status)s.", what=what, status=label(application.status))
    if opinion:
        body += "\n" + _("Opinion: %(opinion)s", opinion=opinion)
    return title, body


@event.listens_for(Session, "before_commit")
def _send_pending(session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    from app.services import notify

    notified = session.info.setdefault(NOTIFIED, set())
    for application, action, opinion in pending:
        for audience, user in _recipients(application, action):
            if user.id in notified:
                continue
            title, body = _message(application, action, audience, opinion)
            notify.notify_user(user, title, body)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget(session, *_args) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(NOTIFIED, None)
