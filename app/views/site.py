"""Site-wide routes outside FAB's views: the favicon that every browser asks for."""
from __future__ import annotations

from flask import Flask, send_from_directory


def register(app: Flask) -> None:
    @app.route("/favicon.ico")
    def favicon():
        return send_from_directory(app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                                   max_age=86400)
