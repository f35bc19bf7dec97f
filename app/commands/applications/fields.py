"""Every wrong field of a form at once: the commands collect one message per field and refuse with one
`Invalid` whose `field`/`message` are the first and whose `details` list all (field, message) pairs, so the
page shows each message beside its own field."""
from __future__ import annotations

from app.commands.errors import CommandError, Invalid


def invalid(errors: dict[str, str]) -> Invalid:
    """The refusal for `errors` ({field: message}, not empty)."""
    field, message = next(iter(errors.items()))
    return Invalid(message, field or None, details=[(name, str(text)) for name, text in errors.items()])


class FieldErrors:
    """Collects one message per field. `check` runs one rule (which raises a CommandError naming its field)
    and returns its value, or None when it failed."""

    def __init__(self):
        self.errors: dict[str, str] = {}

    def check(self, rule, *args, **kwargs):
        try:
            return rule(*args, **kwargs)
        except CommandError as err:
            self.errors.setdefault(err.field or "", err.message)
            return None

    def add(self, message, field: str) -> None:
        self.errors.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise invalid(self.errors)
