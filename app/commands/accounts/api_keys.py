"""API keys for integrations (`flask create-api-key`): password login through the API is off, so an
integration acts as an account through a key. The key is shown once; only its hash is kept."""
from __future__ import annotations

from flask import current_app

from app.commands.base import BaseCommand
from app.commands.errors import Invalid
from app.services import audit


class CreateApiKeyCommand(BaseCommand):
    def __init__(self, username: str, name: str):
        self.username, self.name = username, name
        self.user = None

    def validate(self) -> None:
        self.user = current_app.appbuilder.sm.find_user(username=self.username)
        if self.user is None or not self.user.is_active:
            raise Invalid(f"no active account {self.username}", "username")

    def run(self) -> dict:
        """FAB's create_api_key commits by itself; the audit row is added first, so it is saved with the key."""
        self.validate()
        audit.record("api_key_created", actor=None, object_type="user", object_id=self.user.id, opinion=self.name)
        created = current_app.appbuilder.sm.create_api_key(self.user, self.name)
        if created is None:  # FAB logged the database error and rolled back, the audit row with it
            raise Invalid(f"the API key for {self.username} could not be saved", "name")
        return created
