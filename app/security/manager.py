"""The app's FAB security manager: our login rules on every route, sessions that really end."""
from __future__ import annotations

from flask import g, has_request_context, session
from flask_appbuilder.security.sqla.manager import SecurityManager

from app.commands.accounts.authenticate import AuthenticateCommand
from app.security import sessions


class AppSecurityManager(SecurityManager):
    from app.views.auth import LoginView as authdbview  # noqa: N813  (FAB's attribute name)

    from app.views.users import AuditedUserDBModelView as userdbmodelview  # noqa: N813

    userstatschartview = None  # FAB's chart answers 500 to an unknown grouping; nothing needs it

    def auth_user_db(self, username, password):
        """Called by the login page and by FAB's REST API login alike (A3, A4)."""
        outcome = AuthenticateCommand(username, password).run()
        if has_request_context():
            g.login_outcome = outcome
        return outcome.user

    def load_user(self, pk):
        """Session-cookie logins count only while their server-side session is live."""
        user = super().load_user(pk)
        if user is None:
            return None
        if has_request_context() and "_user_id" in session and not sessions.is_live(user.id):
            return None
        return user
