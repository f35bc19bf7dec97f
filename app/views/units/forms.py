"""The unit pages' hand-made forms (职称申报权限申请, 新增路径, 终审权限申请): what was typed, and the posted
command's refusal beside its field, so the form comes back with everything the unit entered."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask import request

from app.commands.errors import CommandError
from app.views.answers import field_errors


def typed(names) -> dict[str, str]:
    """The posted text of each named field ('' for one not sent)."""
    return {name: request.form.get(name, "") for name in names}


@dataclass
class Posted:
    """A form's POST: whether its command went through and what it gave, or its refusal ({field: [message]}
    and the form's own message); nothing on a GET."""

    done: bool = False
    value: object = None
    errors: dict = field(default_factory=dict)
    form_error: str | None = None


def post(run: Callable[[], object]) -> Posted:
    """On a POST, `run()` the command (NotFound and Forbidden are the page's 404 and 403); on a GET, nothing."""
    if request.method != "POST":
        return Posted()
    try:
        return Posted(done=True, value=run())
    except CommandError as err:
        errors, form_error = field_errors(err)
        return Posted(errors=errors, form_error=form_error)
