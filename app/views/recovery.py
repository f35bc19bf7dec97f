"""找回用户名或密码 (A7). Filled in by the recovery work."""
from __future__ import annotations

from flask_appbuilder import BaseView, expose


class RecoveryView(BaseView):
    route_base = "/recover"
    default_view = "password"

    @expose("/password", methods=["GET", "POST"])
    def password(self):
        return "TODO", 501

    @expose("/username", methods=["GET", "POST"])
    def username(self):
        return "TODO", 501
