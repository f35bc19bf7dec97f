"""Form base: CSRF from Flask-WTF, Chinese messages through lazy_gettext."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

REQUIRED = _l("This field is required")


def required():
    return DataRequired(message=REQUIRED)


class CaptchaMixin:
    captcha = StringField(_l("Captcha"), validators=[Length(max=8)])


class LoginForm(FlaskForm):
    username = StringField(_l("Login name or ID number"), validators=[required(), Length(max=128)])
    password = PasswordField(_l("Password"), validators=[required(), Length(max=128)])
    captcha = StringField(_l("Captcha"), validators=[Length(max=8)])
