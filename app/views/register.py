"""Self-registration of individuals (A1) and units (A2). Filled in by the registration work."""
from __future__ import annotations

from flask_appbuilder import BaseView, expose


class RegisterView(BaseView):
    route_base = "/register"
    default_view = "individual"

    @expose("/individual", methods=["GET", "POST"])
    def individual(self):
        return "TODO", 501

    @expose("/unit", methods=["GET", "POST"])
    def unit(self):
        return "TODO", 501
