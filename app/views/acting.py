"""Who a page is for: the signed-in user's own unit, region, office or issuer, or the home page with a
warning when the account is of another kind (Admin walking the menus, a person on a unit's page)."""
from __future__ import annotations

from typing import TypeVar

from flask import abort, flash, redirect

T = TypeVar("T")


def or_home(actor: T | None, message: str) -> T:
    """The actor as given; when it is None, the message flashed as a warning and a redirect to the home
    page (raised, so the view stops here)."""
    if actor is None:
        flash(message, "warning")
        abort(redirect("/"))
    return actor
