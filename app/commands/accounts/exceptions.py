"""Typed errors of the account use cases; `field` names the form field the message belongs to."""
from __future__ import annotations


class AccountError(Exception):
    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
