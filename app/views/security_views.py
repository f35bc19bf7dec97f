"""FAB's role, group and permission views showing labels instead of codes: 个人 for
"Individual", 查看 消息 for "can read on Notification". The classes keep FAB's names, so endpoints
and permission resources (RoleModelView, ...) stay what roles.py and the tests know."""
from __future__ import annotations

from flask_appbuilder.fields import QuerySelectMultipleField
from flask_appbuilder.fieldwidgets import Select2ManyWidget
from flask_appbuilder.security import views as fab
from flask_appbuilder.widgets import ListWidget, ShowWidget
from flask_babel import lazy_gettext as _l

from app.daos import accounts
from app.views import labels


def _permissions_field(label):
    return QuerySelectMultipleField(
        label, widget=Select2ManyWidget(), get_pk_func=lambda pv: pv.id, get_label=labels.permission_view,
        query_func=accounts.all_permission_views)


def roles_field(label, validators=()):
    """FAB's role picker with the roles' labels (the stored names stay as they are)."""
    return QuerySelectMultipleField(
        label, widget=Select2ManyWidget(), get_pk_func=lambda role: role.id,
        get_label=lambda role: labels.role(role.name), validators=list(validators),
        query_func=accounts.all_roles)


def _names(items) -> str:
    return "、".join(str(getattr(i, "username", i)) for i in items or [])


class RoleModelView(fab.RoleModelView):
    # FAB's role widgets print raw values and ignore formatters_columns
    list_widget = ListWidget
    show_widget = ShowWidget
    formatters_columns = {"name": labels.role, "permissions": labels.permission_views}
    search_columns = ["name"]
    add_form_extra_fields = {"permissions": _permissions_field(fab.RoleModelView.label_columns["permissions"])}
    edit_form_extra_fields = {"permissions": _permissions_field(fab.RoleModelView.label_columns["permissions"])}


class UserGroupModelView(fab.UserGroupModelView):
    formatters_columns = {"roles": labels.role_list, "users": _names}
    label_columns = {"name": _l("Name"), "label": _l("Label"), "description": _l("Description"),
                     "users": _l("Users"), "roles": _l("Roles")}
    search_columns = ["name", "label"]
    add_form_extra_fields = {"roles": roles_field(fab.UserModelView.label_columns["roles"])}
    edit_form_extra_fields = {"roles": roles_field(fab.UserModelView.label_columns["roles"])}


class PermissionModelView(fab.PermissionModelView):
    formatters_columns = {"name": labels.permission_name}


class ViewMenuModelView(fab.ViewMenuModelView):
    formatters_columns = {"name": labels.resource}


class PermissionViewModelView(fab.PermissionViewModelView):
    label_columns = dict(fab.PermissionViewModelView.label_columns, role=_l("Roles"))
    formatters_columns = {"permission": lambda p: labels.permission_name(getattr(p, "name", p)),
                          "view_menu": lambda v: labels.resource(getattr(v, "name", v))}
