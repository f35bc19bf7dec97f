"""The app's FAB security manager: our login rules on every route, sessions that really end."""
from __future__ import annotations

from flask import g, has_app_context, has_request_context, session
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import assoc_permissionview_role
from sqlalchemy import select

from app.commands.accounts.authenticate import AuthenticateCommand
from app.commands.accounts.password import AdminResetPasswordCommand
from app.commands.errors import NotFound
from app.security import sessions
from app.views.answers import raise_http


class AppSecurityManager(SecurityManager):
    from app.api.security import SecurityApi as security_api  # noqa: N813  (FAB's attribute name)
    from app.views.auth import LoginView as authdbview  # noqa: N813  (FAB's attribute name)

    from app.views.users import AuditedUserDBModelView as userdbmodelview  # noqa: N813
    from app.views.security_views import (PermissionModelView as permissionmodelview,  # noqa: N813
                                          PermissionViewModelView as permissionviewmodelview,
                                          RoleModelView as rolemodelview, UserGroupModelView as groupmodelview,
                                          ViewMenuModelView as viewmenumodelview)

    userstatschartview = None  # FAB's chart answers 500 to an unknown grouping; nothing needs it

    def auth_user_db(self, username, password):
        """Called by the login page and by FAB's REST API login alike."""
        outcome = AuthenticateCommand(username, password).run()
        if has_request_context():
            g.login_outcome = outcome
        return outcome.user

    def create_limiter(self, app):
        from app.security import ratelimit  # noqa: F401  (registers the appdb:// storage)

        return super().create_limiter(app)

    def create_jwt_manager(self, app):
        from app.api.security import register_token_rules

        jwt_manager = super().create_jwt_manager(app)
        register_token_rules(jwt_manager)
        return jwt_manager

    def reset_password(self, userid, password):
        """FAB's password pages (Admin resetting an account's, or their own): like 修改密码, every
        session and API token of that account ends; the admin's own browser gets a fresh one."""
        try:
            user = AdminResetPasswordCommand(userid, password).run()
        except NotFound as err:
            raise_http(err)
        current = g.get("user") if has_request_context() else None
        if current is not None and getattr(current, "id", None) == user.id:
            sessions.renew(user)

    def exist_permission_on_roles(self, view_name, permission_name, role_ids):
        """FAB asks the database once per menu item and button; we load the roles' permissions once
        per request and answer from memory (a page went from 29 SQL statements to a handful)."""
        cache = g.setdefault("_role_permissions", {}) if has_app_context() else {}
        key = tuple(sorted(role_ids))
        permissions = cache.get(key)
        if permissions is None:
            pv, perm, view = self.permissionview_model, self.permission_model, self.viewmenu_model
            rows = self.session.execute(
                select(perm.name, view.name)
                .select_from(pv)
                .join(perm, pv.permission_id == perm.id)
                .join(view, pv.view_menu_id == view.id)
                .join(assoc_permissionview_role, assoc_permissionview_role.c.permission_view_id == pv.id)
                .where(assoc_permissionview_role.c.role_id.in_(role_ids))
            ).all()
            permissions = cache[key] = {(p, v) for p, v in rows}
        return (permission_name, view_name) in permissions

    def get_public_role(self):
        """Asked for every menu item of an anonymous page; once per request is enough."""
        if not has_app_context():
            return super().get_public_role()
        if "_public_role" not in g:
            g._public_role = super().get_public_role()
        return g._public_role

    def load_user(self, pk):
        """Session-cookie logins count only while their server-side session is live."""
        user = super().load_user(pk)
        if user is None:
            return None
        if has_request_context() and "_user_id" in session and not sessions.is_live(user.id):
            return None
        return user
