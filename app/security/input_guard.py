"""Refuse NUL characters in any submitted value: PostgreSQL cannot store them, and no field needs them."""
from __future__ import annotations

from flask import Flask, abort, request


def register(app: Flask) -> None:
    @app.before_request
    def refuse_nul_bytes():
        for values in (request.args, request.form):
            for value in values.values():
                if "\x00" in value:
                    abort(400)
