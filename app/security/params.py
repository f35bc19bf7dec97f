"""Ids and numbers from the URL, the query string and forms are bounded to the database's integer
range (PostgreSQL `integer`, the narrower of our two databases), so a huge or garbage value is a 404 or a
400 page in Chinese instead of an overflow (a 500). Three places, at the root rather than per view:

- the `int` URL converter matches 0 … 2**31-1 only (a larger id is a 404, like an id that does not exist);
- `request.args.get(name, type=int)` / `request.form.get(...)` give the default for a value out of range;
- before each request, FAB's own parameters are checked: `<pk>` in a URL, the list page arguments
  (page_*, psize_*, _od_*, _flt_*), the REST API's `q=(page:…, page_size:…)` and the action names of
  `action` / `action_post`; a bad one is answered 404 (no such row, no such action) or 400."""
from __future__ import annotations

import re

import prison
from flask import Flask, Request, abort, current_app, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter


DB_INT_MAX = 2**31 - 1  # PostgreSQL integer; SQLite's 2**63-1 is wider
PAGE_MAX = 100_000      # a list page number or size beyond this is not a real request
_FAB_NUMERIC = re.compile(r"^(page|psize)_")
_FAB_FILTER = re.compile(r"^_flt_(\d+)_")


def bounded_int(value, low: int = 0, high: int = DB_INT_MAX) -> int | None:
    """`value` as an int within [low, high], else None (no exception for garbage)."""
    text = str(value if value is not None else "").strip()
    if not re.fullmatch(r"[+-]?\d{1,12}", text):
        return None
    number = int(text)
    return number if low <= number <= high else None


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` matching only ids the database can hold."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class BoundedArgs(ImmutableMultiDict):
    """request.args / request.form whose `get(..., type=int)` gives the default for an out-of-range value."""

    def get(self, key, default=None, type=None):  # noqa: A002 — the signature of MultiDict.get
        if type is int:
            raw = super().get(key)
            if raw is None:
                return default
            number = bounded_int(raw, low=-DB_INT_MAX)
            return default if number is None else number
        return super().get(key, default=default, type=type)


class BoundedRequest(Request):
    parameter_storage_class = BoundedArgs


def install(app: Flask) -> None:
    """Before any view is registered: the converter and the request class."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = BoundedRequest


def _view_of(endpoint: str | None):
    function = current_app.view_functions.get(endpoint or "")
    return getattr(function, "__self__", None)


def _check_fab_parameters() -> None:
    for name in ("pk",):
        value = (request.view_args or {}).get(name)
        if value is not None and bounded_int(value) is None:
            abort(404)
    for key, value in request.args.items(multi=True):
        if _FAB_NUMERIC.match(key) and bounded_int(value, 0, PAGE_MAX) is None:
            abort(400)
        if key.startswith("_od_") and value not in ("asc", "desc"):
            abort(400)
        match = _FAB_FILTER.match(key)
        if match and int(match.group(1)) > 100:
            abort(400)
    if request.path.startswith("/api/") and "q" in request.args:
        try:
            q = prison.loads(request.args["q"])
        except Exception:  # noqa: BLE001 — FAB answers bad rison itself; leave it to FAB
            q = None
        if isinstance(q, dict):
            for key in ("page", "page_size"):
                if key in q and (not isinstance(q[key], int) or isinstance(q[key], bool)
                                 or not 0 <= q[key] <= PAGE_MAX):
                    abort(400)
    view = _view_of(request.endpoint)
    if view is not None and request.endpoint.endswith((".action", ".action_post")):
        actions = getattr(view, "actions", {}) or {}
        name = (request.view_args or {}).get("name") if request.endpoint.endswith(".action") \
            else request.form.get("action")
        if name not in actions:
            abort(404)
        if request.endpoint.endswith(".action_post"):
            if any(bounded_int(pk) is None for pk in request.form.getlist("rowid")):
                abort(404)


def register(app: Flask) -> None:
    app.before_request(_check_fab_parameters)
