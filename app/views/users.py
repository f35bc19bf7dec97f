"""FAB's user admin with every account and role change written to the audit log, in the same
transaction as the change."""
from __future__ import annotations

from flask import abort, flash, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.const import PERMISSION_PREFIX
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError
from wtforms.validators import DataRequired

from app.commands.accounts.activation import CheckUserDeletableCommand, SetAccountActiveCommand
from app.commands.errors import CommandError
from app.daos import accounts
from app.services import audit
from app.views import labels
from app.views.answers import answer
from app.views.security_views import roles_field


def _role_names(user) -> str:
    return ",".join(sorted(r.name for r in user.roles))


def _stored_role_names(user_id: int) -> str:
    return ",".join(sorted(accounts.stored_role_names(user_id)))


def roles_required(form, field):
    """FAB's check reads a `groups` field these forms do not have (a KeyError, a 500, when no role is chosen)."""
    if not field.data:
        raise ValidationError(_l("Choose at least one role"))


# The navbar's 用户信息 (FAB's userinfo) for roles without user-admin rights: their own account page,
# the first one their role may read (FAB's own page answers 403 to every non-admin).
OWN_ACCOUNT_PAGES = (("PersonProfile", "PersonProfileView.edit"), ("UnitProfile", "UnitProfileView.edit"),
                     ("BackendProfile", "BackendProfileView.show"))


class AuditedUserDBModelView(UserDBModelView):
    # a Chinese name is kept whole in first_name (labelled 姓名); last_name stays empty
    list_columns = ["first_name", "username", "email", "active", "roles"]
    edit_columns = ["first_name", "username", "active", "email", "roles"]
    add_columns = ["first_name", "username", "active", "email", "roles", "password", "conf_password"]
    label_columns = dict(UserDBModelView.label_columns, first_name=_l("Full name"))
    validators_columns = {"roles": [roles_required]}

    formatters_columns = {"active": labels.yes_no, "roles": labels.role_list, "groups": labels.role_list}
    search_columns = ["first_name", "username", "email", "active"]

    add_form_extra_fields = dict(UserDBModelView.add_form_extra_fields,
                                 roles=roles_field(_l("Role"), [DataRequired(message=_l("Choose at least one role"))]))
    edit_form_extra_fields = {"roles": roles_field(_l("Role"), [DataRequired(message=_l("Choose at least one role"))])}

    @expose("/userinfo/")
    def userinfo(self):
        user = getattr(g, "user", None)
        if user is None or not user.is_authenticated:
            return redirect(url_for(self.appbuilder.sm.auth_view.endpoint + ".login"))
        sm = self.appbuilder.sm
        if sm.has_access(PERMISSION_PREFIX + "userinfo", self.class_permission_name):
            return super().userinfo()  # Admin: FAB's page (still behind its own permission check)
        for resource, endpoint in OWN_ACCOUNT_PAGES:
            if sm.has_access(PERMISSION_PREFIX + "read", resource):
                return redirect(url_for(endpoint))
        return redirect(url_for("PasswordView.change"))

    userinfo._permission_name = "userinfo"  # FAB still creates can_userinfo (held by Admin only)

    def pre_add(self, item):
        super().pre_add(item)
        item.last_name = item.last_name or ""
        audit.record("user_created", object_type="user", object_id=item.username, to_state=_role_names(item))

    def pre_update(self, item):
        super().pre_update(item)
        before, after = _stored_role_names(item.id), _role_names(item)
        if before != after:
            audit.record("roles_changed", object_type="user", object_id=item.id, from_state=before, to_state=after)
        else:
            audit.record("user_updated", object_type="user", object_id=item.id)

    def pre_delete(self, item):
        """Accounts with history are deactivated, never deleted; FAB flashes the refusal (the check alone,
        inside FAB's own delete transaction)."""
        super().pre_delete(item)
        CheckUserDeletableCommand(item.id).validate()
        audit.record("user_deleted", object_type="user", object_id=item.id, from_state=_role_names(item))

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        """FAB's user page offers only 重置密码; add 停用 or 启用, whichever applies."""
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        names = ["resetpasswords", "deactivate" if item.active else "activate"]
        widgets = self._get_show_widget(pk, item, actions={n: self.actions[n] for n in names})
        self.update_redirect()
        return self.render_template(self.show_template, pk=pk, title=self.show_title, widgets=widgets,
                                    appbuilder=self.appbuilder, related_views=self._related_views)

    @action("deactivate", _l("Deactivate"), _l("Deactivate the selected accounts?"), "fa-ban")
    def deactivate(self, items):
        return self._set_active(items, active=False)

    @action("activate", _l("Activate"), _l("Activate the selected accounts?"), "fa-check")
    def activate(self, items):
        return self._set_active(items, active=True)

    def _set_active(self, items, active: bool):
        items = items if isinstance(items, list) else [items]
        changed = 0
        for item in items:
            if item is None:
                continue
            username = item.username  # read before the command, whose refusal expires the row
            try:
                changed += SetAccountActiveCommand(g.user, item.id, active).run()
            except CommandError as err:
                err.message = f"{username}: {err.message}"  # which of the selected accounts
                answer(err)
        if changed:
            flash(_("Accounts activated: %(n)d", n=changed) if active
                  else _("Accounts deactivated: %(n)d", n=changed), "success")
        self.update_redirect()
        return redirect(self.get_redirect())

