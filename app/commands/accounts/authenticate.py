"""Sign-in with login name or ID number, counting failures and honouring locks.

Used by every login route (the page and FAB's REST API login) through the security manager. A refused
sign-in is an answer, not an error: the failure count and the audit row it writes are kept.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app.clock import utcnow
from app.commands.base import BaseCommand
from app.extensions import db
from app.models.accounts import Person
from app.security import lockout
from app.security.validators import normalize_id_number
from app.services import audit


@dataclass
class LoginOutcome:
    user: object | None = None
    locked_until: dt.datetime | None = None


class AuthenticateCommand(BaseCommand):
    def __init__(self, identifier: str, password: str):
        self.identifier = (identifier or "").strip()
        self.password = password or ""

    def validate(self) -> None:
        """Nothing to refuse up front: an empty name or password is a failed sign-in like any other."""

    def _find_user(self):
        sm = current_app.appbuilder.sm
        user_model = sm.user_model
        user = db.session.execute(
            select(user_model).where(func.lower(user_model.username) == self.identifier.lower())
        ).scalar_one_or_none()
        if user is None and len(self.identifier) == 18:
            person = db.session.execute(
                select(Person).where(Person.id_number == normalize_id_number(self.identifier))
            ).scalar_one_or_none()
            user = person.user if person else None
        return user

    def run(self) -> LoginOutcome:
        self.validate()
        if not self.identifier or not self.password:
            return LoginOutcome()
        user = self._find_user()
        fake_hash = current_app.config["AUTH_DB_FAKE_PASSWORD_HASH_CHECK"]
        if user is None or not user.is_active:
            # a name without an active account is counted and locked like a real one, with the same
            # work and the same answers, so names cannot be probed
            check_password_hash(fake_hash, self.password)
            until = lockout.name_locked_until(self.identifier)
            if not until:
                until = lockout.register_name_failure(self.identifier)
            audit.record("login_failed", actor=None, object_type="user", opinion="unknown or inactive account")
            return LoginOutcome(locked_until=until)
        until = lockout.locked_until(user.id)
        if until:
            check_password_hash(user.password or fake_hash, self.password)  # the same work as a try
            audit.record("login_refused_locked", actor=user, object_type="user", object_id=user.id)
            return LoginOutcome(locked_until=until)
        if not (user.password and check_password_hash(user.password, self.password)):
            until = lockout.register_failure(user.id)
            audit.record("login_failed", actor=user, object_type="user", object_id=user.id)
            if until:
                audit.record("account_locked", actor=user, object_type="user", object_id=user.id,
                             to_state="locked", opinion=f"until {until:%Y-%m-%d %H:%M} UTC")
            return LoginOutcome(locked_until=until)
        lockout.register_success(user.id)
        user.login_count = (user.login_count or 0) + 1
        user.last_login = utcnow()
        audit.record("login", actor=user, object_type="user", object_id=user.id)
        return LoginOutcome(user=user)
