"""Typed errors of the application, catalog, section and unit commands. Views show `message` next to
`field` (or at the top of the form when field is None); nothing is saved when one is raised."""
from __future__ import annotations


class CommandError(Exception):
    def __init__(self, message, field: str | None = None, details: list | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.details = details or []  # e.g. the list of missing sections on 确认申报


class StaleError(CommandError):
    """Someone saved the same record since this form was loaded (optimistic lock, version column)."""


class NotAllowed(CommandError):
    """The action is not allowed in the record's current state or for this user."""


class ChangedMeanwhile(StaleError, NotAllowed):
    """A compare-and-set on `version` matched no row: another worker changed the record first (R6)."""
