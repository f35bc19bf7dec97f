"""Password policy shared by registration, change and recovery (and FAB's own forms)."""
from __future__ import annotations

from flask import current_app
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext as _

from app.security import validators

_REASONS = {
    "length": lambda n: _("The password must have at least %(n)d characters", n=n),
    "mix": lambda n: _("The password must contain both letters and digits"),
    "common": lambda n: _("This password is too common or easy to guess; choose another"),
}


def password_problem(password: str, *user_inputs: str) -> str | None:
    """Why a password is refused, in the current language, or None."""
    reason = validators.password_reason(password, user_inputs=user_inputs,
                                        min_length=current_app.config["PASSWORD_MIN_LENGTH"])
    if reason is None:
        return None
    return _REASONS[reason](current_app.config["PASSWORD_MIN_LENGTH"])


def fab_password_validator(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise PasswordComplexityValidationError(problem)
