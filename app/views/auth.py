"""Login, logout and the captcha image. Logout is a POST with the CSRF token, so a link
or an image on another page cannot sign anyone out."""
from __future__ import annotations

from flask import Response, abort, flash, g, redirect, request, session, url_for
from flask_appbuilder import expose
from flask_appbuilder.baseviews import BaseView
from flask_appbuilder.security.views import AuthDBView
from flask_appbuilder.utils.base import get_safe_redirect
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from app.clock import format_local
from app.commands.accounts.signout import SignOutCommand
from app.security import captcha, ratelimit, sessions
from app.views.forms import LoginForm


class LoginView(AuthDBView):
    login_template = "security/login.html"

    @expose("/login/", methods=["GET", "POST"])
    def login(self):
        if g.user is not None and g.user.is_authenticated:
            return redirect(self.appbuilder.get_url_for_index)
        if session.pop("timed_out", None):
            flash(_("You were signed out after a period of inactivity; please sign in again"), "info")
        form = LoginForm()
        form_error, status = None, 200
        if form.validate_on_submit():
            if not ratelimit.allowed("login_per_address", ratelimit.address()):
                form_error, status = _("Too many sign-in attempts from this address; please wait a few minutes"), 429
            elif not captcha.check(form.captcha.data):
                form.captcha.errors.append(_("The captcha is wrong; please enter the new one"))
            else:
                user = self.appbuilder.sm.auth_user_db(form.username.data, form.password.data)
                outcome = g.login_outcome
                if user:
                    sessions.start(user)
                    login_user(user, remember=False)
                    return redirect(get_safe_redirect(request.args.get("next", "")) or "/")
                if outcome.locked_until:
                    form_error = _("The account is locked after too many wrong passwords until %(time)s",
                                   time=format_local(outcome.locked_until))
                else:
                    form_error = _("Wrong login name or password")
        return self.render_template(self.login_template, title=_("Sign in"), form=form,
                                    form_error=form_error, captcha_enabled=captcha.enabled(),
                                    appbuilder=self.appbuilder), status

    @expose("/logout/", methods=["POST"])
    def logout(self):
        user = g.user if g.user is not None and g.user.is_authenticated else None
        SignOutCommand(user, session.pop("sid", None)).run()
        logout_user()
        locale = session.get("locale")
        session.clear()
        if locale:
            session["locale"] = locale
        return redirect(url_for("LoginView.login"))


class CaptchaView(BaseView):
    route_base = "/captcha"
    default_view = "image"

    @expose("/image.png")
    def image(self):
        if not ratelimit.allowed("captcha_per_address", ratelimit.address()):
            abort(429)
        return Response(captcha.new_image(), mimetype="image/png",
                        headers={"Cache-Control": "no-store"})
