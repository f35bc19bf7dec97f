"""A6: change the password with the old one."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash

from app.commands.accounts.exceptions import AccountError
from app.extensions import db
from app.security import sessions
from app.security.passwords import password_problem
from app.services import audit


def set_password(user, new_password: str) -> None:
    """Hash and store a password the way FAB does; the caller commits."""
    from werkzeug.security import generate_password_hash

    user.password = generate_password_hash(
        new_password, method=current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt"))


class ChangePasswordCommand:
    def __init__(self, user, old_password: str, new_password: str, confirm: str):
        self.user, self.old, self.new, self.confirm = user, old_password or "", new_password or "", confirm or ""

    def validate(self) -> None:
        if not (self.user.password and check_password_hash(self.user.password, self.old)):
            raise AccountError(_l("The old password is wrong"), "old_password")
        if self.new != self.confirm:
            raise AccountError(_l("The two new passwords differ"), "confirm")
        if self.new == self.old:
            raise AccountError(_l("The new password must differ from the old one"), "new_password")
        problem = password_problem(self.new, self.user.username)
        if problem:
            raise AccountError(problem, "new_password")

    def run(self) -> None:
        """Set the new password and end every session and API token of the account, this one
        too: the caller starts a fresh session for the browser that changed it."""
        self.validate()
        set_password(self.user, self.new)
        ended = sessions.end_all(self.user.id)
        audit.record("password_changed", actor=self.user, object_type="user", object_id=self.user.id,
                     opinion=f"{ended} sessions ended")
        db.session.commit()
