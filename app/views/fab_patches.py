"""A fix to FAB's form fields, installed before any view builds its forms (issue item 17)."""
from __future__ import annotations

from flask_appbuilder.fields import QuerySelectField
from flask_babel import lazy_gettext as _l

_original_init = QuerySelectField.__init__


def _init_with_blank_text(self, *args, blank_text="", **kwargs):
    # FAB leaves the empty choice of a nullable relation without text, and WTForms 3.2 then prints
    # its value "__None" in the list; say "(none)" instead
    _original_init(self, *args, blank_text=blank_text or _l("(none)"), **kwargs)


def install() -> None:
    if QuerySelectField.__init__ is not _init_with_blank_text:
        QuerySelectField.__init__ = _init_with_blank_text
