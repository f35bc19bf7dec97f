"""Signing out: the session row ends, so the cookie or the API tokens that name it stop working
(a final logout), with its audit row in the same transaction."""
from __future__ import annotations

from app.commands.base import BaseCommand
from app.security import sessions
from app.services import audit


class SignOutCommand(BaseCommand):
    """End the session `sid` of `user` (None when the browser was not signed in any more); `api` names an
    API token's session, audited under the token's subject."""

    def __init__(self, user, sid: str | None, *, api_subject: str | None = None):
        self.user, self.sid, self.api_subject = user, sid, api_subject

    def validate(self) -> None:
        """Signing out is never refused."""

    def run(self) -> None:
        self.validate()
        if self.api_subject is not None:
            audit.record("logout", actor=self.user, object_type="user", object_id=self.api_subject, opinion="api")
        elif self.user is not None:
            audit.record("logout", actor=self.user, object_type="user", object_id=self.user.id)
        if self.sid:
            sessions.end_sid(self.sid)
