"""FAB's user admin (A8) with every account and role change written to the audit log (X2),
in the same transaction as the change."""
from __future__ import annotations

from flask import g, redirect, url_for
from flask_appbuilder import expose
from flask_appbuilder.const import PERMISSION_PREFIX
from flask_appbuilder.security.sqla.models import Role, assoc_user_role
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.services import audit


def _role_names(user) -> str:
    return ",".join(sorted(r.name for r in user.roles))


def _stored_role_names(user_id: int) -> str:
    with db.session.no_autoflush:
        names = db.session.execute(
            select(Role.name).join(assoc_user_role, assoc_user_role.c.role_id == Role.id)
            .where(assoc_user_role.c.user_id == user_id)
        ).scalars().all()
    return ",".join(sorted(names))


# The navbar's 用户信息 (FAB's userinfo) for roles without user-admin rights: their own account page,
# the first one their role may read (issue: FAB's page answered 403 to every non-admin).
OWN_ACCOUNT_PAGES = (("PersonProfile", "PersonProfileView.edit"), ("UnitProfile", "UnitProfileView.edit"),
                     ("BackendProfile", "BackendProfileView.show"))


class AuditedUserDBModelView(UserDBModelView):
    # a Chinese name is kept whole in first_name (labelled 姓名); last_name stays empty
    list_columns = ["first_name", "username", "email", "active", "roles"]
    edit_columns = ["first_name", "username", "active", "email", "roles"]
    add_columns = ["first_name", "username", "active", "email", "roles", "password", "conf_password"]
    label_columns = dict(UserDBModelView.label_columns, first_name=_l("Full name"))

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
        super().pre_delete(item)
        audit.record("user_deleted", object_type="user", object_id=item.id, from_state=_role_names(item))
