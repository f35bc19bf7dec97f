"""The one way an application changes status. `apply()` checks the transition in the lifecycle table
(app/workflow/states.py) for the role the actor acts in, then writes status, version (compare-and-set),
timeline event and audit row into the caller's transaction. Submit, resubmit, cancel, every review,
report and committee command calls it; nothing else assigns `Application.status`."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.commands import cas
from app.commands.errors import NotAllowed
from app.workflow.states import Status, TransitionNotAllowed, label, transition

CHANGED_MEANWHILE = _l("Someone else has dealt with this application meanwhile; nothing was done. Reload the page.")


def apply(application, action: str, actor, opinion: str = "", *, role: str,
          rejected_sections: dict[str, str] | None = None, refusal=None, stale=None, write: bool = True,
          actor_label: str | None = None) -> Status:
    """Move `application` by `action` as `role`; NotAllowed (with `refusal` or a message naming the
    status) when the table has no such transition, ChangedMeanwhile (with `stale` or a general message)
    when another worker moved it first. Other columns the caller set before (the unit it goes to, the
    submission time) are written in the same compare-and-set UPDATE.

    A command moving many applications at once passes `write=False` and calls `cas.write()` itself after
    the last one (one flush: the inserts go out in batches; a lost compare-and-set still refuses all of
    it), and may pass `actor_label`, the timeline's 操作人 it already knows."""
    from app.services import timeline  # services import the models; keep the workflow light to import

    source = application.status
    try:
        target = transition(action, source, role)
    except TransitionNotAllowed:
        raise NotAllowed(refusal or _l("This cannot be done to the application in its current state (%(status)s)",
                                           status=label(source))) from None
    application.status = target.value
    application.updated_at = utcnow()
    cas.bump(application)
    if write:
        cas.write(stale or CHANGED_MEANWHILE)
    timeline.record(application, action, source, target, opinion=opinion, actor=actor,
                    rejected_sections=rejected_sections, actor_label=actor_label)
    return target
