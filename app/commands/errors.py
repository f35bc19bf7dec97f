"""The one error tree of every command. A command raises one of these; nothing it did is kept (the
transaction helper in app/commands/base.py rolls back), and app/views/answers.py turns it into the
page's answer: the message next to `field` (or at the top of the form when field is None), a 404 or a 403.

    CommandError            anything a command refuses
    ├── Invalid(field)      bad input: shown next to the field, the form is shown again
    ├── NotFound            no such row, or not this user's to see: 404
    ├── NotAllowed          the action is not allowed in the row's state or for this user: a message
    │   └── Forbidden       the user may never do this at all: 403
    └── Stale               someone saved the row since the form was loaded (version column)
        └── ChangedMeanwhile   a compare-and-set matched no row (app/commands/cas.py); also NotAllowed
"""
from __future__ import annotations


class CommandError(Exception):
    http_status = 400

    def __init__(self, message, field: str | None = None, details: list | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.details = details or []  # e.g. the list of missing sections on 确认申报


class Invalid(CommandError):
    """Bad input; `field` names the form field the message belongs to."""


class NotFound(CommandError):
    """The row does not exist or is not this user's to see; views answer 404."""
    http_status = 404


class NotAllowed(CommandError):
    """The action is not allowed in the record's current state or for this user."""
    http_status = 409


class Forbidden(NotAllowed):
    """The user's role may never do this; views answer 403."""
    http_status = 403


class Stale(CommandError):
    """Someone saved the same record since this form was loaded (optimistic lock, version column)."""
    http_status = 409


class ChangedMeanwhile(Stale, NotAllowed):
    """A compare-and-set on `version` matched no row: another worker changed the record first."""
    http_status = 409


# the names older modules import; the same classes
StaleError = Stale
