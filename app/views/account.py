"""Account pages of every signed-in role: basic information, password, messages."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, ModelView, expose, has_access
from flask_appbuilder.models.sqla.filters import FilterEqualFunction
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from app.clock import format_local
from app.commands.accounts.messages import MarkMessageReadCommand
from app.commands.accounts.password import ChangePasswordCommand
from app.commands.accounts.profile import UpdatePersonProfileCommand, UpdateUnitProfileCommand
from app.commands.errors import CommandError
from app.daos import accounts
from app.daos.actors import person_of, unit_of
from app.models.notify import Notification
from app.security import sessions
from app.security.profile_rules import profile_errors
from app.security.validators import ETHNIC_GROUPS
from app.views import labels
from app.views.acting import or_home
from app.views.answers import answer
from app.views.forms import FlaskForm, required


def _current_user_id():
    return g.user.id


class PasswordForm(FlaskForm):
    old_password = PasswordField(_l("Old password"), validators=[required()])
    new_password = PasswordField(_l("New password"), validators=[required(), Length(max=128)])
    confirm = PasswordField(_l("New password again"), validators=[required(), Length(max=128)])


class PasswordView(BaseView):
    route_base = "/account/password"
    class_permission_name = "Password"
    method_permission_name = {"change": "write"}
    default_view = "change"

    @expose("/", methods=["GET", "POST"])
    @has_access
    def change(self):
        form = PasswordForm()
        if form.validate_on_submit():
            try:
                ChangePasswordCommand(g.user, form.old_password.data, form.new_password.data,
                                      form.confirm.data).run()
            except CommandError as err:
                answer(err, form)
            else:
                sessions.renew(g.user)  # every other session and token of the account has ended
                flash(_("Your password has been changed; you have been signed out everywhere else"), "success")
                return redirect(url_for("PasswordView.change"))
        return self.render_template("account/password.html", form=form, title=_("Change password"))


class PersonProfileForm(FlaskForm):
    """The fields only; their rules are app.security.profile_rules, shared with the API. 民族 offers the
    registration list; a value saved before from outside it shows 请选择 and must be chosen again."""
    ethnicity = SelectField(_l("Ethnicity"), choices=[SelectChoice("", _l("Please choose"))]
                            + [SelectChoice(e) for e in ETHNIC_GROUPS], validate_choice=False)
    email = StringField(_l("E-mail"))
    mobile = StringField(_l("Mobile"))
    phone = StringField(_l("Telephone"))
    wechat = StringField(_l("WeChat"))


class UnitProfileForm(FlaskForm):
    contact_name = StringField(_l("Contact person"))
    mobile = StringField(_l("Mobile"))
    email = StringField(_l("E-mail"))
    phone = StringField(_l("Telephone"))


class _ProfileView(BaseView):
    """Shows the fixed fields read-only and the editable ones in a form."""

    method_permission_name = {"edit": "write"}
    default_view = "edit"
    find = None  # the signed-in account's profile row, or None
    form_class = None
    command = None
    kind = ""  # the rules of app.security.profile_rules
    template = ""

    @expose("/", methods=["GET", "POST"])
    @has_access
    def edit(self):
        profile = or_home(self.find(g.user), _("This account has no such profile"))
        form = self.form_class(obj=profile)
        if request.method == "GET":
            form.email.data = g.user.email
        if form.validate_on_submit():
            data = {k: v for k, v in request.form.items() if k != "csrf_token"}
            errors = profile_errors(self.kind, data)  # the same rules as the API
            for name, message in errors.items():
                getattr(form, name).errors.append(str(message))
            if not errors:
                try:
                    self.command(g.user, data).run()
                except CommandError as err:
                    answer(err, form)
                else:
                    flash(_("Your basic information has been saved"), "success")
                    return redirect(url_for(f"{type(self).__name__}.edit"))
        return self.render_template(self.template, form=form, profile=profile, title=_("Basic information"))


class PersonProfileView(_ProfileView):
    route_base = "/account/person"
    class_permission_name = "PersonProfile"
    find, form_class, command, kind = staticmethod(person_of), PersonProfileForm, UpdatePersonProfileCommand, "person"
    template = "account/person_profile.html"


class UnitProfileView(_ProfileView):
    route_base = "/account/unit"
    class_permission_name = "UnitProfile"
    find, form_class, command, kind = staticmethod(unit_of), UnitProfileForm, UpdateUnitProfileCommand, "unit"
    template = "account/unit_profile.html"


class BackendProfileView(BaseView):
    """Bureau and committee accounts: what the account is bound to (set by Admin)."""

    route_base = "/account/backend"
    class_permission_name = "BackendProfile"
    method_permission_name = {"show": "read"}
    default_view = "show"

    @expose("/")
    @has_access
    def show(self):
        binding = accounts.own_binding(g.user)
        return self.render_template("account/backend_profile.html", binding=binding, title=_("Account"))


class NotificationView(ModelView):
    """消息: a user's own in-app messages only."""

    route_base = "/account/messages"
    datamodel = SQLAInterface(Notification)
    class_permission_name = "Notification"
    method_permission_name = {"list": "read", "show": "read", "mark_read": "write"}
    base_permissions = ["can_read", "can_write"]
    base_filters = [["user_id", FilterEqualFunction, _current_user_id]]
    base_order = ("created_at", "desc")
    list_title = _l("Messages")
    list_template = "account/messages.html"  # with 全部标为已读
    show_title = _l("Message")
    list_columns = ["created_at", "title", "read"]
    show_columns = ["created_at", "title", "body"]
    search_columns = ["title"]
    label_columns = {"created_at": _l("Time"), "title": _l("Title"), "body": _l("Content"),
                     "read": _l("Read")}
    # local time to the minute as on every other page, 是/否 for 已读
    formatters_columns = {"created_at": format_local, "read": labels.yes_no}
    page_size = 20

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        # another user's message is a 404 (the command's row check, beside the list's base filter)
        try:
            MarkMessageReadCommand(g.user, pk).run()
        except CommandError as err:
            answer(err)
            return redirect(url_for(f"{type(self).__name__}.list"))
        return super().show(pk)
