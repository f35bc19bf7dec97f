"""Self-registration of individuals and units: form → confirmation page → account.

The confirmation page re-posts what was entered as hidden fields with confirm=1; the command
checks everything again before it creates the account.
"""
from __future__ import annotations

from flask import flash, make_response, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from app.commands.accounts.register import (ID_TYPE_LABELS, MAX_LENGTHS, RegisterIndividualCommand,
                                            RegisterUnitCommand, region_by_id)
from app.commands.errors import CommandError
from app.daos import catalog_choices
from app.models.catalog import Region
from app.security import captcha, ratelimit
from app.security.validators import ETHNIC_GROUPS
from app.views.answers import answer
from app.views.forms import CaptchaMixin, FlaskForm, required

_CAPTCHA_PASS = "register"  # the form page's solved captcha lets the confirmation through, once


def _text(label, name: str):
    return StringField(label, validators=[required(), Length(max=MAX_LENGTHS[name])])


def _password(label):
    return PasswordField(label, validators=[required(), Length(max=MAX_LENGTHS["password"])])


class IndividualForm(CaptchaMixin, FlaskForm):
    real_name = _text(_l("Real name"), "real_name")
    id_type = SelectField(_l("ID type"), choices=[SelectChoice(k, v) for k, v in ID_TYPE_LABELS.items()],
                          validate_choice=False, validators=[required()])
    id_number = _text(_l("ID number"), "id_number")
    username = _text(_l("Login name"), "username")
    password = _password(_l("Password"))
    confirm_password = _password(_l("Password again"))
    mobile = _text(_l("Mobile"), "mobile")
    email = _text(_l("E-mail"), "email")
    ethnicity = SelectField(_l("Ethnicity"), choices=[SelectChoice(e) for e in ETHNIC_GROUPS], validate_choice=False,
                            validators=[required()])


class UnitForm(CaptchaMixin, FlaskForm):
    name = _text(_l("Unit name"), "name")
    region_id = HiddenField(_l("Region"), validators=[required()])
    contact_name = _text(_l("Contact person"), "contact_name")
    mobile = _text(_l("Mobile"), "mobile")
    email = _text(_l("E-mail"), "email")
    username = _text(_l("Login name"), "username")
    password = _password(_l("Password"))
    confirm_password = _password(_l("Password again"))


def _region_options(region_id) -> dict:
    """Options of the three cascade selects, with the chosen region's ancestors selected."""
    chain: list[Region] = []
    region = region_by_id(region_id)
    while region is not None and len(chain) < 3:
        chain.insert(0, region)
        region = region.parent

    levels = [catalog_choices.region_children(None)]
    for node in chain[:2]:
        levels.append(catalog_choices.region_children(node.id))
    levels += [[]] * (3 - len(levels))
    selected = [node.id for node in chain] + [None] * (3 - len(chain))
    # a chosen city without districts: the district select is empty on purpose
    return {"levels": levels, "selected": selected, "city_has_no_districts": len(chain) >= 2 and not levels[2]}


class RegisterView(BaseView):
    route_base = "/register"
    default_view = "individual"

    @expose("/individual", methods=["GET", "POST"])
    def individual(self):
        return self._register(IndividualForm(), RegisterIndividualCommand, "register/individual.html",
                              _("Individual registration"),
                              _("Registration complete; sign in with your login name or ID number"))

    @expose("/unit", methods=["GET", "POST"])
    def unit(self):
        return self._register(UnitForm(), RegisterUnitCommand, "register/unit.html", _("Unit registration"),
                              _("Registration complete; sign in with your login name"))

    def _register(self, form, command_class, template, title, done_message):
        if request.method != "POST" or request.form.get("back"):
            return self._page(template, title, form)
        form_ok = form.validate()
        if "csrf_token" in form.errors:  # only when the app-wide CSRFProtect is off
            return self._page(template, title, form, status=400, form_error=_(
                "The form has expired or was not sent from this site; please reload it and try again"))
        if not ratelimit.allowed("register_per_address", ratelimit.address()):
            return self._page(template, title, form, status=429, form_error=_(
                "Too many registrations from this address; please wait a while before trying again"))
        # the captcha comes before any look-up, so whether a name, ID number or e-mail is taken
        # cannot be asked without solving one; the confirmation re-post uses up the form's pass
        confirming = request.form.get("confirm") == "1"
        passed = captcha.use_pass(_CAPTCHA_PASS) if confirming else captcha.check(form.captcha.data)
        if not passed and captcha.enabled():
            form.captcha.errors = list(form.captcha.errors) + [_("The captcha is wrong; please enter the new one")]
            return self._page(template, title, form)
        command = command_class({name: field.data for name, field in form._fields.items()})
        problems = command.problems()
        self._show(form, problems)
        if not form_ok or problems:
            return self._page(template, title, form)
        if not confirming:
            captcha.grant_pass(_CAPTCHA_PASS)
            return self._page(template, title, form, confirming=True, command=command)
        try:
            command.run()
        except CommandError as err:
            self._show(form, err.details or [err])
            return self._page(template, title, form)
        flash(done_message, "success")
        return redirect(url_for("LoginView.login"))

    @staticmethod
    def _show(form, errors) -> None:
        """Put each refusal beside its field, unless the form already found one there."""
        for err in errors:
            field = form._fields.get(err.field or "")
            if field is None or not field.errors:
                answer(err, form)

    def _page(self, template, title, form, *, status=200, confirming=False, command=None, form_error=None):
        regions = _region_options(form.region_id.data) if isinstance(form, UnitForm) else None
        body = self.render_template(template, title=title, form=form, confirming=confirming, command=command,
                                    form_error=form_error, regions=regions, id_types=ID_TYPE_LABELS,
                                    captcha_enabled=captcha.enabled())
        response = make_response(body, status)
        response.headers["Cache-Control"] = "no-store"  # the confirmation page holds the password
        return response
