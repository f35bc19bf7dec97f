"""P8: the timeline (状态跟踪). Every state change writes one ApplicationEvent and one audit row
into the caller's transaction; the caller commits both or neither."""
from __future__ import annotations

from app.clock import utcnow
from app.extensions import db
from app.models.applications import Application, ApplicationEvent
from app.services import audit, notify


def actor_name(actor) -> str:
    """What the timeline shows as 操作人: the unit's name for a unit account, else the real name."""
    if actor is None:
        return ""
    from app.daos.actors import unit_of

    unit = unit_of(actor)
    if unit is not None:
        return unit.name
    name = f"{actor.first_name or ''}{actor.last_name or ''}".strip()
    return name or actor.username


def _value(status) -> str:
    return str(getattr(status, "value", status) or "")


def record(application: Application, action: str, from_status: str, to_status: str, opinion: str = "",
           actor=None, rejected_sections: dict[str, str] | None = None,
           actor_label: str | None = None) -> ApplicationEvent:
    """`rejected_sections` ({section: reason}, a 退回) is kept on the event, since the section rows change
    later; the audit row gets them after the opinion. `actor_label` is the 操作人 when the caller already
    has it (`actor_name(actor)`), so a batch does not look it up per row."""
    opinion = (opinion or "").strip()
    marks = [[code, reason] for code, reason in (rejected_sections or {}).items()] or None
    label = actor_name(actor) if actor_label is None else actor_label
    event = ApplicationEvent(application_id=application.id, at=utcnow(), actor_name=label[:128],
                             action=action, from_status=_value(from_status), to_status=_value(to_status),
                             opinion=opinion, rejected_sections=marks)
    db.session.add(event)
    audited = "\n".join([opinion] + [f"{code}: {reason}" for code, reason in marks or []]).strip()
    notify.state_changed(application, action, opinion)  # 消息 and e-mail to whom it concerns (S2)
    audit.record(f"application.{action}", actor=actor, object_type="application", object_id=application.id,
                 from_state=_value(from_status), to_state=_value(to_status), opinion=audited)
    return event
