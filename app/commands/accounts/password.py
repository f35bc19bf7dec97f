"""Passwords: 修改密码 with the old one, and Admin's reset of an account's password on FAB's pages."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash

from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotFound
from app.security import sessions
from app.security.passwords import password_problem
from app.services import audit


def set_password(user, new_password: str) -> None:
    """Hash and store a password the way FAB does, in the caller's transaction."""
    from werkzeug.security import generate_password_hash

    user.password = generate_password_hash(
        new_password, method=current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt"))


def check_new_password(password: str, confirm: str, *user_inputs: str, field: str,
                       differ=_l("The two new passwords differ")) -> None:
    """The password typed twice alike (else `differ` at "confirm"), and within the policy (at `field`)."""
    if password != confirm:
        raise Invalid(differ, "confirm")
    problem = password_problem(password, *user_inputs)
    if problem:
        raise Invalid(problem, field)


class ChangePasswordCommand(BaseCommand):
    def __init__(self, user, old_password: str, new_password: str, confirm: str):
        self.user, self.old, self.new, self.confirm = user, old_password or "", new_password or "", confirm or ""

    def validate(self) -> None:
        if not (self.user.password and check_password_hash(self.user.password, self.old)):
            raise Invalid(_l("The old password is wrong"), "old_password")
        if self.new != self.confirm:
            raise Invalid(_l("The two new passwords differ"), "confirm")
        if self.new == self.old:
            raise Invalid(_l("The new password must differ from the old one"), "new_password")
        problem = password_problem(self.new, self.user.username)
        if problem:
            raise Invalid(problem, "new_password")

    def run(self) -> None:
        """Set the new password and end every session and API token of the account, this one
        too: the caller starts a fresh session for the browser that changed it."""
        self.validate()
        set_password(self.user, self.new)
        ended = sessions.end_all(self.user.id)
        audit.record("password_changed", actor=self.user, object_type="user", object_id=self.user.id,
                     opinion=f"{ended} sessions ended")


class AdminResetPasswordCommand(BaseCommand):
    """FAB's password pages (Admin resetting an account's, or their own): like 修改密码, every session and
    API token of that account ends; the new password, the ended sessions and the audit row are one
    transaction."""

    def __init__(self, user_id, new_password: str):
        self.user_id, self.new = user_id, new_password or ""
        self.user = None

    def validate(self) -> None:
        raw = str(self.user_id or "")
        self.user = current_app.appbuilder.sm.get_user_by_id(int(raw)) if raw.isdigit() else None
        if self.user is None:
            raise NotFound(_l("The account does not exist"))

    def run(self):
        self.validate()
        set_password(self.user, self.new)
        sessions.end_all(self.user.id)
        audit.record("password_reset_by_admin", object_type="user", object_id=self.user.id)
        return self.user
