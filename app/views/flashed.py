"""The POSTs that run one command and go back to the page they came from: the outcome is flashed there."""
from __future__ import annotations

from flask import flash

from app.commands.errors import CommandError
from app.views.answers import answer


def run_flashed(command, done_message: str) -> bool:
    """Run `command`; flash `done_message` when it went through (True), else its refusal (False; NotFound and
    Forbidden are the page's 404 and 403, as app.views.answers.answer answers them)."""
    try:
        command.run()
    except CommandError as err:
        answer(err)
        return False
    flash(done_message, "success")
    return True
