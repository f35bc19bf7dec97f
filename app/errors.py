"""Error pages in the user's language; never a bare 500."""
from __future__ import annotations

import logging

from flask import Flask, current_app, g, render_template, request
from markupsafe import escape
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, SecurityError

from app import database
from app.commands.base import discard
from app.commands.errors import CommandError, Forbidden, NotFound

log = logging.getLogger(__name__)

_TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have permission to see this page"),
    404: _l("The page does not exist"),
    405: _l("This action is not allowed here"),
    409: _l("Someone else has dealt with this meanwhile; nothing was done. Reload the page."),
    413: _l("The upload is too large"),
    429: _l("Too many requests; please wait a moment"),
    500: _l("Something went wrong on our side; nothing you saved was lost"),
    503: _l("The system is busy; nothing was changed. Please try again in a moment"),
}


def _page(code: int, detail: str = ""):
    wants_json = request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"
    title = str(_TITLES.get(code, _TITLES[500]))
    if not hasattr(g, "user"):  # errors raised before FAB's before_request (CSRF) still get a navbar
        g.user = current_user
    if wants_json:
        return {"message": title, "detail": detail}, code
    return render_template("error.html", code=code, title=title, detail=detail,
                           appbuilder=current_app.appbuilder), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(err):
        return _page(400, _("The form has expired or was not sent from this site; please reload it and try again"))

    @app.errorhandler(SecurityError)
    def untrusted_host(err):
        # the Host header is not one of TRUSTED_HOSTS: no URL can be built for it, so a page without links
        return f"<!doctype html><meta charset=utf-8><h1>400</h1><p>{escape(_TITLES[400])}</p>", 400, \
            {"Content-Type": "text/html; charset=utf-8"}

    @app.errorhandler(CommandError)
    def command_refused(err: CommandError):
        # a refusal no view turned into its own answer (a DAO's NotFound in a GET, for one): nothing was
        # kept (app/commands/base.py); 404 and 403 as they are, the message on the error page otherwise
        if isinstance(err, (NotFound, Forbidden)):
            return _page(err.http_status)
        return _page(err.http_status, str(err.message))

    @app.errorhandler(StaleDataError)
    def changed_meanwhile(err):
        # a compare-and-set on `version` lost outside the commands' own check (app/commands/cas.py)
        discard()
        return _page(409)

    @app.errorhandler(OperationalError)
    def database_error(err):
        discard()
        if database.is_busy(err):  # a lock not granted in time (app/database.py): retrying is safe
            log.warning("database busy on %s: %s", request.path, err)
            return _page(503)
        log.exception("database error on %s", request.path)
        return _page(500)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if err.code is None or err.code < 400:  # routing redirects are not errors
            return err
        return _page(err.code)

    @app.errorhandler(FileNotFoundError)
    def missing_file(err):
        return _page(404)

    @app.errorhandler(Exception)
    def unexpected_error(err: Exception):
        if isinstance(err, HTTPException):
            return http_error(err)
        log.exception("unhandled error on %s", request.path)
        discard()
        return _page(500)
