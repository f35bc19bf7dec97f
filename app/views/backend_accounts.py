"""Admin: backend accounts of bureaus and committees with what they are bound to (SPEC §1)."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.commands.accounts.backend import CreateBackendAccountCommand
from app.commands.errors import CommandError
from app.daos import catalog_choices
from app.models.accounts import BackendBinding
from app.security import roles
from app.views import labels
from app.views.answers import answer
from app.views.forms import FlaskForm, required


def _coerce_id(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class BackendAccountForm(FlaskForm):
    username = StringField(_l("Login name"), validators=[required(), Length(max=32)])
    real_name = StringField(_l("Full name"), validators=[required(), Length(max=64)])
    email = StringField(_l("E-mail"), validators=[required(), Length(max=320)])
    role = SelectField(_l("Role"), choices=[SelectChoice(roles.BUREAU, _l("HR Bureau")),
                                               SelectChoice(roles.COMMITTEE, _l("Review Committee"))])
    region_id = SelectField(_l("Region"), coerce=_coerce_id, validate_choice=False)
    committee_id = SelectField(_l("Review committee"), coerce=_coerce_id, validate_choice=False,
                               validators=[Optional()])
    password = PasswordField(_l("Password"), validators=[required(), Length(max=128)])
    confirm = PasswordField(_l("Password again"), validators=[required(), Length(max=128)])


class BackendAccountView(ModelView):
    route_base = "/admin/backend-accounts"
    datamodel = SQLAInterface(BackendBinding)
    class_permission_name = "BackendAccount"
    method_permission_name = {"list": "read", "show": "read", "edit": "write", "create": "write"}
    base_permissions = ["can_read", "can_write"]
    list_title = _l("Backend accounts")
    show_title = _l("Backend account")
    edit_title = _l("Edit backend account")
    list_columns = ["user.username", "user.first_name", "user.roles", "region", "committee"]
    show_columns = list_columns
    edit_columns = ["region", "committee"]
    search_columns = ["region", "committee"]
    label_columns = {"user.username": _l("Login name"), "user.first_name": _l("Full name"),
                     "user.roles": _l("Role"), "region": _l("Region"), "committee": _l("Review committee")}
    formatters_columns = {"user.roles": labels.role_list}
    page_size = 50

    @expose("/create", methods=["GET", "POST"])
    @has_access
    def create(self):
        form = BackendAccountForm()
        form.region_id.choices = [SelectChoice(r.id, r.full_name) for r in catalog_choices.all_regions()]
        form.committee_id.choices = [SelectChoice("", "—")] + [SelectChoice(c.id, c.name)
                                                               for c in catalog_choices.all_committees()]
        if form.validate_on_submit():
            try:
                CreateBackendAccountCommand(username=form.username.data, real_name=form.real_name.data,
                                            email=form.email.data, role=form.role.data,
                                            region_id=form.region_id.data, committee_id=form.committee_id.data,
                                            password=form.password.data, confirm=form.confirm.data).run()
            except CommandError as err:
                answer(err, form)
            else:
                flash(_("The backend account has been created"), "success")
                return redirect(url_for("BackendAccountView.list"))
        return self.render_template("account/backend_create.html", form=form, title=_("New backend account"))
