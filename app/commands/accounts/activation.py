"""停用 / 启用 of an account by Admin. An account with history is never deleted: a
deleted applicant would leave a person row that blocks registration under the same ID number and
that 忘记用户名 cannot find. It is deactivated instead, and Admin can reactivate it."""
from __future__ import annotations

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select, update

from app.clock import utcnow
from app.commands.base import BaseCommand
from app.commands.errors import NotAllowed, Stale
from app.extensions import db
from app.models.accounts import UserSession
from app.models.audit import AuditLog
from app.services import audit

HAS_HISTORY = _l("This account has history (registration, sign-ins, applications or audit entries) and "
                 "cannot be deleted; deactivate it instead")
NOT_YOURSELF = _l("You cannot deactivate your own account")
STALE = _l("The account was changed in the meantime; please reload the page")


# FAB's role and group links go with the account; every other reference to it is history.
_LINK_TABLES = {"ab_user_role", "ab_user_group"}


def _references_to_users():
    """(table, column) of every foreign key to ab_user.id, found in the metadata, so a table added later
    counts without a change here; plus the audit log, which keeps actor_id without a key."""
    refs = [(AuditLog.__table__, AuditLog.__table__.c.actor_id)]
    for table in Model.metadata.sorted_tables:
        if table.name in _LINK_TABLES:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == "ab_user" and fk.column.name == "id":
                refs.append((table, fk.parent))
    return refs


def has_history(user_id: int) -> bool:
    """Anything that refers to the account: a profile, a backend binding, sessions, messages, audit rows."""
    return any(db.session.execute(select(exists().where(column == user_id))).scalar()
               for _table, column in _references_to_users())


class CheckUserDeletableCommand(BaseCommand):
    """Refuses to delete an account with history. FAB's delete calls validate() alone, inside its own
    transaction, so the refusal rolls nothing back there."""

    def __init__(self, user_id: int):
        self.user_id = user_id

    def validate(self) -> None:
        if has_history(self.user_id):
            raise NotAllowed(HAS_HISTORY)

    def run(self) -> None:
        self.validate()


class SetAccountActiveCommand(BaseCommand):
    """Compare-and-set of ab_user.active, with an audit row in the same transaction; deactivation
    also ends the account's live sessions."""

    def __init__(self, admin, user_id: int, active: bool):
        self.admin = admin
        self.user_id = user_id
        self.active = active

    def validate(self) -> User:
        user = db.session.get(User, self.user_id)
        if user is None:
            raise NotAllowed(_l("The account does not exist"))
        if not self.active and user.id == self.admin.id:
            raise NotAllowed(NOT_YOURSELF)
        return user

    def run(self) -> bool:
        """True when the state changed, False when it already was as asked."""
        user = self.validate()
        if bool(user.active) == self.active:
            return False
        now = utcnow()
        was = or_(User.active.is_(False), User.active.is_(None)) if self.active else User.active.is_(True)
        changed = db.session.execute(
            update(User).where(User.id == self.user_id, was)
            .values(active=self.active, changed_on=now).execution_options(synchronize_session=False)
        ).rowcount
        if changed != 1:
            raise Stale(STALE)
        if not self.active:
            db.session.execute(update(UserSession).where(UserSession.user_id == self.user_id,
                                                         UserSession.ended_at.is_(None)).values(ended_at=now))
        audit.record("user_activated" if self.active else "user_deactivated", actor=self.admin,
                     object_type="user", object_id=self.user_id,
                     from_state="inactive" if self.active else "active",
                     to_state="active" if self.active else "inactive")
        db.session.refresh(user)  # the UPDATE bypassed the session: read back what it wrote
        return True
