"""Template filters and globals shared by every page."""
from __future__ import annotations

from flask import Flask

from app.clock import format_local
from app.security.validators import mask_id_number, mask_mobile


def _finalize(value):
    """`{{ value }}` of a missing value prints nothing, not Python's "None" (FAB's list and show pages)."""
    return "" if value is None else value


def register(app: Flask) -> None:
    app.jinja_env.finalize = _finalize
    app.jinja_env.filters["local_time"] = format_local
    app.jinja_env.filters["mask_id"] = mask_id_number
    app.jinja_env.filters["mask_mobile"] = mask_mobile
