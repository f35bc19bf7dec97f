"""What the read-only JSON lists share: a list, a row and `_info`, for the browser's signed-in session
too, newest first. Each API adds its model, its row filter (the DAO rule of its pages) and its columns."""
from __future__ import annotations

from flask_appbuilder.api import ModelRestApi


class ReadOnlyModelApi(ModelRestApi):
    method_permission_name = {"get_list": "get", "get": "get", "info": "info"}
    include_route_methods = {"get", "get_list", "info"}
    allow_browser_login = True
    base_order = ("id", "desc")
