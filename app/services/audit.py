"""Write audit rows (X2) into the caller's transaction: the caller commits both or neither."""
from __future__ import annotations

from flask import g, has_request_context, request

from app.clock import utcnow
from app.extensions import db
from app.models.audit import AuditLog


def record(action: str, *, actor=None, object_type: str = "", object_id="", from_state: str = "",
           to_state: str = "", opinion: str = "") -> AuditLog:
    if actor is None and has_request_context():
        actor = getattr(g, "user", None)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditLog(
        at=utcnow(),
        actor_id=actor.id if authenticated else None,
        actor_name=actor.username if authenticated else "",
        actor_role=",".join(r.name for r in actor.roles) if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        from_state=from_state,
        to_state=to_state,
        opinion=opinion[:2000],
        ip=(request.remote_addr or "") if has_request_context() else "",
    )
    db.session.add(entry)
    return entry
