"""Form base: CSRF from Flask-WTF, Chinese messages through lazy_gettext, and the field errors a refused
command puts beside the inputs of the applicant's forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.views.answers import field_errors

REQUIRED = _l("This field is required")


def required():
    return DataRequired(message=REQUIRED)


class CaptchaMixin:
    captcha = StringField(_l("Captcha"), validators=[Length(max=8)])


class LoginForm(FlaskForm):
    username = StringField(_l("Login name or ID number"), validators=[required(), Length(max=128)])
    password = PasswordField(_l("Password"), validators=[required(), Length(max=128)])
    captcha = StringField(_l("Captcha"), validators=[Length(max=8)])


def form_errors(err) -> tuple[dict[str, str], str | None]:
    """What the applicant's forms print for a refused command: ({field: message} of every wrong field, the
    message for the top of the form or None). NotFound and Forbidden end the request here (404, 403), as
    everywhere (app/views/answers.field_errors); an Invalid listing several fields (`details`) marks each."""
    errors, top = field_errors(err)
    messages = {field: " ".join(texts) for field, texts in errors.items()}
    for field, message in err.details or []:
        if field:
            messages.setdefault(field, str(message))
    return messages, (None if messages else top)
