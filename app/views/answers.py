"""The one way a page or the API answers a refused command (app/commands/errors.py): NotFound is a 404,
Forbidden a 403; anything else is the command's message next to its field (or flashed at the top of
the page when the form has no such field), and the view shows the form again with what was typed."""
from __future__ import annotations

from typing import Callable, TypeVar

from flask import abort, flash
from flask_babel import gettext as _

from app.commands.errors import CommandError, Forbidden, Invalid, NotAllowed, NotFound

T = TypeVar("T")


def raise_http(err: CommandError) -> None:
    """404 for NotFound, 403 for Forbidden; returns for every other error."""
    if isinstance(err, NotFound):
        abort(404)
    if isinstance(err, Forbidden):
        abort(403)


def field_errors(err: CommandError) -> tuple[dict[str, list[str]], str | None]:
    """({field: [message]}, None) for an error that names a field, else ({}, message): for templates
    that print errors beside their own inputs."""
    raise_http(err)
    if err.field:
        return {err.field: [str(err.message)]}, None
    return {}, str(err.message)


def marked_fields(err: CommandError) -> tuple[dict[str, str], str]:
    """({field: message}, "Please correct the marked fields") for an error that names a field, else
    ({}, message): for templates that print one message beside each input and one on top."""
    raise_http(err)
    if err.field:
        return {err.field: str(err.message)}, _("Please correct the marked fields")
    return {}, str(err.message)


def answer(err: CommandError, form=None) -> None:
    """Put the message where the person will see it: on `form`'s field when it has one, else flashed."""
    raise_http(err)
    if form is not None and err.field and err.field in form:
        field = form[err.field]
        field.errors = [*field.errors, str(err.message)]
        return
    category = "warning" if isinstance(err, NotAllowed) and not isinstance(err, Invalid) else "danger"
    flash(str(err.message), category)


def api_answer(err: CommandError):
    """The API's JSON answer: {"message": {field: [text]}} with the error's status (400, 403, 404, 409).
    Returned, not aborted: inside FAB's `@safe` an abort would become a 500."""
    from flask import jsonify

    response = jsonify(message={err.field or "_": [str(err.message)]})
    response.status_code = err.http_status
    return response


def loaded(load: Callable[..., T], *args) -> T:
    """load(*args), the row a page is about; a NotFound from it is the page's 404 and a Forbidden its 403."""
    try:
        return load(*args)
    except CommandError as err:
        raise_http(err)
        raise
