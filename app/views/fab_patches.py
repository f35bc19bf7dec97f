"""Fixes to FAB's generic views and form fields, installed before any view builds its forms."""
from __future__ import annotations

from flask import abort
from flask_appbuilder import ModelView
from flask_appbuilder.fields import QuerySelectField
from flask_babel import lazy_gettext as _l

_original_init = QuerySelectField.__init__
_original_action_permission = ModelView.get_action_permission_name


def _init_with_blank_text(self, *args, blank_text="", **kwargs):
    # FAB leaves the empty choice of a nullable relation without text, and WTForms 3.2 then prints
    # its value "__None" in the list; say "(none)" instead (issue item 17)
    _original_init(self, *args, blank_text=blank_text or _l("(none)"), **kwargs)


def _known_action_permission(self, name: str) -> str:
    # FAB looks the action up without checking it exists: an unknown name posted to action_post was a 500
    if name not in self.actions:
        abort(404)
    return _original_action_permission(self, name)


def install() -> None:
    QuerySelectField.__init__ = _init_with_blank_text
    ModelView.get_action_permission_name = _known_action_permission
