"""The start page: anonymous visitors go to the login page, each role sees its own work."""
from __future__ import annotations

from flask import g, redirect, url_for
from flask_appbuilder import IndexView, expose

from app.security.roles import ROLE_LABELS


class HomeIndexView(IndexView):
    index_template = "home.html"

    @expose("/")
    def index(self):
        user = g.user
        if user is None or not user.is_authenticated:
            return redirect(url_for("LoginView.login"))
        roles = [ROLE_LABELS.get(r.name, r.name) for r in user.roles]
        return self.render_template(self.index_template, appbuilder=self.appbuilder, role_labels=roles)
