"""找回用户名或密码: request a code, reset the password with it, look up a login name."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import current_app, flash, redirect, session, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from app.commands.accounts.recovery import (FindLoginNameCommand, RequestRecoveryCodeCommand,
                                            ResetPasswordCommand)
from app.commands.errors import CommandError
from app.security import captcha, ratelimit
from app.views.answers import field_errors
from app.views.forms import CaptchaMixin, FlaskForm, required

_SESSION_KEY = "recovery_login"


def _limited(form, field: str, *checks: tuple[str, str]) -> bool:
    """Count this try against each (limit, key); when over one, say so at the field."""
    if ratelimit.allowed_all(*checks):
        return False
    message = _("Too many tries; please wait a while before trying again")
    target = getattr(form, field)
    target.errors = list(target.errors) + [message]
    return True


class RequestCodeForm(CaptchaMixin, FlaskForm):
    username = StringField(_l("Login name"), validators=[required(), Length(max=128)])
    # the choice is checked by the command, so a forged value gets our message, not WTForms'
    channel = RadioField(_l("Send the code by"),
                         choices=[SelectChoice("sms", _l("SMS")), SelectChoice("email", _l("E-mail"))],
                         default="sms", validate_choice=False)


class ResetPasswordForm(FlaskForm):
    code = StringField(_l("Verification code"), validators=[required(), Length(max=16)])
    new_password = PasswordField(_l("New password"), validators=[required(), Length(max=128)])
    confirm = PasswordField(_l("New password again"), validators=[required(), Length(max=128)])


class FindLoginNameForm(CaptchaMixin, FlaskForm):
    real_name = StringField(_l("Real name"), validators=[required(), Length(max=64)])
    id_number = StringField(_l("ID number"), validators=[required(), Length(max=32)])


@dataclass
class _Outcome:
    """What became of one try: whether the command ran, what it gave, the form's own message, the status."""

    done: bool = False
    value: object = None
    form_error: str | None = None
    status: int = 200


def _attempt(form, field: str, limit: str, run: Callable[[], object], *, key: str | None = None,
             with_captcha: bool = True) -> _Outcome:
    """On a valid POST of `form`: count the try per address and under `limit` per `key` (the text typed into
    `field` unless given; over either: 429, said at `field`), then check the captcha, then `run()` the
    command; a refusal stands beside its field."""
    if not form.validate_on_submit():
        return _Outcome()
    key = getattr(form, field).data.strip() if key is None else key
    if _limited(form, field, ("recovery_per_address", ratelimit.address()), (limit, key)):
        return _Outcome(status=429)
    if with_captcha and not captcha.check(form.captcha.data):
        form.captcha.errors = list(form.captcha.errors) + [_("The captcha is wrong; please enter the new one")]
        return _Outcome()
    try:
        return _Outcome(done=True, value=run())
    except CommandError as err:
        return _Outcome(form_error=_show_error(form, err))


def _show_error(form, err: CommandError) -> str | None:
    """Put the message beside its field; return it when it belongs to the whole form (shown in the form's
    own error box, not flashed, so it stays next to what was typed)."""
    errors, form_error = field_errors(err)
    for name, messages in errors.items():
        field = form._fields.get(name)
        if field is None:
            return messages[0]
        field.errors = list(field.errors) + messages
    return form_error


class RecoveryView(BaseView):
    route_base = "/recover"
    default_view = "password"

    def _render(self, template: str, **context):
        return self.render_template(template, captcha_enabled=captcha.enabled(), **context)

    @expose("/password", methods=["GET", "POST"])
    def password(self):
        form = RequestCodeForm()
        # limited per login name typed, known or not, so the limit tells nothing
        outcome = _attempt(form, "username", "recovery_code_per_account",
                           lambda: RequestRecoveryCodeCommand(form.username.data, form.channel.data).run())
        if outcome.done:
            session[_SESSION_KEY] = form.username.data.strip()
            minutes = current_app.config["RECOVERY_CODE_MINUTES"]
            if form.channel.data == "sms":
                flash(_("If the account exists, a code has been sent by SMS to the mobile bound to it; "
                        "it is valid for %(n)d minutes", n=minutes), "info")
            else:
                flash(_("If the account exists, a code has been sent to the e-mail address bound to it; "
                        "it is valid for %(n)d minutes", n=minutes), "info")
            return redirect(url_for("RecoveryView.reset"))
        return self._render("recovery/request.html", form=form, form_error=outcome.form_error,
                            title=_("Forgot password")), outcome.status

    @expose("/password/reset", methods=["GET", "POST"])
    def reset(self):
        login_name = session.get(_SESSION_KEY)
        if not login_name:
            flash(_("Enter your login name first to receive a code"), "info")
            return redirect(url_for("RecoveryView.password"))
        form = ResetPasswordForm()
        # the code is the proof here: no captcha
        outcome = _attempt(form, "code", "recovery_reset_per_account",
                           lambda: ResetPasswordCommand(login_name, form.code.data, form.new_password.data,
                                                        form.confirm.data).run(), key=login_name, with_captcha=False)
        if outcome.done:
            session.pop(_SESSION_KEY, None)
            flash(_("Your password has been reset; please sign in with the new password"), "success")
            return redirect(url_for("LoginView.login"))
        return self._render("recovery/reset.html", form=form, form_error=outcome.form_error, login_name=login_name,
                            title=_("Reset password")), outcome.status

    @expose("/username", methods=["GET", "POST"])
    def username(self):
        form = FindLoginNameForm()
        outcome = _attempt(form, "id_number", "recovery_lookup_per_id_number",
                           lambda: FindLoginNameCommand(form.real_name.data, form.id_number.data).run())
        if outcome.done:
            return self._render("recovery/username_found.html", masked=outcome.value, title=_("Forgot login name"))
        return self._render("recovery/username.html", form=form, form_error=outcome.form_error,
                            title=_("Forgot login name")), outcome.status
