"""消息: a user's own in-app messages; opening one marks it read."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.commands.base import BaseCommand
from app.commands.errors import NotFound
from app.extensions import db
from app.models.notify import Notification


class MarkMessageReadCommand(BaseCommand):
    """Marks the message read; another user's message is not found (the row check of the command, beside
    the list's base filter)."""

    def __init__(self, user, message_id):
        self.user, self.message_id = user, message_id
        self.message: Notification | None = None

    def validate(self) -> None:
        raw = str(self.message_id or "")
        self.message = db.session.execute(
            select(Notification).where(Notification.id == int(raw), Notification.user_id == self.user.id)
        ).scalar_one_or_none() if raw.isdigit() and len(raw) <= 10 else None
        if self.message is None:
            raise NotFound(_l("The message does not exist"))

    def run(self) -> Notification:
        self.validate()
        if not self.message.read:
            self.message.read = True
        return self.message
